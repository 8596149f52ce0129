import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildApi } from '../api.ts';
import { createContext, type AppContext } from '../context.ts';
import { migrate } from '../runtime.ts';
import { bearer, newAccount, register, startTestSystem, testConfig, type TestSystem, until } from '../test/harness.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './db/embedded.ts';
import type { HttpApp } from './http/server.ts';
import { createLogger } from './logger.ts';
import { createPlatform } from './platform.ts';

/** Fails instead of hanging: an outage must give a quick answer, not a stuck request. */
async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

type Ready = { status: string; failed: string[]; dependencies: { name: string; ok: boolean; error: string | null }[] };

describe('database outage: the embedded server stops, then comes back', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'mona-outage-'));
  const dataDir = path.join(tmp, 'pglite');
  let server: EmbeddedPostgres;
  let ctx: AppContext;
  let app: HttpApp;
  const account = newAccount('sponsor');

  before(async () => {
    server = await startEmbeddedPostgres({ dataDir, port: 0 });
    const config = testConfig({ DATA_DIR: tmp });
    const logger = createLogger({ level: config.LOG_LEVEL, name: 'outage-test' });
    const platform = await createPlatform(config, logger, { name: 'outage-test', embedded: 'own', databaseUrl: server.url });
    ctx = createContext(platform);
    await migrate(ctx);
    app = await buildApi(ctx);
    await app.ready();
  });
  after(async () => {
    await app.close();
    await ctx.queue.close();
    await ctx.platform.close();
    await server.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  const login = () => app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: account.email, password: account.password } });

  test('with the database up, sign-up and login work', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/auth/register', payload: account });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal((await login()).statusCode, 200);
    assert.equal((await app.inject({ method: 'GET', url: '/ready' })).statusCode, 200);
  });

  test('database down: /health stays 200, /ready is 503 naming it, DB routes answer 503 quickly', async () => {
    const session = (await login()).json<{ accessToken: string }>();
    await server.stop();

    const health = await within(10_000, '/health', app.inject({ method: 'GET', url: '/health' }));
    assert.equal(health.statusCode, 200);

    const ready = await within(10_000, '/ready', app.inject({ method: 'GET', url: '/ready' }));
    assert.equal(ready.statusCode, 503);
    const body = ready.json<Ready>();
    assert.equal(body.status, 'unavailable');
    assert.deepEqual(body.failed, ['database']);
    const database = body.dependencies.find((d) => d.name === 'database')!;
    assert.equal(database.ok, false);
    assert.ok(database.error);
    assert.equal(body.dependencies.find((d) => d.name === 'redis')!.ok, true);

    const res = await within(10_000, 'login', login());
    assert.equal(res.statusCode, 503, res.body);
    assert.equal(res.json().error.code, 'service_unavailable');
    assert.ok(Number(res.headers['retry-after']) > 0);

    // Any route that needs the database: the same 503, never a 500.
    const me = await within(10_000, 'me', app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(session.accessToken) }));
    assert.equal(me.statusCode, 503);
    const signup = await within(10_000, 'register', app.inject({ method: 'POST', url: '/api/auth/register', payload: newAccount() }));
    assert.equal(signup.statusCode, 503);

    // The public status page still answers, and says what is down.
    const status = await within(10_000, '/api/status', app.inject({ method: 'GET', url: '/api/status' }));
    assert.equal(status.statusCode, 200);
    const statusBody = status.json<{ dependencies: { name: string; ok: boolean }[]; services: { name: string; ready: boolean }[] }>();
    assert.equal(statusBody.dependencies.find((d) => d.name === 'database')!.ok, false);
    assert.equal(statusBody.services.find((s) => s.name === 'api')!.ready, false);
  });

  test('database back on the same folder and port: the same app recovers by itself, data intact', async () => {
    const port = Number(new URL(ctx.platform.database.url).port);
    server = await startEmbeddedPostgres({ dataDir, port });
    const ready = await until('/ready back to 200', async () => {
      const res = await app.inject({ method: 'GET', url: '/ready' });
      return res.statusCode === 200 ? res.json<Ready>() : undefined;
    });
    assert.deepEqual(ready.failed, []);
    // The account made before the outage is still there, and signs in.
    const res = await login();
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json<{ user: { email: string } }>().user.email, account.email);
    assert.equal((await register(app)).user.role, 'artist');
  });
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

if (process.env.REDIS_URL) {
  describe('redis outage: the Redis client points at a closed port', () => {
    let system: TestSystem;
    before(async () => {
      system = await startTestSystem({ env: { REDIS_URL: `redis://127.0.0.1:${await closedPort()}`, LOGIN_MAX_PER_ACCOUNT: '2', LOGIN_MAX_PER_IP: '100' } });
    });
    after(async () => system.close());

    test('/health stays 200 while /ready is 503 naming redis', async () => {
      assert.equal((await within(10_000, '/health', system.app.inject({ method: 'GET', url: '/health' }))).statusCode, 200);
      const ready = await within(10_000, '/ready', system.app.inject({ method: 'GET', url: '/ready' }));
      assert.equal(ready.statusCode, 503);
      const body = ready.json<Ready>();
      assert.deepEqual(body.failed, ['redis']);
      assert.equal(body.dependencies.find((d) => d.name === 'database')!.ok, true);
    });

    test('sign-up and login still work, and login is still limited (in-process fallback)', async () => {
      const account = await within(10_000, 'register', register(system.app));
      const attempt = (password: string) =>
        within(10_000, 'login', system.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: account.email, password } }));
      assert.equal((await attempt(account.password)).statusCode, 200);
      // LOGIN_MAX_PER_ACCOUNT=2: two failures are answered, the next attempt is blocked.
      assert.equal((await attempt('wrong-password-1')).statusCode, 401);
      assert.equal((await attempt('wrong-password-1')).statusCode, 401);
      const blocked = await attempt('wrong-password-1');
      assert.equal(blocked.statusCode, 429);
      assert.ok(Number(blocked.headers['retry-after']) > 0);
    });

    test('/metrics and /api/status still answer, reporting redis down', async () => {
      const metrics = await within(10_000, '/metrics', system.app.inject({ method: 'GET', url: '/metrics' }));
      assert.equal(metrics.statusCode, 200);
      assert.match(metrics.body, /^dependency_up\{dependency="redis"[^}]*\} 0$/m);
      assert.match(metrics.body, /^dependency_up\{dependency="database"[^}]*\} 1$/m);
      const status = await within(10_000, '/api/status', system.app.inject({ method: 'GET', url: '/api/status' }));
      assert.equal(status.statusCode, 200);
      assert.equal(status.json<{ dependencies: { name: string; ok: boolean }[] }>().dependencies.find((d) => d.name === 'redis')!.ok, false);
    });
  });
}
