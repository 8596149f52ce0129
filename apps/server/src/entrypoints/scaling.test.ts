import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import type { Job } from 'bullmq';
import { parseConfig } from '../config/env.ts';
import { createContext, type AppContext } from '../context.ts';
import { recomputeArtistScoreJob } from '../modules/scoring/scoring.jobs.ts';
import { createLogger } from '../platform/logger.ts';
import { createPlatform } from '../platform/platform.ts';
import { bearer, newAccount, until } from '../test/harness.ts';
import { call, expectOk, firstAdmin, inAppRecipient, login, sendInApp, type Session } from '../test/http-flows.ts';
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

/**
 * Two API processes and two worker processes on one machine, against one
 * PostgreSQL and one Redis (private ones, started here), behave as one system:
 * sessions, login limits, live notifications and jobs are shared, and each
 * job is done once.
 */
describe('scaling: two APIs and two workers against one PostgreSQL and Redis', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mona-scaling-'));
  let database: PrivatePostgres;
  let redis: PrivateRedis;
  let env: Record<string, string>;
  const apis: AppProcess[] = [];
  const workers: AppProcess[] = [];
  let staff: Session;
  let producer: AppContext | undefined;
  let client: pg.Client | undefined;

  before(async () => {
    [database, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis()]);
    env = {
      DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(await freePort()),
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      REDIS_PREFIX: 'scaling',
      JWT_SECRET: randomBytes(32).toString('hex'),
      ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      LOGIN_MAX_PER_ACCOUNT: '3',
      LOGIN_MAX_PER_IP: '1000',
    };
    // The first API migrates and makes the first admin; the second starts on the migrated database, as a new instance does.
    apis.push(startAppProcess('api', await freePort(), env));
    await waitReady(apis[0]!);
    apis.push(startAppProcess('api', await freePort(), env));
    workers.push(startAppProcess('worker', await freePort(), env), startAppProcess('worker', await freePort(), env));
    await Promise.all([...apis.slice(1), ...workers].map((p) => waitReady(p)));
    staff = await login(apis[0]!.url, await firstAdmin(apis[0]!));
  });

  after(async () => {
    await client?.end().catch(() => undefined);
    if (producer) {
      await producer.queue.close();
      await producer.platform.close();
    }
    await Promise.all([...workers, ...apis].map((p) => stopAppProcess(p)));
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

  test('the four processes register as instances of one system', async () => {
    const expected = [...apis.map((p) => `api:${p.pid}`), ...workers.map((p) => `worker:${p.pid}`)].sort();
    const rows = await until(
      'four instances registered',
      async () => {
        const found = (await query<{ kind: string; pid: number }>('select kind, pid from service_instances where stopped_at is null'))
          .map((r) => `${r.kind}:${r.pid}`)
          .sort();
        return found.length === expected.length ? found : undefined;
      },
      60_000,
      250,
    );
    assert.deepEqual(rows, expected);
  });

  test('a session opened on API 1 works on API 2, refresh too, and the refreshed session back on API 1', async () => {
    const [one, two] = [apis[0]!, apis[1]!];
    const account = newAccount('artist');
    const session = await expectOk<Session>(call(one.url, 'POST', '/api/auth/register', { body: account }), 'sign-up on API 1');
    const me = await expectOk<{ user: { email: string } }>(call(two.url, 'GET', '/api/auth/me', { token: session.accessToken }), 'me on API 2');
    assert.equal(me.user.email, account.email);
    const refreshed = await expectOk<Session>(call(two.url, 'POST', '/api/auth/refresh', { body: { refreshToken: session.refreshToken } }), 'refresh on API 2');
    assert.notEqual(refreshed.refreshToken, session.refreshToken);
    assert.equal((await call(one.url, 'GET', '/api/auth/me', { token: refreshed.accessToken })).status, 200);
    // The refresh token was rotated on API 2: API 1 knows it is spent.
    const reused = await call(one.url, 'POST', '/api/auth/refresh', { body: { refreshToken: session.refreshToken } });
    assert.equal(reused.status, 401, JSON.stringify(reused.body));
  });

  test('login limits are shared: failures on both APIs add up, and both refuse the next attempt', async () => {
    const [one, two] = [apis[0]!, apis[1]!];
    const account = newAccount('artist');
    await expectOk(call(one.url, 'POST', '/api/auth/register', { body: account }), 'sign-up');
    const attempt = (api: AppProcess) => call(api.url, 'POST', '/api/auth/login', { body: { email: account.email, password: 'not-the-password-1' } });
    // LOGIN_MAX_PER_ACCOUNT=3: two failures on API 1 and one on API 2 use it up.
    assert.equal((await attempt(one)).status, 401);
    assert.equal((await attempt(one)).status, 401);
    assert.equal((await attempt(two)).status, 401);
    for (const api of [one, two]) {
      const blocked = await attempt(api);
      assert.equal(blocked.status, 429, `${api.url}: ${JSON.stringify(blocked.body)}`);
      assert.equal(blocked.code, 'rate_limited');
    }
  });

  test('in-app messages composed through API 1 reach a live inbox stream held on API 2, each once, each delivered once', async () => {
    const [one, two] = [apis[0]!, apis[1]!];
    const recipient = await inAppRecipient(one.url, staff.accessToken);
    const stream = await openEventStream(`${two.url}/api/me/inbox/stream`, bearer(recipient.session.accessToken));
    try {
      assert.equal(stream.status, 200);
      await stream.event('unread');
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) {
        // Composed through both APIs in turn; the stream is on API 2.
        const res = await sendInApp(i % 2 === 0 ? one.url : two.url, staff.accessToken, recipient, `live-${i}`);
        assert.equal(res.status, 201, JSON.stringify(res.body));
        ids.push((res.body as { id: string }).id);
      }
      const streamed = () => stream.events.filter((e) => e.event === 'message').map((e) => (JSON.parse(e.data) as { message: { id: string } }).message.id);
      await until('every message on the stream held by API 2', async () => ids.every((id) => streamed().includes(id)), 90_000, 200);
      const seen = streamed();
      for (const id of ids) assert.equal(seen.filter((x) => x === id).length, 1, `message ${id} streamed once`);
      const delivered = await query<{ id: string; n: number }>(
        `select message_id as id, count(*) filter (where status = 'delivered')::int as n from notification_message_events where message_id = any($1) group by message_id`,
        [ids],
      );
      assert.equal(delivered.length, ids.length);
      for (const row of delivered) assert.equal(row.n, 1, `message ${row.id} delivered ${row.n} times`);
    } finally {
      await stream.close();
    }
  });

  test('N jobs enqueued are each done exactly once, shared between the two workers', async () => {
    // Artists through both APIs, then one score recompute job each, enqueued from here as any producer would.
    const artistIds: string[] = [];
    for (let i = 0; i < 40; i++) {
      const api = apis[i % 2]!;
      const artist = await expectOk<{ id: string }>(
        call(api.url, 'POST', '/api/artists', { token: staff.accessToken, body: { stageName: `Scale ${i}` } }),
        'create an artist',
      );
      artistIds.push(artist.id);
    }
    const config = parseConfig({ ...env, NODE_ENV: 'test', LOG_LEVEL: 'silent' });
    producer = createContext(await createPlatform(config, createLogger({ level: 'silent', name: 'producer' }), { name: 'producer', embedded: 'connect' }));
    const jobIds: string[] = [];
    for (const artistId of artistIds) jobIds.push(await producer.queue.enqueue(recomputeArtistScoreJob.name, { artistId, reason: 'scaling test' }));
    const queue = producer.queue.queue(recomputeArtistScoreJob.family);
    const jobs = await until(
      'every job completed',
      async () => {
        const found = (await Promise.all(jobIds.map((id) => queue.getJob(id)))) as (Job | undefined)[];
        return found.every((j) => j?.finishedOn && !j.failedReason) ? (found as Job[]) : undefined;
      },
      120_000,
      250,
    );
    const workerNames = new Set<string>();
    for (const job of jobs) {
      assert.equal(await job.getState(), 'completed');
      // Started once (a job taken twice, e.g. after a lost lock, counts two starts) and finished once.
      assert.equal(job.attemptsStarted, 1, `job ${job.id} started ${job.attemptsStarted} times`);
      assert.equal(job.attemptsMade, 1, `job ${job.id} attempted ${job.attemptsMade} times`);
      assert.ok(job.processedBy, `job ${job.id} names its worker`);
      workerNames.add(job.processedBy);
    }
    const pids = workers.map((w) => `:${w.pid}`);
    for (const name of workerNames)
      assert.ok(
        pids.some((pid) => name.endsWith(pid)),
        `${name} is one of the two worker processes`,
      );
    assert.equal(workerNames.size, 2, `both workers took jobs: ${[...workerNames].join(', ')}`);
  });
});
