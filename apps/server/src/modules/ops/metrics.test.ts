import assert from 'node:assert/strict';
import { statfs } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { z } from 'zod';
import { defineJob, type JobDefinition, type JobHandler } from '../../jobs/registry.ts';
import { ManualClock } from '../../platform/clock.ts';
import { createHttpServer } from '../../platform/http/server.ts';
import { createLogger } from '../../platform/logger.ts';
import { Metrics } from '../../platform/metrics.ts';
import { runWorkers, type RunningWorkers } from '../../runtime.ts';
import { bearer, signInAs, startTestSystem, type TestSystem, until } from '../../test/harness.ts';
import { sampleValue } from '../../test/prom.ts';
import { artistsApi } from '../artists/artists.test-helpers.ts';

// A job of the analytics family that always fails, once per attempt.
const brokenJob = defineJob({ name: 'test.broken-report', family: 'analytics', payload: z.object({}), attempts: 2, backoffMs: 10 });
const brokenHandler: JobHandler<Record<string, never>> = async () => {
  throw new Error('the report source is gone');
};

describe('/metrics: errors by status class, data volume, job failures, business gauges', () => {
  let system: TestSystem;
  let admin: Awaited<ReturnType<typeof signInAs>>;
  const clock = new ManualClock(new Date());
  const workers: RunningWorkers[] = [];

  before(async () => {
    system = await startTestSystem({
      clock,
      extraJobs: { definitions: [brokenJob as JobDefinition<never>], handlers: { [brokenJob.name]: brokenHandler } },
    });
    admin = await signInAs(system, 'admin');
  });
  after(async () => {
    for (const w of workers) await w.stop(5000);
    await system.close();
  });

  const scrape = async () => {
    const res = await system.app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(res.statusCode, 200);
    return res.body;
  };

  test('requests are counted by status class, so a 5xx ratio can be computed', async () => {
    const before = await scrape();
    const count = (text: string, route: string, statusClass: string) => sampleValue(text, 'http_requests_total', { route, status_class: statusClass }) ?? 0;
    await system.app.inject({ method: 'GET', url: '/health' });
    await system.app.inject({ method: 'GET', url: '/health' });
    await system.app.inject({ method: 'GET', url: '/api/users' });
    await system.app.inject({ method: 'GET', url: '/api/nowhere' });
    const text = await scrape();
    assert.equal(count(text, '/health', '2xx') - count(before, '/health', '2xx'), 2);
    assert.equal(count(text, '/api/users', '4xx') - count(before, '/api/users', '4xx'), 1);
    assert.equal(count(text, 'unmatched', '4xx') - count(before, 'unmatched', '4xx'), 1);
    // The histogram keeps the exact status too.
    assert.ok((sampleValue(text, 'http_request_duration_seconds_count', { route: '/api/users', status_code: '401' }) ?? 0) >= 1);
  });

  test('an unexpected error is a 5xx in the counter (a server of its own, with a route that throws)', async () => {
    const metrics = new Metrics({ service: 'probe', version: 'test' }, {});
    const app = createHttpServer({
      service: 'probe',
      version: 'test',
      logger: createLogger({ level: 'silent', name: 'probe' }),
      metrics,
      checks: async () => [],
      bodyLimit: 1024,
      trustProxy: false,
    });
    app.get('/boom', async () => {
      throw new Error('kaput');
    });
    await app.ready();
    assert.equal((await app.inject({ method: 'GET', url: '/boom' })).statusCode, 500);
    assert.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200);
    const text = await metrics.render();
    assert.equal(sampleValue(text, 'http_requests_total', { route: '/boom', status_class: '5xx' }), 1);
    assert.equal(sampleValue(text, 'http_requests_total', { route: '/health', status_class: '2xx' }), 1);
    await app.close();
  });

  test('the data volume (DATA_DIR): size, used and available bytes as statfs reports them; cores and memory available', async () => {
    const text = await scrape();
    const labels = { path: system.config.DATA_DIR };
    const size = sampleValue(text, 'data_volume_size_bytes', labels);
    const used = sampleValue(text, 'data_volume_used_bytes', labels);
    const available = sampleValue(text, 'data_volume_available_bytes', labels);
    const s = await statfs(system.config.DATA_DIR);
    assert.equal(size, s.blocks * s.bsize);
    assert.ok(used !== undefined && used > 0 && used <= size);
    assert.ok(available !== undefined && available <= size - used + s.bsize * 1024, 'available never exceeds what is free');
    assert.ok((sampleValue(text, 'process_cpu_cores_available') ?? 0) > 0);
    assert.ok((sampleValue(text, 'process_memory_limit_bytes') ?? 0) > 0);
  });

  test('failed job runs are counted by queue and job', async () => {
    workers.push(await runWorkers(system.ctx, ['analytics']));
    await system.ctx.queue.enqueue(brokenJob.name, {});
    const text = await until('both attempts counted', async () => {
      const t = await scrape();
      return (sampleValue(t, 'jobs_failed_total', { queue: 'analytics', job: brokenJob.name }) ?? 0) >= 2 ? t : undefined;
    });
    assert.equal(sampleValue(text, 'jobs_failed_total', { queue: 'analytics', job: brokenJob.name }), 2);
    assert.equal(sampleValue(text, 'jobs_completed_total', { queue: 'analytics', job: brokenJob.name }), undefined);
  });

  test('business gauges: active users, orders paid and stage conversions from the database, cached for a minute unless the targets change', async () => {
    clock.advance(61_000);
    const first = await scrape();
    const active = (text: string, window: string) => sampleValue(text, 'business_active_users', { window });
    const baseline = active(first, 'day')!;
    assert.ok(baseline >= 1, 'the admin signed in');
    assert.equal(active(first, 'month'), baseline);

    // Two more people sign in; orders paid; two artists move from prospect to checkup, one stays.
    await signInAs(system, 'expert');
    await signInAs(system, 'staff');
    const api = artistsApi(system);
    const artists = [await api.make(admin.accessToken), await api.make(admin.accessToken), await api.make(admin.accessToken)];
    for (const a of artists.slice(0, 2)) assert.equal((await api.move(admin.accessToken, a.id, 'checkup')).statusCode, 200);
    const offers = (await system.app.inject({ method: 'GET', url: '/api/offers', headers: bearer(admin.accessToken) })).json<{
      items: { id: string; priceCents: number; code: string }[];
    }>().items;
    const offer = offers.find((o) => o.code === 'mona-290')!;
    for (const a of artists.slice(0, 2)) {
      const order = await system.app.inject({
        method: 'POST',
        url: '/api/orders',
        headers: bearer(admin.accessToken),
        payload: { artistId: a.id, offerId: offer.id },
      });
      assert.equal(order.statusCode, 201, order.body);
      const paid = await system.app.inject({
        method: 'POST',
        url: `/api/orders/${order.json<{ id: string }>().id}/status`,
        headers: bearer(admin.accessToken),
        payload: { to: 'paid' },
      });
      assert.equal(paid.statusCode, 200, paid.body);
    }

    // Within the minute the numbers are the cached ones.
    clock.advance(30_000);
    assert.equal(active(await scrape(), 'day'), baseline);

    clock.advance(31_000);
    const text = await scrape();
    assert.equal(active(text, 'day'), baseline + 2);
    assert.equal(active(text, 'week'), baseline + 2);
    assert.equal(sampleValue(text, 'business_orders_paid', { window: 'day' }), 2);
    assert.equal(sampleValue(text, 'business_orders_paid_amount_cents', { window: 'month' }), 2 * offer.priceCents);
    const stage = { from_stage: 'prospect', to_stage: 'checkup' };
    assert.equal(sampleValue(text, 'business_stage_candidates', stage), 3);
    assert.equal(sampleValue(text, 'business_stage_conversions', stage), 2);
    assert.equal(sampleValue(text, 'business_stage_conversion_ratio', stage), 2 / 3);
    assert.equal(sampleValue(text, 'business_stage_conversion_target', stage), 0.25);
    // Nobody was in execution: no ratio rather than a false 0.
    assert.equal(sampleValue(text, 'business_stage_conversion_ratio', { from_stage: 'execution', to_stage: 'retention' }), undefined);
    assert.equal(sampleValue(text, 'business_stage_candidates', { from_stage: 'execution', to_stage: 'retention' }), 0);

    // The targets are the `monitoring` setting's; a change shows at the next scrape, not a minute later.
    const targets = { prospect: 0.9, checkup: 0.4, prescription: 0.6, execution: 0.3 };
    const saved = await system.app.inject({
      method: 'PUT',
      url: '/api/settings/monitoring',
      headers: bearer(admin.accessToken),
      payload: { value: { conversion: { windowDays: 30, minArtists: 2, targets } } },
    });
    assert.equal(saved.statusCode, 200, saved.body);
    const updated = await scrape();
    assert.equal(sampleValue(updated, 'business_stage_conversion_target', stage), 0.9);
    assert.equal(sampleValue(updated, 'business_stage_conversion_min_candidates', stage), 2);

    // A bad target is a 400 naming the field.
    const bad = await system.app.inject({
      method: 'PUT',
      url: '/api/settings/monitoring',
      headers: bearer(admin.accessToken),
      payload: { value: { conversion: { windowDays: 30, minArtists: 2, targets: { ...targets, prospect: 1.5 } } } },
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json<{ error: { details: { issues: { path: string }[] } } }>().error.details.issues[0]?.path, 'value.conversion.targets.prospect');
  });
});

describe('/metrics behind METRICS_TOKEN', () => {
  const token = 'metrics-token-of-the-test-0123456789abcdef';
  let system: TestSystem;
  before(async () => {
    system = await startTestSystem({ env: { METRICS_TOKEN: token } });
  });
  after(async () => {
    await system.close();
  });

  test('without the token or with another one: 401 in the error shape, nothing of the metrics; with it: the metrics; probes stay open', async () => {
    for (const headers of [{}, { authorization: 'Bearer not-the-token' }, { authorization: token }, { authorization: 'Bearer ' }]) {
      const res = await system.app.inject({ method: 'GET', url: '/metrics', headers });
      assert.equal(res.statusCode, 401, JSON.stringify(headers));
      assert.equal(res.headers['www-authenticate'], 'Bearer realm="metrics"');
      assert.equal(res.json<{ error: { code: string } }>().error.code, 'unauthorized');
      assert.doesNotMatch(res.body, /http_requests_total|business_/);
    }
    const ok = await system.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${token}` } });
    assert.equal(ok.statusCode, 200);
    assert.match(ok.body, /^# HELP/m);
    assert.ok(sampleValue(ok.body, 'process_cpu_cores_available', {})! > 0);
    for (const url of ['/health', '/ready']) assert.equal((await system.app.inject({ method: 'GET', url })).statusCode, 200, url);
  });
});
