import { spawn } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { databaseFacts, type DatabaseFacts } from '../../platform/db/inspect.ts';

/** pg_dump and pg_restore, PostgreSQL's own client programs, run as child processes. */
export interface PgTools {
  pgDump: string;
  pgRestore: string;
}

export function pgTools(pgDumpPath: string | undefined): PgTools {
  if (!pgDumpPath) return { pgDump: 'pg_dump', pgRestore: 'pg_restore' };
  return { pgDump: pgDumpPath, pgRestore: path.join(path.dirname(pgDumpPath), 'pg_restore') };
}

function run(bin: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'ENOENT'
            ? `${bin} not found. Install the PostgreSQL client (e.g. postgresql-client-17) or set PG_DUMP_PATH to the pg_dump binary.`
            : `${bin}: ${error.message}`,
        ),
      ),
    );
    child.on('close', (code) => {
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`${path.basename(bin)} failed (exit ${code}): ${stderr.trim() || stdout.trim()}`));
    });
  });
}

/** "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)" -> { version: "15.20", major: 15 }. */
export async function toolVersion(bin: string): Promise<{ version: string; major: number }> {
  const { stdout } = await run(bin, ['--version']);
  const match = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(stdout);
  if (!match) throw new Error(`Could not read the version of ${bin}: ${stdout.trim()}`);
  return { version: match[2] ? `${match[1]}.${match[2]}` : match[1]!, major: Number(match[1]) };
}

/** The URL for a client program, without its password (which goes in PGPASSWORD, not on the command line). */
export function toolConnection(url: string): { uri: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { uri: u.toString(), env: password ? { PGPASSWORD: password } : {} };
}

export function requireClientAtLeastServer(tool: string, client: { version: string; major: number }, serverVersion: string, serverMajor: number): void {
  if (client.major < serverMajor) {
    throw new Error(
      `${tool} ${client.version} cannot work with PostgreSQL ${serverVersion}: the client's major version must be at least the server's (${serverMajor}). ` +
        `Install postgresql-client-${serverMajor} (or newer) or set PG_DUMP_PATH to such a pg_dump.`,
    );
  }
}

/**
 * A consistent pg_dump in custom format: a read-only repeatable-read
 * transaction exports its snapshot, the row counts are read in it, and
 * pg_dump dumps that same snapshot, so the manifest matches the dump exactly.
 */
export async function dumpPostgres(
  url: string,
  file: string,
  tools: PgTools,
  excludeTableData: string[] = [],
): Promise<{ facts: DatabaseFacts; tool: string }> {
  const client = new pg.Client({ connectionString: url, application_name: 'mona-backup' });
  await client.connect();
  try {
    const tool = await toolVersion(tools.pgDump);
    await client.query('begin isolation level repeatable read read only');
    const { rows } = await client.query<{ snapshot: string }>('select pg_export_snapshot() as snapshot');
    const facts = await databaseFacts(client);
    requireClientAtLeastServer('pg_dump', tool, facts.serverVersion, facts.serverMajor);
    const conn = toolConnection(url);
    const args = [
      '--format=custom',
      `--snapshot=${rows[0]!.snapshot}`,
      ...excludeTableData.map((t) => `--exclude-table-data=${t}`),
      `--file=${file}`,
      `--dbname=${conn.uri}`,
    ];
    await run(tools.pgDump, args, conn.env);
    await client.query('commit');
    return { facts, tool: `pg_dump ${tool.version}` };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Restores a custom-format dump in one transaction; owners and grants are left to the target's own users. */
export async function restorePostgres(url: string, file: string, tools: PgTools, serverVersion: { version: string; major: number }): Promise<void> {
  const tool = await toolVersion(tools.pgRestore);
  requireClientAtLeastServer('pg_restore', tool, serverVersion.version, serverVersion.major);
  const conn = toolConnection(url);
  await run(tools.pgRestore, ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--dbname=${conn.uri}`, file], conn.env);
}
