import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Writable } from 'node:stream';
import { createLogger } from '../../../platform/logger.ts';
import { startFakeTwilio, type FakeTwilio } from '../../../test/twilio.ts';
import { retryAfterMs, TwilioSmsProvider, twilioFromConfig } from './sms.ts';
import { PermanentFailure, TemporaryFailure, type OutgoingMessage } from './types.ts';

const logger = createLogger({ level: 'silent', name: 'test' });

function sms(to: string | null, text = 'Votre session studio est confirmée.'): OutgoingMessage {
  return { id: randomUUID(), channel: 'sms', kind: 'activity', locale: 'fr', to, recipientUserId: null, subject: '', text, html: null, headers: {}, data: {} };
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

describe('TwilioSmsProvider against a server answering as Twilio does', () => {
  let twilio: FakeTwilio;
  let provider: TwilioSmsProvider;

  before(async () => {
    twilio = await startFakeTwilio();
    provider = new TwilioSmsProvider({
      accountSid: twilio.accountSid,
      authToken: twilio.authToken,
      from: '+15005550006',
      baseUrl: twilio.url,
      publicUrl: 'https://app.example.test',
      logger,
    });
  });
  after(() => twilio.close());

  test('201: sent, with the message SID as provider id and the StatusCallback naming our message', async () => {
    const message = sms('+33612345678');
    const result = await provider.send(message);
    assert.equal(result.status, 'sent');
    assert.match(result.providerId ?? '', /^SM[0-9a-f]{32}$/);
    const received = twilio.messages.find((m) => m.sid === result.providerId);
    assert.ok(received);
    assert.equal(received.to, '+33612345678');
    assert.equal(received.from, '+15005550006');
    assert.equal(received.body, 'Votre session studio est confirmée.');
    assert.equal(received.statusCallback, `https://app.example.test/api/webhooks/twilio/status?m=${message.id}`);
  });

  test('a Messaging Service SID as sender is sent as MessagingServiceSid', async () => {
    const serviceSid = `MG${'a1'.repeat(16)}`;
    const viaService = new TwilioSmsProvider({
      accountSid: twilio.accountSid,
      authToken: twilio.authToken,
      from: serviceSid,
      baseUrl: twilio.url,
      publicUrl: null,
      logger,
    });
    const result = await viaService.send(sms('+447700900123'));
    const received = twilio.messages.find((m) => m.sid === result.providerId)!;
    assert.equal(received.messagingServiceSid, serviceSid);
    assert.equal(received.from, null);
    assert.equal(received.statusCallback, null);
  });

  test('a number that is not E.164 is refused before any request: permanent, bounced', async () => {
    const before = twilio.requests.length;
    for (const to of ['0612345678', '+0612345678', '+33 6 12 34 56 78', '+1234567890123456', null]) {
      const error = await failure(provider.send(sms(to)), PermanentFailure);
      assert.equal(error.bounced, true);
    }
    assert.equal(twilio.requests.length, before);
  });

  test("400 code 21211 (invalid 'To'): permanent, bounced", async () => {
    twilio.answerNext({ status: 400, code: 21211, message: "Invalid 'To' Phone Number: +33600000000" });
    const error = await failure(provider.send(sms('+33600000000')), PermanentFailure);
    assert.equal(error.bounced, true);
    assert.match(error.message, /400 code 21211: Invalid 'To' Phone Number/);
  });

  test('400 code 21610 (the recipient replied STOP): permanent, not a bounce', async () => {
    twilio.unsubscribed.add('+33699999999');
    const error = await failure(provider.send(sms('+33699999999')), PermanentFailure);
    assert.equal(error.bounced, false);
    assert.match(error.message, /21610/);
  });

  test('429 code 20429 with Retry-After: temporary, waiting what Twilio asks', async () => {
    twilio.answerNext({ status: 429, code: 20429, message: 'Too Many Requests', headers: { 'retry-after': '7' } });
    const error = await failure(provider.send(sms('+33612345678')), TemporaryFailure);
    assert.equal(error.retryAfterMs, 7000);
    assert.match(error.message, /429 code 20429/);
    // The next request goes through: normal service resumed.
    assert.equal((await provider.send(sms('+33612345678'))).status, 'sent');
  });

  test('500 and 503: temporary', async () => {
    twilio.answerNext({ status: 500, code: 20500, message: 'Internal Server Error' }, { status: 503, code: 20503, message: 'Service Unavailable' });
    await failure(provider.send(sms('+33612345678')), TemporaryFailure);
    await failure(provider.send(sms('+33612345678')), TemporaryFailure);
  });

  test('401 (wrong token): permanent, and logged as an error naming the settings', async () => {
    const lines: string[] = [];
    const loud = createLogger({
      level: 'error',
      name: 'test',
      destination: new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    });
    const wrong = new TwilioSmsProvider({
      accountSid: twilio.accountSid,
      authToken: 'not-the-token',
      from: '+15005550006',
      baseUrl: twilio.url,
      publicUrl: null,
      logger: loud,
    });
    const error = await failure(wrong.send(sms('+33612345678')), PermanentFailure);
    assert.match(error.message, /401 code 20003/);
    assert.ok(lines.some((l) => l.includes('TWILIO_AUTH_TOKEN')));
  });

  test('connection refused and a server that does not answer in time: temporary', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = new TwilioSmsProvider({
      accountSid: 'AC1',
      authToken: 't',
      from: '+15005550006',
      baseUrl: `http://127.0.0.1:${port}`,
      publicUrl: null,
      logger,
    });
    assert.match((await failure(refused.send(sms('+33612345678')), TemporaryFailure)).message, /ECONNREFUSED/);

    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const slow = new TwilioSmsProvider({
      accountSid: 'AC1',
      authToken: 't',
      from: '+15005550006',
      baseUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
      publicUrl: null,
      logger,
      timeoutMs: 200,
    });
    await failure(slow.send(sms('+33612345678')), TemporaryFailure);
    silent.closeAllConnections();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  test('twilioFromConfig: null (local outbox) unless the SID, token and sender are all set', () => {
    const base = { TWILIO_BASE_URL: twilio.url, NEXT_PUBLIC_APP_URL: 'http://localhost:3000' };
    assert.equal(twilioFromConfig(base, logger), null);
    assert.equal(twilioFromConfig({ ...base, TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 't' }, logger), null);
    const built = twilioFromConfig({ ...base, TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 't', TWILIO_FROM: '+15005550006' }, logger);
    assert.ok(built instanceof TwilioSmsProvider);
    assert.equal(built.description, `twilio ${new URL(twilio.url).host}`);
  });
});

test('retryAfterMs reads seconds and HTTP dates', () => {
  assert.equal(retryAfterMs('12'), 12_000);
  assert.equal(retryAfterMs(new Date(Date.UTC(2026, 0, 1, 0, 0, 30)).toUTCString(), Date.UTC(2026, 0, 1)), 30_000);
  assert.equal(retryAfterMs('soon'), undefined);
  assert.equal(retryAfterMs(null), undefined);
});
