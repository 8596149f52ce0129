import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { CALENDAR_KINDS, type CalendarKind } from '@mona/shared';
import { artists, oneOf } from '../artists/artists.tables.ts';
import { users } from '../users/users.tables.ts';

/** The team calendar. Events other modules create (villa days, streams) carry a `source` key so they are updated, not duplicated. */
export const calendarEvents = pgTable(
  'calendar_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').$type<CalendarKind>().notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    allDay: boolean('all_day').notNull().default(false),
    location: text('location').notNull().default(''),
    artistId: uuid('artist_id').references(() => artists.id, { onDelete: 'set null' }),
    ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'set null' }),
    /** e.g. `villa-slot:<uuid>`; unique so a module upserts its own events. */
    source: text('source'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
  },
  (t) => [
    index('calendar_events_range_idx').on(t.startsAt, t.endsAt),
    index('calendar_events_artist_idx').on(t.artistId, t.startsAt),
    uniqueIndex('calendar_events_source_idx').on(t.source),
    check('calendar_events_kind_check', oneOf('kind', CALENDAR_KINDS)),
    check('calendar_events_range_check', sql`ends_at >= starts_at`),
    check('calendar_events_title_check', sql`length(title) between 1 and 300`),
  ],
);
