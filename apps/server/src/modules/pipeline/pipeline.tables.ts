import { check, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { PIPELINE_STAGES, type PipelineStage } from '@mona/shared';
import { artists, oneOf } from '../artists/artists.tables.ts';
import { users } from '../users/users.tables.ts';

/** Every stage change of an artist: who, when, from, to, why. `fromStage` is null for the entry into the pipeline. */
export const pipelineMoves = pgTable(
  'pipeline_moves',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    artistId: uuid('artist_id')
      .notNull()
      .references(() => artists.id, { onDelete: 'cascade' }),
    fromStage: text('from_stage').$type<PipelineStage>(),
    toStage: text('to_stage').$type<PipelineStage>().notNull(),
    reason: text('reason').notNull().default(''),
    movedBy: uuid('moved_by').references(() => users.id, { onDelete: 'set null' }),
    movedAt: timestamp('moved_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('pipeline_moves_artist_idx').on(t.artistId, t.movedAt),
    index('pipeline_moves_moved_at_idx').on(t.movedAt),
    check('pipeline_moves_to_check', oneOf('to_stage', PIPELINE_STAGES)),
  ],
);
