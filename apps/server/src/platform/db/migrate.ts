import { runMigrations as runQueueMigrations } from 'bullmq';
import type { Platform } from '../platform.ts';
import { runMigrations } from './client.ts';

/** Arbitrary constant: one migrator at a time across every instance. */
const MIGRATION_LOCK = 7_462_019_311;

/**
 * Applies the app's migrations, and BullMQ's tables when jobs live in
 * PostgreSQL. Serialised by an advisory lock so two API instances starting
 * together do not race. Run by the API's start and the CLI, never by workers.
 */
export async function migrateAll(platform: Platform, queueSchema: string | null): Promise<void> {
  const lockClient = await platform.database.pool.connect();
  try {
    await lockClient.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await runMigrations(platform.database);
    if (queueSchema) {
      if (queueSchema !== 'public') await lockClient.query(`create schema if not exists "${queueSchema}"`);
      await lockClient.query(`set search_path to "${queueSchema}"`);
      try {
        await runQueueMigrations(lockClient, queueSchema, { skipVersionCheck: platform.embeddedDatabase });
      } finally {
        await lockClient.query('set search_path to default');
      }
    }
  } finally {
    await lockClient.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    lockClient.release();
  }
}
