import { check, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { STREAM_STATUSES, type StreamStatus } from '@mona/shared';
import { artists, oneOf } from '../artists/artists.tables.ts';
import { villas, villaSlots } from '../villas/villas.tables.ts';

/** A scheduled live stream: a villa's live slot now; the streaming bridge adds channels, stats and chat later. */
export const streams = pgTable(
  'streams',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    villaId: uuid('villa_id').references(() => villas.id, { onDelete: 'cascade' }),
    /** The villa slot this stream was created from (one stream per live slot). */
    slotId: uuid('slot_id').references(() => villaSlots.id, { onDelete: 'set null' }),
    artistId: uuid('artist_id').references(() => artists.id, { onDelete: 'set null' }),
    platforms: text('platforms').array().notNull().default([]),
    scheduledStart: timestamp('scheduled_start', { withTimezone: true }).notNull(),
    scheduledEnd: timestamp('scheduled_end', { withTimezone: true }).notNull(),
    status: text('status').$type<StreamStatus>().notNull().default('scheduled'),
    startedAt: timestamp('started_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('streams_slot_idx').on(t.slotId),
    index('streams_villa_idx').on(t.villaId, t.scheduledStart),
    index('streams_schedule_idx').on(t.scheduledStart),
    check('streams_status_check', oneOf('status', STREAM_STATUSES)),
  ],
);
