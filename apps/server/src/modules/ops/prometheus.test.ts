/**
 * The alert rules against a real Prometheus and Alertmanager (Debian's
 * packages) on loopback: Prometheus scrapes a running API built on a private
 * PostgreSQL server and a private Redis of this test; the server is stopped
 * (database down, /ready and database-backed routes answer 503) and started
 * again, Redis is killed and started again, and a table lock makes real
 * requests slow; the test reads Prometheus's HTTP API for the alerts firing
 * then resolving, and the API's alert store for Alertmanager's deliveries to
 * its webhook.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { bearer, signInAs, startTestSystem, type TestSystem, until } from '../../test/harness.ts';
import { prometheusMissing, startPrometheusStack, type PrometheusStack } from '../../test/prometheus.ts';
import { startPrivatePostgres, startPrivateRedis, type PrivatePostgres, type PrivateRedis } from '../../test/servers.ts';

const PG_BIN = '/usr/lib/postgresql/15/bin';
const skip = prometheusMissing([`${PG_BIN}/initdb`, `${PG_BIN}/pg_ctl`]);

type StoredAlert = { alertname: string; status: string; source: string; labels: Record<string, string> };

describe('alert rules in a real Prometheus and Alertmanager, scraping the running API', { skip }, () => {
  const token = randomBytes(24).toString('hex');
  let postgres: PrivatePostgres;
  let redis: PrivateRedis;
  let system: TestSystem;
  let adminToken: string;
  let apiUrl: string;
  let prom: PrometheusStack;
  let traffic: NodeJS.Timeout | undefined;
  const savedDatabaseUrl = process.env.DATABASE_URL;
  const query = (expr: string) => prom.query(expr);
  const firing = () => prom.firing();
  const isFiring = (name: string) => prom.isFiring(name);

  before(async () => {
    postgres = await startPrivatePostgres();
    // The test system's fresh database is made on the private server (the harness reads DATABASE_URL).
    process.env.DATABASE_URL = postgres.url;
    redis = await startPrivateRedis();
    system = await startTestSystem({ env: { ALERT_WEBHOOK_TOKEN: token, REDIS_URL: redis.url } });
    adminToken = (await signInAs(system, 'admin')).accessToken;
    apiUrl = await system.app.listen({ port: 0, host: '127.0.0.1' });
    // Production rules with short windows and `for`, made by the same generator (the committed file is unchanged).
    prom = await startPrometheusStack({ targets: [new URL(apiUrl).host], webhookUrl: `${apiUrl}/api/ops/alerts/webhook`, webhookToken: token });

    // Traffic of users: readiness probes and a database-backed route, a few times a second.
    traffic = setInterval(() => {
      void fetch(`${apiUrl}/ready`).catch(() => undefined);
      void fetch(`${apiUrl}/api/ops/alerts`, { headers: bearer(adminToken) }).catch(() => undefined);
    }, 100);
  });

  after(async () => {
    clearInterval(traffic);
    await prom?.stop();
    await system?.close();
    await postgres?.destroy();
    await redis?.destroy();
    process.env.DATABASE_URL = savedDatabaseUrl;
  });

  async function stored(): Promise<{ firing: StoredAlert[]; resolved: StoredAlert[] }> {
    const res = await system.app.inject({ method: 'GET', url: '/api/ops/alerts', headers: bearer(adminToken) });
    assert.equal(res.statusCode, 200, res.body);
    return res.json();
  }

  test('with everything up, neither DatabaseDown nor HighErrorRate fires', async () => {
    await until('a scrape with the database up', async () => (await query('dependency_up{dependency="database"}'))[0]?.value[1] === '1', 15_000, 250);
    // Two rule evaluations with the data in.
    await prom.evaluations(2);
    assert.equal(await isFiring('DatabaseDown'), false);
    assert.equal(await isFiring('HighErrorRate'), false);
  });

  test('PostgreSQL stopped: DatabaseDown and HighErrorRate fire; started again: both resolve, and Alertmanager delivered them to the webhook', async () => {
    await postgres.kill();
    const down = await until(
      'DatabaseDown and HighErrorRate firing in Prometheus',
      async () => {
        const alerts = await firing();
        const names = new Set(alerts.map((a) => a.labels.alertname));
        return names.has('DatabaseDown') && names.has('HighErrorRate') ? alerts : undefined;
      },
      40_000,
      500,
    );
    const dbDown = down.find((a) => a.labels.alertname === 'DatabaseDown')!;
    assert.equal(dbDown.labels.service, 'api');
    assert.equal(dbDown.labels.severity, 'critical');
    const errors = Number((await query('sum(rate(http_requests_total{status_class="5xx"}[20s])) / sum(rate(http_requests_total[20s]))'))[0]!.value[1]);
    assert.ok(errors > 0.01, `5xx ratio ${errors}`);

    await postgres.start();
    await until('DatabaseDown resolved in Prometheus', async () => !(await isFiring('DatabaseDown')), 40_000, 500);
    // The errors stay in the 20 s window a while: Alertmanager delivers HighErrorRate firing, now that the API can store it.
    await until(
      'HighErrorRate stored as delivered by Alertmanager',
      async () => {
        const s = await stored();
        return [...s.firing, ...s.resolved].some((a) => a.alertname === 'HighErrorRate' && a.source === 'alertmanager');
      },
      40_000,
      500,
    );
    await until('HighErrorRate resolved in Prometheus', async () => !(await isFiring('HighErrorRate')), 60_000, 500);
    const final = await until(
      'both resolved in the API store',
      async () => {
        const s = await stored();
        const resolved = new Set(s.resolved.filter((a) => a.source === 'alertmanager').map((a) => a.alertname));
        return resolved.has('DatabaseDown') && resolved.has('HighErrorRate') ? s : undefined;
      },
      40_000,
      500,
    );
    assert.ok(!final.firing.some((a) => a.alertname === 'DatabaseDown' || a.alertname === 'HighErrorRate'), JSON.stringify(final.firing));

    // The admin was told: in-app messages of the firing and the resolution.
    await system.ctx.notifications.dispatcher.drain();
    const inbox = (await system.app.inject({ method: 'GET', url: '/api/me/inbox?limit=100', headers: bearer(adminToken) })).json<{
      items: { templateCode: string; title: string }[];
    }>().items;
    assert.ok(
      inbox.some((i) => i.templateCode === 'ops.alert.firing.inapp' && i.title.includes('HighErrorRate')),
      JSON.stringify(inbox),
    );
    assert.ok(
      inbox.some((i) => i.templateCode === 'ops.alert.resolved.inapp' && i.title.includes('DatabaseDown')),
      JSON.stringify(inbox),
    );
  });
  test('Redis killed: RedisDown fires; started again: it resolves without restarting the API', async () => {
    assert.equal(await isFiring('RedisDown'), false);
    await redis.kill();
    await until('RedisDown firing in Prometheus', async () => isFiring('RedisDown'), 40_000, 500);
    const alert = (await firing()).find((a) => a.labels.alertname === 'RedisDown')!;
    assert.equal(alert.labels.service, 'api');
    await redis.start();
    await until('RedisDown resolved in Prometheus', async () => !(await isFiring('RedisDown')), 60_000, 500);
    await until(
      'RedisDown delivered by Alertmanager, then resolved, in the API store',
      async () => (await stored()).resolved.some((a) => a.alertname === 'RedisDown' && a.source === 'alertmanager'),
      40_000,
      500,
    );
  });

  test('slow responses (a table lock holds real requests for seconds): SlowResponses fires, then resolves', async () => {
    assert.equal(await isFiring('SlowResponses'), false);
    // The users' traffic reads ops_alerts; another session holds the table a few seconds, as a long migration or a stuck transaction would.
    const locker = new pg.Client({ connectionString: system.ctx.platform.database.url });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query('lock table ops_alerts in access exclusive mode');
      await new Promise((resolve) => setTimeout(resolve, 5000));
      await locker.query('rollback');
    } finally {
      await locker.end();
    }
    await until('SlowResponses firing in Prometheus', async () => isFiring('SlowResponses'), 40_000, 500);
    const p95 = Number((await query('histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[20s])))'))[0]!.value[1]);
    assert.ok(p95 > 2, `p95 ${p95} s`);
    await until('SlowResponses resolved in Prometheus', async () => !(await isFiring('SlowResponses')), 60_000, 500);
  });
  test('jobs pile up with no worker: QueueBacklogGrowing fires; a worker drains the queue: it resolves', async () => {
    assert.equal(await isFiring('QueueBacklogGrowing'), false);
    // The test system runs no worker: what is enqueued waits, as when the maintenance workers are down.
    for (let round = 0; round < 4; round++) {
      await Promise.all(Array.from({ length: 50 }, () => system.ctx.queue.enqueue('events.relay-pending', {})));
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
    await until('QueueBacklogGrowing firing in Prometheus', async () => isFiring('QueueBacklogGrowing'), 40_000, 500);
    const alert = (await firing()).find((a) => a.labels.alertname === 'QueueBacklogGrowing')!;
    assert.ok(alert.labels.queue, JSON.stringify(alert.labels));
    const pool = system.ctx.queue.startWorkers(['maintenance'], { logger: system.ctx.platform.logger });
    try {
      await until('QueueBacklogGrowing resolved in Prometheus', async () => !(await isFiring('QueueBacklogGrowing')), 60_000, 500);
    } finally {
      await pool.stop(5000);
    }
  });
});
