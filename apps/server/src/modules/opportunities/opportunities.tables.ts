import { sql } from 'drizzle-orm';
import { bigint, check, date, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { OPPORTUNITY_STAGES, type OpportunityStage } from '@mona/shared';
import { artists, oneOf } from '../artists/artists.tables.ts';
import { users } from '../users/users.tables.ts';

/** A deal in the making with an artist. Money is integer euro cents. */
export const opportunities = pgTable(
  'opportunities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    artistId: uuid('artist_id')
      .notNull()
      .references(() => artists.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    valueCents: bigint('value_cents', { mode: 'number' }).notNull(),
    /** 0–100. */
    probability: integer('probability').notNull(),
    stage: text('stage').$type<OpportunityStage>().notNull().default('discovery'),
    expectedCloseOn: date('expected_close_on', { mode: 'string' }),
    ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'set null' }),
    notes: text('notes').notNull().default(''),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
  },
  (t) => [
    index('opportunities_artist_idx').on(t.artistId),
    index('opportunities_stage_idx').on(t.stage),
    check('opportunities_stage_check', oneOf('stage', OPPORTUNITY_STAGES)),
    check('opportunities_value_check', sql`value_cents >= 0`),
    check('opportunities_probability_check', sql`probability between 0 and 100`),
  ],
);
