import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Domain events (outbox): written in the same transaction as the change they
 * describe, then dispatched to their subscribers' jobs. `dispatchedAt` is set
 * once every subscriber job is enqueued; a relay job picks up the rest.
 */
export const domainEvents = pgTable(
  'domain_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    aggregateId: uuid('aggregate_id'),
    payload: jsonb('payload').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    dispatchedAt: timestamp('dispatched_at', { withTimezone: true }),
  },
  (t) => [
    index('domain_events_pending_idx')
      .on(t.occurredAt)
      .where(sql`dispatched_at is null`),
    index('domain_events_name_idx').on(t.name, t.occurredAt),
  ],
);
