import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { and, asc, eq } from 'drizzle-orm';
import { ManualClock } from '../../platform/clock.ts';
import { notificationMessages } from '../notifications/notifications.tables.ts';
import { artists } from '../artists/artists.tables.ts';
import { sequenceEnrolments, sequences } from './sequences.tables.ts';
import { api, createArtist, runEventJob, runUntil, startSequencesSystem, tickAndDispatch, type SequencesSystem } from './sequences.test-helpers.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('the welcome sequence, end to end on a simulated clock', () => {
  let s: SequencesSystem;
  // Wednesday 25 November 2026, 19:30 in Paris (UTC+1).
  const signUpAt = new Date('2026-11-25T18:30:00Z');
  const clock = new ManualClock(signUpAt);

  before(async () => {
    s = await startSequencesSystem(clock);
  });
  after(async () => s.close());

  const db = () => s.system.ctx.platform.database.db;
  const call = () => api(s.system);
  const enrolmentsOf = async (artistId: string) =>
    db()
      .select({ id: sequenceEnrolments.id, code: sequences.code, status: sequenceEnrolments.status, exitReason: sequenceEnrolments.exitReason })
      .from(sequenceEnrolments)
      .innerJoin(sequences, eq(sequences.id, sequenceEnrolments.sequenceId))
      .where(eq(sequenceEnrolments.artistId, artistId))
      .orderBy(asc(sequenceEnrolments.createdAt));
  const messagesOf = async (artistId: string) =>
    db().select().from(notificationMessages).where(eq(notificationMessages.artistId, artistId)).orderBy(asc(notificationMessages.createdAt));

  test('sign-up → D0 email, +2h SMS, D3, D5 emails, D6 SMS, D7 email at the local servers, each at its time and once', async () => {
    clock.set(signUpAt);
    // The prospect was imported by staff with a phone and consent; they sign up with the same email.
    const email = 'lina.moreau@example.com';
    const record = await createArtist(s.system, s.staff, { stageName: 'Lina Moreau', email, phone: '06 12 34 56 78', consentMarketing: true });
    const res = await call().inject('POST', '/api/auth/register', undefined, {
      email,
      password: 'Villa-Sunset-Marseille-2027',
      name: 'Lina M.',
      role: 'artist',
    });
    assert.equal(res.statusCode, 201);
    const [linked] = await db().select().from(artists).where(eq(artists.id, record.id));
    assert.equal(linked!.userId, res.json().user.id, 'the account took over the imported record');

    // The sign-up event reaches the sequences' job; handled twice, it enrols once.
    const events = await runEventJob(s.system, 'artist.signed_up', record.id, 2);
    assert.equal(events.length, 1);
    const enrolments = await enrolmentsOf(record.id);
    assert.deepEqual(
      enrolments.map((e) => [e.code, e.status]),
      [['welcome', 'active']],
    );

    /** Runs the tick and the dispatcher (twice each) at `at`, then checks what has arrived in all. */
    const checkpoint = async (at: Date, expected: { emails: number; sms: number }, why: string) => {
      clock.set(at);
      await tickAndDispatch(s.system);
      assert.equal(s.smtp.mails.length, expected.emails, `${why}: emails at ${at.toISOString()}`);
      assert.equal(s.twilio.messages.length, expected.sms, `${why}: SMS at ${at.toISOString()}`);
    };

    await checkpoint(signUpAt, { emails: 1, sms: 0 }, 'D0 email at once');
    // +2h is 21:30 Paris, after the daytime window: the SMS waits for Thursday 09:00.
    await checkpoint(new Date(signUpAt.getTime() + 2 * HOUR), { emails: 1, sms: 0 }, '+2h falls at night');
    await checkpoint(new Date('2026-11-26T07:59:00Z'), { emails: 1, sms: 0 }, 'still night');
    await checkpoint(new Date('2026-11-26T08:00:00Z'), { emails: 1, sms: 1 }, '+2h SMS at 09:00');
    await checkpoint(new Date(signUpAt.getTime() + 3 * DAY - 60_000), { emails: 1, sms: 1 }, 'a minute before D3');
    await checkpoint(new Date(signUpAt.getTime() + 3 * DAY), { emails: 2, sms: 1 }, 'D3 email');
    await checkpoint(new Date(signUpAt.getTime() + 5 * DAY), { emails: 3, sms: 1 }, 'D5 email');
    await checkpoint(new Date(signUpAt.getTime() + 6 * DAY), { emails: 3, sms: 2 }, 'D6 SMS');
    await checkpoint(new Date(signUpAt.getTime() + 7 * DAY), { emails: 4, sms: 2 }, 'D7 email');
    await checkpoint(new Date(signUpAt.getTime() + 9 * DAY), { emails: 4, sms: 2 }, 'nothing after D7');

    // What arrived, when, to whom.
    const expectedAt = [0, 3, 5, 7].map((d) => new Date(signUpAt.getTime() + d * DAY).toISOString());
    assert.deepEqual(
      s.smtp.mails.map((m) => m.at.toISOString()),
      expectedAt,
    );
    assert.ok(s.smtp.mails.every((m) => m.to === email));
    assert.deepEqual(
      s.smtp.mails.map((m) => m.subject),
      [
        'Bienvenue chez MONA, Lina Moreau',
        'Les 3 signaux que nous regardons en premier',
        'Ce que contient un check-up MONA 290',
        'Votre prochaine étape, Lina Moreau',
      ],
    );
    assert.equal(new Set(s.smtp.mails.map((m) => m.messageId)).size, 4, 'four different messages');
    // D0 is about the account (activity): no unsubscribe; the marketing ones carry it in the header and the text.
    assert.equal(s.smtp.mails[0]!.headerNames.includes('list-unsubscribe'), false);
    for (const mail of s.smtp.mails.slice(1)) {
      assert.ok(mail.headerNames.includes('list-unsubscribe'), `${mail.subject} has List-Unsubscribe`);
      assert.match(mail.text, /Pour ne plus recevoir nos e-mails marketing : http:\/\/app\.mona\.test\/api\/unsubscribe\//);
    }
    assert.match(s.smtp.mails[0]!.text, /Compléter mon profil \(http:\/\/app\.mona\.test\/api\/t\/c\//, 'links are tracked');
    assert.match(s.smtp.mails[0]!.html, /<a href="http:\/\/app\.mona\.test\/api\/t\/c\//);

    assert.deepEqual(
      s.twilio.messages.map((m) => [m.to, m.receivedAt.getTime() > 0]),
      [
        ['+33612345678', true],
        ['+33612345678', true],
      ],
    );
    assert.match(s.twilio.messages[0]!.body, /^Lina Moreau, bienvenue chez MONA ! .*http:\/\/app\.mona\.test\/portal STOP SMS : répondez STOP$/);
    assert.match(s.twilio.messages[1]!.body, /votre check-up MONA 290/);

    // The message log agrees: six messages, each sent once, at its time.
    const messages = await messagesOf(record.id);
    assert.deepEqual(
      messages.map((m) => [m.stepPosition, m.channel, m.status, m.attempts, m.sentAt?.toISOString()]),
      [
        [0, 'email', 'sent', 1, expectedAt[0]],
        [1, 'sms', 'sent', 1, '2026-11-26T08:00:00.000Z'],
        [2, 'email', 'sent', 1, expectedAt[1]],
        [3, 'email', 'sent', 1, expectedAt[2]],
        [4, 'sms', 'sent', 1, new Date(signUpAt.getTime() + 6 * DAY).toISOString()],
        [5, 'email', 'sent', 1, expectedAt[3]],
      ],
    );
    const [done] = await enrolmentsOf(record.id);
    assert.equal(done!.status, 'completed');

    // The API shows the same progress and counts.
    const welcome = (await call().inject('GET', '/api/sequences', s.staff)).json().items.find((q: { code: string }) => q.code === 'welcome');
    const stats = (await call().inject('GET', `/api/sequences/${welcome.id}/stats`, s.staff)).json();
    assert.equal(stats.completed, 1);
    assert.equal(stats.messagesSent, 6);
    assert.equal(stats.emailsSent, 4);
  });

  test('an artist in welcome who pays MONA 290 exits as converted at once (a waiting message is cancelled) and enters nurturing', async () => {
    // Sunday 29 November 2026, 19:30 Paris: D0 goes at once, the +2h SMS (21:30) waits for Monday 09:00.
    const start = new Date('2026-11-29T18:30:00Z');
    clock.set(start);
    const emailsBefore = s.smtp.mails.length;
    const smsBefore = s.twilio.messages.length;
    const email = 'tom.riviere@example.com';
    const record = await createArtist(s.system, s.staff, { stageName: 'Tom Rivière', email, phone: '+33698765432', consentMarketing: true });
    const res = await call().inject('POST', '/api/auth/register', undefined, { email, password: 'Villa-Sunset-Marseille-2027', name: 'Tom', role: 'artist' });
    assert.equal(res.statusCode, 201);
    await runEventJob(s.system, 'artist.signed_up', record.id);
    await tickAndDispatch(s.system);
    clock.set(new Date(start.getTime() + 2 * HOUR));
    await tickAndDispatch(s.system);
    assert.equal(s.smtp.mails.length, emailsBefore + 1, 'D0 email sent');
    assert.equal(s.twilio.messages.length, smsBefore, 'the +2h SMS waits for the morning');
    const waiting = (await messagesOf(record.id)).find((m) => m.stepPosition === 1)!;
    assert.equal(waiting.status, 'pending');

    // 22:00 Paris: staff record a MONA 290 order and mark it paid, through the real order transitions.
    clock.set(new Date(start.getTime() + 2.5 * HOUR));
    const offers = (await call().inject('GET', '/api/offers', s.staff)).json().items as { id: string; code: string }[];
    const mona290 = offers.find((o) => o.code === 'mona-290')!;
    const order = await call().inject('POST', '/api/orders', s.staff, { artistId: record.id, offerId: mona290.id });
    assert.equal(order.statusCode, 201);
    assert.equal((await call().inject('POST', `/api/orders/${order.json().id}/status`, s.staff, { to: 'paid' })).statusCode, 200);
    await runEventJob(s.system, 'order.paid', record.id, 2);

    const enrolments = await enrolmentsOf(record.id);
    assert.deepEqual(
      enrolments.map((e) => [e.code, e.status, e.exitReason]),
      [
        ['welcome', 'exited', 'converted'],
        ['mona_290_nurturing', 'active', null],
      ],
    );
    const cancelled = (await db().select().from(notificationMessages).where(eq(notificationMessages.id, waiting.id)))[0]!;
    assert.equal(cancelled.status, 'cancelled', 'the waiting welcome SMS is cancelled at once');

    // Through D9: no further welcome message. Nurturing D1 (Monday 22:00) and D7 (Sunday 22:00) wait for the marketing window: Tuesdays 10:00 Paris.
    await runUntil(s.system, clock, new Date(start.getTime() + 9 * DAY));
    const mine = s.smtp.mails.filter((m) => m.to === email);
    assert.deepEqual(
      mine.map((m) => [m.subject, m.at.toISOString()]),
      [
        ['Bienvenue chez MONA, Tom Rivière', start.toISOString()],
        ['Votre check-up est lancé : la suite', '2026-12-01T09:00:00.000Z'],
        ['Appliquer votre prescription : par où commencer', '2026-12-08T09:00:00.000Z'],
      ],
    );
    assert.equal(s.twilio.messages.filter((m) => m.to === '+33698765432').length, 0, 'no welcome SMS at all');
    const welcomeMessages = (await messagesOf(record.id)).filter((m) => m.templateCode?.startsWith('welcome.'));
    assert.deepEqual(
      welcomeMessages.map((m) => [m.stepPosition, m.status]),
      [
        [0, 'sent'],
        [1, 'cancelled'],
      ],
    );
    const nurturing = await db()
      .select()
      .from(sequenceEnrolments)
      .where(and(eq(sequenceEnrolments.artistId, record.id), eq(sequenceEnrolments.status, 'active')));
    assert.equal(nurturing[0]!.nextPosition, 2);
  });
});
