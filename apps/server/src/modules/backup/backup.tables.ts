import { bigint, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * One row per backup attempt (the CLI's and the daily job's), so the ops page
 * shows the last run's status and error from any machine, whichever process
 * made it. The backups themselves are the manifests next to the dumps.
 */
export const backupRuns = pgTable(
  'backup_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    trigger: text('trigger').$type<'cli' | 'schedule'>().notNull(),
    status: text('status').$type<'running' | 'succeeded' | 'failed'>().notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /** The backup's name (its files are <name>.manifest.json and the dump). */
    name: text('name'),
    sizeBytes: bigint('size_bytes', { mode: 'number' }),
    /** s3://bucket/key of the uploaded manifest, when uploaded. */
    remote: text('remote'),
    /** Backups deleted by retention after this one. */
    deleted: jsonb('deleted').$type<string[]>().notNull().default([]),
    error: text('error'),
    hostname: text('hostname').notNull(),
  },
  (t) => [index('backup_runs_started_at_idx').on(t.startedAt)],
);
