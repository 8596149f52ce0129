import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { ManualClock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/client.ts';
import { startTestSystem, type TestSystem } from '../../test/harness.ts';
import { notificationMessages, notificationPreferences } from './notifications.tables.ts';
import { countRows, historyOf, makeArtist, makeTemplate, makeUser, messageRow } from './notifications.test-helpers.ts';
import { refusal, toE164, type NotificationsService } from './notifications.service.ts';

const eqKey = (key: string) => eq(notificationMessages.idempotencyKey, key);
const sqlSent = (id: string) => sql`update notification_messages set status = 'sent' where id = ${id}`;

test('phone numbers become E.164 (French national numbers get +33), or are refused', () => {
  assert.equal(toE164('06 12 34 56 78'), '+33612345678');
  assert.equal(toE164('+33 6 12-34-56-78'), '+33612345678');
  assert.equal(toE164('0033 (6) 12 34 56 78'), '+33612345678');
  assert.equal(toE164('+1 415 555 0100'), '+14155550100');
  assert.equal(toE164('612345678'), null);
  assert.equal(toE164('+0 12'), null);
});

test('preference rules: transactional always; activity per preference; marketing needs consent and preference', () => {
  const artist = { id: 'a', stageName: 'A', email: 'a@x', phone: null, consentMarketing: true, userId: null, archivedAt: null };
  const off = {
    userId: 'u',
    channels: { email: { activity: false, marketing: false } },
    quietStart: null,
    quietEnd: null,
    timeZone: 'Europe/Paris',
    updatedAt: new Date(),
  };
  assert.equal(refusal('email', 'transactional', { artist: undefined, user: undefined, preferences: off }), null);
  assert.match(refusal('email', 'activity', { artist, user: undefined, preferences: off })!, /turned off/);
  assert.equal(refusal('sms', 'activity', { artist, user: undefined, preferences: off }), null);
  assert.match(
    refusal('email', 'marketing', { artist: { ...artist, consentMarketing: false }, user: undefined, preferences: undefined })!,
    /no marketing consent/,
  );
  assert.match(refusal('email', 'marketing', { artist: undefined, user: undefined, preferences: undefined })!, /no marketing consent/);
  assert.match(refusal('email', 'marketing', { artist, user: undefined, preferences: off })!, /turned off/);
  assert.equal(refusal('email', 'marketing', { artist, user: undefined, preferences: undefined }), null);
});

describe('compose', () => {
  // Monday 1 March 2027, 10:00 in Paris (UTC+1).
  const clock = new ManualClock('2027-03-01T09:00:00Z');
  let system: TestSystem;
  let db: Db;
  let service: NotificationsService;
  const templates: Record<string, string> = {};

  before(async () => {
    system = await startTestSystem({ clock });
    db = system.ctx.platform.database.db;
    service = system.ctx.services.notifications;
    const both = {
      fr: { subject: 'Bonjour {{name}}', body: 'Bonjour {{name}}, {{extra}}' },
      en: { subject: 'Hello {{name}}', body: 'Hello {{name}}, {{extra}}' },
    };
    templates.mailMarketing = await makeTemplate(db, { channel: 'email', kind: 'marketing', ...both });
    templates.mailActivity = await makeTemplate(db, { channel: 'email', kind: 'activity', ...both });
    templates.mailTransactional = await makeTemplate(db, { channel: 'email', kind: 'transactional', ...both });
    templates.smsActivity = await makeTemplate(db, { channel: 'sms', kind: 'activity', ...both });
    templates.smsTransactional = await makeTemplate(db, { channel: 'sms', kind: 'transactional', ...both });
    templates.pushActivity = await makeTemplate(db, { channel: 'push', kind: 'activity', ...both });
    templates.frOnly = await makeTemplate(db, { channel: 'email', kind: 'activity', fr: { subject: 'Seulement en français', body: 'Texte' } });
  });
  after(() => system.close());

  const key = () => `test:${randomUUID()}`;

  test('a transactional email to an artist without consent goes out now, rendered in French', async () => {
    const artist = await makeArtist(db, { stageName: 'Nina Solaire' });
    const result = await service.compose({
      idempotencyKey: key(),
      templateCode: templates.mailTransactional!,
      artistId: artist.id,
      variables: { extra: 'merci' },
    });
    assert.equal(result.status, 'pending');
    assert.equal(result.created, true);
    assert.equal(result.sendAfter, clock.now().toISOString());
    const row = await messageRow(db, result.id);
    assert.equal(row.toAddress, artist.email);
    assert.equal(row.subject, 'Bonjour Nina Solaire');
    assert.match(row.bodyText, /^Bonjour Nina Solaire, merci/);
    assert.ok(row.bodyHtml?.includes('Bonjour Nina Solaire, merci'));
    assert.equal(row.locale, 'fr');
    assert.equal(row.maxAttempts, 5);
    assert.deepEqual(await historyOf(db, result.id), [{ status: 'pending', detail: `composed; not before ${result.sendAfter}` }]);
  });

  test('marketing: skipped without consent; with consent it waits for the next send window (Tuesday 10:00 Paris)', async () => {
    const without = await makeArtist(db);
    const refused = await service.compose({ idempotencyKey: key(), templateCode: templates.mailMarketing!, artistId: without.id });
    assert.equal(refused.status, 'skipped');
    assert.equal(refused.reason, 'no marketing consent');
    assert.deepEqual(await historyOf(db, refused.id), [{ status: 'skipped', detail: 'skipped: no marketing consent' }]);

    const consenting = await makeArtist(db, { consent: true });
    const queued = await service.compose({ idempotencyKey: key(), templateCode: templates.mailMarketing!, artistId: consenting.id });
    assert.equal(queued.status, 'pending');
    assert.equal(queued.sendAfter, '2027-03-02T09:00:00.000Z');
    const row = await messageRow(db, queued.id);
    const headers = (row.data as { headers: Record<string, string> }).headers;
    assert.match(headers['List-Unsubscribe']!, /^<http:\/\/localhost:3000\/api\/unsubscribe\/[\w-]+\.[\w-]+>$/);
    assert.equal(headers['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');

    const archived = await makeArtist(db, { consent: true, archived: true });
    assert.equal((await service.compose({ idempotencyKey: key(), templateCode: templates.mailMarketing!, artistId: archived.id })).reason, 'artist archived');
  });

  test('a later notBefore is kept; a past one means now', async () => {
    const artist = await makeArtist(db);
    const later = new Date(clock.now().getTime() + 3 * 3_600_000);
    const future = await service.compose({ idempotencyKey: key(), templateCode: templates.mailActivity!, artistId: artist.id, notBefore: later });
    assert.equal(future.sendAfter, later.toISOString());
    const past = await service.compose({
      idempotencyKey: key(),
      templateCode: templates.mailActivity!,
      artistId: artist.id,
      notBefore: new Date('2020-01-01'),
    });
    assert.equal(past.sendAfter, clock.now().toISOString());
    // The daytime rule at 06:00 Paris waits until 09:00.
    const early = await service.compose({
      idempotencyKey: key(),
      templateCode: templates.mailActivity!,
      artistId: artist.id,
      notBefore: new Date('2027-03-03T05:00:00Z'),
      windowRule: 'daytime',
    });
    assert.equal(early.sendAfter, '2027-03-03T08:00:00.000Z');
  });

  test('preferences: an activity channel turned off is skipped; transactional goes anyway; the user’s locale and quiet hours apply', async () => {
    const user = await makeUser(db, { locale: 'en' });
    const artist = await makeArtist(db, { userId: user.id, phone: '06 12 34 56 78', stageName: 'Leo' });
    await db.insert(notificationPreferences).values({
      userId: user.id,
      channels: { email: { activity: false } },
      quietStart: '22:00',
      quietEnd: '08:00',
      timeZone: 'Europe/Paris',
    });
    const off = await service.compose({ idempotencyKey: key(), templateCode: templates.mailActivity!, artistId: artist.id });
    assert.equal(off.status, 'skipped');
    assert.equal(off.reason, "activity messages turned off on email in the recipient's preferences");
    const transactional = await service.compose({ idempotencyKey: key(), templateCode: templates.mailTransactional!, userId: user.id });
    assert.equal(transactional.status, 'pending');
    const row = await messageRow(db, transactional.id);
    assert.equal(row.locale, 'en');
    assert.equal(row.subject, 'Hello Leo');
    assert.equal(row.artistId, artist.id, 'the artist record is found from the account');

    // 22:30 in Paris: an activity SMS waits for the end of quiet hours; a transactional one does not.
    clock.set('2027-03-01T21:30:00Z');
    const quiet = await service.compose({ idempotencyKey: key(), templateCode: templates.smsActivity!, artistId: artist.id });
    assert.equal(quiet.sendAfter, '2027-03-02T07:00:00.000Z');
    assert.equal((await messageRow(db, quiet.id)).toAddress, '+33612345678');
    const urgent = await service.compose({ idempotencyKey: key(), templateCode: templates.smsTransactional!, artistId: artist.id });
    assert.equal(urgent.sendAfter, '2027-03-01T21:30:00.000Z');
    clock.set('2027-03-01T09:00:00Z');
  });

  test('the French wording is used when the recipient’s language is missing', async () => {
    const user = await makeUser(db, { locale: 'en' });
    const result = await service.compose({ idempotencyKey: key(), templateCode: templates.frOnly!, userId: user.id });
    const row = await messageRow(db, result.id);
    assert.equal(row.locale, 'fr');
    assert.equal(row.subject, 'Seulement en français');
    assert.equal(row.toAddress, user.email, 'an account without artist record gets email at its own address');
  });

  test('a missing address or account skips the message with the reason', async () => {
    const noEmail = await makeArtist(db, { email: null });
    assert.equal((await service.compose({ idempotencyKey: key(), templateCode: templates.mailActivity!, artistId: noEmail.id })).reason, 'no email address');
    const noPhone = await makeArtist(db);
    assert.equal((await service.compose({ idempotencyKey: key(), templateCode: templates.smsActivity!, artistId: noPhone.id })).reason, 'no phone number');
    const badPhone = await makeArtist(db, { phone: '12345' });
    assert.match((await service.compose({ idempotencyKey: key(), templateCode: templates.smsActivity!, artistId: badPhone.id })).reason!, /not usable for SMS/);
    const noAccount = await makeArtist(db);
    assert.equal(
      (await service.compose({ idempotencyKey: key(), templateCode: templates.pushActivity!, artistId: noAccount.id })).reason,
      'no account: push messages need one',
    );
  });

  test('unknown template, artist or user: 404; neither artist nor user: 400', async () => {
    const artist = await makeArtist(db);
    await assert.rejects(service.compose({ idempotencyKey: key(), templateCode: 'no.such.template', artistId: artist.id }), { status: 404 });
    await assert.rejects(service.compose({ idempotencyKey: key(), templateCode: templates.mailActivity!, artistId: randomUUID() }), { status: 404 });
    await assert.rejects(service.compose({ idempotencyKey: key(), templateCode: templates.mailActivity!, userId: randomUUID() }), { status: 404 });
    await assert.rejects(service.compose({ idempotencyKey: key(), templateCode: templates.mailActivity! }), { status: 400 });
  });

  test('idempotency: 10 parallel composes with the same key make one message', async () => {
    const artist = await makeArtist(db);
    const idempotencyKey = key();
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        service.compose({ idempotencyKey, templateCode: templates.mailTransactional!, artistId: artist.id, variables: { extra: 'x' } }),
      ),
    );
    assert.equal(new Set(results.map((r) => r.id)).size, 1);
    assert.equal(results.filter((r) => r.created).length, 1);
    assert.equal(await countRows(db, 'notification_messages', eqKey(idempotencyKey)), 1);
    assert.equal((await historyOf(db, results[0]!.id)).length, 1);
    // Later, with other variables: still the first message, unchanged.
    const again = await service.compose({ idempotencyKey, templateCode: templates.mailTransactional!, artistId: artist.id, variables: { extra: 'y' } });
    assert.equal(again.created, false);
    assert.match((await messageRow(db, again.id)).bodyText, /x$/m);
  });

  test('inside a caller’s transaction: rolled back with it', async () => {
    const artist = await makeArtist(db);
    const idempotencyKey = key();
    await assert.rejects(
      db.transaction(async (tx) => {
        await service.compose({ idempotencyKey, templateCode: templates.mailTransactional!, artistId: artist.id }, tx);
        throw new Error('the caller fails');
      }),
      /the caller fails/,
    );
    assert.equal(await countRows(db, 'notification_messages', eqKey(idempotencyKey)), 0);
  });

  test('cancelForEnrolment cancels the pending messages of an enrolment only', async () => {
    const artist = await makeArtist(db, { consent: true });
    const enrolmentId = randomUUID();
    const first = await service.compose({
      idempotencyKey: key(),
      templateCode: templates.mailMarketing!,
      artistId: artist.id,
      enrolment: { id: enrolmentId, position: 1 },
    });
    const second = await service.compose({
      idempotencyKey: key(),
      templateCode: templates.mailMarketing!,
      artistId: artist.id,
      enrolment: { id: enrolmentId, position: 2 },
    });
    const other = await service.compose({
      idempotencyKey: key(),
      templateCode: templates.mailMarketing!,
      artistId: artist.id,
      enrolment: { id: randomUUID(), position: 1 },
    });
    await db.execute(sqlSent(first.id));
    assert.equal(await service.cancelForEnrolment(enrolmentId, 'converted'), 1);
    assert.equal((await messageRow(db, first.id)).status, 'sent');
    const cancelled = await messageRow(db, second.id);
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.lastError, 'converted');
    assert.deepEqual((await historyOf(db, second.id)).at(-1), { status: 'cancelled', detail: 'converted' });
    assert.equal((await messageRow(db, other.id)).status, 'pending');
    assert.equal(await service.cancelForEnrolment(enrolmentId, 'converted'), 0, 'a second exit changes nothing');
  });
});
