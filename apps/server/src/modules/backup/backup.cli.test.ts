import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { REPO_ROOT } from '../../config/env.ts';
import { createLogger } from '../../platform/logger.ts';
import { createDatabase, runMigrations } from '../../platform/db/client.ts';
import { startEmbeddedPostgres } from '../../platform/db/embedded.ts';
import { freshDatabaseUrl } from '../../test/harness.ts';
import { manifestSchema } from './backup.service.ts';
import { emptyDatabase, freePort, picture } from './backup.test-helpers.ts';

/** Runs `npm run cli -- <args>` as the user would (a separate process), with its exit code and output. */
function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'apps/server/src/entrypoints/cli.ts', ...args],
      { cwd: REPO_ROOT, env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', ...env }, timeout: 240_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

describe('the CLI', () => {
  test('backup, then restore: refused with a clear message and a non-zero exit into a database with tables, done into an empty one', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mona-cli-backup-'));
    const database = await freshDatabaseUrl();
    const target = await emptyDatabase();
    try {
      const env = {
        DATA_DIR: dataDir,
        EMBEDDED_PG_PORT: String(await freePort()),
        DATABASE_URL: database.url ?? '',
        REDIS_URL: '',
      };
      await migrateDirectly(database.url, dataDir);
      const made = await cli(['backup'], env);
      assert.equal(made.code, 0, made.stderr);
      const manifestPath = /\n {2}(\S+\.manifest\.json)\n/.exec(made.stdout)?.[1];
      assert.ok(manifestPath && existsSync(manifestPath), made.stdout);
      assert.match(made.stdout, /^Backup mona-\S+ \((postgresql|embedded), pg_dump \d+\.\d+/);

      const refused = await cli(['restore', manifestPath], env);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /is not empty \(\d+ tables, e\.g\. .*\)\. Restore only goes into an empty database/);

      const restored = await cli(['restore', manifestPath, '--target-url', target.url], env);
      assert.equal(restored.code, 0, restored.stderr);
      assert.match(restored.stdout, /^Restored mona-\S+ into .+: \d+ tables, \d+ rows; checksum and row counts verified\.$/m);
      const manifest = manifestSchema.parse(JSON.parse(readFileSync(manifestPath, 'utf8')));
      const after = (await picture(target.url)).tables;
      assert.deepEqual(Object.fromEntries(Object.entries(after).map(([t, v]) => [t, v.rows])), manifest.tables);
    } finally {
      await target.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

/** Migrates the database the CLI will use, in this process (one CLI start less). */
async function migrateDirectly(url: string | undefined, dataDir: string): Promise<void> {
  const embedded = url ? null : await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'pglite'), port: 0 });
  const database = createDatabase({
    url: url ?? embedded!.url,
    max: 2,
    statementTimeoutMs: 15_000,
    logger: createLogger({ level: 'silent', name: 'test' }),
    applicationName: 'test',
  });
  try {
    await runMigrations(database);
  } finally {
    await database.close();
    await embedded?.stop();
  }
}
