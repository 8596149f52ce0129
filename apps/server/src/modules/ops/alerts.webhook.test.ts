import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { bearer, signInAs, startTestSystem, type TestSystem } from '../../test/harness.ts';

type Alert = {
  alertname: string;
  status: string;
  severity: string;
  summary: string;
  fingerprint: string;
  endsAt: string | null;
  source: string;
  labels: Record<string, string>;
};
type AlertsList = { firing: Alert[]; resolved: Alert[]; evaluation: { inProcess: boolean; webhookConfigured: boolean } };

const TOKEN = randomBytes(24).toString('hex');
const STARTS = '2026-11-25T01:00:00.000Z';

/** An Alertmanager v4 payload, as its webhook notifier sends it. */
function payload(status: 'firing' | 'resolved', alerts: { fingerprint: string; alertname: string; status?: 'firing' | 'resolved'; endsAt?: string }[]) {
  return {
    receiver: 'mona-api',
    status,
    alerts: alerts.map((a) => ({
      status: a.status ?? status,
      labels: { alertname: a.alertname, service: 'api', instance: '127.0.0.1:3001', severity: 'critical' },
      annotations: { summary: `${a.alertname} on api`, description: `${a.alertname}: something is wrong`, threshold: 'x' },
      startsAt: STARTS,
      endsAt: a.endsAt ?? '0001-01-01T00:00:00Z',
      generatorURL: 'http://127.0.0.1:9090/graph?g0.expr=x',
      fingerprint: a.fingerprint,
    })),
    groupLabels: { alertname: 'DatabaseDown' },
    commonLabels: { service: 'api' },
    commonAnnotations: {},
    externalURL: 'http://127.0.0.1:9093',
    version: '4',
    groupKey: '{}:{alertname="DatabaseDown"}',
    truncatedAlerts: 0,
  };
}

describe('POST /api/ops/alerts/webhook and GET /api/ops/alerts', () => {
  let system: TestSystem;
  let admins: Awaited<ReturnType<typeof signInAs>>[];
  let staff: Awaited<ReturnType<typeof signInAs>>;

  before(async () => {
    system = await startTestSystem({ env: { ALERT_WEBHOOK_TOKEN: TOKEN } });
    admins = [await signInAs(system, 'admin'), await signInAs(system, 'admin')];
    staff = await signInAs(system, 'staff');
  });
  after(async () => system.close());

  const deliver = (body: unknown, token: string | null = TOKEN) =>
    system.app.inject({ method: 'POST', url: '/api/ops/alerts/webhook', headers: token === null ? {} : bearer(token), payload: body as object });
  const list = async (query = '') => {
    const res = await system.app.inject({ method: 'GET', url: `/api/ops/alerts${query}`, headers: bearer(admins[0]!.accessToken) });
    assert.equal(res.statusCode, 200, res.body);
    return res.json<AlertsList>();
  };
  const inbox = async (token: string) =>
    (await system.app.inject({ method: 'GET', url: '/api/me/inbox?limit=100', headers: bearer(token) })).json<{
      items: { templateCode: string; title: string; body: string; link: string }[];
    }>().items;
  const outbox = async () =>
    (await system.app.inject({ method: 'GET', url: '/api/notifications/outbox?channel=email&limit=200', headers: bearer(admins[0]!.accessToken) })).json<{
      items: { toAddress: string; subject: string }[];
    }>().items;

  test('refused without the token, with a wrong one, or with a malformed payload, in the one error shape', async () => {
    const body = payload('firing', [{ fingerprint: 'aaaa000000000001', alertname: 'DatabaseDown' }]);
    for (const token of [null, 'wrong', `${TOKEN}x`, TOKEN.slice(0, -1)]) {
      const res = await deliver(body, token);
      assert.equal(res.statusCode, 401, `token ${token}`);
      assert.equal(res.json<{ error: { code: string } }>().error.code, 'unauthorized');
    }
    const basic = await system.app.inject({ method: 'POST', url: '/api/ops/alerts/webhook', headers: { authorization: `Basic ${TOKEN}` }, payload: body });
    assert.equal(basic.statusCode, 401);
    const badVersion = await deliver({ ...body, version: '3' });
    assert.equal(badVersion.statusCode, 400);
    assert.equal(badVersion.json<{ error: { code: string; details: { issues: { path: string }[] } } }>().error.details.issues[0]?.path, 'version');
    const noFingerprint = await deliver({ ...body, alerts: [{ ...body.alerts[0], fingerprint: undefined }] });
    assert.equal(noFingerprint.statusCode, 400);
    assert.equal(noFingerprint.json<{ error: { details: { issues: { path: string }[] } } }>().error.details.issues[0]?.path, 'alerts.0.fingerprint');
    const badDate = await deliver({ ...body, alerts: [{ ...body.alerts[0], startsAt: 'yesterday' }] });
    assert.equal(badDate.statusCode, 400);
    assert.equal((await list()).firing.length, 0, 'nothing stored');
  });

  test('only admins list the alerts', async () => {
    assert.equal((await system.app.inject({ method: 'GET', url: '/api/ops/alerts' })).statusCode, 401);
    assert.equal((await system.app.inject({ method: 'GET', url: '/api/ops/alerts', headers: bearer(staff.accessToken) })).statusCode, 403);
    const bad = await system.app.inject({ method: 'GET', url: '/api/ops/alerts?days=0', headers: bearer(admins[0]!.accessToken) });
    assert.equal(bad.statusCode, 400);
    const { evaluation } = await list();
    assert.deepEqual(evaluation, { inProcess: system.config.databaseMode === 'embedded', webhookConfigured: true });
  });

  test('firing alerts are stored and every admin is notified once, in-app and by email, however often Alertmanager repeats them', async () => {
    const body = payload('firing', [
      { fingerprint: 'f000000000000001', alertname: 'DatabaseDown' },
      { fingerprint: 'f000000000000002', alertname: 'HighErrorRate' },
    ]);
    const first = await deliver(body);
    assert.equal(first.statusCode, 200, first.body);
    assert.deepEqual(first.json(), { received: 2, changed: 2 });
    // Alertmanager repeats (repeat_interval, retries), possibly at the same time.
    const repeats = await Promise.all([deliver(body), deliver(body), deliver(body)]);
    for (const r of repeats) assert.deepEqual(r.json(), { received: 2, changed: 0 });

    const { firing } = await list();
    assert.deepEqual(firing.map((a) => a.alertname).sort(), ['DatabaseDown', 'HighErrorRate']);
    const db = firing.find((a) => a.alertname === 'DatabaseDown')!;
    assert.equal(db.status, 'firing');
    assert.equal(db.severity, 'critical');
    assert.equal(db.summary, 'DatabaseDown on api');
    assert.equal(db.endsAt, null);
    assert.equal(db.source, 'alertmanager');
    assert.equal(db.labels.instance, '127.0.0.1:3001');

    await system.ctx.notifications.dispatcher.drain();
    for (const admin of admins) {
      const items = (await inbox(admin.accessToken)).filter((i) => i.templateCode === 'ops.alert.firing.inapp');
      assert.equal(items.length, 2, admin.email);
      assert.ok(items.some((i) => i.title.includes('DatabaseDown') && i.body.includes('DatabaseDown on api')));
      assert.ok(items.every((i) => i.link === '/ops'));
      const mails = (await outbox()).filter((m) => m.toAddress === admin.email);
      assert.equal(mails.length, 2, admin.email);
      assert.ok(mails.some((m) => m.subject.includes('DatabaseDown on api')));
    }
    assert.equal((await inbox(staff.accessToken)).length, 0, 'staff are not paged');
  });

  test('resolved: the episode changes once and the admins hear it once; a late "firing" does not reopen it', async () => {
    const resolvedAt = '2026-11-25T01:05:00.000Z';
    const body = payload('resolved', [{ fingerprint: 'f000000000000001', alertname: 'DatabaseDown', endsAt: resolvedAt }]);
    assert.deepEqual((await deliver(body)).json(), { received: 1, changed: 1 });
    assert.deepEqual((await deliver(body)).json(), { received: 1, changed: 0 });
    const late = payload('firing', [{ fingerprint: 'f000000000000001', alertname: 'DatabaseDown' }]);
    assert.deepEqual((await deliver(late)).json(), { received: 1, changed: 0 });

    const { firing, resolved } = await list();
    assert.deepEqual(
      firing.map((a) => a.alertname),
      ['HighErrorRate'],
    );
    assert.equal(resolved.length, 1);
    assert.equal(resolved[0]!.alertname, 'DatabaseDown');
    assert.equal(resolved[0]!.endsAt, resolvedAt);

    await system.ctx.notifications.dispatcher.drain();
    for (const admin of admins) {
      const items = (await inbox(admin.accessToken)).filter((i) => i.templateCode === 'ops.alert.resolved.inapp');
      assert.equal(items.length, 1);
      assert.match(items[0]!.title, /DatabaseDown/);
      assert.equal((await outbox()).filter((m) => m.toAddress === admin.email && m.subject.includes('DatabaseDown on api')).length, 2, 'firing + resolved');
    }

    // The same alert firing again later is a new episode, notified again.
    const again = payload('firing', [{ fingerprint: 'f000000000000001', alertname: 'DatabaseDown' }]);
    again.alerts[0]!.startsAt = '2026-11-25T02:00:00.000Z';
    assert.deepEqual((await deliver(again)).json(), { received: 1, changed: 1 });
    assert.equal((await list()).firing.length, 2);
  });

  test('without ALERT_WEBHOOK_TOKEN the webhook refuses every call', async () => {
    const other = await startTestSystem();
    try {
      const res = await other.app.inject({
        method: 'POST',
        url: '/api/ops/alerts/webhook',
        headers: bearer('anything-at-all'),
        payload: payload('firing', []),
      });
      assert.equal(res.statusCode, 401);
      assert.match(res.json<{ error: { message: string } }>().error.message, /ALERT_WEBHOOK_TOKEN/);
    } finally {
      await other.close();
    }
  });
});
