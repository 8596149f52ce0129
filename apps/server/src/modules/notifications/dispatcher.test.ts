import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { simpleParser } from 'mailparser';
import { ManualClock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/client.ts';
import { createContext } from '../../context.ts';
import { startTestSystem, type TestSystem } from '../../test/harness.ts';
import { startLocalSmtp, type LocalSmtp } from '../../test/smtp.ts';
import { classifySmtpError } from './channels/email.ts';
import { PermanentFailure, TemporaryFailure } from './channels/types.ts';
import { backoffMs } from './notifications.jobs.ts';
import { DEFAULT_NOTIFICATIONS_SETTINGS } from './notifications.schemas.ts';
import { historyOf, makeArtist, makeTemplate, messageRow, messageRows, setNotificationSettings } from './notifications.test-helpers.ts';

test('SMTP errors: 4xx and network errors are temporary; 5xx permanent; 550 to RCPT TO is a bounce', () => {
  assert.ok(classifySmtpError({ responseCode: 451, message: 'try later', command: 'DATA' }) instanceof TemporaryFailure);
  assert.ok(classifySmtpError({ code: 'ECONNECTION', message: 'refused' }) instanceof TemporaryFailure);
  assert.ok(classifySmtpError({ code: 'ETIMEDOUT', message: 'timeout' }) instanceof TemporaryFailure);
  assert.ok(classifySmtpError({ code: 'EAUTH', responseCode: 535, message: 'bad credentials' }) instanceof TemporaryFailure);
  const failed = classifySmtpError({ responseCode: 554, message: 'rejected', command: 'DATA' });
  assert.ok(failed instanceof PermanentFailure && !failed.bounced);
  const bounced = classifySmtpError({ code: 'EENVELOPE', responseCode: 550, message: 'no such user', command: 'RCPT TO' });
  assert.ok(bounced instanceof PermanentFailure && bounced.bounced);
});

test('retry delays double from the base, at least what the provider asked, at most six hours', () => {
  assert.deepEqual(
    [1, 2, 3, 4].map((n) => backoffMs(n, 60)),
    [60_000, 120_000, 240_000, 480_000],
  );
  assert.equal(backoffMs(1, 60, 300_000), 300_000);
  assert.equal(backoffMs(30, 60), 6 * 3_600_000);
});

describe('dispatcher against a real SMTP server', () => {
  const clock = new ManualClock('2027-04-05T08:00:00Z');
  let smtp: LocalSmtp;
  let system: TestSystem;
  let db: Db;
  let templates: { activity: string; marketing: string };

  before(async () => {
    smtp = await startLocalSmtp();
    system = await startTestSystem({ clock, env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), SMTP_FROM: 'MONA x SPARK <team@mona.example>' } });
    db = system.ctx.platform.database.db;
    await setNotificationSettings(system, { rateLimits: { email: 1000, sms: 1000, push: 1000, inapp: 1000 }, retryBaseSeconds: 60 });
    const body = {
      fr: { subject: 'Votre commande {{order}}', body: 'Bonjour {{name}},\n\nVotre commande **{{order}}** est payée. [Voir]({{link}})' },
      en: { subject: 'Your order {{order}}', body: 'Hello {{name}},\n\nYour order **{{order}}** is paid. [View]({{link}})' },
    };
    templates = {
      activity: await makeTemplate(db, { channel: 'email', kind: 'activity', ...body }),
      marketing: await makeTemplate(db, { channel: 'email', kind: 'marketing', ...body }),
    };
  });
  after(async () => {
    await system.close();
    await smtp.close();
  });
  beforeEach(() => {
    // Each test gets its own simulated hour, so rate-limit windows never overlap between tests.
    clock.advance(3_600_000);
  });

  const compose = async (kind: 'activity' | 'marketing' = 'activity', artist?: { id: string }) => {
    const recipient = artist ?? (await makeArtist(db, { consent: true, stageName: 'Nina' }));
    return system.ctx.services.notifications.compose({
      idempotencyKey: `t:${randomUUID()}`,
      templateCode: templates[kind],
      artistId: recipient.id,
      variables: { order: 'MONA 290' },
      link: '/portal/orders',
      windowRule: 'any',
    });
  };
  const drain = () => system.ctx.notifications.dispatcher.drain();
  const arrived = (id: string) => smtp.received.filter((m) => m.messageId === `<${id}@mona-spark>`);

  test('a message arrives with its subject, text and HTML parts and the deterministic Message-ID; the row is sent', async () => {
    const artist = await makeArtist(db, { stageName: 'Nina Solaire' });
    const message = await compose('activity', artist);
    await drain();
    const [mail] = arrived(message.id);
    assert.ok(mail, 'the message reached the SMTP server');
    assert.deepEqual(mail.to, [artist.email]);
    assert.equal(mail.from, 'team@mona.example');
    assert.equal(mail.parsed.subject, 'Votre commande MONA 290');
    assert.match(mail.parsed.text!, /Bonjour Nina Solaire,\n\nVotre commande MONA 290 est payée\. Voir \(http:\/\/localhost:3000\/api\/t\/c\//);
    assert.match(mail.parsed.html as string, /<strong>MONA 290<\/strong>/);
    assert.match(mail.parsed.html as string, /<img src="http:\/\/localhost:3000\/api\/t\/o\/[\w.-]+" width="1" height="1"/);
    assert.equal(mail.parsed.headers.get('list-unsubscribe'), undefined, 'activity emails have no List-Unsubscribe');
    const row = await messageRow(db, message.id);
    assert.equal(row.status, 'sent');
    assert.equal(row.providerId, `<${message.id}@mona-spark>`);
    assert.equal(row.attempts, 1);
    assert.equal(row.sentAt?.toISOString(), clock.now().toISOString());
    assert.equal(row.leaseUntil, null);
    assert.deepEqual(
      (await historyOf(db, message.id)).map((h) => h.status),
      ['pending', 'sending', 'sent'],
    );
    assert.equal((await system.ctx.notifications.metrics.sent.get().then((m) => m.values.find((v) => v.labels.channel === 'email')?.value ?? 0)) >= 1, true);
  });

  test('a marketing email carries List-Unsubscribe (https link) and List-Unsubscribe-Post at the server', async () => {
    const message = await compose('marketing');
    await drain();
    const [mail] = arrived(message.id);
    assert.ok(mail);
    // Header lines as they arrived, unfolded.
    const header = (name: string) => mail.parsed.headerLines.find((h) => h.key === name)?.line.replace(/\r?\n[ \t]+/g, ' ');
    assert.match(header('list-unsubscribe') ?? '', /^List-Unsubscribe: <http:\/\/localhost:3000\/api\/unsubscribe\/[\w-]+\.[\w-]+>$/);
    assert.equal(header('list-unsubscribe-post'), 'List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    assert.match(mail.parsed.text!, /Pour ne plus recevoir nos e-mails marketing : http:\/\/localhost:3000\/api\/unsubscribe\//);
    assert.match(mail.parsed.html as string, /Se désinscrire des e-mails marketing/);
  });

  test('4xx: retried later with backoff, then sent; nothing is sent before its time', async () => {
    const message = await compose();
    smtp.answerNext({ code: 451, message: 'Greylisted, try again later' });
    await drain();
    let row = await messageRow(db, message.id);
    assert.equal(row.status, 'pending');
    assert.equal(row.attempts, 1);
    assert.equal(row.sendAfter.getTime(), clock.now().getTime() + 60_000);
    assert.match(row.lastError!, /451 Greylisted/);
    assert.equal(arrived(message.id).length, 0);

    clock.advance(59_000);
    await drain();
    assert.equal((await messageRow(db, message.id)).status, 'pending', 'not before its retry time');
    clock.advance(1_000);
    await drain();
    row = await messageRow(db, message.id);
    assert.equal(row.status, 'sent');
    assert.equal(row.attempts, 2);
    assert.equal(arrived(message.id).length, 1);
    assert.deepEqual(
      (await historyOf(db, message.id)).map((h) => h.status),
      ['pending', 'sending', 'pending', 'sending', 'sent'],
    );
  });

  test('attempts exhausted: failed', async () => {
    await setNotificationSettings(system, { rateLimits: { email: 1000, sms: 1000, push: 1000, inapp: 1000 }, maxAttempts: 2 });
    try {
      const message = await compose();
      smtp.answerNext({ code: 421, message: 'Service not available' }, { code: 452, message: 'Insufficient storage' });
      await drain();
      clock.advance(60_000);
      await drain();
      const row = await messageRow(db, message.id);
      assert.equal(row.status, 'failed');
      assert.equal(row.attempts, 2);
      assert.match((await historyOf(db, message.id)).at(-1)!.detail, /^gave up after 2 attempts: .*452/);
    } finally {
      await setNotificationSettings(system, { rateLimits: { email: 1000, sms: 1000, push: 1000, inapp: 1000 } });
    }
  });

  test('5xx: failed at once, never retried', async () => {
    const message = await compose();
    const attemptsBefore = smtp.attempts;
    smtp.answerNext({ code: 554, message: 'Message rejected as spam' });
    await drain();
    clock.advance(24 * 3_600_000);
    await drain();
    const row = await messageRow(db, message.id);
    assert.equal(row.status, 'failed');
    assert.equal(row.attempts, 1);
    assert.match(row.lastError!, /554 Message rejected/);
    assert.equal(smtp.attempts - attemptsBefore, 1);
    assert.equal(arrived(message.id).length, 0);
  });

  test('550 to the recipient: bounced', async () => {
    const artist = await makeArtist(db, { email: 'nobody@bounce.example' });
    smtp.onRecipient = (address) => (address.endsWith('@bounce.example') ? { code: 550, message: 'No such user here' } : null);
    try {
      const message = await compose('activity', artist);
      await drain();
      const row = await messageRow(db, message.id);
      assert.equal(row.status, 'bounced');
      assert.match(row.lastError!, /550 No such user/);
    } finally {
      smtp.onRecipient = null;
    }
  });

  test('an expired lease is taken over: the message a dead worker held is sent by the next one', async () => {
    const message = await compose();
    // A worker claims it and dies without a word.
    const claimed = await system.ctx.repos.notifications.claim(db, 'email', clock.now(), new Date(clock.now().getTime() + 300_000), 100);
    assert.ok(claimed.some((m) => m.id === message.id));
    await drain();
    assert.equal((await messageRow(db, message.id)).status, 'sending', 'held while the lease runs');
    clock.advance(300_001);
    await drain();
    const row = await messageRow(db, message.id);
    assert.equal(row.status, 'sent');
    assert.equal(row.attempts, 2);
    assert.ok((await historyOf(db, message.id)).some((h) => h.detail.startsWith('taken over')));
    assert.equal(arrived(message.id).length, 1);
  });

  test('two dispatchers draining at once send each message exactly once', async () => {
    const second = createContext(system.ctx.platform, { clock });
    try {
      const artist = await makeArtist(db);
      // Composed a few at a time: 60 transactions at once would queue past the pool's connect timeout on a loaded embedded database.
      const ids: string[] = [];
      for (let batch = 0; batch < 10; batch++) {
        ids.push(...(await Promise.all(Array.from({ length: 6 }, () => compose('activity', artist)))).map((m) => m.id));
      }
      const results = await Promise.all([system.ctx.notifications.dispatcher.drain(), second.notifications.dispatcher.drain()]);
      assert.equal(results[0].claimed + results[1].claimed, 60);
      assert.ok(results[0].claimed > 0 && results[1].claimed > 0, `both took a share: ${results[0].claimed} / ${results[1].claimed}`);
      const counts = smtp.messageIdCounts();
      for (const id of ids) assert.equal(counts.get(`<${id}@mona-spark>`), 1, id);
      assert.ok((await messageRows(db, ids)).every((r) => r.status === 'sent' && r.attempts === 1));
    } finally {
      await second.notifications.close();
      await second.queue.close();
    }
  });

  test('rate limit: with 3 per second, a burst of 10 goes out 3, 3, 3, 1 over four seconds', async () => {
    await setNotificationSettings(system, { rateLimits: { email: 3, sms: 1000, push: 1000, inapp: 1000 } });
    try {
      clock.set(new Date(Math.ceil(clock.now().getTime() / 1000) * 1000));
      const start = clock.now().getTime();
      const ids = [];
      for (let i = 0; i < 10; i++) ids.push((await compose()).id);
      for (let second = 0; second < 4; second++) {
        await drain();
        clock.advance(1000);
      }
      const rows = await messageRows(db, ids);
      assert.ok(rows.every((r) => r.status === 'sent'));
      const perSecond = [0, 1, 2, 3].map((s) => rows.filter((r) => r.sentAt!.getTime() === start + s * 1000).length);
      assert.deepEqual(perSecond, [3, 3, 3, 1]);
      assert.ok(
        rows.every((r) => r.attempts === 1),
        'waiting for the limit is not an attempt',
      );
    } finally {
      await setNotificationSettings(system, { rateLimits: { email: 1000, sms: 1000, push: 1000, inapp: 1000 } });
    }
  });

  test('a channel without a provider keeps its messages pending', async () => {
    const third = createContext(system.ctx.platform, { clock });
    third.notifications.providers.delete('email');
    try {
      const message = await compose();
      await third.notifications.dispatcher.drain();
      assert.equal((await messageRow(db, message.id)).status, 'pending');
      await drain();
      assert.equal((await messageRow(db, message.id)).status, 'sent');
    } finally {
      await third.notifications.close();
      await third.queue.close();
    }
  });

  test('the notifications settings are validated when an admin saves them', async () => {
    const admin = { id: randomUUID(), role: 'admin' as const };
    await assert.rejects(system.ctx.services.settings.set(admin, 'notifications', { ...DEFAULT_NOTIFICATIONS_SETTINGS, timeZone: 'Mars/Olympus' }), {
      status: 400,
    });
    await assert.rejects(
      system.ctx.services.settings.set(admin, 'notifications', { ...DEFAULT_NOTIFICATIONS_SETTINGS, marketingWindows: { days: [], ranges: [] } }),
      { status: 400 },
    );
    await assert.rejects(
      system.ctx.services.settings.set(admin, 'notifications', { ...DEFAULT_NOTIFICATIONS_SETTINGS, rateLimits: { email: 0, sms: 1, push: 1, inapp: 1 } }),
      { status: 400 },
    );
  });
});

describe('SMTP with STARTTLS and authentication', () => {
  test('the connection is upgraded when the server offers STARTTLS, and the client authenticates', async () => {
    const smtp = await startLocalSmtp({ starttls: true, auth: { user: 'mailer', pass: 'pw-123456' } });
    const clock = new ManualClock('2027-04-05T08:00:00Z');
    const system = await startTestSystem({
      clock,
      env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), SMTP_USER: 'mailer', SMTP_PASS: 'pw-123456' },
      // smtp-server's built-in certificate is self-signed.
      notifications: { smtp: { tls: { rejectUnauthorized: false } } },
    });
    try {
      const db = system.ctx.platform.database.db;
      const code = await makeTemplate(db, { channel: 'email', kind: 'transactional', fr: { subject: 'Code', body: 'Votre code : 123456' } });
      const artist = await makeArtist(db);
      const message = await system.ctx.services.notifications.compose({ idempotencyKey: randomUUID(), templateCode: code, artistId: artist.id });
      await system.ctx.notifications.dispatcher.drain();
      assert.equal((await messageRow(db, message.id)).status, 'sent');
      assert.equal(smtp.received.length, 1);
      assert.equal(smtp.received[0]!.secure, true, 'sent over TLS');
      assert.equal(smtp.received[0]!.user, 'mailer');
    } finally {
      await system.close();
      await smtp.close();
    }
  });
});

describe('the local outbox (no SMTP_HOST)', () => {
  test('the email is built as it would be sent and kept once, even when a taken-over worker sends it again', async () => {
    const clock = new ManualClock('2027-04-05T08:00:00Z');
    const system = await startTestSystem({ clock });
    try {
      const db = system.ctx.platform.database.db;
      assert.match(system.ctx.notifications.providers.get('email')!.description, /^outbox/);
      const code = await makeTemplate(db, { channel: 'email', kind: 'activity', en: { subject: 'Hello {{name}}', body: 'Hi **{{name}}**' } });
      const artist = await makeArtist(db, { stageName: 'Ada' });
      const message = await system.ctx.services.notifications.compose({ idempotencyKey: randomUUID(), templateCode: code, artistId: artist.id });
      await system.ctx.notifications.dispatcher.drain();
      const rows = await db.execute<{ id: string; raw: string; to_address: string; subject: string }>(
        sql`select id, raw, to_address, subject from notification_outbox where message_id = ${message.id}`,
      );
      assert.equal(rows.rows.length, 1);
      const parsed = await simpleParser(rows.rows[0]!.raw);
      assert.equal(parsed.subject, 'Hello Ada');
      assert.equal(parsed.messageId, `<${message.id}@mona-spark>`);
      assert.match(parsed.text!, /Hi Ada/);
      assert.match(parsed.html as string, /<strong>Ada<\/strong>/);
      assert.match(rows.rows[0]!.raw, /\r\n/, 'RFC 5322 line endings');
      // Handing the same message to the outbox again adds nothing.
      const provider = system.ctx.notifications.providers.get('email')!;
      const row = await messageRow(db, message.id);
      await provider.send({
        id: row.id,
        channel: 'email',
        kind: row.kind,
        locale: row.locale,
        to: row.toAddress,
        recipientUserId: null,
        subject: row.subject,
        text: row.bodyText,
        html: row.bodyHtml,
        headers: {},
        data: {},
      });
      const count = await db.execute<{ n: number }>(sql`select count(*)::int as n from notification_outbox where message_id = ${message.id}`);
      assert.equal(count.rows[0]!.n, 1);
      assert.equal((await messageRow(db, message.id)).status, 'sent');
    } finally {
      await system.close();
    }
  });
});
