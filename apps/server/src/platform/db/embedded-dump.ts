import { existsSync, rmSync } from 'node:fs';
import http from 'node:http';
import { pgDump } from '@electric-sql/pglite-tools/pg_dump';
import type { EmbeddedPostgres } from './embedded.ts';
import { databaseFacts, keepingSessionSettings, type DatabaseFacts, type Queryable } from './inspect.ts';

/** A logical dump of the embedded database: plain SQL (pg_dump --inserts), restorable with one `exec`. */
export interface EmbeddedDump {
  sql: string;
  facts: DatabaseFacts;
  /** e.g. "pg_dump 18.3 (@electric-sql/pglite-tools)". */
  tool: string;
}

const PG_DUMP_VERSION = /^-- Dumped by pg_dump version (\S+)/m;

/**
 * Dumps the PGlite this process owns with pglite-tools' pg_dump (PostgreSQL's
 * own pg_dump compiled to WebAssembly, speaking to PGlite in-process). It runs
 * with the database to itself, so the row counts and the dump are of the same
 * state, and the session settings pg_dump changes are put back afterwards.
 */
export interface DumpOptions {
  /** Tables ("schema.table") whose rows are left out (their definition is kept). */
  excludeTableData?: string[];
}

export async function dumpEmbedded(embedded: EmbeddedPostgres, options: DumpOptions = {}): Promise<EmbeddedDump> {
  const db = embedded.pglite;
  return embedded.alone(() =>
    keepingSessionSettings(db as unknown as Queryable, async () => {
      const facts = await databaseFacts(db);
      const args = ['--no-owner', '--no-privileges', ...(options.excludeTableData ?? []).map((t) => `--exclude-table-data=${t}`)];
      let file: File;
      try {
        file = await pgDump({ pg: db, args });
      } finally {
        // pg_dump ends by closing its connection, which on a server ends its read-only
        // transaction; PGlite's one session stays in it until told otherwise.
        await db.exec('rollback');
      }
      const sql = await file.text();
      return { sql, facts, tool: `pg_dump ${PG_DUMP_VERSION.exec(sql)?.[1] ?? '?'} (@electric-sql/pglite-tools)` };
    }),
  );
}

/**
 * Another process of this machine (the CLI, a worker started on its own)
 * reaches the embedded database only through the owner's socket, where
 * pg_dump cannot run. The owner therefore answers dump requests on a Unix
 * socket next to the data folder: only users who can open DATA_DIR reach it,
 * the same ones who could open the database files.
 */
export async function serveEmbeddedDumps(embedded: EmbeddedPostgres, socketPath: string): Promise<{ close(): Promise<void> }> {
  // The owner holds the data folder's pid lock, so a socket file left here is a crashed owner's.
  if (existsSync(socketPath)) rmSync(socketPath, { force: true });
  const server = http.createServer((request, response) => {
    if (request.method !== 'POST' || request.url !== '/dump') {
      response.writeHead(404).end();
      return;
    }
    const respond = (options: DumpOptions) =>
      dumpEmbedded(embedded, options).then(
        (dump) => {
          response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(dump));
        },
        (error: unknown) => {
          response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: (error as Error).message }));
        },
      );
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      let options: DumpOptions;
      try {
        options = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as DumpOptions;
      } catch {
        response.writeHead(400).end();
        return;
      }
      void respond(options);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).finally(() => rmSync(socketPath, { force: true })),
  };
}

/** Asks the process that owns the embedded database (see serveEmbeddedDumps) for a dump. */
export function requestEmbeddedDump(socketPath: string, options: DumpOptions = {}): Promise<EmbeddedDump> {
  if (!existsSync(socketPath)) {
    return Promise.reject(
      new Error(
        `The embedded database is open in another process that does not answer backups (no ${socketPath}). Restart it with this version, or stop it and run the backup again.`,
      ),
    );
  }
  return new Promise((resolve, reject) => {
    const request = http.request({ socketPath, path: '/dump', method: 'POST' }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as EmbeddedDump & { error?: string };
          if (response.statusCode !== 200) reject(new Error(`The embedded database's owner could not dump it: ${body.error ?? response.statusCode}`));
          else resolve(body);
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    });
    request.on('error', (error) => reject(new Error(`Could not reach the embedded database's owner on ${socketPath}: ${error.message}`)));
    request.end(JSON.stringify(options));
  });
}
