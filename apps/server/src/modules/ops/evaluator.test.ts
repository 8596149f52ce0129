import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../platform/clock.ts';
import { createHttpServer, type HttpApp } from '../../platform/http/server.ts';
import { createLogger } from '../../platform/logger.ts';
import { Metrics } from '../../platform/metrics.ts';
import { bearer, signInAs, startTestSystem, type TestSystem } from '../../test/harness.ts';
import { ALERT_THRESHOLDS, ALERTS, alertByName, histogramQuantile, type ProcessSample } from './alerts.ts';
import { AlertEvaluator } from './evaluator.ts';

const MINUTE = 60_000;

function sample(at: number, overrides: Partial<ProcessSample> = {}): ProcessSample {
  return {
    at,
    service: 'api',
    cpuSecondsTotal: 0,
    cpuCores: 1,
    residentMemoryBytes: 100,
    memoryLimitBytes: 1000,
    volumes: [{ path: '/data', used: 10, available: 90 }],
    requests: { total: 0, serverErrors: 0 },
    latencyBuckets: new Map(),
    dependencies: { database: 1, redis: 1 },
    queueWaiting: {},
    conversions: [],
    ...overrides,
  };
}

/** For each alert: a pair of samples five minutes apart that breaches, and one that does not (the promtool cases, in-process). */
const CASES: Record<string, { fires: [Partial<ProcessSample>, Partial<ProcessSample>]; quiet: [Partial<ProcessSample>, Partial<ProcessSample>] }> = {
  HighCpuUsage: {
    fires: [{ cpuSecondsTotal: 0 }, { cpuSecondsTotal: 270 }],
    quiet: [
      { cpuSecondsTotal: 0, cpuCores: 2 },
      { cpuSecondsTotal: 300, cpuCores: 2 },
    ],
  },
  HighMemoryUsage: { fires: [{}, { residentMemoryBytes: 900 }], quiet: [{}, { residentMemoryBytes: 500 }] },
  DiskAlmostFull: {
    fires: [{}, { volumes: [{ path: '/data', used: 85, available: 15 }] }],
    quiet: [{}, { volumes: [{ path: '/data', used: 50, available: 50 }] }],
  },
  HighErrorRate: {
    fires: [{ requests: { total: 1000, serverErrors: 10 } }, { requests: { total: 1105, serverErrors: 15 } }],
    quiet: [{ requests: { total: 1000, serverErrors: 10 } }, { requests: { total: 2005, serverErrors: 15 } }],
  },
  SlowResponses: {
    fires: [
      {},
      {
        latencyBuckets: new Map([
          [1, 10],
          [2, 10],
          [5, 100],
          [Infinity, 100],
        ]),
      },
    ],
    quiet: [
      {},
      {
        latencyBuckets: new Map([
          [1, 100],
          [Infinity, 100],
        ]),
      },
    ],
  },
  DatabaseDown: { fires: [{}, { dependencies: { database: 0, redis: 1 } }], quiet: [{}, { dependencies: { database: 1, redis: 1 } }] },
  RedisDown: { fires: [{}, { dependencies: { database: 1, redis: 0 } }], quiet: [{}, { dependencies: { database: 1 } }] },
  QueueBacklogGrowing: {
    fires: [{ queueWaiting: { media: 200 } }, { queueWaiting: { media: 250 } }],
    quiet: [{ queueWaiting: { notifications: 500, analytics: 10 } }, { queueWaiting: { notifications: 500, analytics: 50 } }],
  },
  ConversionBelowTarget: {
    fires: [{}, { conversions: [{ fromStage: 'prospect', toStage: 'checkup', ratio: 0.1, target: 0.25, candidates: 20, minCandidates: 10 }] }],
    quiet: [
      {},
      {
        conversions: [
          { fromStage: 'checkup', toStage: 'prescription', ratio: 0.1, target: 0.4, candidates: 5, minCandidates: 10 },
          { fromStage: 'prescription', toStage: 'execution', ratio: 0.7, target: 0.6, candidates: 20, minCandidates: 10 },
          { fromStage: 'execution', toStage: 'retention', ratio: null, target: 0.3, candidates: 0, minCandidates: 10 },
        ],
      },
    ],
  },
};

describe('in-process alert evaluation', () => {
  test('each definition checks the same condition as its Prometheus rule', () => {
    assert.deepEqual(Object.keys(CASES).sort(), ALERTS.map((a) => a.name).sort(), 'a case for every alert');
    for (const alert of ALERTS) {
      const { fires, quiet } = CASES[alert.name]!;
      const breach = alert.check(sample(0, fires[0]), sample(5 * MINUTE, fires[1]));
      assert.equal(breach.length, 1, `${alert.name} fires`);
      assert.deepEqual(alert.check(sample(0, quiet[0]), sample(5 * MINUTE, quiet[1])), [], `${alert.name} stays quiet`);
    }
    assert.deepEqual(
      alertByName('QueueBacklogGrowing').check(sample(0, CASES.QueueBacklogGrowing!.fires[0]), sample(1, CASES.QueueBacklogGrowing!.fires[1]))[0]?.labels,
      {
        queue: 'media',
      },
    );
    // Prometheus's histogram_quantile on the same buckets as alerts.test.yml gives 4.833 s.
    const p95 = histogramQuantile(0.95, CASES.SlowResponses!.fires[1].latencyBuckets!)!;
    assert.ok(Math.abs(p95 - 4.8333) < 0.001, String(p95));
    assert.ok(p95 > ALERT_THRESHOLDS.latencyP95Seconds);
  });

  describe('on a running system, with a simulated clock', () => {
    let system: TestSystem;
    let adminToken: string;
    let adminEmail: string;
    const clock = new ManualClock('2026-11-25T09:00:00Z');
    const probes: HttpApp[] = [];

    before(async () => {
      system = await startTestSystem({ clock, env: { ALERTS_IN_PROCESS: 'true' } });
      const admin = await signInAs(system, 'admin');
      adminToken = admin.accessToken;
      adminEmail = admin.email;
    });
    after(async () => {
      for (const probe of probes) await probe.close();
      await system.close();
    });

    /** A server of this test with a route that fails (500), counted in its own /metrics registry. */
    async function probeServer() {
      const metrics = new Metrics({ service: 'api', version: 'test' }, {});
      const app = createHttpServer({
        service: 'api',
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
      probes.push(app);
      const requests = async (failing: number, ok: number) => {
        for (let i = 0; i < failing; i++) assert.equal((await app.inject({ method: 'GET', url: '/boom' })).statusCode, 500);
        for (let i = 0; i < ok; i++) assert.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200);
      };
      return { metrics, requests };
    }

    function evaluatorOn(metrics: Metrics) {
      const evaluator = new AlertEvaluator({
        alerts: system.ctx.services.alerts,
        clock,
        logger: system.ctx.platform.logger,
        enabled: true,
        fallback: () => metrics,
        // One alert, so that the machine's own state (a full disk) cannot add others to this test.
        definitions: [alertByName('HighErrorRate')],
        instance: 'probe-host',
      });
      evaluator.attach(metrics, 'api');
      return evaluator;
    }

    const stored = async () => {
      const res = await system.app.inject({ method: 'GET', url: '/api/ops/alerts', headers: bearer(adminToken) });
      assert.equal(res.statusCode, 200, res.body);
      return res.json<{
        firing: { alertname: string; source: string; summary: string; description: string; startsAt: string }[];
        resolved: { alertname: string; endsAt: string }[];
      }>();
    };
    const inbox = async () =>
      (await system.app.inject({ method: 'GET', url: '/api/me/inbox?limit=100', headers: bearer(adminToken) })).json<{
        items: { templateCode: string; title: string }[];
      }>().items;

    test('5xx over 1 % for 5 minutes fires, is stored and notified once; gone from the window, it resolves', async () => {
      const { metrics, requests } = await probeServer();
      const evaluator = evaluatorOn(metrics);
      assert.deepEqual(await evaluator.evaluate(), { evaluated: true, firing: [], recorded: 0 });

      // Minute 1: half the requests fail. The condition holds from now (pending).
      await requests(5, 5);
      const pendingSince = clock.advance(MINUTE);
      assert.deepEqual((await evaluator.evaluate()).firing, []);
      // Minutes 2 to 5: still failing; not 5 minutes yet.
      for (let minute = 2; minute <= 5; minute++) {
        await requests(1, 5);
        clock.advance(MINUTE);
        assert.deepEqual(await evaluator.evaluate(), { evaluated: true, firing: [], recorded: 0 }, `minute ${minute}`);
      }
      assert.equal((await stored()).firing.length, 0);
      // Minute 6: held for 5 minutes, it fires.
      await requests(1, 5);
      clock.advance(MINUTE);
      assert.deepEqual(await evaluator.evaluate(), { evaluated: true, firing: ['HighErrorRate'], recorded: 1 });
      const [alert] = (await stored()).firing;
      assert.equal(alert?.alertname, 'HighErrorRate');
      assert.equal(alert.source, 'in-process');
      assert.equal(alert.summary, 'api: over 1 % of requests answered 5xx');
      assert.match(alert.description, /^\d+(\.\d+)?% of the requests to api failed with a 5xx status\.$/);
      assert.equal(alert.startsAt, pendingSince.toISOString());
      // Still failing next minute: nothing new.
      await requests(1, 5);
      clock.advance(MINUTE);
      assert.deepEqual(await evaluator.evaluate(), { evaluated: true, firing: ['HighErrorRate'], recorded: 0 });

      await system.ctx.notifications.dispatcher.drain();
      assert.equal((await inbox()).filter((i) => i.templateCode === 'ops.alert.firing.inapp' && i.title.includes('HighErrorRate')).length, 1);
      const mails = (await system.app.inject({ method: 'GET', url: '/api/notifications/outbox?channel=email', headers: bearer(adminToken) })).json<{
        items: { toAddress: string; subject: string }[];
      }>().items;
      assert.equal(mails.filter((m) => m.toAddress === adminEmail && m.subject.includes('over 1 % of requests answered 5xx')).length, 1);

      // Only successes from now on: once the errors are out of the 5-minute window, it resolves.
      let result = await evaluator.evaluate();
      for (let minute = 0; minute < 7 && result.firing.length; minute++) {
        await requests(0, 5);
        clock.advance(MINUTE);
        result = await evaluator.evaluate();
      }
      assert.deepEqual(result, { evaluated: true, firing: [], recorded: 1 });
      assert.equal((await stored()).firing.length, 0);
      assert.equal((await stored()).resolved[0]?.alertname, 'HighErrorRate');
      assert.equal((await stored()).resolved[0]?.endsAt, clock.now().toISOString());
      clock.advance(MINUTE);
      assert.deepEqual(await evaluator.evaluate(), { evaluated: true, firing: [], recorded: 0 });
      await system.ctx.notifications.dispatcher.drain();
      assert.equal((await inbox()).filter((i) => i.templateCode === 'ops.alert.resolved.inapp').length, 1);
    });

    test('after a restart, an alert the evaluation left firing is resolved once its condition is gone', async () => {
      const { metrics, requests } = await probeServer();
      const before = evaluatorOn(metrics);
      await before.evaluate();
      for (let minute = 0; minute < 7; minute++) {
        await requests(2, 2);
        clock.advance(MINUTE);
        await before.evaluate();
      }
      assert.deepEqual(
        (await stored()).firing.map((a) => a.alertname),
        ['HighErrorRate'],
      );
      // The process restarts: a new evaluator, a new registry without errors.
      const fresh = await probeServer();
      const after = evaluatorOn(fresh.metrics);
      await fresh.requests(0, 5);
      assert.deepEqual(await after.evaluate(), { evaluated: true, firing: [], recorded: 1 });
      assert.equal((await stored()).firing.length, 0);
    });

    test('the maintenance job ops.evaluate-alerts runs the evaluation of the process; off, it does nothing', async () => {
      const job = system.ctx.registry.require('ops.evaluate-alerts');
      assert.equal(job.family, 'maintenance');
      assert.equal(job.everyMs, 60_000);
      const context = { jobId: 'j1', attempt: 1, logger: system.ctx.platform.logger, requestId: undefined };
      const result = (await job.handler({}, context)) as { evaluated: boolean };
      assert.equal(result.evaluated, true);
      const off = await startTestSystem({ env: { ALERTS_IN_PROCESS: 'false' } });
      try {
        assert.deepEqual(await off.ctx.registry.require('ops.evaluate-alerts').handler({}, context), { evaluated: false, firing: [], recorded: 0 });
      } finally {
        await off.close();
      }
    });
  });
});
