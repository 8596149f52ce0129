/**
 * ConversionBelowTarget in a real Prometheus and Alertmanager (Debian's
 * packages), scraping the running API: real artists move along the pipeline,
 * staff set the `monitoring` targets through the settings API, Prometheus
 * compares the business gauges of /metrics with them, and Alertmanager
 * delivers the alert to the API's webhook, firing then resolved. Its own file:
 * the other alerts' file is near the per-file time limit.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { bearer, signInAs, startTestSystem, type TestSystem, until } from '../../test/harness.ts';
import { prometheusMissing, startPrometheusStack, type PrometheusStack } from '../../test/prometheus.ts';
import { artistsApi } from '../artists/artists.test-helpers.ts';

type StoredAlert = { alertname: string; source: string; labels: Record<string, string> };

describe('ConversionBelowTarget in a real Prometheus and Alertmanager, from the pipeline and the monitoring setting', { skip: prometheusMissing() }, () => {
  const token = randomBytes(24).toString('hex');
  let system: TestSystem;
  let admin: Awaited<ReturnType<typeof signInAs>>;
  let prom: PrometheusStack;
  const stage = { from_stage: 'prospect', to_stage: 'checkup' };

  before(async () => {
    system = await startTestSystem({ env: { ALERT_WEBHOOK_TOKEN: token } });
    admin = await signInAs(system, 'admin');
    // The pipeline before the first scrape (the business gauges are read once a minute): 4 prospects, 1 moved on to checkup.
    const api = artistsApi(system);
    const artists = [];
    for (let i = 0; i < 4; i++) artists.push(await api.make(admin.accessToken));
    assert.equal((await api.move(admin.accessToken, artists[0]!.id, 'checkup')).statusCode, 200);
    const apiUrl = await system.app.listen({ port: 0, host: '127.0.0.1' });
    prom = await startPrometheusStack({ targets: [new URL(apiUrl).host], webhookUrl: `${apiUrl}/api/ops/alerts/webhook`, webhookToken: token });
  });
  after(async () => {
    await prom?.stop();
    await system?.close();
  });

  const setTargets = async (minArtists: number, prospect: number) => {
    const saved = await system.app.inject({
      method: 'PUT',
      url: '/api/settings/monitoring',
      headers: bearer(admin.accessToken),
      payload: { value: { conversion: { windowDays: 30, minArtists, targets: { prospect, checkup: 0.4, prescription: 0.6, execution: 0.3 } } } },
    });
    assert.equal(saved.statusCode, 200, saved.body);
  };
  const gauge = async (name: string) => Number((await prom.query(`${name}{from_stage="prospect",to_stage="checkup"}`))[0]?.value[1]);
  const stored = async () => {
    const res = await system.app.inject({ method: 'GET', url: '/api/ops/alerts', headers: bearer(admin.accessToken) });
    assert.equal(res.statusCode, 200, res.body);
    return res.json<{ firing: StoredAlert[]; resolved: StoredAlert[] }>();
  };

  test('1 prospect in 4 moved on: below a 90 % target fires once enough artists are in the stage, delivered to the webhook; a 20 % target resolves it', async () => {
    // PRODUCT.md's targets (25 %) and 10 artists at least: 4 prospects are too few for the ratio to mean anything.
    await until('the 4 candidates scraped', async () => (await gauge('business_stage_candidates')) === 4, 30_000, 500);
    assert.equal(await gauge('business_stage_conversion_ratio'), 0.25);
    await prom.evaluations(3);
    assert.equal(await prom.isFiring('ConversionBelowTarget'), false);

    // Staff raise the target to 90 % and accept 3 artists as enough.
    await setTargets(3, 0.9);
    const alert = await until(
      'ConversionBelowTarget firing in Prometheus',
      async () => (await prom.firing()).find((a) => a.labels.alertname === 'ConversionBelowTarget'),
      40_000,
      500,
    );
    assert.deepEqual(
      { from_stage: alert.labels.from_stage, to_stage: alert.labels.to_stage, severity: alert.labels.severity },
      { ...stage, severity: 'warning' },
    );
    // checkup → prescription has 1 candidate, under the 3 required: only the prospect stage alerts.
    assert.equal((await prom.firing()).filter((a) => a.labels.alertname === 'ConversionBelowTarget').length, 1);
    await until(
      'delivered by Alertmanager to the API',
      async () =>
        (await stored()).firing.some((a) => a.alertname === 'ConversionBelowTarget' && a.source === 'alertmanager' && a.labels.from_stage === 'prospect'),
      40_000,
      500,
    );

    // A 20 % target: 25 % is above it.
    await setTargets(3, 0.2);
    await until('ConversionBelowTarget resolved in Prometheus', async () => !(await prom.isFiring('ConversionBelowTarget')), 40_000, 500);
    await until(
      'resolved in the API store',
      async () => {
        const s = await stored();
        return (
          !s.firing.some((a) => a.alertname === 'ConversionBelowTarget') &&
          s.resolved.some((a) => a.alertname === 'ConversionBelowTarget' && a.source === 'alertmanager')
        );
      },
      40_000,
      500,
    );
  });
});
