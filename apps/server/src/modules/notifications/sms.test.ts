import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { startTestSystem, type TestSystem } from '../../test/harness.ts';
import { startFakeTwilio, type FakeTwilio } from '../../test/twilio.ts';
import { twilioFromConfig, type TwilioSmsProvider } from './channels/sms.ts';
import type { OutgoingMessage } from './channels/types.ts';
import { notificationMessageEvents, notificationMessages } from './notifications.tables.ts';
import { SmsWebhookService, twilioSignature, validTwilioSignature } from './sms.service.ts';
import type { DeliveryReportsRepository } from './delivery-reports.repository.ts';
import { systemClock } from '../../platform/clock.ts';
import type { AppError } from '../../platform/errors.ts';
import { createLogger } from '../../platform/logger.ts';

const APP_URL = 'https://app.example.test';
const WEBHOOK = '/api/webhooks/twilio/status';

test("twilioSignature matches Twilio's published test vector", () => {
  // The test vector of Twilio's request validation (token 12345, this URL and these parameters), as in their SDKs' tests.
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const params = { To: '+18005551212', CallSid: 'CA1234567890ABCDE', Caller: '+14158675309', Digits: '1234', From: '+14158675309' };
  assert.equal(twilioSignature('12345', url, Object.entries(params)), 'RSOYDt4T1cUTdK1PDd93/VVr8B8=');
  assert.equal(validTwilioSignature('12345', url, Object.entries(params), 'RSOYDt4T1cUTdK1PDd93/VVr8B8='), true);
  assert.equal(validTwilioSignature('12345', url, Object.entries({ ...params, Digits: '1235' }), 'RSOYDt4T1cUTdK1PDd93/VVr8B8='), false);
  assert.equal(validTwilioSignature('12345', url, Object.entries(params), undefined), false);
  assert.equal(validTwilioSignature('12345', url, Object.entries(params), 'short'), false);
});

describe('Twilio status webhook', () => {
  let system: TestSystem;
  let twilio: FakeTwilio;
  let provider: TwilioSmsProvider;

  before(async () => {
    twilio = await startFakeTwilio();
    system = await startTestSystem({
      env: {
        TWILIO_ACCOUNT_SID: twilio.accountSid,
        TWILIO_AUTH_TOKEN: twilio.authToken,
        TWILIO_FROM: '+15005550006',
        TWILIO_BASE_URL: twilio.url,
        NEXT_PUBLIC_APP_URL: APP_URL,
      },
    });
    provider = twilioFromConfig(system.config, system.ctx.platform.logger)!;
  });
  after(async () => {
    await system.close();
    await twilio.close();
  });

  const db = () => system.ctx.platform.database.db;

  /** A stored SMS in the given status, sent through the fake Twilio; returns its id and SID. */
  async function sentSms(status: 'sending' | 'sent', recordSid = true) {
    const [row] = await db()
      .insert(notificationMessages)
      .values({ idempotencyKey: randomUUID(), channel: 'sms', kind: 'activity', toAddress: '+33612345678', bodyText: 'Rappel : séance demain 10h', status })
      .returning();
    const outgoing: OutgoingMessage = {
      id: row!.id,
      channel: 'sms',
      kind: 'activity',
      locale: 'fr',
      to: row!.toAddress,
      recipientUserId: null,
      subject: '',
      text: row!.bodyText,
      html: null,
      headers: {},
      data: {},
    };
    const result = await provider.send(outgoing);
    if (recordSid) await db().update(notificationMessages).set({ providerId: result.providerId }).where(eq(notificationMessages.id, row!.id));
    return { id: row!.id, sid: result.providerId! };
  }

  const post = (callback: { path: string; body: string }, signature: string | undefined) =>
    system.app.inject({
      method: 'POST',
      url: callback.path,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature === undefined ? {} : { 'x-twilio-signature': signature }) },
      payload: callback.body,
    });

  async function message(id: string) {
    const [row] = await db().select().from(notificationMessages).where(eq(notificationMessages.id, id));
    const history = await db().select().from(notificationMessageEvents).where(eq(notificationMessageEvents.messageId, id));
    return { row: row!, history };
  }

  test('delivered, correctly signed: the message is delivered, with a history row', async () => {
    const { id, sid } = await sentSms('sent');
    const callback = twilio.statusCallback(sid, 'delivered');
    assert.equal(callback.url, `${APP_URL}${WEBHOOK}?m=${id}`);
    const res = await post(callback, callback.signature);
    assert.equal(res.statusCode, 204, res.body);
    const { row, history } = await message(id);
    assert.equal(row.status, 'delivered');
    assert.ok(row.deliveredAt);
    assert.deepEqual(
      history.map((h) => h.status),
      ['delivered'],
    );
    // Twilio repeats callbacks: the second changes nothing.
    assert.equal((await post(callback, callback.signature)).statusCode, 204);
    assert.equal((await message(id)).history.length, 1);
  });

  test('undelivered with an error code: failed, the code in the history and last error', async () => {
    const { id, sid } = await sentSms('sent');
    const callback = twilio.statusCallback(sid, 'undelivered', { ErrorCode: '30003', ErrorMessage: 'Unreachable destination handset' });
    assert.equal((await post(callback, callback.signature)).statusCode, 204);
    const { row, history } = await message(id);
    assert.equal(row.status, 'failed');
    assert.match(row.lastError ?? '', /undelivered error 30003/);
    assert.equal(history[0]!.status, 'failed');
    assert.match(history[0]!.detail, /30003: Unreachable destination handset/);
  });

  test('a callback that overtakes our commit (still sending, no SID stored) finds the message by the id in its URL', async () => {
    const { id, sid } = await sentSms('sending', false);
    const callback = twilio.statusCallback(sid, 'delivered');
    assert.equal((await post(callback, callback.signature)).statusCode, 204);
    const { row } = await message(id);
    assert.equal(row.status, 'delivered');
    assert.equal(row.providerId, sid);
  });

  test('intermediate statuses (queued, sent) are acknowledged and change nothing', async () => {
    const { id, sid } = await sentSms('sent');
    for (const status of ['queued', 'sent']) {
      const callback = twilio.statusCallback(sid, status);
      assert.equal((await post(callback, callback.signature)).statusCode, 204);
    }
    const { row, history } = await message(id);
    assert.equal(row.status, 'sent');
    assert.equal(history.length, 0);
  });

  test('a report about another attempt (SID differs from the one recorded) changes nothing', async () => {
    const first = await sentSms('sent');
    const second = await sentSms('sent');
    // Replay the first SMS's delivered callback with the second message's id: properly signed, but about another SID.
    const callback = twilio.statusCallback(first.sid, 'failed', { ErrorCode: '30008' });
    const forgedPath = callback.path.replace(first.id, second.id);
    const url = `${APP_URL}${forgedPath}`;
    const signature = twilioSignature(twilio.authToken, url, Object.entries(callback.params));
    assert.equal((await post({ path: forgedPath, body: callback.body }, signature)).statusCode, 204);
    assert.equal((await message(second.id)).row.status, 'sent');
  });

  test('forged: a wrong signature, a tampered parameter, a missing header, or a signature over another URL are 403 and change nothing', async () => {
    const { id, sid } = await sentSms('sent');
    const callback = twilio.statusCallback(sid, 'failed', { ErrorCode: '30007' });
    const cases = [
      { body: callback.body, path: callback.path, signature: twilioSignature('not-the-token', callback.url, Object.entries(callback.params)) },
      { body: callback.body.replace('MessageStatus=failed', 'MessageStatus=delivered'), path: callback.path, signature: callback.signature },
      { body: callback.body, path: callback.path, signature: undefined },
      {
        body: callback.body,
        path: callback.path,
        signature: twilioSignature(twilio.authToken, `https://attacker.example${callback.path}`, Object.entries(callback.params)),
      },
    ];
    for (const c of cases) {
      const res = await post(c, c.signature);
      assert.equal(res.statusCode, 403, res.body);
      assert.equal(res.json().error.code, 'forbidden');
    }
    assert.equal((await message(id)).row.status, 'sent');
  });

  test('the webhook takes form bodies only; the rest of the API stays JSON-only', async () => {
    const res = await system.app.inject({ method: 'POST', url: WEBHOOK, headers: { 'content-type': 'text/plain' }, payload: 'x' });
    assert.equal(res.statusCode, 415);
    const login = await system.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=a%40b.c&password=x',
    });
    assert.equal(login.statusCode, 415);
  });
});

test('without Twilio settings every callback is refused (no token to check it with)', () => {
  const service = new SmsWebhookService({
    authToken: null,
    publicUrl: APP_URL,
    reports: null as unknown as DeliveryReportsRepository,
    clock: systemClock,
    logger: createLogger({ level: 'silent', name: 'test' }),
  });
  const params: [string, string][] = [
    ['MessageSid', `SM${'0'.repeat(32)}`],
    ['MessageStatus', 'delivered'],
  ];
  assert.throws(
    () => service.verify(WEBHOOK, params, twilioSignature('', `${APP_URL}${WEBHOOK}`, params)),
    (error: AppError) => error.status === 403,
  );
});
