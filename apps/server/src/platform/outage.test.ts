import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { buildApi } from '../api.ts';
import { createContext, type AppContext } from '../context.ts';
import { migrate } from '../runtime.ts';
import { bearer, newAccount, register, startTestSystem, testConfig, type TestSystem, until } from '../test/harness.ts';
import { call, firstAdmin, inAppRecipient, login, sendInApp, type Answer, type Session } from '../test/http-flows.ts';
import {
  freePort,
  startAppProcess,
  startPrivatePostgres,
  startPrivateRedis,
  stopAppProcess,
  waitReady,
  type AppProcess,
  type PrivatePostgres,
  type PrivateRedis,
} from '../test/servers.ts';
import { openEventStream } from '../test/sse.ts';
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

type Phase = 'before' | 'outage' | 'after';

/**
 * A steady load of writes that must persist: `loops` clients create artists
 * one after the other, each request bounded, and every answer is kept with the
 * phase it was sent in.
 */
class WriteLoad {
  readonly results: { key: string; phase: Phase; answer: Answer }[] = [];
  phase: Phase = 'before';
  private running = false;
  private loops: Promise<void>[] = [];
  private next = 0;

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly tag: string,
    /** The processes' state and last output, added to a failure message. */
    private readonly processes: () => string = () => '',
  ) {}

  start(loops = 3): void {
    this.running = true;
    this.loops = Array.from({ length: loops }, () => this.loop());
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const key = `${this.tag}-${this.next++}`;
      const phase = this.phase;
      const answer = await call(this.baseUrl, 'POST', '/api/artists', { token: this.token, body: { stageName: key }, timeoutMs: 15_000 });
      this.results.push({ key, phase, answer });
      // A refused request is retried after a short pause, as a client would.
      if (answer.status !== 201) await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  count(phase: Phase, status: number): number {
    return this.results.filter((r) => r.phase === phase && r.answer.status === status).length;
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  /** Answers by phase and status (and the last few), for a failure message. */
  summary(): string {
    const counts = new Map<string, number>();
    for (const r of this.results) {
      const key = `${r.phase} ${r.answer.status}${r.answer.failure ? ` ${r.answer.failure}` : ''}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const refused = this.results.filter((r) => r.answer.status !== 201).slice(-2);
    const last = refused.map((r) => `${r.key}: ${r.answer.status} ${r.answer.failure ?? JSON.stringify(r.answer.body).slice(0, 200)}`);
    return `${JSON.stringify(Object.fromEntries(counts))}${last.length ? `; last refused: ${last.join(' | ')}` : ''}`;
  }

  /** Waits for `probe`, failing with the load's summary. */
  async until(what: string, probe: () => boolean, timeoutMs = 60_000): Promise<void> {
    await until(what, async () => probe(), timeoutMs).catch((error: Error) => {
      throw new Error(`${error.message}: ${this.summary()}\n${this.processes()}`);
    });
  }
}

async function readyOf(proc: AppProcess): Promise<Ready & { statusCode: number }> {
  const res = await fetch(`${proc.url}/ready`, { signal: AbortSignal.timeout(10_000) });
  return { ...((await res.json()) as Ready), statusCode: res.status };
}

describe('under load, as processes: a private PostgreSQL and Redis are killed and restarted', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mona-failover-'));
  let database: PrivatePostgres;
  let redis: PrivateRedis;
  let api: AppProcess;
  let worker: AppProcess;
  let staff: Session;
  let recipient: Awaited<ReturnType<typeof inAppRecipient>>;
  let client: pg.Client | undefined;
  const pids: { api?: number; worker?: number } = {};

  before(async () => {
    [database, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis()]);
    const env = {
      DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(await freePort()),
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      REDIS_PREFIX: 'failover',
      JWT_SECRET: randomBytes(32).toString('hex'),
      ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    };
    api = startAppProcess('api', await freePort(), env);
    await waitReady(api);
    worker = startAppProcess('worker', await freePort(), { ...env, WORKERS: 'notifications' });
    await waitReady(worker);
    pids.api = api.pid;
    pids.worker = worker.pid;
    staff = await login(api.url, await firstAdmin(api));
    recipient = await inAppRecipient(api.url, staff.accessToken);
  });

  after(async () => {
    await client?.end().catch(() => undefined);
    await Promise.all([stopAppProcess(worker), stopAppProcess(api)]);
    await Promise.all([database?.destroy(), redis?.destroy()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function query<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
    if (!client) {
      client = new pg.Client({ connectionString: database.url });
      await client.connect();
    }
    return (await client.query<T>(text, values)).rows;
  }

  const processes = () =>
    [api, worker].map((p) => `--- ${p.url} (pid ${p.pid}, exit ${p.exitCode ?? p.signalCode ?? 'running'}) ---\n${p.output().slice(-2000)}`).join('\n');

  /** Composes `count` in-app messages due shortly (after the outage begins), through the API. */
  async function composeDueSoon(tag: string, count: number): Promise<string[]> {
    const ids: string[] = [];
    const due = new Date(Date.now() + 8000);
    for (let i = 0; i < count; i++) {
      const res = await sendInApp(api.url, staff.accessToken, recipient, `${tag}-${i}`, due);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      ids.push((res.body as { id: string }).id);
    }
    return ids;
  }

  /** Each message delivered, and delivered once (one 'delivered' event in its history). */
  async function assertDeliveredOnce(ids: string[]): Promise<void> {
    await until(
      'the messages composed before the outage to be delivered',
      async () => {
        const rows = await query<{ status: string }>('select status from notification_messages where id = any($1)', [ids]);
        return rows.length === ids.length && rows.every((r) => r.status === 'delivered');
      },
      90_000,
      250,
    );
    const events = await query<{ id: string; delivered: number; sending: number }>(
      `select message_id as id, count(*) filter (where status = 'delivered')::int as delivered, count(*) filter (where status = 'sending')::int as sending
         from notification_message_events where message_id = any($1) group by message_id`,
      [ids],
    );
    assert.equal(events.length, ids.length);
    for (const e of events) assert.equal(e.delivered, 1, `message ${e.id} delivered ${e.delivered} times`);
  }

  /** Nothing accepted was lost, the outage was answered with clean 503s, nothing hung; the same processes are ready. */
  async function assertOutcome(load: WriteLoad, dependency: 'database' | 'redis'): Promise<void> {
    const hung = load.results.filter((r) => r.answer.failure);
    assert.deepEqual(
      hung.map((r) => `${r.key}: ${r.answer.failure}`),
      [],
      'every request was answered within the bound',
    );
    const unexpected = load.results.filter((r) => r.answer.status !== 201 && !(r.answer.status === 503 && r.answer.code === 'service_unavailable'));
    assert.deepEqual(
      unexpected.map((r) => `${r.key} (${r.phase}): ${r.answer.status} ${JSON.stringify(r.answer.body)}`),
      [],
      'every answer is a 201 or a 503 in the error shape',
    );
    const accepted = load.results.filter((r) => r.answer.status === 201).map((r) => r.key);
    const stored = new Set(
      (await query<{ stage_name: string }>('select stage_name from artists where stage_name like $1', [`${load.results[0]!.key.split('-')[0]}-%`])).map(
        (r) => r.stage_name,
      ),
    );
    assert.deepEqual(
      accepted.filter((key) => !stored.has(key)),
      [],
      'every artist answered 201 is in the database',
    );
    assert.ok(load.count('before', 201) > 0 && load.count('after', 201) > 0);
    if (dependency === 'database') assert.ok(load.count('outage', 503) > 0, 'requests during the outage got a 503');
    // Recovered without a restart: the same processes, ready.
    assert.equal(api.exitCode ?? api.signalCode, null, processes());
    assert.equal(worker.exitCode ?? worker.signalCode, null, processes());
    assert.equal(api.pid, pids.api);
    assert.equal(worker.pid, pids.worker);
    assert.equal(api.exitCode, null);
    assert.equal(worker.exitCode, null);
    for (const proc of [api, worker]) assert.equal((await readyOf(proc)).statusCode, 200);
  }

  test('PostgreSQL killed (immediate) and restarted under load: 503s meanwhile, nothing accepted lost, jobs done once after', async (t) => {
    const load = new WriteLoad(api.url, staff.accessToken, 'pgload', processes);
    load.start();
    try {
      await load.until('writes before the outage', () => load.count('before', 201) >= 15);
      const pending = await composeDueSoon('pg', 5);
      load.phase = 'outage';
      await database.kill();

      await load.until('503s during the outage', () => load.count('outage', 503) >= 5);
      for (const proc of [api, worker]) {
        const ready = await readyOf(proc);
        assert.equal(ready.statusCode, 503);
        assert.ok(ready.failed.includes('database'), JSON.stringify(ready));
        assert.equal((await fetch(`${proc.url}/health`)).status, 200);
      }

      await database.start();
      load.phase = 'after';
      await Promise.all([waitReady(api), waitReady(worker)]);
      await load.until('writes after the outage', () => load.count('after', 201) >= 15);
      await load.stop();
      await assertOutcome(load, 'database');
      t.diagnostic(`answers by phase and status: ${load.summary()}`);
      await assertDeliveredOnce(pending);
    } finally {
      await load.stop();
    }
  });

  test('Redis killed and restarted under load: /ready names it meanwhile, live streams resubscribe, scheduled work resumes', async (t) => {
    const stream = await openEventStream(`${api.url}/api/me/inbox/stream`, bearer(recipient.session.accessToken));
    const load = new WriteLoad(api.url, staff.accessToken, 'redisload', processes);
    load.start();
    try {
      assert.equal(stream.status, 200);
      await stream.event('unread');
      await load.until('writes before the outage', () => load.count('before', 201) >= 15);
      const pending = await composeDueSoon('redis', 5);
      load.phase = 'outage';
      await redis.kill();

      for (const proc of [api, worker]) {
        const ready = await until(
          `${proc.url} /ready naming redis`,
          async () => {
            const r = await readyOf(proc);
            return r.statusCode === 503 && r.failed.includes('redis') ? r : undefined;
          },
          30_000,
        );
        assert.deepEqual(ready.failed, ['redis']);
      }
      // What needs Redis answers a clean 503 in bounded time: a live stream for a user none is open for cannot subscribe.
      const stream503 = await call(api.url, 'GET', '/api/me/inbox/stream', { token: staff.accessToken, timeoutMs: 15_000 });
      assert.equal(stream503.status, 503, stream503.failure ?? JSON.stringify(stream503.body));
      assert.equal(stream503.code, 'service_unavailable');
      // Sign-in keeps working without Redis (its limits fall back to the process).
      assert.equal(
        (await call(api.url, 'POST', '/api/auth/login', { body: { email: recipient.account.email, password: recipient.account.password } })).status,
        200,
      );
      await load.until('requests answered during the outage', () => load.results.filter((r) => r.phase === 'outage').length >= 10);

      // Back empty (no persistence): the same processes reconnect by themselves.
      await redis.start();
      load.phase = 'after';
      await Promise.all([waitReady(api), waitReady(worker)]);
      await load.until('writes after the outage', () => load.count('after', 201) >= 15);
      await load.stop();
      await assertOutcome(load, 'redis');
      t.diagnostic(`answers by phase and status: ${load.summary()}`);
      // The messages due meanwhile are sent once by the schedules the worker installed again.
      await assertDeliveredOnce(pending);

      // The live stream opened before the outage is subscribed again: a new message reaches it.
      const fresh = await sendInApp(api.url, staff.accessToken, recipient, 'after-redis');
      assert.equal(fresh.status, 201, JSON.stringify(fresh.body));
      const freshId = (fresh.body as { id: string }).id;
      await until(
        'the new message on the stream opened before the outage',
        async () => stream.events.some((e) => e.event === 'message' && (JSON.parse(e.data) as { message: { id: string } }).message.id === freshId),
        60_000,
      );
      assert.equal(stream.isEnded(), false);
    } finally {
      await load.stop();
      await stream.close();
    }
  });
});
