import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

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

/**
 * Alerts received from Alertmanager (webhook) or raised by the in-process
 * evaluator: one row per episode of an alert (its fingerprint and start), which
 * goes from firing to resolved. Admins are notified once per episode and status.
 */
export const opsAlerts = pgTable(
  'ops_alerts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    fingerprint: text('fingerprint').notNull(),
    alertname: text('alertname').notNull(),
    status: text('status').$type<'firing' | 'resolved'>().notNull(),
    severity: text('severity').notNull(),
    labels: jsonb('labels').$type<Record<string, string>>().notNull(),
    annotations: jsonb('annotations').$type<Record<string, string>>().notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }),
    source: text('source').$type<'alertmanager' | 'in-process'>().notNull(),
    generatorUrl: text('generator_url'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('ops_alerts_episode_idx').on(t.fingerprint, t.startsAt),
    index('ops_alerts_status_idx').on(t.status, t.updatedAt),
    check('ops_alerts_status_check', sql`${t.status} in ('firing', 'resolved')`),
    check('ops_alerts_source_check', sql`${t.source} in ('alertmanager', 'in-process')`),
  ],
);
