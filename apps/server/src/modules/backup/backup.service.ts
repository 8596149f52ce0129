import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { and, desc, eq, gte } from 'drizzle-orm';
import pg from 'pg';
import { z } from 'zod';
import type { AppConfig } from '../../config/env.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/client.ts';
import { dumpEmbedded, requestEmbeddedDump, type DumpOptions, type EmbeddedDump } from '../../platform/db/embedded-dump.ts';
import { databaseFacts, keepingSessionSettings, listTables, serverVersion } from '../../platform/db/inspect.ts';
import { AppError } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import { embeddedDumpSocket, type Platform } from '../../platform/platform.ts';
import { backupRuns } from './backup.tables.ts';
import { dumpPostgres, pgTools, restorePostgres } from './pg-tools.ts';
import { planRetention } from './retention.ts';
import { BackupBucket } from './s3.ts';

export const MANIFEST_FORMAT_VERSION = 1;
const MANIFEST_SUFFIX = '.manifest.json';
/** The backup history belongs to the running system, not to the data: its rows are not dumped. */
const RUNS_TABLE = 'public.backup_runs';

export const manifestSchema = z.object({
  formatVersion: z.literal(MANIFEST_FORMAT_VERSION),
  name: z.string().regex(/^[A-Za-z0-9._-]+$/),
  appVersion: z.string(),
  createdAt: z.iso.datetime(),
  database: z.object({
    kind: z.enum(['postgresql', 'embedded']),
    serverVersion: z.string(),
    dumpTool: z.string(),
  }),
  migrations: z.object({ applied: z.number().int(), latest: z.string().nullable() }),
  /** Rows per table ("schema.table") at the dump's snapshot. */
  tables: z.record(z.string(), z.number().int()),
  dump: z.object({
    file: z.string().regex(/^[A-Za-z0-9._-]+$/),
    /** `custom`: pg_dump --format=custom (pg_restore); `sql`: plain SQL with INSERTs (embedded database). */
    format: z.enum(['custom', 'sql']),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    sizeBytes: z.number().int(),
  }),
});
export type BackupManifest = z.infer<typeof manifestSchema>;

/** How this process gets a dump of its database. */
export type DumpSource = { kind: 'postgresql'; url: string } | { kind: 'embedded'; dump: (options: DumpOptions) => Promise<EmbeddedDump> };

/**
 * PostgreSQL: pg_dump against DATABASE_URL. Embedded: pg_dump (WebAssembly)
 * in the process that owns PGlite: this one, or, when another process owns it
 * (`npm start` running while the CLI or a worker backs up), through that
 * process's dump socket.
 */
export function dumpSourceFor(platform: Platform): DumpSource {
  if (!platform.embeddedDatabase) return { kind: 'postgresql', url: platform.database.url };
  const embedded = platform.embedded;
  if (embedded) return { kind: 'embedded', dump: (options) => dumpEmbedded(embedded, options) };
  const socket = embeddedDumpSocket(platform.config);
  return { kind: 'embedded', dump: (options) => requestEmbeddedDump(socket, options) };
}

export interface BackupResult {
  manifest: BackupManifest;
  manifestPath: string;
  dumpPath: string;
  remote: string | null;
  deleted: string[];
}

export interface RestoreResult {
  name: string;
  tables: number;
  rows: number;
  target: string;
}

export type BackupRun = typeof backupRuns.$inferSelect;

export interface BackupDeps {
  config: AppConfig;
  db: Db;
  /** The configured database's URL (restore target by default). */
  databaseUrl: string;
  source: DumpSource;
  logger: Logger;
  clock: Clock;
}

/** A run still marked running after this long was interrupted (the process died). */
const STALE_RUN_MS = 6 * 3_600_000;
/** Failed scheduled attempts per day before waiting for the next day. */
const MAX_SCHEDULED_ATTEMPTS = 3;

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const redactUrl = (url: string) => {
  const u = new URL(url);
  return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
};

/** "3" or "03:30" (UTC) -> the latest such instant at or before `now`. */
export function lastScheduledInstant(now: Date, schedule: string): Date {
  const [hour, minute = '0'] = schedule.split(':');
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), Number(hour), Number(minute)));
  return today.getTime() <= now.getTime() ? today : new Date(today.getTime() - 86_400_000);
}

export function backupsEnabled(config: Pick<AppConfig, 'BACKUP_ENABLED' | 'NODE_ENV' | 'databaseMode'>): boolean {
  return config.BACKUP_ENABLED ?? (config.NODE_ENV === 'production' && config.databaseMode === 'postgresql');
}

/**
 * Logical backups of the database: a dump and its manifest in BACKUP_DIR,
 * optionally copied to an S3-compatible bucket, with daily/weekly retention;
 * and their restore into an empty database, verified.
 */
export class BackupService {
  readonly directory: string;
  private readonly config: AppConfig;

  constructor(private readonly deps: BackupDeps) {
    this.config = deps.config;
    this.directory = path.resolve(deps.config.BACKUP_DIR ?? path.join(deps.config.DATA_DIR, 'backups'));
  }

  get enabled(): boolean {
    return backupsEnabled(this.config);
  }

  /** Makes a backup now; `trigger` is recorded with the run. */
  async create(trigger: BackupRun['trigger']): Promise<BackupResult> {
    const createdAt = this.deps.clock.now();
    const name = `mona-${createdAt.toISOString().replace(/[:.]/g, '-')}`;
    const runId = await this.recordStart(trigger, createdAt);
    const format = this.deps.source.kind === 'postgresql' ? 'custom' : 'sql';
    const dumpFile = `${name}.${format === 'custom' ? 'pgdump' : 'sql'}`;
    const dumpPath = path.join(this.directory, dumpFile);
    const partial = `${dumpPath}.partial`;
    try {
      await mkdir(this.directory, { recursive: true });
      let facts: Awaited<ReturnType<typeof databaseFacts>>;
      let tool: string;
      if (this.deps.source.kind === 'postgresql') {
        ({ facts, tool } = await dumpPostgres(this.deps.source.url, partial, pgTools(this.config.PG_DUMP_PATH), [RUNS_TABLE]));
      } else {
        const dump = await this.deps.source.dump({ excludeTableData: [RUNS_TABLE] });
        await writeFile(partial, dump.sql);
        ({ facts, tool } = dump);
      }
      if (RUNS_TABLE in facts.tables) facts.tables[RUNS_TABLE] = 0;
      const sizeBytes = (await stat(partial)).size;
      const manifest: BackupManifest = {
        formatVersion: MANIFEST_FORMAT_VERSION,
        name,
        appVersion: this.config.version,
        createdAt: createdAt.toISOString(),
        database: { kind: this.deps.source.kind, serverVersion: facts.serverVersion, dumpTool: tool },
        migrations: facts.migrations,
        tables: facts.tables,
        dump: { file: dumpFile, format, sha256: await sha256File(partial), sizeBytes },
      };
      await rename(partial, dumpPath);
      // The manifest last: a manifest means a complete backup.
      const manifestPath = path.join(this.directory, `${name}${MANIFEST_SUFFIX}`);
      await writeFile(`${manifestPath}.partial`, `${JSON.stringify(manifest, null, 2)}\n`);
      await rename(`${manifestPath}.partial`, manifestPath);

      let remote: string | null = null;
      const bucket = BackupBucket.fromConfig(this.config);
      if (bucket) {
        try {
          await bucket.put(dumpPath);
          remote = await bucket.put(manifestPath);
        } finally {
          bucket.close();
        }
      }
      const deleted = await this.applyRetention(name);
      await this.recordEnd(runId, { status: 'succeeded', name, sizeBytes, remote, deleted });
      this.deps.logger.info({ name, sizeBytes, remote, deleted }, 'backup made');
      return { manifest, manifestPath, dumpPath, remote, deleted };
    } catch (error) {
      await rm(partial, { force: true }).catch(() => undefined);
      await this.recordEnd(runId, { status: 'failed', name, error: (error as Error).message });
      throw error;
    }
  }

  /** Backups in BACKUP_DIR, newest first (a file that is not a valid manifest is skipped). */
  async list(): Promise<BackupManifest[]> {
    if (!existsSync(this.directory)) return [];
    const manifests: BackupManifest[] = [];
    for (const file of (await readdir(this.directory)).filter((f) => f.endsWith(MANIFEST_SUFFIX))) {
      try {
        manifests.push(manifestSchema.parse(JSON.parse(await readFile(path.join(this.directory, file), 'utf8'))));
      } catch {
        this.deps.logger.warn({ file }, 'not a backup manifest; skipped');
      }
    }
    return manifests.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.name.localeCompare(a.name));
  }

  /** Deletes the backups retention does not keep (never `protect`); returns their names. */
  async applyRetention(protect?: string): Promise<string[]> {
    const manifests = await this.list();
    const { remove } = planRetention(manifests, { daily: this.config.BACKUP_KEEP_DAILY, weekly: this.config.BACKUP_KEEP_WEEKLY }, protect);
    for (const name of remove) {
      const manifest = manifests.find((m) => m.name === name)!;
      await rm(path.join(this.directory, manifest.dump.file), { force: true });
      await rm(path.join(this.directory, `${name}${MANIFEST_SUFFIX}`), { force: true });
    }
    return remove;
  }

  /** Finds a backup's manifest: a manifest path, a dump path, a name in BACKUP_DIR, or s3:<name> / s3:latest. */
  async locate(ref: string): Promise<{ manifest: BackupManifest; manifestPath: string; dumpPath: string }> {
    let manifestPath: string;
    if (ref.startsWith('s3:')) {
      manifestPath = await this.download(ref.slice(3));
    } else if (ref.endsWith(MANIFEST_SUFFIX)) {
      manifestPath = path.resolve(ref);
    } else if (/\.(pgdump|sql)$/.test(ref)) {
      manifestPath = path.resolve(ref.replace(/\.(pgdump|sql)$/, MANIFEST_SUFFIX));
    } else {
      manifestPath = path.join(this.directory, `${ref}${MANIFEST_SUFFIX}`);
    }
    if (!existsSync(manifestPath)) throw new AppError(404, 'not_found', `No backup manifest at ${manifestPath}`);
    let manifest: BackupManifest;
    try {
      manifest = manifestSchema.parse(JSON.parse(await readFile(manifestPath, 'utf8')));
    } catch (error) {
      throw new AppError(400, 'validation_failed', `${manifestPath} is not a valid backup manifest: ${(error as Error).message}`);
    }
    return { manifest, manifestPath, dumpPath: path.join(path.dirname(manifestPath), manifest.dump.file) };
  }

  private async download(which: string): Promise<string> {
    const bucket = BackupBucket.fromConfig(this.config);
    if (!bucket) throw new AppError(400, 'validation_failed', 'BACKUP_S3_BUCKET is not set');
    try {
      const manifests = (await bucket.list()).filter((f) => f.endsWith(MANIFEST_SUFFIX)).sort();
      const file = which === 'latest' ? manifests.at(-1) : manifests.find((f) => f === `${which}${MANIFEST_SUFFIX}`);
      if (!file) throw new AppError(404, 'not_found', `No backup ${which} in s3://${bucket.bucket}`);
      await mkdir(this.directory, { recursive: true });
      const manifestPath = path.join(this.directory, file);
      await bucket.get(file, `${manifestPath}.partial`);
      const manifest = manifestSchema.parse(JSON.parse(await readFile(`${manifestPath}.partial`, 'utf8')));
      await bucket.get(manifest.dump.file, path.join(this.directory, manifest.dump.file));
      await rename(`${manifestPath}.partial`, manifestPath);
      return manifestPath;
    } finally {
      bucket.close();
    }
  }

  /**
   * Restores a backup into an empty database (the configured one, or
   * `targetUrl`): checks the dump's checksum first, restores in one
   * transaction, then checks every table's row count against the manifest.
   */
  async restore(ref: string, options: { targetUrl?: string } = {}): Promise<RestoreResult> {
    const { manifest, dumpPath } = await this.locate(ref);
    if (!existsSync(dumpPath)) throw new AppError(404, 'not_found', `The dump ${dumpPath} named by the manifest is missing`);
    const size = (await stat(dumpPath)).size;
    const sha256 = await sha256File(dumpPath);
    if (sha256 !== manifest.dump.sha256 || size !== manifest.dump.sizeBytes) {
      throw new AppError(
        422,
        'validation_failed',
        `Checksum mismatch for ${dumpPath}: the manifest says sha256 ${manifest.dump.sha256} (${manifest.dump.sizeBytes} bytes), the file is ${sha256} (${size} bytes). The dump is damaged; nothing was restored.`,
      );
    }
    const url = options.targetUrl ?? this.deps.databaseUrl;
    const client = new pg.Client({ connectionString: url, application_name: 'mona-restore' });
    await client.connect();
    try {
      const tables = await listTables(client);
      if (tables.length > 0) {
        const names = tables.slice(0, 3).map(([s, t]) => `${s}.${t}`);
        throw new AppError(
          409,
          'conflict',
          `The target database ${redactUrl(url)} is not empty (${tables.length} tables, e.g. ${names.join(', ')}). Restore only goes into an empty database: create a new one (or, embedded, start with an empty DATA_DIR) and run restore again.`,
        );
      }
      const version = await serverVersion(client);
      if (manifest.dump.format === 'custom') {
        if (/PGlite/.test((await client.query<{ v: string }>('select version() as v')).rows[0]!.v)) {
          throw new AppError(
            400,
            'validation_failed',
            'A PostgreSQL backup (pg_dump custom format) restores into PostgreSQL: pass --target-url postgres://...',
          );
        }
        await restorePostgres(url, dumpPath, pgTools(this.config.PG_DUMP_PATH), version);
      } else {
        let sql = await readFile(dumpPath, 'utf8');
        // pg_dump 17+ writes this setting, which older servers do not know.
        if (version.major < 17) sql = sql.replace(/^SET transaction_timeout = 0;$/m, '');
        await keepingSessionSettings(client, async () => {
          try {
            await client.query(`begin;\n${sql}\ncommit;`);
          } catch (error) {
            await client.query('rollback').catch(() => undefined);
            throw new Error(`The restore failed and was rolled back: ${(error as Error).message}`);
          }
        });
      }
      const after = await databaseFacts(client);
      const expected = Object.entries(manifest.tables);
      const problems = expected.filter(([t, n]) => after.tables[t] !== n).map(([t, n]) => `${t}: expected ${n} rows, found ${after.tables[t] ?? 'no table'}`);
      for (const t of Object.keys(after.tables)) if (!(t in manifest.tables)) problems.push(`${t}: not in the backup`);
      if (problems.length > 0) throw new Error(`Restored, but the row counts differ from the manifest:\n  ${problems.join('\n  ')}`);
      const target =
        options.targetUrl || this.deps.source.kind === 'postgresql' ? redactUrl(url) : `the embedded database (${path.join(this.config.DATA_DIR, 'pglite')})`;
      return { name: manifest.name, tables: expected.length, rows: expected.reduce((sum, [, n]) => sum + n, 0), target };
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** The daily job: makes a backup when the scheduled time of day has passed and today's is not made yet. */
  async runScheduled(): Promise<{ skipped: string } | { name: string; sizeBytes: number; remote: string | null; deleted: string[] }> {
    if (!this.enabled) return { skipped: 'BACKUP_ENABLED is false' };
    const now = this.deps.clock.now();
    const due = lastScheduledInstant(now, this.config.BACKUP_SCHEDULE);
    const runs = await this.deps.db
      .select()
      .from(backupRuns)
      .where(and(eq(backupRuns.trigger, 'schedule'), gte(backupRuns.startedAt, due)));
    if (runs.some((r) => r.status === 'succeeded')) return { skipped: `already made since ${due.toISOString()}` };
    if (runs.some((r) => r.status === 'running' && now.getTime() - r.startedAt.getTime() < STALE_RUN_MS)) return { skipped: 'running' };
    if (runs.filter((r) => r.status === 'failed').length >= MAX_SCHEDULED_ATTEMPTS) return { skipped: `failed ${MAX_SCHEDULED_ATTEMPTS} times today` };
    const result = await this.create('schedule');
    return { name: result.manifest.name, sizeBytes: result.manifest.dump.sizeBytes, remote: result.remote, deleted: result.deleted };
  }

  async recentRuns(limit = 10): Promise<BackupRun[]> {
    return this.deps.db.select().from(backupRuns).orderBy(desc(backupRuns.startedAt)).limit(limit);
  }

  /**
   * Backups whose manifests are in the bucket (the newest `limit`): on a
   * platform, the worker that makes them and the API that lists them do not
   * share a disk, so the bucket is where the API sees them.
   */
  async listRemote(limit = 30): Promise<BackupManifest[]> {
    const bucket = BackupBucket.fromConfig(this.config);
    if (!bucket) return [];
    try {
      const files = (await bucket.list())
        .filter((f) => f.endsWith(MANIFEST_SUFFIX))
        .sort()
        .slice(-limit);
      const manifests: BackupManifest[] = [];
      for (const file of files) {
        const parsed = manifestSchema.safeParse(JSON.parse(await bucket.getText(file)));
        if (parsed.success) manifests.push(parsed.data);
      }
      return manifests.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.name.localeCompare(a.name));
    } finally {
      bucket.close();
    }
  }

  /** For the ops page. */
  async overview() {
    const runs = await this.recentRuns(10);
    const local = await this.list();
    let remote: BackupManifest[] = [];
    let bucketError: string | null = null;
    try {
      remote = await this.listRemote();
    } catch (error) {
      bucketError = (error as Error).message;
    }
    const byName = new Map<string, { manifest: BackupManifest; local: boolean; remote: boolean }>();
    for (const m of local) byName.set(m.name, { manifest: m, local: true, remote: false });
    for (const m of remote) {
      const seen = byName.get(m.name);
      if (seen) seen.remote = true;
      else byName.set(m.name, { manifest: m, local: false, remote: true });
    }
    const iso = (d: Date | null) => (d ? d.toISOString() : null);
    return {
      enabled: this.enabled,
      schedule: `daily at ${this.config.BACKUP_SCHEDULE.includes(':') ? this.config.BACKUP_SCHEDULE.padStart(5, '0') : `${this.config.BACKUP_SCHEDULE.padStart(2, '0')}:00`} UTC`,
      retention: { daily: this.config.BACKUP_KEEP_DAILY, weekly: this.config.BACKUP_KEEP_WEEKLY },
      directory: this.directory,
      bucket: this.config.BACKUP_S3_BUCKET ? `s3://${this.config.BACKUP_S3_BUCKET}/${this.config.BACKUP_S3_PREFIX}` : null,
      bucketError,
      lastRun: runs[0] ? toRunView(runs[0], iso) : null,
      runs: runs.map((r) => toRunView(r, iso)),
      backups: [...byName.values()]
        .sort((a, b) => b.manifest.createdAt.localeCompare(a.manifest.createdAt) || b.manifest.name.localeCompare(a.manifest.name))
        .map(({ manifest: m, local: inDir, remote: inBucket }) => ({
          name: m.name,
          createdAt: m.createdAt,
          appVersion: m.appVersion,
          databaseKind: m.database.kind,
          serverVersion: m.database.serverVersion,
          migrationsApplied: m.migrations.applied,
          tables: Object.keys(m.tables).length,
          rows: Object.values(m.tables).reduce((a, b) => a + b, 0),
          file: m.dump.file,
          format: m.dump.format,
          sizeBytes: m.dump.sizeBytes,
          sha256: m.dump.sha256,
          inDirectory: inDir,
          inBucket,
        })),
    };
  }

  private async recordStart(trigger: BackupRun['trigger'], startedAt: Date): Promise<string | null> {
    try {
      const [row] = await this.deps.db
        .insert(backupRuns)
        .values({ trigger, status: 'running', startedAt, hostname: os.hostname() })
        .returning({ id: backupRuns.id });
      return row!.id;
    } catch (error) {
      // A database without the runs table yet (not migrated) is still backed up.
      this.deps.logger.warn({ err: (error as Error).message, cause: String((error as Error).cause) }, 'could not record the backup run');
      return null;
    }
  }

  private async recordEnd(
    id: string | null,
    end: { status: 'succeeded' | 'failed'; name: string; sizeBytes?: number; remote?: string | null; deleted?: string[]; error?: string },
  ): Promise<void> {
    if (!id) return;
    try {
      await this.deps.db
        .update(backupRuns)
        .set({ ...end, finishedAt: this.deps.clock.now() })
        .where(eq(backupRuns.id, id));
    } catch (error) {
      this.deps.logger.warn({ err: (error as Error).message, cause: String((error as Error).cause) }, 'could not record the end of the backup run');
    }
  }
}

function toRunView(run: BackupRun, iso: (d: Date | null) => string | null) {
  return {
    id: run.id,
    trigger: run.trigger,
    status: run.status,
    startedAt: iso(run.startedAt)!,
    finishedAt: iso(run.finishedAt),
    name: run.name,
    sizeBytes: run.sizeBytes,
    remote: run.remote,
    deleted: run.deleted,
    error: run.error,
    hostname: run.hostname,
  };
}
