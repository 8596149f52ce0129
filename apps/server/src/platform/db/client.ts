import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { isDatabaseUnavailable } from '../errors.ts';
import type { Logger } from '../logger.ts';
import * as schema from './schema.ts';

export type Db = NodePgDatabase<typeof schema>;

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');

export interface Database {
  pool: pg.Pool;
  db: Db;
  url: string;
  /**
   * For heavy read-only queries (lists, search, reports) that may lag the
   * primary by the replication delay: the read replicas in turn, the primary
   * when none is configured or every replica is down. Never for a
   * transaction (it throws) nor for reading what the same request just wrote.
   */
  read: Db;
  /** The replicas' pools (empty without DATABASE_READ_URL). */
  replicas: ReadReplica[];
  /** Round trip to the server; throws when it does not answer within timeoutMs. */
  ping(timeoutMs?: number): Promise<number>;
  close(): Promise<void>;
}

export interface ReadReplica {
  url: string;
  pool: pg.Pool;
  /** Until when the replica is skipped after it failed to answer (epoch ms; 0 = in use). */
  downUntil: number;
}

/** How long a replica that failed to answer is left out before it is tried again. */
const REPLICA_RETRY_MS = 5000;

/**
 * What drizzle calls `query` on for the read database: each query goes to the
 * next replica that is up (round-robin); a replica that cannot be reached is
 * left out for a few seconds and the query runs on the next one, then on the
 * primary. Only connection failures move a query elsewhere; an SQL error is
 * the caller's.
 */
export class ReadRouter {
  private next = 0;

  constructor(
    private readonly primary: pg.Pool,
    readonly replicas: ReadReplica[],
    private readonly logger: Logger,
  ) {}

  query(...args: unknown[]): Promise<unknown> {
    const first = args[0];
    const text = typeof first === 'string' ? first : (first as { text?: string } | undefined)?.text;
    if (text && /^\s*(begin|start\s+transaction)\b/i.test(text)) {
      return Promise.reject(new Error('The read database does not run transactions: use the primary (database.db)'));
    }
    return this.run(args);
  }

  private async run(args: unknown[]): Promise<unknown> {
    const now = Date.now();
    const count = this.replicas.length;
    const start = this.next;
    this.next = (this.next + 1) % Math.max(1, count);
    for (let i = 0; i < count; i++) {
      const replica = this.replicas[(start + i) % count]!;
      if (replica.downUntil > now) continue;
      try {
        return await (replica.pool.query as (...a: unknown[]) => Promise<unknown>)(...args);
      } catch (error) {
        if (!isConnectionFailure(error)) throw error;
        replica.downUntil = Date.now() + REPLICA_RETRY_MS;
        this.logger.warn({ err: (error as Error).message, replica: redactUrl(replica.url) }, 'read replica unavailable; using the next one or the primary');
      }
    }
    return (this.primary.query as (...a: unknown[]) => Promise<unknown>)(...args);
  }
}

function isConnectionFailure(error: unknown): boolean {
  return isDatabaseUnavailable(error);
}

const redactUrl = (url: string) => {
  const u = new URL(url);
  return `${u.hostname}:${u.port || 5432}${u.pathname}`;
};

/**
 * pg-pool listens for errors on idle clients only. A client checked out (a
 * transaction between two statements, the migration lock) whose server goes
 * away emits 'error' with no listener, which would crash the process. With
 * this listener the error is logged; the client's next query fails (a 503 for
 * the request) and the pool drops it on release, as it is no longer queryable.
 */
function keepCheckedOutClientsAlive(pool: pg.Pool, logger: Logger): void {
  pool.on('connect', (client) => {
    client.on('error', (error) => logger.debug({ err: error.message }, 'database connection of a checked-out client lost'));
  });
}

export function createDatabase(options: {
  url: string;
  max: number;
  statementTimeoutMs: number;
  logger: Logger;
  applicationName: string;
  readUrls?: string[] | undefined;
}): Database {
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
  keepCheckedOutClientsAlive(pool, options.logger);
  const db = drizzle(pool, { schema, casing: 'snake_case' });
  const replicas: ReadReplica[] = (options.readUrls ?? []).map((url) => {
    const replicaPool = new pg.Pool({
      connectionString: url,
      max: options.max,
      // A replica that does not answer quickly is skipped for the next one or the primary.
      connectionTimeoutMillis: 2000,
      idleTimeoutMillis: 30_000,
      query_timeout: options.statementTimeoutMs + 1000,
      keepAlive: true,
      application_name: `${options.applicationName}-read`,
    });
    replicaPool.on('error', (error) => options.logger.warn({ err: error.message, replica: redactUrl(url) }, 'read replica connection lost'));
    keepCheckedOutClientsAlive(replicaPool, options.logger);
    return { url, pool: replicaPool, downUntil: 0 };
  });
  const read =
    replicas.length > 0 ? drizzle({ client: new ReadRouter(pool, replicas, options.logger) as unknown as pg.Pool, schema, casing: 'snake_case' }) : db;
  return {
    pool,
    db,
    read,
    replicas,
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
      await Promise.allSettled(replicas.map((r) => r.pool.end()));
      await pool.end();
    },
  };
}

/** Applies the committed migrations (idempotent). Called by the API's start and the CLI only. */
export async function runMigrations(database: Database): Promise<void> {
  await migrate(database.db, { migrationsFolder: MIGRATIONS_DIR });
}
