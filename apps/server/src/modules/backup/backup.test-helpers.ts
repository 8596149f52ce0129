import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../platform/db/embedded.ts';
import { listTables, quoteIdent } from '../../platform/db/inspect.ts';
import { freshDatabaseUrl } from '../../test/harness.ts';

/** Shared by the backup tests. */
export const onPostgres = Boolean(process.env.DATABASE_URL);
export const RUNS = 'public.backup_runs';

/** A fresh, empty database to restore into: a new database on the server, or a PGlite in a new folder. */
export async function emptyDatabase(): Promise<{ url: string; close(): Promise<void> }> {
  if (onPostgres) {
    const db = await freshDatabaseUrl();
    return { url: db.url!, close: db.drop };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mona-restore-'));
  const embedded = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pglite'), port: 0 });
  return {
    url: embedded.url,
    async close() {
      await embedded.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Every table's row count and an md5 of its rows in primary-key order, and
 * every sequence's position: two databases with the same picture hold the same data.
 */
export async function picture(url: string): Promise<{ tables: Record<string, { rows: number; md5: string }>; sequences: Record<string, string | null> }> {
  return withClient(url, async (client) => {
    const tables: Record<string, { rows: number; md5: string }> = {};
    for (const [schema, name] of await listTables(client)) {
      const qualified = `${quoteIdent(schema)}.${quoteIdent(name)}`;
      const pk = await client.query<{ attname: string }>(
        `select a.attname from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
          where i.indrelid = $1::regclass and i.indisprimary order by array_position(i.indkey::int2[], a.attnum)`,
        [qualified],
      );
      const order = pk.rows.length > 0 ? pk.rows.map((r) => `t.${quoteIdent(r.attname)}`).join(', ') : 't::text';
      const { rows } = await client.query<{ n: number; h: string }>(
        `select count(*)::int as n, md5(coalesce(string_agg(t::text, E'\\n' order by ${order}), '')) as h from ${qualified} t`,
      );
      tables[`${schema}.${name}`] = { rows: rows[0]!.n, md5: rows[0]!.h };
    }
    const seq = await client.query<{ name: string; last_value: string | null }>(
      `select schemaname || '.' || sequencename as name, last_value::text from pg_sequences order by 1`,
    );
    return { tables, sequences: Object.fromEntries(seq.rows.map((r) => [r.name, r.last_value])) };
  });
}

export const withoutRuns = <T>(tables: Record<string, T>) => Object.fromEntries(Object.entries(tables).filter(([t]) => t !== RUNS));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
