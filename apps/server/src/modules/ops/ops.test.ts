import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { z } from 'zod';
import { WORKER_FAMILIES } from '@mona/shared';
import { defineJob, type JobDefinition, type JobHandler } from '../../jobs/registry.ts';
import { runWorkers, type RunningWorkers } from '../../runtime.ts';
import { bearer, register, signInAs, startTestSystem, type TestSystem, until } from '../../test/harness.ts';

/** Polls until `probe` returns a value (bounded, so a broken queue fails the test instead of hanging it). */
type Job = { id: string; queue: string; name: string; state: string; attemptsMade: number; maxAttempts: number; failedReason: string | null; payload: unknown };
/** Job ids are per queue: match both. */
const sameJob = (queue: string, id: string) => (job: Job) => job.queue === queue && job.id === id;
type Status = {
  version: string;
  dependencies: { name: string; ok: boolean }[];
  services: { name: string; status: string; ready: boolean; instances: number; lastSeenAt: string | null }[];
};

// A job of the analytics family that fails on its first run and succeeds on the next.
const flakyJob = defineJob({ name: 'test.flaky-report', family: 'analytics', payload: z.object({ report: z.string() }), attempts: 1, backoffMs: 10 });
const calls: { report: string; attempt: number }[] = [];
const flakyHandler: JobHandler<{ report: string }> = async (payload, { attempt }) => {
  calls.push({ report: payload.report, attempt });
  if (calls.filter((c) => c.report === payload.report).length === 1) throw new Error(`report ${payload.report} not ready yet`);
  return { built: payload.report };
};

describe('ops: status, jobs, maintenance', () => {
  let system: TestSystem;
  let adminToken: string;
  let artistToken: string;
  const workers: RunningWorkers[] = [];

  before(async () => {
    system = await startTestSystem({
      extraJobs: { definitions: [flakyJob as JobDefinition<never>], handlers: { [flakyJob.name]: flakyHandler } },
    });
    adminToken = (await signInAs(system, 'admin')).accessToken;
    artistToken = (await register(system.app)).accessToken;
  });
  after(async () => {
    for (const running of workers) await running.stop(5000);
    await system.close();
  });

  const status = async () => {
    const res = await system.app.inject({ method: 'GET', url: '/api/status' });
    assert.equal(res.statusCode, 200);
    return res.json<Status>();
  };
  const jobs = async (state: string) => {
    const res = await system.app.inject({ method: 'GET', url: `/api/ops/jobs?state=${state}`, headers: bearer(adminToken) });
    assert.equal(res.statusCode, 200, res.body);
    return res.json<{ jobs: Job[] }>().jobs;
  };

  test('GET /api/status is public and lists the dependencies and every service', async () => {
    const body = await status();
    assert.equal(body.version, system.config.version);
    assert.deepEqual(body.dependencies.map((d) => d.name).sort(), ['database', 'redis']);
    assert.ok(body.dependencies.every((d) => d.ok));
    assert.deepEqual(
      body.services.map((s) => s.name),
      ['api', ...WORKER_FAMILIES],
    );
    const api = body.services.find((s) => s.name === 'api')!;
    assert.equal(api.status, 'up');
    assert.ok(api.instances >= 1);
    // No worker runs yet in this system.
    const maintenance = body.services.find((s) => s.name === 'maintenance')!;
    assert.equal(maintenance.status, 'down');
    assert.equal(maintenance.instances, 0);
    assert.equal(JSON.stringify(body).includes(system.config.JWT_SECRET), false);
  });

  test('once maintenance workers run, the maintenance service is up', async () => {
    workers.push(await runWorkers(system.ctx, ['maintenance']));
    const up = await until('maintenance up', async () => (await status()).services.find((s) => s.name === 'maintenance' && s.status === 'up'));
    assert.ok(up.instances >= 1);
    assert.ok(up.ready);
    assert.ok(up.lastSeenAt);
    // Other families stay down: only maintenance runs here.
    assert.equal((await status()).services.find((s) => s.name === 'media')!.status, 'down');
  });

  test('the maintenance schedules are installed with their jobs’ retry policy', async () => {
    const expected = system.ctx.registry
      .ofFamily('maintenance')
      .filter((j) => j.everyMs)
      .map((j) => j.name)
      .sort();
    assert.ok(expected.includes('auth.purge-refresh-tokens') && expected.includes('ops.prune-service-instances'));
    const scheduled = await until('the next scheduled maintenance runs', async () => {
      const next = (await jobs('delayed')).filter((j) => j.queue === 'maintenance' && j.id.startsWith('repeat:'));
      return new Set(next.map((j) => j.name)).size >= expected.length ? next : undefined;
    });
    assert.deepEqual([...new Set(scheduled.map((j) => j.name))].sort(), expected);
    for (const job of scheduled) assert.equal(job.maxAttempts, system.ctx.registry.require(job.name).attempts, job.name);
  });

  test('the jobs list is for admins only and validates its state', async () => {
    const asArtist = await system.app.inject({ method: 'GET', url: '/api/ops/jobs?state=failed', headers: bearer(artistToken) });
    assert.equal(asArtist.statusCode, 403);
    assert.equal(asArtist.json().error.code, 'forbidden');
    assert.equal((await system.app.inject({ method: 'GET', url: '/api/ops/jobs' })).statusCode, 401);
    const badState = await system.app.inject({ method: 'GET', url: '/api/ops/jobs?state=exploded', headers: bearer(adminToken) });
    assert.equal(badState.statusCode, 400);
    assert.equal(badState.json().error.details.issues[0].path, 'state');
    const retryAsArtist = await system.app.inject({ method: 'POST', url: '/api/ops/jobs/analytics/1/retry', headers: bearer(artistToken) });
    assert.equal(retryAsArtist.statusCode, 403);
  });

  test('a failed job is listed, retried by an admin, and completes on its second run', async () => {
    workers.push(await runWorkers(system.ctx, ['analytics']));
    const report = `r-${randomUUID().slice(0, 8)}`;
    const id = await system.ctx.queue.enqueue(flakyJob.name, { report });
    assert.ok(id);

    const failed = await until('the job in the failed list', async () => (await jobs('failed')).find(sameJob('analytics', id)));
    assert.equal(failed.queue, 'analytics');
    assert.equal(failed.name, flakyJob.name);
    assert.equal(failed.attemptsMade, 1);
    assert.equal(failed.maxAttempts, 1);
    assert.match(failed.failedReason ?? '', /not ready yet/);
    assert.deepEqual(failed.payload, { report });
    assert.equal(calls.filter((c) => c.report === report).length, 1, 'attempts: 1 means no automatic retry');

    const retry = await system.app.inject({ method: 'POST', url: `/api/ops/jobs/analytics/${id}/retry`, headers: bearer(adminToken) });
    assert.equal(retry.statusCode, 202, retry.body);
    assert.deepEqual(retry.json(), { retried: true });

    const completed = await until('the retried job completed', async () => (await jobs('completed')).find(sameJob('analytics', id)));
    assert.equal(completed.name, flakyJob.name);
    assert.equal(calls.filter((c) => c.report === report).length, 2, 'the handler ran twice');
    assert.equal((await jobs('failed')).some(sameJob('analytics', id)), false, 'no longer listed as failed');

    // A completed job is not "a failed job": retrying it again is 404.
    const again = await system.app.inject({ method: 'POST', url: `/api/ops/jobs/analytics/${id}/retry`, headers: bearer(adminToken) });
    assert.equal(again.statusCode, 404);
  });

  test('retrying an unknown job is 404; an unknown queue is 400', async () => {
    const unknown = await system.app.inject({ method: 'POST', url: '/api/ops/jobs/analytics/no-such-job-42/retry', headers: bearer(adminToken) });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().error.code, 'not_found');
    const badQueue = await system.app.inject({ method: 'POST', url: '/api/ops/jobs/nowhere/1/retry', headers: bearer(adminToken) });
    assert.equal(badQueue.statusCode, 400);
    assert.equal(badQueue.json().error.details.issues[0].path, 'queue');
  });

  test('maintenance: purge-refresh-tokens deletes tokens expired over 7 days ago, and only those', async () => {
    const { pool } = system.ctx.platform.database;
    const account = await register(system.app);
    const userId = (await system.ctx.repos.users.findByEmail(account.email))!.id;
    const stale = `stale-${randomUUID()}`;
    const recent = `recent-${randomUUID()}`;
    await pool.query(
      `insert into refresh_tokens (user_id, family_id, token_hash, created_at, expires_at)
       values ($1, $2, $3, now() - interval '40 days', now() - interval '8 days'),
              ($1, $2, $4, now() - interval '31 days', now() - interval '1 day')`,
      [userId, randomUUID(), stale, recent],
    );
    const id = await system.ctx.queue.enqueue('auth.purge-refresh-tokens', {});
    const done = await until('purge completed', async () => (await jobs('completed')).find(sameJob('maintenance', id)));
    assert.equal(done.name, 'auth.purge-refresh-tokens');
    const { rows } = await pool.query<{ token_hash: string }>('select token_hash from refresh_tokens where token_hash = any($1)', [[stale, recent]]);
    assert.deepEqual(
      rows.map((r) => r.token_hash),
      [recent],
    );
    // The live session of the account is untouched.
    const refresh = await system.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: account.refreshToken } });
    assert.equal(refresh.statusCode, 200);
  });

  test('maintenance: prune-service-instances forgets instances not seen for 7 days', async () => {
    const { pool } = system.ctx.platform.database;
    const gone = `gone-host:1:${randomUUID().slice(0, 8)}`;
    await pool.query(
      `insert into service_instances (id, kind, families, hostname, pid, version, started_at, last_seen_at)
       values ($1, 'worker', '{media}', 'gone-host', 1, '0.0.1', now() - interval '9 days', now() - interval '8 days')`,
      [gone],
    );
    const id = await system.ctx.queue.enqueue('ops.prune-service-instances', {});
    const done = await until('prune completed', async () => (await jobs('completed')).find(sameJob('maintenance', id)));
    assert.equal(done.name, 'ops.prune-service-instances');
    const { rows } = await pool.query<{ id: string }>('select id from service_instances');
    assert.equal(
      rows.some((r) => r.id === gone),
      false,
      'the stale instance is gone',
    );
    assert.ok(rows.length >= 2, 'the live worker instances are kept');
    // The maintenance worker is still reported up afterwards.
    assert.equal((await status()).services.find((s) => s.name === 'maintenance')!.status, 'up');
  });

  test('stopped workers are reported down', async () => {
    const running = workers.splice(0);
    for (const w of running) await w.stop(5000);
    const body = await status();
    for (const name of ['maintenance', 'analytics']) {
      const service = body.services.find((s) => s.name === name)!;
      assert.equal(service.status, 'down', name);
      assert.equal(service.instances, 0, name);
      assert.ok(service.lastSeenAt, `${name} keeps its last-seen time`);
    }
  });
});
