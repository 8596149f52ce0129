import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Db } from '../../platform/db/client.ts';
import { bearer, startTestSystem, type TestSystem } from '../../test/harness.ts';
import { openEventStream } from '../../test/sse.ts';
import { startFakePushService, type FakePushService } from '../../test/push-service.ts';
import { startFakeTwilio, type FakeTwilio } from '../../test/twilio.ts';
import { WebPushProvider, type PushPayload } from './channels/push.ts';
import { historyOf, makeArtist, makeTemplate, makeUser, messageRow, setNotificationSettings } from './notifications.test-helpers.ts';

/**
 * The three channels of this module through the real pipeline: compose stores
 * the message, the dispatcher claims it and hands it to the channel's provider,
 * the provider talks to a local Twilio, a local HTTPS push service, or the live
 * inbox stream; Twilio's signed callback then marks the SMS delivered.
 */
describe('SMS, push and in-app through compose and the dispatcher', () => {
  let twilio: FakeTwilio;
  let pushService: FakePushService;
  let system: TestSystem;
  let db: Db;
  let baseUrl: string;
  const templates: Record<'sms' | 'push' | 'inapp', string> = { sms: '', push: '', inapp: '' };

  before(async () => {
    twilio = await startFakeTwilio();
    pushService = await startFakePushService();
    system = await startTestSystem({
      env: {
        TWILIO_ACCOUNT_SID: twilio.accountSid,
        TWILIO_AUTH_TOKEN: twilio.authToken,
        TWILIO_FROM: '+15005550006',
        TWILIO_BASE_URL: twilio.url,
        NEXT_PUBLIC_APP_URL: 'https://app.example.test',
        VAPID_SUBJECT: 'mailto:ops@mona-spark.test',
      },
    });
    db = system.ctx.platform.database.db;
    // The push provider of the context, trusting the local push service's certificate.
    system.ctx.notifications.providers.set(
      'push',
      new WebPushProvider({
        subscriptions: system.ctx.repos.pushSubscriptions,
        vapid: system.ctx.vapid,
        logger: system.ctx.platform.logger,
        agent: pushService.agent,
      }),
    );
    await system.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(system.app.server.address() as AddressInfo).port}`;
    await setNotificationSettings(system, { rateLimits: { email: 1000, sms: 1000, push: 1000, inapp: 1000 } });
    const content = { fr: { subject: 'Mission assignée', body: 'Bonjour {{name}}, {{expert}} suit votre projet.' } };
    for (const channel of ['sms', 'push', 'inapp'] as const) templates[channel] = await makeTemplate(db, { channel, kind: 'activity', ...content });
  });
  after(async () => {
    await system.close();
    await twilio.close();
    await pushService.close();
  });

  test('each message reaches its provider once, with its status history; the SMS is delivered by the signed callback', async () => {
    const user = await makeUser(db, { name: 'Nora' });
    const artist = await makeArtist(db, { userId: user.id, phone: '+33612345678', stageName: 'Nora' });
    const token = await system.ctx.signer.sign({ sub: user.id, role: 'artist' });
    const browser = pushService.browser();
    const subscribed = await system.app.inject({ method: 'POST', url: '/api/me/push-subscriptions', headers: bearer(token), payload: browser.subscription });
    assert.equal(subscribed.statusCode, 201, subscribed.body);

    // The live inbox, open before anything is sent.
    const stream = await openEventStream(`${baseUrl}/api/me/inbox/stream`, bearer(token));
    await stream.event('unread');

    const ids: Record<string, string> = {};
    for (const channel of ['sms', 'push', 'inapp'] as const) {
      const composed = await system.ctx.services.notifications.compose({
        idempotencyKey: `mission:${randomUUID()}:${channel}`,
        templateCode: templates[channel],
        artistId: artist.id,
        userId: user.id,
        variables: { expert: 'Inès' },
        link: '/portal/missions',
      });
      assert.equal(composed.status, 'pending', JSON.stringify(composed));
      ids[channel] = composed.id;
    }
    await system.ctx.notifications.dispatcher.drain({ maxMs: 10_000 });

    // In-app: delivered, and on the open stream at once.
    const inapp = await messageRow(db, ids.inapp!);
    assert.equal(inapp.status, 'delivered');
    const payload = (await stream.event('message')) as { message: { id: string; title: string; body: string; link: string }; unread: number };
    assert.equal(payload.message.id, ids.inapp);
    assert.equal(payload.message.title, 'Mission assignée');
    assert.match(payload.message.body, /Bonjour Nora, Inès suit votre projet/);
    assert.equal(payload.message.link, '/portal/missions');
    assert.equal(payload.unread, 1);

    // Push: sent to the browser, which decrypts the rendered message.
    const push = await messageRow(db, ids.push!);
    assert.equal(push.status, 'sent');
    assert.match(push.providerId ?? '', new RegExp(`^${pushService.origin}/message/`));
    const pushed = pushService.requests.filter((r) => browser.subscription.endpoint.endsWith(r.token));
    assert.equal(pushed.length, 1);
    const decrypted = JSON.parse(browser.decrypt(pushed[0]!.body)) as PushPayload;
    assert.equal(decrypted.id, ids.push);
    assert.equal(decrypted.link, '/portal/missions');

    // SMS: accepted by Twilio once, then delivered by its signed status callback.
    const sms = await messageRow(db, ids.sms!);
    assert.equal(sms.status, 'sent');
    const received = twilio.messages.filter((m) => m.statusCallback?.endsWith(`m=${ids.sms}`));
    assert.equal(received.length, 1);
    assert.equal(received[0]!.to, '+33612345678');
    assert.match(received[0]!.body, /Inès suit votre projet/);
    assert.equal(sms.providerId, received[0]!.sid);
    const callback = twilio.statusCallback(received[0]!.sid, 'delivered');
    const res = await system.app.inject({
      method: 'POST',
      url: callback.path,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': callback.signature },
      payload: callback.body,
    });
    assert.equal(res.statusCode, 204);
    assert.equal((await messageRow(db, ids.sms!)).status, 'delivered');
    assert.deepEqual(
      (await historyOf(db, ids.sms!)).map((h) => h.status),
      ['pending', 'sending', 'sent', 'delivered'],
    );

    // Nothing goes out twice: another drain finds nothing to send.
    await system.ctx.notifications.dispatcher.drain({ maxMs: 5_000 });
    assert.equal(twilio.messages.filter((m) => m.statusCallback?.endsWith(`m=${ids.sms}`)).length, 1);
    assert.equal(pushService.requests.filter((r) => browser.subscription.endpoint.endsWith(r.token)).length, 1);
    assert.equal(stream.events.filter((e) => e.event === 'message').length, 1);

    await stream.close();
  });

  test('Twilio refusing the number (21211) bounces the SMS; a Twilio rate limit puts it back to wait for Retry-After', async () => {
    const refused = await makeArtist(db, { phone: '+33799999999' });
    twilio.answerNext({ status: 400, code: 21211, message: "Invalid 'To' Phone Number: +33799999999" });
    const composed = await system.ctx.services.notifications.compose({
      idempotencyKey: randomUUID(),
      templateCode: templates.sms,
      artistId: refused.id,
      variables: { expert: 'x' },
    });
    await system.ctx.notifications.dispatcher.drain({ maxMs: 5_000 });
    const bounced = await messageRow(db, composed.id);
    assert.equal(bounced.status, 'bounced');
    assert.match(bounced.lastError ?? '', /21211/);

    const artist = await makeArtist(db, { phone: '+33700000001' });
    twilio.answerNext({ status: 429, code: 20429, message: 'Too Many Requests', headers: { 'retry-after': '120' } });
    const limited = await system.ctx.services.notifications.compose({
      idempotencyKey: randomUUID(),
      templateCode: templates.sms,
      artistId: artist.id,
      variables: { expert: 'x' },
    });
    await system.ctx.notifications.dispatcher.drain({ maxMs: 5_000 });
    const row = await messageRow(db, limited.id);
    assert.equal(row.status, 'pending');
    assert.equal(row.attempts, 1);
    assert.ok(row.sendAfter.getTime() - Date.now() > 100_000, `retry at ${row.sendAfter.toISOString()}`);
    assert.match(row.lastError ?? '', /429 code 20429/);
  });
});
