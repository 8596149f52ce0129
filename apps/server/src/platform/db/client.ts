import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import type { Logger } from '../logger.ts';
import * as schema from './schema.ts';

export type Db = NodePgDatabase<typeof schema>;

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');

export interface Database {
  pool: pg.Pool;
  db: Db;
  url: string;
  /** Round trip to the server; throws when it does not answer within timeoutMs. */
  ping(timeoutMs?: number): Promise<number>;
  close(): Promise<void>;
}

export function createDatabase(options: { url: string; max: number; statementTimeoutMs: number; logger: Logger; applicationName: string }): Database {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max,
    // A request that needs the database fails fast (503) instead of hanging when it is down.
    connectionTimeoutMillis: 3000,
    idleTimeoutMillis: 30_000,
    query_timeout: options.statementTimeoutMs + 1000,
    keepAlive: true,
    application_name: options.applicationName,
  });
  // An idle client losing its server (restart, failover) must not crash the process.
  pool.on('error', (error) => options.logger.warn({ err: error.message }, 'database connection lost; the pool will reconnect'));
  const db = drizzle(pool, { schema, casing: 'snake_case' });
  return {
    pool,
    db,
    url: options.url,
    async ping(timeoutMs = 2000) {
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          pool.query('select 1'),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
      } finally {
        clearTimeout(timer);
      }
      return performance.now() - started;
    },
    async close() {
      await pool.end();
    },
  };
}

/** Applies the committed migrations (idempotent). Called by the API's start and the CLI only. */
export async function runMigrations(database: Database): Promise<void> {
  await migrate(database.db, { migrationsFolder: MIGRATIONS_DIR });
}
