import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { REPO_ROOT } from '../config/env.ts';
import { startEmbeddedPostgres } from '../platform/db/embedded.ts';
import { freshDatabaseUrl, until } from '../test/harness.ts';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function start(entry: 'api' | 'worker', env: Record<string, string>): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', `apps/server/src/entrypoints/${entry}.ts`], {
    cwd: REPO_ROOT,
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return Object.assign(child, { output: () => out });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('the api and worker entrypoints as separate processes', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mona-proc-'));
  let env: Record<string, string>;
  let api: ReturnType<typeof start>;
  let worker: ReturnType<typeof start>;
  let apiPort: number;
  let workerPort: number;
  let drop: () => Promise<void> = async () => undefined;

  before(async () => {
    const db = await freshDatabaseUrl();
    drop = db.drop;
    [apiPort, workerPort] = [await freePort(), await freePort()];
    env = {
      DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(await freePort()),
      DATABASE_URL: db.url ?? '',
      REDIS_URL: process.env.REDIS_URL ?? '',
      REDIS_PREFIX: `proc${process.pid}`,
    };
    api = start('api', { ...env, PORT: String(apiPort) });
    await until('api /ready', async () => ((await fetch(`http://127.0.0.1:${apiPort}/ready`)).status === 200 ? true : undefined), 60_000);
  });

  after(async () => {
    for (const child of [worker, api]) if (child && child.exitCode === null) child.kill('SIGKILL');
    await drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a worker started on its own serves health, readiness and metrics on its PORT and shows on the status page', async () => {
    worker = start('worker', { ...env, PORT: String(workerPort), WORKERS: 'maintenance,analytics' });
    const health = await until(
      'worker /health',
      async () => {
        const res = await fetch(`http://127.0.0.1:${workerPort}/health`);
        return res.ok ? ((await res.json()) as { service: string }) : undefined;
      },
      60_000,
    );
    assert.equal(health.service, 'worker');
    assert.equal((await fetch(`http://127.0.0.1:${workerPort}/ready`)).status, 200);
    const metrics = await (await fetch(`http://127.0.0.1:${workerPort}/metrics`)).text();
    assert.match(metrics, /queue_jobs\{/);
    const services = await until(
      'maintenance up',
      async () => {
        const status = (await (await fetch(`http://127.0.0.1:${apiPort}/api/status`)).json()) as { services: { name: string; status: string }[] };
        const up = status.services.filter((s) => s.status === 'up').map((s) => s.name);
        return up.includes('maintenance') && up.includes('analytics') ? up : undefined;
      },
      60_000,
    );
    assert.ok(!services.includes('media'), 'media is not run by this worker');
  });

  test('a worker never migrates: against an empty database it waits, creates nothing, and still stops cleanly', async () => {
    const empty = await startEmbeddedPostgres({ dataDir: null, port: 0 });
    const waiting = start('worker', { ...env, DATABASE_URL: empty.url, PORT: String(await freePort()), WORKERS: 'maintenance' });
    try {
      await until('worker waiting for the schema', async () => (waiting.output().includes('waiting for the database schema') ? true : undefined), 60_000);
      const client = new pg.Client({ connectionString: empty.url });
      await client.connect();
      const { rows } = await client.query<{ n: number }>(
        "select count(*)::int as n from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema')",
      );
      await client.end();
      assert.equal(rows[0]?.n, 0);
      waiting.kill('SIGTERM');
      assert.equal(await exitOf(waiting), 0, waiting.output().slice(-1500));
    } finally {
      if (waiting.exitCode === null) waiting.kill('SIGKILL');
      await empty.stop();
    }
  });

  test('the CLI creates an admin while the API runs (through the database the API serves), who can then sign in', async () => {
    const cli = spawn(
      process.execPath,
      ['--import', 'tsx', 'apps/server/src/entrypoints/cli.ts', 'create-admin', '--email', 'Boss@Example.com', '--name', 'Boss'],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    cli.stdout.on('data', (d: Buffer) => (out += d.toString()));
    cli.stderr.on('data', (d: Buffer) => (out += d.toString()));
    assert.equal(await exitOf(cli), 0, out);
    const password = /Password \(shown once\): (\S+)/.exec(out)?.[1];
    assert.ok(password, out);
    const login = await fetch(`http://127.0.0.1:${apiPort}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'boss@example.com', password }),
    });
    assert.equal(login.status, 200);
    assert.equal(((await login.json()) as { user: { role: string } }).user.role, 'admin');
    // A bad email is refused with its reason and a non-zero exit.
    const bad = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/entrypoints/cli.ts', 'create-admin', '--email', 'not-an-email'], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let badOut = '';
    bad.stderr.on('data', (d: Buffer) => (badOut += d.toString()));
    assert.equal(await exitOf(bad), 1);
    assert.match(badOut, /--email/);
  });

  test('SIGTERM stops the worker, then the API, each with exit code 0 within 10 s', async () => {
    for (const child of [worker, api]) {
      const started = Date.now();
      child.kill('SIGTERM');
      const code = await exitOf(child);
      assert.equal(code, 0, child.output().slice(-1500));
      assert.ok(Date.now() - started < 10_000);
    }
  });
});
