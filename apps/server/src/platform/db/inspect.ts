/**
 * What a backup records about a database, read with plain SQL so the same code
 * serves a `pg` connection and an in-process PGlite.
 */

/** The part of `pg.Client` / `PGlite` these functions use. */
export interface Queryable {
  query<R>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
}

export interface DatabaseFacts {
  /** e.g. "15.20", "18.6". */
  serverVersion: string;
  serverMajor: number;
  migrations: { applied: number; latest: string | null };
  /** Row count of every table, keyed "schema.table", sorted. */
  tables: Record<string, number>;
}

const SYSTEM_SCHEMAS = `('pg_catalog', 'information_schema', 'pg_toast')`;

export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Every ordinary (and partitioned) table outside the system schemas, as [schema, table]. */
export async function listTables(db: Queryable): Promise<[string, string][]> {
  const { rows } = await db.query<{ schema: string; name: string }>(
    `select n.nspname as schema, c.relname as name
       from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and n.nspname not in ${SYSTEM_SCHEMAS} and n.nspname not like 'pg_temp%' and n.nspname not like 'pg_toast_temp%'
      order by 1, 2`,
  );
  return rows.map((r) => [r.schema, r.name]);
}

export async function serverVersion(db: Queryable): Promise<{ version: string; major: number }> {
  const { rows } = await db.query<{ server_version: string; num: string }>(
    `select current_setting('server_version') as server_version, current_setting('server_version_num') as num`,
  );
  const row = rows[0]!;
  return { version: row.server_version.split(' ')[0]!, major: Math.floor(Number(row.num) / 10000) };
}

export async function countRows(db: Queryable, tables: [string, string][]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [schema, name] of tables) {
    const { rows } = await db.query<{ n: string | number }>(`select count(*) as n from ${quoteIdent(schema)}.${quoteIdent(name)}`);
    counts[`${schema}.${name}`] = Number(rows[0]!.n);
  }
  return counts;
}

/** Drizzle's record of the applied migrations (schema "drizzle"), when it exists. */
async function migrationsApplied(db: Queryable, tables: [string, string][]): Promise<DatabaseFacts['migrations']> {
  if (!tables.some(([s, t]) => s === 'drizzle' && t === '__drizzle_migrations')) return { applied: 0, latest: null };
  const { rows } = await db.query<{ n: string | number; latest: string | null }>(
    `select count(*) as n, (select hash from drizzle.__drizzle_migrations order by created_at desc, id desc limit 1) as latest from drizzle.__drizzle_migrations`,
  );
  return { applied: Number(rows[0]!.n), latest: rows[0]!.latest };
}

/** Version, migrations and per-table row counts; run it inside the snapshot the dump reads. */
export async function databaseFacts(db: Queryable): Promise<DatabaseFacts> {
  const version = await serverVersion(db);
  const tables = await listTables(db);
  return {
    serverVersion: version.version,
    serverMajor: version.major,
    migrations: await migrationsApplied(db, tables),
    tables: await countRows(db, tables),
  };
}

/**
 * Runs `fn` and then puts back the session settings it changed (pg_dump and
 * a plain SQL restore set search_path, timeouts, ...). On PGlite every socket
 * connection shares one session, so they must not leak to the others.
 */
export async function keepingSessionSettings<T>(db: Queryable, fn: () => Promise<T>): Promise<T> {
  const read = async () =>
    new Map(
      (
        await db.query<{ name: string; setting: string }>(
          `select name, setting from pg_catalog.pg_settings where context in ('user', 'superuser') and name not like 'transaction\\_%'`,
        )
      ).rows.map((r) => [r.name, r.setting]),
    );
  const before = await read();
  try {
    return await fn();
  } finally {
    const after = await read();
    for (const [name, value] of before) {
      // transaction_* settings are excluded above: they end with their transaction.
      if (after.get(name) !== value) await db.query(`select pg_catalog.set_config($1, $2, false)`, [name, value]);
    }
  }
}
