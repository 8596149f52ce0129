import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { importJWK, jwtVerify } from 'jose';
import type { NotificationKind } from '@mona/shared';
import { bearer, register, startTestSystem, type TestSystem } from '../../test/harness.ts';
import { startFakePushService, type FakePushService } from '../../test/push-service.ts';
import { WebPushProvider, type PushPayload } from './channels/push.ts';
import { PermanentFailure, TemporaryFailure, type OutgoingMessage } from './channels/types.ts';
import { platformSecrets, pushSubscriptions } from './notifications.tables.ts';
import { isKnownPushService, PushService } from './push.service.ts';
import { SecretBox } from '../../platform/secrets.ts';
import { VapidKeys } from './vapid.ts';

const SUBJECT = 'mailto:ops@mona-spark.test';

function pushMessage(userId: string | null, kind: NotificationKind = 'activity', link: string | null = '/portal/orders'): OutgoingMessage {
  return {
    id: randomUUID(),
    channel: 'push',
    kind,
    locale: 'fr',
    to: null,
    recipientUserId: userId,
    subject: 'Commande payée',
    text: 'Votre MONA 290 est confirmé : on démarre lundi.',
    html: null,
    headers: {},
    data: link ? { link } : {},
  };
}

async function failure<T extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => T): Promise<T> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof type, `expected ${type.name}, got ${String(error)}`);
    return error;
  }
  assert.fail(`expected ${type.name}, but it was sent`);
}

describe('web push', () => {
  let system: TestSystem;
  let service: FakePushService;
  let provider: WebPushProvider;

  before(async () => {
    service = await startFakePushService();
    system = await startTestSystem({ env: { VAPID_SUBJECT: SUBJECT } });
    provider = new WebPushProvider({
      subscriptions: system.ctx.repos.pushSubscriptions,
      vapid: system.ctx.vapid,
      logger: system.ctx.platform.logger,
      agent: service.agent,
      ttlSeconds: 3600,
    });
  });
  after(async () => {
    await system.close();
    await service.close();
  });

  const db = () => system.ctx.platform.database.db;
  const subscriptionsOf = (userId: string) => db().select().from(pushSubscriptions).where(eq(pushSubscriptions.userId, userId));

  async function subscribe(token: string, body: unknown) {
    return system.app.inject({
      method: 'POST',
      url: '/api/me/push-subscriptions',
      headers: { ...bearer(token), 'user-agent': 'Firefox/140' },
      payload: body as object,
    });
  }

  describe('VAPID keys', () => {
    test('generated once, stored encrypted, and the same for every instance, even when they start together', async () => {
      const user = await register(system.app);
      assert.equal((await system.app.inject({ method: 'GET', url: '/api/push/public-key' })).statusCode, 401);
      const res = await system.app.inject({ method: 'GET', url: '/api/push/public-key', headers: bearer(user.accessToken) });
      assert.equal(res.statusCode, 200);
      const { publicKey } = res.json<{ publicKey: string }>();
      assert.equal(Buffer.from(publicKey, 'base64url').length, 65);

      // Five more "instances" resolving at the same time read the pair the first one stored.
      const others = Array.from({ length: 5 }, () => new VapidKeys({ db: db(), config: system.config, logger: system.ctx.platform.logger }));
      const resolved = await Promise.all(others.map((v) => v.get()));
      for (const details of resolved) {
        assert.equal(details.publicKey, publicKey);
        assert.equal(details.source, 'generated');
        assert.equal(details.subject, SUBJECT);
      }
      const rows = await db().select().from(platformSecrets);
      assert.equal(rows.length, 1);
      // The private key is not readable from the row without ENCRYPTION_KEY.
      assert.ok(!rows[0]!.value.includes(resolved[0]!.privateKey));
      assert.throws(() => new SecretBox('another-key').open((JSON.parse(rows[0]!.value) as { privateKey: string }).privateKey));
    });

    test('concurrent first starts on an empty table agree on one pair', async () => {
      await db().delete(platformSecrets);
      const instances = Array.from({ length: 6 }, () => new VapidKeys({ db: db(), config: system.config, logger: system.ctx.platform.logger }));
      const keys = await Promise.all(instances.map((v) => v.get()));
      assert.equal(new Set(keys.map((k) => k.publicKey)).size, 1);
      assert.equal(new Set(keys.map((k) => k.privateKey)).size, 1);
      assert.equal((await db().select().from(platformSecrets)).length, 1);
    });

    test('a stored pair that this ENCRYPTION_KEY cannot open is never replaced: push waits, the public key is 503', async () => {
      const otherKey = new VapidKeys({ db: db(), config: { ...system.config, ENCRYPTION_KEY: 'another-encryption-key' }, logger: system.ctx.platform.logger });
      await assert.rejects(otherKey.get(), /cannot be decrypted with this ENCRYPTION_KEY/);
      assert.equal((await db().select().from(platformSecrets)).length, 1);
      const user = await register(system.app);
      const browser = service.browser();
      assert.equal((await subscribe(user.accessToken, browser.subscription)).statusCode, 201);
      const stuck = new WebPushProvider({
        subscriptions: system.ctx.repos.pushSubscriptions,
        vapid: otherKey,
        logger: system.ctx.platform.logger,
        agent: service.agent,
      });
      await failure(stuck.send(pushMessage(user.user.id)), TemporaryFailure);
      const pushService = new PushService({ repo: system.ctx.repos.pushSubscriptions, vapid: otherKey, knownServicesOnly: false });
      await assert.rejects(pushService.publicKey(), (error: { status: number }) => error.status === 503);
    });

    test('keys from the environment win and are not stored', async () => {
      const pair = { VAPID_PUBLIC_KEY: 'BPub', VAPID_PRIVATE_KEY: 'priv' };
      const fromEnv = new VapidKeys({ db: db(), config: { ...system.config, ...pair }, logger: system.ctx.platform.logger });
      assert.deepEqual(await fromEnv.get(), { publicKey: 'BPub', privateKey: 'priv', subject: SUBJECT, source: 'env' });
      assert.throws(() => new VapidKeys({ db: db(), config: { ...system.config, VAPID_PUBLIC_KEY: 'BPub' }, logger: system.ctx.platform.logger }));
    });
  });

  describe('subscriptions API', () => {
    test('subscribe (201, then 200 for the same endpoint), list, and bad subscriptions are 400 on the field', async () => {
      const user = await register(system.app);
      const browser = service.browser();
      const first = await subscribe(user.accessToken, { ...browser.subscription, expirationTime: null });
      assert.equal(first.statusCode, 201, first.body);
      assert.equal(first.json().endpoint, browser.subscription.endpoint);
      assert.equal(first.json().userAgent, 'Firefox/140');
      const again = await subscribe(user.accessToken, browser.subscription);
      assert.equal(again.statusCode, 200);
      assert.equal(again.json().id, first.json().id);
      const list = await system.app.inject({ method: 'GET', url: '/api/me/push-subscriptions', headers: bearer(user.accessToken) });
      assert.deepEqual(
        list.json().items.map((s: { endpoint: string }) => s.endpoint),
        [browser.subscription.endpoint],
      );

      const bad = [
        [{ ...browser.subscription, endpoint: 'http://push.example.com/x' }, 'endpoint'],
        [{ ...browser.subscription, keys: { ...browser.subscription.keys, p256dh: Buffer.alloc(65, 1).toString('base64url') } }, 'keys.p256dh'],
        [{ ...browser.subscription, keys: { ...browser.subscription.keys, auth: 'c2hvcnQ' } }, 'keys.auth'],
        [{ endpoint: browser.subscription.endpoint }, 'keys'],
      ] as const;
      for (const [body, field] of bad) {
        const res = await subscribe(user.accessToken, body);
        assert.equal(res.statusCode, 400, `${field}: ${res.body}`);
        assert.ok(
          res.json().error.details.issues.some((i: { path: string }) => i.path === field),
          res.body,
        );
      }
    });

    test("an endpoint registered again by another account moves to it; deleting someone else's is 404", async () => {
      const alice = await register(system.app);
      const bob = await register(system.app);
      const browser = service.browser();
      assert.equal((await subscribe(alice.accessToken, browser.subscription)).statusCode, 201);
      const del = (token: string) =>
        system.app.inject({
          method: 'DELETE',
          url: '/api/me/push-subscriptions',
          headers: bearer(token),
          payload: { endpoint: browser.subscription.endpoint },
        });
      assert.equal((await del(bob.accessToken)).statusCode, 404);
      assert.equal((await subscriptionsOf(alice.user.id)).length, 1);

      // Bob signs in on the same browser: the subscription is his now.
      assert.equal((await subscribe(bob.accessToken, browser.subscription)).statusCode, 200);
      assert.equal((await subscriptionsOf(alice.user.id)).length, 0);
      assert.equal((await del(alice.accessToken)).statusCode, 404);
      assert.equal((await del(bob.accessToken)).statusCode, 204);
      assert.equal((await del(bob.accessToken)).statusCode, 404);
      assert.equal((await subscriptionsOf(bob.user.id)).length, 0);
    });

    test('in production only endpoints of the known push services are taken', async () => {
      assert.ok(isKnownPushService('https://fcm.googleapis.com/fcm/send/abc'));
      assert.ok(isKnownPushService('https://updates.push.services.mozilla.com/wpush/v2/abc'));
      assert.ok(isKnownPushService('https://wns2-par02p.notify.windows.com/w/?token=abc'));
      assert.ok(isKnownPushService('https://web.push.apple.com/abc'));
      assert.ok(!isKnownPushService('https://127.0.0.1:8443/push/abc'));
      assert.ok(!isKnownPushService('https://googleapis.com.evil.example/abc'));
      const user = await register(system.app);
      const strict = new PushService({ repo: system.ctx.repos.pushSubscriptions, vapid: system.ctx.vapid, knownServicesOnly: true });
      await assert.rejects(
        strict.subscribe(
          { id: user.user.id, role: 'artist' },
          { endpoint: service.browser().subscription.endpoint, keys: service.browser().subscription.keys },
          '',
        ),
        (error: { status: number }) => error.status === 400,
      );
    });
  });

  describe('WebPushProvider against a local HTTPS push service', () => {
    test('each subscription gets the encrypted payload with aes128gcm, TTL, urgency and a VAPID JWT for its origin', async () => {
      const user = await register(system.app);
      const phone = service.browser();
      const laptop = service.browser();
      for (const b of [phone, laptop]) assert.equal((await subscribe(user.accessToken, b.subscription)).statusCode, 201);
      const vapid = await system.ctx.vapid.get();
      const message = pushMessage(user.user.id, 'transactional');
      const before = service.requests.length;

      const result = await provider.send(message);
      assert.equal(result.status, 'sent');
      assert.match(result.providerId ?? '', new RegExp(`^${service.origin}/message/`));
      assert.match(result.detail ?? '', /^2 of 2 subscriptions/);

      const received = service.requests.slice(before);
      assert.equal(received.length, 2);
      for (const [request, browser] of [phone, laptop].map((b) => [received.find((r) => b.subscription.endpoint.endsWith(r.token))!, b] as const)) {
        assert.equal(request.headers['content-encoding'], 'aes128gcm');
        assert.equal(request.headers['content-type'], 'application/octet-stream');
        assert.equal(request.headers.ttl, '3600');
        assert.equal(request.headers.urgency, 'high');
        const auth = String(request.headers.authorization);
        const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(auth);
        assert.ok(match, auth);
        assert.equal(match[2], vapid.publicKey);
        const point = Buffer.from(match[2], 'base64url');
        const key = await importJWK(
          { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33, 65).toString('base64url') },
          'ES256',
        );
        const { payload } = await jwtVerify(match[1]!, key, { audience: service.origin, subject: SUBJECT, algorithms: ['ES256'] });
        assert.ok(payload.exp! * 1000 > Date.now() && payload.exp! * 1000 <= Date.now() + 24 * 3600_000);
        // aes128gcm: 86-byte header (salt, record size, key id) + the padded, authenticated record.
        assert.ok(request.body.length > 86 + 16);
        assert.equal(Number(request.headers['content-length']), request.body.length);
        const decrypted = JSON.parse(browser.decrypt(request.body)) as PushPayload;
        assert.deepEqual(decrypted, { id: message.id, title: 'Commande payée', body: message.text, link: '/portal/orders', kind: 'transactional' });
      }
      const stored = await subscriptionsOf(user.user.id);
      assert.ok(stored.every((s) => s.lastUsedAt !== null));
    });

    test('marketing is low urgency and activity normal', async () => {
      const user = await register(system.app);
      const browser = service.browser();
      await subscribe(user.accessToken, browser.subscription);
      for (const [kind, urgency] of [
        ['marketing', 'low'],
        ['activity', 'normal'],
      ] as const) {
        await provider.send(pushMessage(user.user.id, kind, null));
        const last = service.requests.at(-1)!;
        assert.equal(last.headers.urgency, urgency);
        assert.equal((JSON.parse(browser.decrypt(last.body)) as PushPayload).link, null);
      }
    });

    test('404 and 410 remove the subscription; the message is sent when another browser took it', async () => {
      const user = await register(system.app);
      const live = service.browser();
      const gone = service.browser(410);
      const unknown = service.browser(404);
      for (const b of [live, gone, unknown]) await subscribe(user.accessToken, b.subscription);
      const result = await provider.send(pushMessage(user.user.id));
      assert.equal(result.status, 'sent');
      assert.match(result.detail ?? '', /^1 of 3 subscriptions; .*410/);
      assert.deepEqual(
        (await subscriptionsOf(user.user.id)).map((s) => s.endpoint),
        [live.subscription.endpoint],
      );
    });

    test('when every subscription is gone: permanent, and none is left; with none at all: permanent "no push subscription"', async () => {
      const user = await register(system.app);
      for (const status of [410, 404]) await subscribe(user.accessToken, service.browser(status).subscription);
      const error = await failure(provider.send(pushMessage(user.user.id)), PermanentFailure);
      assert.match(error.message, /no push subscription/);
      assert.equal((await subscriptionsOf(user.user.id)).length, 0);
      const none = await failure(provider.send(pushMessage(user.user.id)), PermanentFailure);
      assert.equal(none.message, 'no push subscription');
      await failure(provider.send(pushMessage(null)), PermanentFailure);
    });

    test('429 (with Retry-After) and 5xx: temporary, the subscriptions stay', async () => {
      const user = await register(system.app);
      const limited = service.browser(429, { 'retry-after': '30' });
      const broken = service.browser(503);
      for (const b of [limited, broken]) await subscribe(user.accessToken, b.subscription);
      const error = await failure(provider.send(pushMessage(user.user.id)), TemporaryFailure);
      assert.equal(error.retryAfterMs, 30_000);
      assert.equal((await subscriptionsOf(user.user.id)).length, 2);

      // The service recovers: the retry goes out.
      service.answer(limited.subscription.endpoint, 201);
      assert.equal((await provider.send(pushMessage(user.user.id))).status, 'sent');
    });

    test('a push service that cannot be reached is temporary; 400 / 403 refusals are permanent and keep the subscription', async () => {
      const user = await register(system.app);
      const unreachable = { endpoint: 'https://127.0.0.1:1/push/x', keys: service.browser().subscription.keys };
      await subscribe(user.accessToken, unreachable);
      await failure(provider.send(pushMessage(user.user.id)), TemporaryFailure);

      const other = await register(system.app);
      const refused = service.browser(403);
      await subscribe(other.accessToken, refused.subscription);
      const error = await failure(provider.send(pushMessage(other.user.id)), PermanentFailure);
      assert.match(error.message, /403/);
      assert.equal((await subscriptionsOf(other.user.id)).length, 1);
    });
  });
});
