import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../platform/clock.ts';
import { createDatabase, runMigrations } from '../../platform/db/client.ts';
import { dumpEmbedded } from '../../platform/db/embedded-dump.ts';
import { startEmbeddedPostgres } from '../../platform/db/embedded.ts';
import { listTables } from '../../platform/db/inspect.ts';
import { AppError } from '../../platform/errors.ts';
import { createLogger } from '../../platform/logger.ts';
import { createPlatform } from '../../platform/platform.ts';
import { runSeed } from '../../seed/seed.ts';
import { bearer, signInAs, startTestSystem, testConfig, type TestSystem } from '../../test/harness.ts';
import { startFakeS3, type FakeS3 } from '../../test/s3.ts';
import { emptyDatabase, freePort, onPostgres, picture, RUNS, withClient, withoutRuns } from './backup.test-helpers.ts';
import { BackupService, dumpSourceFor, lastScheduledInstant, manifestSchema, type BackupManifest, type BackupResult } from './backup.service.ts';
import { pgTools, requireClientAtLeastServer, toolVersion } from './pg-tools.ts';
import { isoWeekKey, planRetention } from './retention.ts';

function backupService(system: TestSystem, overrides: Partial<TestSystem['config']> = {}, clock = system.ctx.clock): BackupService {
  const { platform } = system.ctx;
  return new BackupService({
    config: { ...system.config, ...overrides },
    db: platform.database.db,
    databaseUrl: platform.database.url,
    source: dumpSourceFor(platform),
    logger: platform.logger,
    clock,
  });
}

describe(`backup and restore (${onPostgres ? 'PostgreSQL' : 'embedded PGlite'})`, () => {
  let system: TestSystem;
  let backup: BackupResult;
  let source: Awaited<ReturnType<typeof picture>>;
  /** An empty database: the damaged dump must leave it empty, then the good one is restored into it. */
  let target: Awaited<ReturnType<typeof emptyDatabase>>;

  before(async () => {
    system = await startTestSystem();
    await runSeed(system.ctx, { size: 4 });
    backup = await system.ctx.services.backups.create('cli');
    source = await picture(system.ctx.platform.database.url);
    target = await emptyDatabase();
  });
  after(async () => {
    await target.close();
    await system.close();
  });

  test('the backup is a dump and a manifest: checksum, size, versions, migrations and the row count of every table', () => {
    const { manifest } = backup;
    assert.deepEqual(manifestSchema.parse(JSON.parse(readFileSync(backup.manifestPath, 'utf8'))), manifest);
    const dump = readFileSync(backup.dumpPath);
    assert.equal(manifest.dump.sha256, createHash('sha256').update(dump).digest('hex'));
    assert.equal(manifest.dump.sizeBytes, dump.length);
    assert.equal(manifest.database.kind, onPostgres ? 'postgresql' : 'embedded');
    assert.equal(manifest.dump.format, onPostgres ? 'custom' : 'sql');
    assert.match(manifest.database.dumpTool, /^pg_dump \d+\.\d+/);
    assert.equal(manifest.appVersion, system.config.version);
    const migrationFiles = readdirSync(path.resolve(import.meta.dirname, '../../../migrations')).filter((f) => f.endsWith('.sql'));
    assert.equal(manifest.migrations.applied, migrationFiles.length);
    // The counts are those of the database at the dump (the runs table's rows are not dumped).
    assert.deepEqual(withoutRuns(manifest.tables), withoutRuns(Object.fromEntries(Object.entries(source.tables).map(([t, v]) => [t, v.rows]))));
    assert.equal(manifest.tables[RUNS], 0);
    assert.ok(manifest.tables['public.artists']! >= 4, 'the seeded artists are in the backup');
    if (onPostgres) assert.equal(dump.subarray(0, 5).toString('latin1'), 'PGDMP', 'pg_dump custom format');
    else assert.match(dump.toString('utf8', 0, 200), /PostgreSQL database dump/);
  });

  test('a damaged dump (checksum mismatch) is refused and nothing is restored', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mona-damaged-'));
    try {
      copyFileSync(backup.manifestPath, path.join(dir, path.basename(backup.manifestPath)));
      const dump = readFileSync(backup.dumpPath);
      const middle = Math.floor(dump.length / 2);
      dump[middle] = dump[middle]! ^ 0xff;
      writeFileSync(path.join(dir, backup.manifest.dump.file), dump);
      await assert.rejects(
        system.ctx.services.backups.restore(path.join(dir, path.basename(backup.manifestPath)), { targetUrl: target.url }),
        (error: unknown) => error instanceof AppError && error.status === 422 && /Checksum mismatch/.test(error.message),
      );
      assert.deepEqual(await withClient(target.url, listTables), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('restored into a fresh database, the data is identical: same tables, row counts, rows (md5 in key order) and sequences', async () => {
    const result = await system.ctx.services.backups.restore(backup.manifestPath, { targetUrl: target.url });
    assert.equal(result.name, backup.manifest.name);
    assert.equal(result.tables, Object.keys(backup.manifest.tables).length);
    const restored = await picture(target.url);
    assert.deepEqual(Object.keys(restored.tables), Object.keys(source.tables));
    assert.deepEqual(withoutRuns(restored.tables), withoutRuns(source.tables));
    assert.equal(restored.tables[RUNS]!.rows, 0);
    assert.deepEqual(restored.sequences, source.sequences);
    assert.ok(restored.tables['public.users']!.rows > 0);
  });

  test('restore refuses a database that has tables, and leaves it as it was', async () => {
    await assert.rejects(
      system.ctx.services.backups.restore(backup.manifest.name),
      (error: unknown) => error instanceof AppError && error.status === 409 && /not empty/.test(error.message),
    );
    assert.deepEqual(withoutRuns((await picture(system.ctx.platform.database.url)).tables), withoutRuns(source.tables));
  });

  test('with a bucket: the dump and the manifest are uploaded (SigV4, body SHA-256), and s3:latest restores from it', async () => {
    const s3: FakeS3 = await startFakeS3();
    const target = await emptyDatabase();
    const elsewhere = mkdtempSync(path.join(os.tmpdir(), 'mona-s3-restore-'));
    try {
      const bucketConfig = {
        BACKUP_S3_BUCKET: s3.bucket,
        BACKUP_S3_ENDPOINT: s3.url,
        BACKUP_S3_REGION: 'eu-west-3',
        BACKUP_S3_ACCESS_KEY_ID: s3.accessKeyId,
        BACKUP_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
        BACKUP_S3_PREFIX: 'prod/db/',
      };
      const uploaded = await backupService(system, bucketConfig).create('cli');
      assert.equal(uploaded.remote, `s3://${s3.bucket}/prod/db/${uploaded.manifest.name}.manifest.json`);
      const dumpKey = `prod/db/${uploaded.manifest.dump.file}`;
      assert.deepEqual(s3.objects.get(dumpKey), readFileSync(uploaded.dumpPath));
      assert.ok(s3.objects.has(`prod/db/${uploaded.manifest.name}.manifest.json`));
      const puts = s3.requests.filter((r) => r.method === 'PUT');
      assert.deepEqual(
        puts.map((r) => [r.key, r.status]),
        [
          [dumpKey, 200],
          [`prod/db/${uploaded.manifest.name}.manifest.json`, 200],
        ],
      );
      assert.match(puts[0]!.authorization!, /^AWS4-HMAC-SHA256 Credential=AKIATESTBACKUPS00001\/\d{8}\/eu-west-3\/s3\/aws4_request/);
      assert.equal(puts[0]!.contentSha256, uploaded.manifest.dump.sha256);

      // Another machine with an empty BACKUP_DIR restores the newest backup of the bucket.
      const result = await backupService(system, { ...bucketConfig, BACKUP_DIR: elsewhere }).restore('s3:latest', { targetUrl: target.url });
      assert.equal(result.name, uploaded.manifest.name);
      assert.ok(s3.requests.some((r) => r.method === 'GET' && r.query.includes('list-type=2') && r.status === 200));
      assert.ok(existsSync(path.join(elsewhere, uploaded.manifest.dump.file)));
      assert.deepEqual(withoutRuns((await picture(target.url)).tables), withoutRuns(source.tables));

      // The ops page of a machine that does not share the worker's disk sees the backup in the bucket.
      const listed = await backupService(system, { ...bucketConfig, BACKUP_DIR: mkdtempSync(path.join(elsewhere, 'api-')) }).overview();
      assert.equal(listed.bucketError, null);
      const entry = listed.backups.find((b) => b.name === uploaded.manifest.name);
      assert.deepEqual([entry?.inDirectory, entry?.inBucket, entry?.sha256], [false, true, uploaded.manifest.dump.sha256]);

      const wrongKey = backupService(system, { ...bucketConfig, BACKUP_S3_ACCESS_KEY_ID: 'AKIAUNKNOWN', BACKUP_DIR: mkdtempSync(path.join(elsewhere, 'x-')) });
      await assert.rejects(wrongKey.create('cli'), /Access Key Id/);
    } finally {
      await s3.close();
      await target.close();
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});

describe('retention', () => {
  const at = (iso: string, name = `b-${iso}`) => ({ name, createdAt: iso });

  test('keeps the newest backup of each of the last N days and M ISO weeks, never the one just made', () => {
    const backups = [
      at('2026-11-25T03:00:00Z'), // Wed, week 48
      at('2026-11-24T15:00:00Z'), // Tue: a second one that day
      at('2026-11-24T03:00:00Z'),
      at('2026-11-23T03:00:00Z'), // Mon, week 48
      at('2026-11-22T03:00:00Z'), // Sun, week 47
      at('2026-11-16T03:00:00Z'), // Mon, week 47
      at('2026-11-10T03:00:00Z'), // Tue, week 46
      at('2026-11-01T03:00:00Z'), // Sun, week 44
      at('2026-10-20T03:00:00Z'), // week 43
    ];
    const plan = planRetention(backups, { daily: 3, weekly: 3 });
    assert.deepEqual(plan.keep, [
      'b-2026-11-25T03:00:00Z',
      'b-2026-11-24T15:00:00Z',
      'b-2026-11-23T03:00:00Z',
      'b-2026-11-22T03:00:00Z',
      'b-2026-11-10T03:00:00Z',
    ]);
    assert.deepEqual(plan.remove, ['b-2026-11-24T03:00:00Z', 'b-2026-11-16T03:00:00Z', 'b-2026-11-01T03:00:00Z', 'b-2026-10-20T03:00:00Z']);
    // A backup made with a clock behind the others is still kept when it is the one just made.
    assert.ok(planRetention(backups, { daily: 1, weekly: 0 }, 'b-2026-10-20T03:00:00Z').keep.includes('b-2026-10-20T03:00:00Z'));
    assert.equal(isoWeekKey(new Date('2026-01-01T12:00:00Z')), '2026-W01');
    assert.equal(isoWeekKey(new Date('2027-01-01T12:00:00Z')), '2026-W53');
  });

  test('deletes the dump and the manifest of the backups it does not keep, and nothing else', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mona-retention-'));
    try {
      const dates = [
        '2026-11-25T03:00:00.000Z',
        '2026-11-24T03:00:00.000Z',
        '2026-11-23T03:00:00.000Z',
        '2026-11-20T03:00:00.000Z',
        '2026-11-02T03:00:00.000Z',
      ];
      const names = dates.map((d) => `mona-${d.replace(/[:.]/g, '-')}`);
      for (const [i, createdAt] of dates.entries()) {
        const body = Buffer.from(`dump ${i}`);
        const manifest: BackupManifest = {
          formatVersion: 1,
          name: names[i]!,
          appVersion: '0.1.0',
          createdAt,
          database: { kind: 'postgresql', serverVersion: '15.20', dumpTool: 'pg_dump 15.20' },
          migrations: { applied: 8, latest: null },
          tables: { 'public.users': i },
          dump: { file: `${names[i]}.pgdump`, format: 'custom', sha256: createHash('sha256').update(body).digest('hex'), sizeBytes: body.length },
        };
        writeFileSync(path.join(dir, `${names[i]}.pgdump`), body);
        writeFileSync(path.join(dir, `${names[i]}.manifest.json`), JSON.stringify(manifest));
      }
      writeFileSync(path.join(dir, 'notes.txt'), 'not a backup');
      const config = testConfig({ DATA_DIR: dir, BACKUP_DIR: dir, BACKUP_KEEP_DAILY: '2', BACKUP_KEEP_WEEKLY: '2' });
      // Only the files are used here, never the database.
      const service = new BackupService({
        config,
        db: undefined as never,
        databaseUrl: 'postgres://unused@127.0.0.1:1/unused',
        source: { kind: 'postgresql', url: 'postgres://unused@127.0.0.1:1/unused' },
        logger: createLogger({ level: 'silent', name: 'test' }),
        clock: new ManualClock('2026-11-25T04:00:00Z'),
      });
      // Days: 25th, 24th; weeks: W48 (25th), W47 (20th). The 2nd (W44) is the one "just made".
      const deleted = await service.applyRetention(names[4]);
      assert.deepEqual(deleted, [names[2]]);
      assert.deepEqual(
        readdirSync(dir).sort(),
        [...[names[0], names[1], names[3], names[4]].flatMap((n) => [`${n}.manifest.json`, `${n}.pgdump`]).sort(), 'notes.txt'].sort(),
      );
      assert.deepEqual(
        (await service.list()).map((m) => m.name),
        [names[0], names[1], names[3], names[4]],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the daily backup job and GET /api/ops/backups', () => {
  let system: TestSystem;
  const clock = new ManualClock('2026-11-25T02:50:00Z');

  before(async () => {
    system = await startTestSystem({ clock, env: { BACKUP_ENABLED: 'true', BACKUP_SCHEDULE: '03:00', BACKUP_KEEP_DAILY: '7' } });
  });
  after(async () => {
    await system.close();
  });

  test('runs once a day after the scheduled time, records each run, and the ops endpoint shows the backups and the last run', async () => {
    const job = system.ctx.registry.require('backup.scheduled');
    assert.equal(job.family, 'maintenance');
    const run = () => job.handler({}, { jobId: 'j', attempt: 1, logger: system.ctx.platform.logger, requestId: undefined }) as Promise<Record<string, unknown>>;

    // No backup since yesterday's 03:00 yet (a fresh system, or one that was down): it catches up at once.
    const caughtUp = await run();
    assert.equal(caughtUp.name, 'mona-2026-11-25T02-50-00-000Z');
    clock.set('2026-11-25T02:58:00Z');
    assert.deepEqual(await run(), { skipped: 'already made since 2026-11-24T03:00:00.000Z' });

    clock.set('2026-11-25T03:04:00Z');
    const made = await run();
    assert.equal(made.name, 'mona-2026-11-25T03-04-00-000Z');
    // One backup a day is kept (the newest): the catch-up one of the same day goes.
    assert.deepEqual(made.deleted, ['mona-2026-11-25T02-50-00-000Z']);
    clock.set('2026-11-25T23:59:00Z');
    assert.deepEqual(await run(), { skipped: 'already made since 2026-11-25T03:00:00.000Z' });

    const admin = await signInAs(system, 'admin');
    const staff = await signInAs(system, 'staff');
    assert.equal((await system.app.inject({ method: 'GET', url: '/api/ops/backups', headers: bearer(staff.accessToken) })).statusCode, 403);
    assert.equal((await system.app.inject({ method: 'GET', url: '/api/ops/backups' })).statusCode, 401);
    const ok = await system.app.inject({ method: 'GET', url: '/api/ops/backups', headers: bearer(admin.accessToken) });
    assert.equal(ok.statusCode, 200, ok.body);
    const body = ok.json();
    assert.equal(body.enabled, true);
    assert.equal(body.schedule, 'daily at 03:00 UTC');
    assert.deepEqual(body.retention, { daily: 7, weekly: 4 });
    assert.equal(body.lastRun.status, 'succeeded');
    assert.equal(body.lastRun.trigger, 'schedule');
    assert.equal(body.lastRun.name, 'mona-2026-11-25T03-04-00-000Z');
    assert.equal(body.lastRun.error, null);
    assert.deepEqual(
      body.backups.map((b: { name: string }) => b.name),
      ['mona-2026-11-25T03-04-00-000Z'],
    );
    assert.equal(body.backups[0].databaseKind, onPostgres ? 'postgresql' : 'embedded');
    assert.deepEqual([body.backups[0].inDirectory, body.backups[0].inBucket, body.bucket, body.bucketError], [true, false, null, null]);

    // The next day the backup fails (BACKUP_DIR cannot be created): the run records the error, the job fails.
    clock.set('2026-11-26T03:10:00Z');
    const blocker = path.join(system.config.DATA_DIR, 'a-file');
    writeFileSync(blocker, '');
    const failing = backupService(system, { BACKUP_DIR: path.join(blocker, 'backups') }, clock);
    await assert.rejects(failing.runScheduled(), /ENOTDIR|not a directory/);
    const after = (await system.app.inject({ method: 'GET', url: '/api/ops/backups', headers: bearer(admin.accessToken) })).json();
    assert.equal(after.lastRun.status, 'failed');
    assert.match(after.lastRun.error, /ENOTDIR|not a directory/);
    assert.equal(after.runs.length, 3);

    const disabled = backupService(system, { BACKUP_ENABLED: false }, clock);
    assert.deepEqual(await disabled.runScheduled(), { skipped: 'BACKUP_ENABLED is false' });
  });

  test('the scheduled instant and the default switch', () => {
    assert.equal(lastScheduledInstant(new Date('2026-11-25T02:59:00Z'), '3').toISOString(), '2026-11-24T03:00:00.000Z');
    assert.equal(lastScheduledInstant(new Date('2026-11-25T03:30:00Z'), '03:30').toISOString(), '2026-11-25T03:30:00.000Z');
    assert.equal(testConfig({ NODE_ENV: 'test' }).BACKUP_ENABLED, undefined);
    assert.throws(() => testConfig({ BACKUP_SCHEDULE: '25:00' }), /BACKUP_SCHEDULE/);
    assert.throws(() => testConfig({ BACKUP_S3_ACCESS_KEY_ID: 'x' }), /BACKUP_S3_SECRET_ACCESS_KEY: required with BACKUP_S3_ACCESS_KEY_ID/);
  });
});

describe('pg_dump versions', () => {
  test('the client must be at least the server major version, and says what to install', async () => {
    const local = await toolVersion(pgTools(undefined).pgDump);
    assert.ok(local.major >= 15, `pg_dump ${local.version}`);
    assert.doesNotThrow(() => requireClientAtLeastServer('pg_dump', local, `${local.major}.1`, local.major));
    assert.throws(
      () => requireClientAtLeastServer('pg_dump', local, `${local.major + 2}.0`, local.major + 2),
      new RegExp(`pg_dump ${local.version.replace('.', '\\.')} cannot work with PostgreSQL ${local.major + 2}\\.0.*postgresql-client-${local.major + 2}`),
    );
  });
});

describe('embedded database owned by another process', { skip: onPostgres ? 'embedded mode only' : false }, () => {
  test('a process that connects to it (the CLI while `npm start` runs) backs up through the owner', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mona-owner-'));
    const port = await freePort();
    const config = testConfig({ DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(port) });
    const logger = createLogger({ level: 'silent', name: 'test' });
    const owner = await createPlatform(config, logger, { name: 'api', embedded: 'own' });
    try {
      await owner.database.pool.query('create table notes (id int primary key, body text); insert into notes values (1, $$a$$), (2, $$b$$)');
      const cli = await createPlatform(config, logger, { name: 'cli', embedded: 'connect-or-own' });
      try {
        assert.equal(cli.embedded, null, 'the CLI connects, it does not open the folder');
        const service = new BackupService({
          config,
          db: cli.database.db,
          databaseUrl: cli.database.url,
          source: dumpSourceFor(cli),
          logger,
          clock: new ManualClock('2026-11-25T03:00:00Z'),
        });
        const result = await service.create('cli');
        assert.equal(result.manifest.tables['public.notes'], 2);
        assert.match(readFileSync(result.dumpPath, 'utf8'), /INSERT INTO public\.notes VALUES \(2, 'b'\);/);
        // The owner's connections still work, in autocommit, after pg_dump shared their session.
        await owner.database.pool.query('insert into notes values (3, $$c$$)');
        assert.equal((await cli.database.pool.query('select count(*)::int as n from notes')).rows[0].n, 3);
      } finally {
        await cli.close();
      }
    } finally {
      await owner.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('an embedded backup restored into PostgreSQL', { skip: onPostgres ? false : 'needs DATABASE_URL' }, () => {
  test('moves the data of the embedded database to a server: same tables, rows and sequences', async () => {
    const embedded = await startEmbeddedPostgres({ dataDir: null, port: 0 });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mona-cross-'));
    const target = await emptyDatabase();
    const logger = createLogger({ level: 'silent', name: 'test' });
    const database = createDatabase({ url: embedded.url, max: 2, statementTimeoutMs: 15_000, logger, applicationName: 'test' });
    try {
      await runMigrations(database);
      await database.pool.query(
        `insert into users (email, name, role, password_hash) values ('a@example.com', 'A', 'admin', 'x'), ('b@example.com', 'B''s', 'staff', 'y')`,
      );
      const config = testConfig({ DATA_DIR: dir });
      const service = new BackupService({
        config,
        db: database.db,
        databaseUrl: embedded.url,
        source: { kind: 'embedded', dump: (options) => dumpEmbedded(embedded, options) },
        logger,
        clock: new ManualClock('2026-11-25T03:00:00Z'),
      });
      const made = await service.create('cli');
      assert.equal(made.manifest.dump.format, 'sql');
      const result = await service.restore(made.manifestPath, { targetUrl: target.url });
      assert.equal(
        result.rows,
        Object.values(made.manifest.tables).reduce((a, b) => a + b, 0),
      );
      const [from, to] = [await picture(embedded.url), await picture(target.url)];
      assert.deepEqual(withoutRuns(to.tables), withoutRuns(from.tables));
      assert.deepEqual(to.sequences, from.sequences);
      assert.equal(to.tables['public.users']!.rows, 2);
    } finally {
      await database.close();
      await embedded.stop();
      await target.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
