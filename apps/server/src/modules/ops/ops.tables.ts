import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * One row per running process (API or worker), refreshed by a heartbeat, so
 * the status page can tell which services are up across machines.
 */
export const serviceInstances = pgTable('service_instances', {
  id: text('id').primaryKey(),
  kind: text('kind').$type<'api' | 'worker'>().notNull(),
  families: text('families').array().notNull().default([]),
  hostname: text('hostname').notNull(),
  pid: integer('pid').notNull(),
  version: text('version').notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
  stoppedAt: timestamp('stopped_at', { withTimezone: true }),
});
