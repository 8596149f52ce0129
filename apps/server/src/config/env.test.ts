import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { ConfigError, parseConfig, redactedSummary, REPO_ROOT } from './env.ts';

const STRONG = 'a'.repeat(32);

/** Runs parseConfig expecting a ConfigError; returns its message. */
function configError(env: NodeJS.ProcessEnv): string {
  try {
    parseConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error.message;
  }
  assert.fail('parseConfig accepted an invalid environment');
}

describe('config', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mona-env-'));
    dirs.push(dir);
    return dir;
  };
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  test('production needs JWT_SECRET and ENCRYPTION_KEY, and names the missing one', () => {
    const noJwt = configError({ NODE_ENV: 'production', ENCRYPTION_KEY: STRONG });
    assert.match(noJwt, /JWT_SECRET: required/);
    assert.doesNotMatch(noJwt, /ENCRYPTION_KEY/);
    const noKey = configError({ NODE_ENV: 'production', JWT_SECRET: STRONG, ENCRYPTION_KEY: '' });
    assert.match(noKey, /ENCRYPTION_KEY: required/);
    assert.doesNotMatch(noKey, /JWT_SECRET/);
    const neither = configError({ NODE_ENV: 'production' });
    assert.match(neither, /JWT_SECRET/);
    assert.match(neither, /ENCRYPTION_KEY/);
  });

  test('a production secret under 32 bytes is refused without echoing it', () => {
    const shortJwt = 'short-but-secret-jwt-value';
    const shortKey = 'tiny-key-9f8e7d';
    const message = configError({ NODE_ENV: 'production', JWT_SECRET: shortJwt, ENCRYPTION_KEY: shortKey });
    assert.match(message, /JWT_SECRET: must be at least 32 bytes/);
    assert.match(message, /ENCRYPTION_KEY: must be at least 32 bytes/);
    assert.ok(!message.includes(shortJwt) && !message.includes(shortKey), 'the secrets never appear in the error');
    // 32 bytes is enough, counted in bytes (é is two).
    assert.equal(parseConfig({ NODE_ENV: 'production', JWT_SECRET: 'é'.repeat(16), ENCRYPTION_KEY: STRONG }).JWT_SECRET, 'é'.repeat(16));
  });

  test('a bad DATABASE_URL, REDIS_URL, PORT or WORKERS is named (and a URL password is not echoed)', () => {
    const base = { NODE_ENV: 'test', JWT_SECRET: STRONG, ENCRYPTION_KEY: STRONG };
    const db = configError({ ...base, DATABASE_URL: 'mysql://mona:hunter2-db@db.example:3306/mona' });
    assert.match(db, /DATABASE_URL/);
    assert.ok(!db.includes('hunter2-db'));
    assert.match(configError({ ...base, DATABASE_URL: 'not a url' }), /DATABASE_URL/);
    const redis = configError({ ...base, REDIS_URL: 'http://:hunter2-redis@cache:6379' });
    assert.match(redis, /REDIS_URL/);
    assert.ok(!redis.includes('hunter2-redis'));
    assert.match(configError({ ...base, PORT: 'eighty' }), /PORT/);
    assert.match(configError({ ...base, PORT: '70000' }), /PORT/);
    const workers = configError({ ...base, WORKERS: 'maintenance,foo' });
    assert.match(workers, /WORKERS: unknown worker family foo/);
    assert.match(configError({ ...base, LOG_LEVEL: 'loud' }), /LOG_LEVEL/);
  });

  test('every problem is named in one go, secrets included', () => {
    const message = configError({ NODE_ENV: 'production', DATABASE_URL: 'nope', PORT: '-1' });
    for (const name of ['DATABASE_URL', 'PORT', 'JWT_SECRET', 'ENCRYPTION_KEY']) assert.match(message, new RegExp(name));
  });

  test('valid values are parsed: lists, numbers, booleans, modes', () => {
    const config = parseConfig({
      NODE_ENV: 'production',
      JWT_SECRET: STRONG,
      ENCRYPTION_KEY: STRONG,
      DATABASE_URL: 'postgres://u:p@db:5432/mona',
      WORKERS: ' media , maintenance,media ',
      PORT: '8080',
      TRUST_PROXY: 'yes',
      REDIS_URL: '',
    });
    assert.deepEqual(config.WORKERS, ['media', 'maintenance']);
    assert.equal(config.PORT, 8080);
    assert.equal(config.TRUST_PROXY, true);
    assert.equal(config.databaseMode, 'postgresql');
    assert.equal(config.redisMode, 'in-process', 'an empty REDIS_URL means none');
  });

  test('in development, secrets are generated once under DATA_DIR and kept', () => {
    const dataDir = path.join(tempDir(), 'data');
    const first = parseConfig({ NODE_ENV: 'development', DATA_DIR: dataDir });
    const file = path.join(dataDir, 'secrets.json');
    assert.ok(existsSync(file));
    assert.equal(statSync(file).mode & 0o777, 0o600, 'only the owner reads the secrets file');
    assert.ok(Buffer.byteLength(first.JWT_SECRET) >= 32 && Buffer.byteLength(first.ENCRYPTION_KEY) >= 32);
    assert.notEqual(first.JWT_SECRET, first.ENCRYPTION_KEY);
    const second = parseConfig({ NODE_ENV: 'development', DATA_DIR: dataDir });
    assert.equal(second.JWT_SECRET, first.JWT_SECRET);
    assert.equal(second.ENCRYPTION_KEY, first.ENCRYPTION_KEY);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { JWT_SECRET: first.JWT_SECRET, ENCRYPTION_KEY: first.ENCRYPTION_KEY });
    // An explicit value still wins over the stored one.
    assert.equal(parseConfig({ NODE_ENV: 'development', DATA_DIR: dataDir, JWT_SECRET: 'mine' }).JWT_SECRET, 'mine');
    // Another DATA_DIR gets its own secrets.
    assert.notEqual(parseConfig({ NODE_ENV: 'development', DATA_DIR: tempDir() }).JWT_SECRET, first.JWT_SECRET);
  });

  test('in development with both secrets given, nothing is written', () => {
    const dataDir = path.join(tempDir(), 'data');
    parseConfig({ NODE_ENV: 'development', DATA_DIR: dataDir, JWT_SECRET: 'x', ENCRYPTION_KEY: 'y' });
    assert.equal(existsSync(path.join(dataDir, 'secrets.json')), false);
  });

  test('redactedSummary names where things are, never the credentials', () => {
    const config = parseConfig({
      NODE_ENV: 'production',
      JWT_SECRET: STRONG,
      ENCRYPTION_KEY: 'k'.repeat(32),
      DATABASE_URL: 'postgres://mona:db-pa55word@db.internal:5432/mona?sslmode=require&password=qs-pa55',
      REDIS_URL: 'rediss://default:redis-pa55word@cache.internal:6380/0',
      SMTP_HOST: 'smtp.example.com',
      SMTP_PASS: 'smtp-pa55word',
    });
    const summary = redactedSummary(config);
    const text = JSON.stringify(summary);
    for (const secret of ['db-pa55word', 'qs-pa55', 'redis-pa55word', 'smtp-pa55word', STRONG, 'mona:', 'default:']) {
      assert.ok(!text.includes(secret), `summary leaks ${secret}`);
    }
    assert.equal(summary.database, 'postgres://db.internal:5432/mona');
    assert.equal(summary.redis, 'rediss://cache.internal:6380/0');
    assert.equal(summary.smtp, 'smtp.example.com:587');
    assert.equal(summary.environment, 'production');
  });

  test('DATABASE_READ_URL and REDIS_CLUSTER_NODES: lists parsed, bad entries named, credentials kept out of the summary', () => {
    const dataDir = tempDir();
    const config = parseConfig({
      DATA_DIR: dataDir,
      DATABASE_URL: 'postgres://mona:pw@primary.internal:5432/mona',
      DATABASE_READ_URL: 'postgres://mona:replica-pa55@replica-1.internal:5432/mona, postgresql://mona:replica-pa55@replica-2.internal:5432/mona',
      REDIS_CLUSTER_NODES: 'redis://default:cluster-pa55@node-1.internal:6379,node-2.internal:6379 , node-3.internal:6380',
    });
    assert.deepEqual(config.DATABASE_READ_URL, [
      'postgres://mona:replica-pa55@replica-1.internal:5432/mona',
      'postgresql://mona:replica-pa55@replica-2.internal:5432/mona',
    ]);
    assert.deepEqual(config.REDIS_CLUSTER_NODES, [
      'redis://default:cluster-pa55@node-1.internal:6379',
      'redis://node-2.internal:6379',
      'redis://node-3.internal:6380',
    ]);
    // No REDIS_URL: the first seed node stands for it, so Redis mode is on.
    assert.equal(config.REDIS_URL, 'redis://default:cluster-pa55@node-1.internal:6379');
    assert.equal(config.redisMode, 'redis');
    const summary = JSON.stringify(redactedSummary(config));
    assert.ok(!summary.includes('pa55'), summary);
    assert.match(summary, /cluster redis:\/\/node-1\.internal:6379, redis:\/\/node-2\.internal:6379, redis:\/\/node-3\.internal:6380/);
    assert.match(summary, /replica-1\.internal:5432\/mona, postgresql:\/\/replica-2\.internal:5432\/mona/);

    assert.match(
      configError({ DATA_DIR: dataDir, DATABASE_URL: 'postgres://p/db', DATABASE_READ_URL: 'postgres://r/db,mysql://r2/db' }),
      /DATABASE_READ_URL: must be postgres:\/\/ URLs/,
    );
    assert.match(configError({ DATA_DIR: dataDir, DATABASE_READ_URL: 'postgres://r/db' }), /DATABASE_READ_URL: requires DATABASE_URL/);
    assert.match(configError({ DATA_DIR: dataDir, REDIS_CLUSTER_NODES: 'node-1:6379,node-2' }), /REDIS_CLUSTER_NODES: must be host:port/);
    // Without them, nothing changes.
    const plain = parseConfig({ DATA_DIR: dataDir });
    assert.equal(plain.DATABASE_READ_URL, undefined);
    assert.equal(plain.REDIS_CLUSTER_NODES, undefined);
    assert.equal(plain.redisMode, 'in-process');
  });

  test('the API refuses to start in production without JWT_SECRET, naming it on stderr', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/entrypoints/api.ts'], {
      cwd: REPO_ROOT,
      // A clean environment (no inherited DATABASE_URL...); empty secrets also beat any .env file.
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'production',
        JWT_SECRET: '',
        ENCRYPTION_KEY: 'e'.repeat(32),
        DATA_DIR: tempDir(),
        PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.resume();
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(killer);
    assert.notEqual(code, 0, 'it exits with an error');
    assert.notEqual(code, null, 'it exits by itself (not killed)');
    assert.match(stderr, /JWT_SECRET/);
    assert.ok(!stderr.includes('e'.repeat(32)), 'the other secret is not printed');
  });
});
