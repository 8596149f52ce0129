import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { ManualClock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/client.ts';
import { bearer, register, startTestSystem, type TestSystem } from '../../test/harness.ts';
import { artists } from '../artists/artists.tables.ts';
import { sessions } from '../artists/artists.test-helpers.ts';
import { domainEvents } from '../events/events.tables.ts';
import { interactions } from '../interactions/interactions.tables.ts';
import { engagementEvents } from './notifications.tables.ts';
import { countRows, historyOf, makeArtist, makeTemplate, messageRow } from './notifications.test-helpers.ts';

interface MessageJson {
  id: string;
  status: string;
  channel: string;
  subject: string;
  toAddress: string | null;
  artistId: string | null;
  artistName: string | null;
}

describe('notifications over HTTP', () => {
  // Tuesday 6 April 2027, 11:00 in Paris: inside a marketing window.
  const clock = new ManualClock('2027-04-06T09:00:00Z');
  let system: TestSystem;
  let db: Db;
  let s: Awaited<ReturnType<typeof sessions>>;
  let templates: { marketing: string; activity: string; sms: string };

  const call = (method: 'GET' | 'POST' | 'PUT', url: string, token?: string, payload?: unknown) =>
    system.app.inject({ method, url, ...(token ? { headers: bearer(token) } : {}), ...(payload === undefined ? {} : { payload: payload as object }) });
  const drain = () => system.ctx.notifications.dispatcher.drain();
  /** The tokens of the open pixel, the tracked links and the unsubscribe link in a message's HTML. */
  async function tokensOf(id: string) {
    const html = (await messageRow(db, id)).bodyHtml!;
    const find = (prefix: string) => [...html.matchAll(new RegExp(`${prefix}([\\w-]+\\.[\\w-]+)`, 'g'))].map((m) => m[1]!);
    return { open: find('/api/t/o/')[0]!, clicks: find('/api/t/c/'), unsubscribe: find('/api/unsubscribe/')[0]! };
  }
  const score = async (artistId: string) => (await db.select({ score: artists.engagementScore }).from(artists).where(eq(artists.id, artistId)))[0]!.score;
  const marketingTo = async (artistId: string) =>
    system.ctx.services.notifications.compose({ idempotencyKey: `t:${randomUUID()}`, templateCode: templates.marketing, artistId });

  before(async () => {
    system = await startTestSystem({ clock });
    db = system.ctx.platform.database.db;
    s = await sessions(system);
    templates = {
      marketing: await makeTemplate(db, {
        channel: 'email',
        kind: 'marketing',
        fr: { subject: 'Nouveauté pour {{name}}', body: 'Découvrez [MONA 390](https://mona.example/offres/390).' },
        en: { subject: 'New for {{name}}', body: 'Discover [MONA 390](https://mona.example/offers/390).' },
      }),
      activity: await makeTemplate(db, { channel: 'email', kind: 'activity', fr: { subject: 'Commande {{order}} payée', body: 'Merci {{name}}.' } }),
      sms: await makeTemplate(db, { channel: 'sms', kind: 'activity', fr: { subject: '', body: 'MONA : commande {{order}} payée.' } }),
    };
  });
  after(() => system.close());

  describe('open and click tracking', () => {
    test('the pixel records the first open once (+1) and marks the sent email delivered; a forged token is 404', async () => {
      const artist = await makeArtist(db, { consent: true });
      const message = await marketingTo(artist.id);
      await drain();
      const { open } = await tokensOf(message.id);
      for (let i = 0; i < 2; i++) {
        const res = await call('GET', `/api/t/o/${open}`);
        assert.equal(res.statusCode, 200);
        assert.equal(res.headers['content-type'], 'image/gif');
        assert.equal(res.headers['cache-control'], 'no-store, max-age=0');
        assert.equal(res.rawPayload.subarray(0, 6).toString(), 'GIF89a');
      }
      const row = await messageRow(db, message.id);
      assert.equal(row.openedAt?.toISOString(), clock.now().toISOString());
      assert.equal(row.status, 'delivered');
      assert.deepEqual((await historyOf(db, message.id)).at(-1), { status: 'delivered', detail: 'opened by the recipient' });
      assert.equal(await score(artist.id), 1, 'a double open counts once');

      const [data, mac] = open.split('.') as [string, string];
      const other = Buffer.from(JSON.stringify({ k: 'o', m: randomUUID() })).toString('base64url');
      for (const forged of [`${other}.${mac}`, `${data}.${'A'.repeat(22)}`, 'not-a-token-at-all']) {
        const res = await call('GET', `/api/t/o/${forged}`);
        assert.ok([400, 404].includes(res.statusCode), `${forged}: ${res.statusCode}`);
        assert.ok(res.json<{ error: { code: string } }>().error.code);
      }
      assert.equal(await score(artist.id), 1);
    });

    test('a tracked link redirects to its target, records the first click once (+3); an altered target is 404, never a redirect', async () => {
      const artist = await makeArtist(db, { consent: true });
      const message = await marketingTo(artist.id);
      await drain();
      const { clicks, open } = await tokensOf(message.id);
      assert.equal(clicks.length, 1);
      for (let i = 0; i < 2; i++) {
        const res = await call('GET', `/api/t/c/${clicks[0]}`);
        assert.equal(res.statusCode, 302);
        assert.equal(res.headers.location, 'https://mona.example/offres/390');
      }
      const row = await messageRow(db, message.id);
      assert.ok(row.clickedAt && row.openedAt, 'a click implies the open');
      assert.equal(await score(artist.id), 3);

      const [data, mac] = clicks[0]!.split('.') as [string, string];
      const evil = Buffer.from(Buffer.from(data, 'base64url').toString().replace('https://mona.example/offres/390', 'https://evil.example/')).toString(
        'base64url',
      );
      const res = await call('GET', `/api/t/c/${evil}.${mac}`);
      assert.equal(res.statusCode, 404);
      assert.equal(res.headers.location, undefined);
      // An open token is not a click token.
      assert.equal((await call('GET', `/api/t/c/${open}`)).statusCode, 404);
    });
  });

  describe('unsubscribe', () => {
    test('the page asks first; one-click POST withdraws consent once (−20), records the event, cancels pending marketing', async () => {
      const artist = await makeArtist(db, { consent: true, stageName: 'Lou <Nova>' });
      const sent = await marketingTo(artist.id);
      await drain();
      clock.set('2027-04-06T20:00:00Z'); // 22:00 in Paris: the next marketing message waits for Wednesday.
      const waiting = await marketingTo(artist.id);
      assert.equal((await messageRow(db, waiting.id)).status, 'pending');
      const { unsubscribe } = await tokensOf(sent.id);

      const page = await call('GET', `/api/unsubscribe/${unsubscribe}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.headers['content-type'] as string, /^text\/html/);
      assert.match(page.body, /<form method="post">/);
      assert.match(page.body, /Ne plus envoyer d'e-mails marketing à Lou &lt;Nova&gt; \?/);
      assert.match(page.body, /Stop sending marketing emails to Lou &lt;Nova&gt;\?/);
      assert.equal((await db.select().from(artists).where(eq(artists.id, artist.id)))[0]!.consentMarketing, true, 'GET changes nothing');

      // What a mail client sends for List-Unsubscribe-Post (RFC 8058).
      const oneClick = () =>
        system.app.inject({
          method: 'POST',
          url: `/api/unsubscribe/${unsubscribe}`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'List-Unsubscribe=One-Click',
        });
      const first = await oneClick();
      assert.equal(first.statusCode, 200);
      assert.match(first.body, /ne recevra plus nos e-mails marketing/);
      const [record] = await db.select().from(artists).where(eq(artists.id, artist.id));
      assert.equal(record!.consentMarketing, false);
      assert.equal(record!.engagementScore, -20);
      const cancelled = await messageRow(db, waiting.id);
      assert.equal(cancelled.status, 'cancelled');
      assert.equal(cancelled.lastError, 'the artist unsubscribed');
      const events = await db.select().from(domainEvents).where(eq(domainEvents.name, 'artist.unsubscribed'));
      assert.deepEqual(
        events.filter((e) => e.aggregateId === artist.id).map((e) => e.payload),
        [{ artistId: artist.id, messageId: sent.id }],
      );

      const second = await oneClick();
      assert.equal(second.statusCode, 200);
      assert.match(second.body, /est déjà désinscrit/);
      assert.equal(await score(artist.id), -20, 'counted once');
      assert.equal(events.filter((e) => e.aggregateId === artist.id).length, 1);
      assert.equal(
        (await db.select().from(domainEvents).where(eq(domainEvents.name, 'artist.unsubscribed'))).filter((e) => e.aggregateId === artist.id).length,
        1,
      );

      // Without consent, the next marketing message is skipped.
      assert.equal((await marketingTo(artist.id)).reason, 'no marketing consent');
      clock.set('2027-04-06T09:00:00Z');
    });

    test('a button press from the page (a plain form POST) works the same; a forged token is 404', async () => {
      const artist = await makeArtist(db, { consent: true });
      const token = system.ctx.notifications.links.signer.sign({ kind: 'unsubscribe', artistId: artist.id, messageId: null });
      const res = await system.app.inject({
        method: 'POST',
        url: `/api/unsubscribe/${token}`,
        headers: { 'content-type': 'multipart/form-data; boundary=x' },
        payload: '--x--',
      });
      assert.equal(res.statusCode, 200);
      assert.equal((await db.select().from(artists).where(eq(artists.id, artist.id)))[0]!.consentMarketing, false);
      // Another first character of the MAC (the last one carries only two bits of it).
      const [data, mac] = token.split('.') as [string, string];
      const forged = `${data}.${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`;
      assert.equal((await call('POST', `/api/unsubscribe/${forged}`)).statusCode, 404);
      assert.equal((await call('GET', `/api/unsubscribe/${forged}`)).statusCode, 404);
    });
  });

  describe('engagement', () => {
    test('an artist’s login counts +5 once a day', async () => {
      const account = await register(system.app, 'artist');
      const [linked] = await db.select().from(artists).where(eq(artists.userId, account.user.id));
      const artistId = linked?.id ?? (await makeArtist(db, { userId: account.user.id })).id;
      const login = () => call('POST', '/api/auth/login', undefined, { email: account.email, password: account.password });
      assert.equal((await login()).statusCode, 200);
      assert.equal((await login()).statusCode, 200);
      assert.equal(await score(artistId), 5);
      clock.advance(24 * 3_600_000);
      assert.equal((await login()).statusCode, 200);
      assert.equal(await score(artistId), 10);
      clock.set('2027-04-06T09:00:00Z');
    });

    test('the team records a reply (+10; once per message), with its note on the contact timeline; the history lists every event', async () => {
      const artist = await makeArtist(db, { consent: true });
      const message = await marketingTo(artist.id);
      const body = { kind: 'reply', messageId: message.id, note: 'She wants the MONA 390 details' };
      const first = await call('POST', `/api/artists/${artist.id}/engagement`, s.staff.accessToken, body);
      assert.equal(first.statusCode, 200, first.body);
      assert.deepEqual(first.json(), { recorded: true, score: 10 });
      const again = await call('POST', `/api/artists/${artist.id}/engagement`, s.staff.accessToken, { kind: 'reply', messageId: message.id });
      assert.deepEqual(again.json(), { recorded: false, score: 10 });
      const free = await call('POST', `/api/artists/${artist.id}/engagement`, s.staff.accessToken, { kind: 'reply' });
      assert.deepEqual(free.json(), { recorded: true, score: 20 });
      assert.equal(await countRows(db, 'interactions', sql`artist_id = ${artist.id}`), 1);
      const [note] = await db.select().from(interactions).where(eq(interactions.artistId, artist.id));
      assert.equal(note!.summary, 'She wants the MONA 390 details');
      assert.equal(note!.kind, 'email');

      const history = await call('GET', `/api/artists/${artist.id}/engagement`, s.staff.accessToken);
      assert.equal(history.statusCode, 200);
      const json = history.json<{ score: number; items: { kind: string; points: number; messageId: string | null }[] }>();
      assert.equal(json.score, 20);
      assert.deepEqual(
        json.items.map((i) => [i.kind, i.points]),
        [
          ['reply', 10],
          ['reply', 10],
        ],
      );
      assert.equal(await countRows(db, 'engagement_events', eq(engagementEvents.artistId, artist.id)), 2);

      // Not for artists; other kinds are the system's; another artist's message is 404.
      assert.equal((await call('POST', `/api/artists/${artist.id}/engagement`, s.artist.accessToken, { kind: 'reply' })).statusCode, 403);
      assert.equal((await call('GET', `/api/artists/${artist.id}/engagement`, s.artist.accessToken)).statusCode, 403);
      assert.equal((await call('POST', `/api/artists/${artist.id}/engagement`, s.staff.accessToken, { kind: 'open' })).statusCode, 400);
      const stranger = await makeArtist(db);
      assert.equal(
        (await call('POST', `/api/artists/${stranger.id}/engagement`, s.staff.accessToken, { kind: 'reply', messageId: message.id })).statusCode,
        404,
      );
      assert.equal((await call('GET', `/api/artists/${randomUUID()}/engagement`, s.staff.accessToken)).statusCode, 404);
    });
  });

  describe('the staff message log', () => {
    test('one-off sends, filters, search, pages, detail with history; retry of a failed message', async () => {
      const artist = await makeArtist(db, { phone: '+33 6 11 22 33 44', stageName: 'Zoé Lumen' });
      const send = (templateCode: string, extra: Record<string, unknown> = {}) =>
        call('POST', `/api/artists/${artist.id}/messages`, s.staff.accessToken, { templateCode, variables: { order: 'A-17' }, ...extra });
      const mail = await send(templates.activity, { idempotencyKey: 'order-A-17' });
      assert.equal(mail.statusCode, 201, mail.body);
      const again = await send(templates.activity, { idempotencyKey: 'order-A-17' });
      assert.equal(again.statusCode, 200);
      assert.equal(again.json<{ id: string }>().id, mail.json<{ id: string }>().id);
      const sms = await send(templates.sms);
      assert.equal(sms.statusCode, 201);
      assert.equal((await send('no.such.template')).statusCode, 404);
      assert.equal((await call('POST', `/api/artists/${randomUUID()}/messages`, s.staff.accessToken, { templateCode: templates.sms })).statusCode, 404);
      assert.equal((await send(templates.sms, { link: 'https://elsewhere.example' })).statusCode, 400);
      assert.equal((await call('POST', `/api/artists/${artist.id}/messages`, s.artist.accessToken, { templateCode: templates.sms })).statusCode, 403);

      const list = async (query: string) => {
        const res = await call('GET', `/api/notifications/messages?${query}`, s.staff.accessToken);
        assert.equal(res.statusCode, 200, res.body);
        return res.json<{ items: MessageJson[]; nextCursor: string | null }>();
      };
      const mine = await list(`artistId=${artist.id}`);
      assert.deepEqual(mine.items.map((m) => m.channel).sort(), ['email', 'sms']);
      assert.equal(mine.items[0]!.artistName, 'Zoé Lumen');
      assert.deepEqual(
        (await list(`artistId=${artist.id}&channel=sms`)).items.map((m) => m.toAddress),
        ['+33611223344'],
      );
      assert.equal((await list(`artistId=${artist.id}&search=A-17`)).items.length, 1, 'search in the subject');
      assert.equal((await list(`search=${encodeURIComponent(artist.email!)}`)).items.length, 1, 'search in the address');
      assert.equal((await list(`search=${encodeURIComponent('%_')}`)).items.length, 0, 'pattern characters are literal');
      const page1 = await list(`artistId=${artist.id}&limit=1`);
      assert.ok(page1.nextCursor);
      const page2 = await list(`artistId=${artist.id}&limit=1&cursor=${page1.nextCursor}`);
      assert.equal(page2.items.length, 1);
      assert.notEqual(page2.items[0]!.id, page1.items[0]!.id);
      assert.equal(page2.nextCursor, null);
      assert.equal((await call('GET', '/api/notifications/messages?cursor=garbage', s.staff.accessToken)).statusCode, 400);
      assert.equal((await call('GET', '/api/notifications/messages?status=lost', s.staff.accessToken)).statusCode, 400);
      assert.equal((await call('GET', '/api/notifications/messages', s.artist.accessToken)).statusCode, 403);

      const mailId = mail.json<{ id: string }>().id;
      const detail = await call('GET', `/api/notifications/messages/${mailId}`, s.staff.accessToken);
      assert.equal(detail.statusCode, 200);
      const json = detail.json<{ subject: string; bodyText: string; events: { status: string }[] }>();
      assert.equal(json.subject, 'Commande A-17 payée');
      assert.match(json.bodyText, /Merci Zoé Lumen\./);
      assert.deepEqual(
        json.events.map((e) => e.status),
        ['pending'],
      );
      assert.equal((await call('GET', `/api/notifications/messages/${randomUUID()}`, s.staff.accessToken)).statusCode, 404);

      // Retry: only a failed message; it becomes a new message, once.
      assert.equal((await call('POST', `/api/notifications/messages/${mailId}/retry`, s.staff.accessToken)).statusCode, 409);
      await db.execute(sql`update notification_messages set status = 'failed', last_error = 'SMTP: 554' where id = ${mailId}`);
      const retry = await call('POST', `/api/notifications/messages/${mailId}/retry`, s.staff.accessToken);
      assert.equal(retry.statusCode, 201, retry.body);
      const retried = retry.json<{ id: string; status: string }>();
      assert.notEqual(retried.id, mailId);
      assert.equal(retried.status, 'pending');
      const copy = await messageRow(db, retried.id);
      assert.equal(copy.subject, 'Commande A-17 payée');
      assert.equal((copy.data as { retryOf: string }).retryOf, mailId);
      const twice = await call('POST', `/api/notifications/messages/${mailId}/retry`, s.staff.accessToken);
      assert.equal(twice.statusCode, 200);
      assert.equal(twice.json<{ id: string }>().id, retried.id);
      assert.equal((await messageRow(db, mailId)).status, 'failed', 'the failed message stays as it was');
    });

    test('the outbox: SMS and emails kept without providers, listed and read by the team', async () => {
      const artist = await makeArtist(db, { phone: '0699887766' });
      const message = await system.ctx.services.notifications.compose({
        idempotencyKey: `t:${randomUUID()}`,
        templateCode: templates.sms,
        artistId: artist.id,
        variables: { order: 'B-2' },
      });
      await drain();
      const list = await call('GET', '/api/notifications/outbox?channel=sms', s.staff.accessToken);
      assert.equal(list.statusCode, 200);
      const entry = list.json<{ items: { id: string; messageId: string; toAddress: string }[] }>().items.find((i) => i.messageId === message.id);
      assert.ok(entry);
      assert.equal(entry.toAddress, '+33699887766');
      const read = await call('GET', `/api/notifications/outbox/${entry.id}`, s.staff.accessToken);
      assert.equal(read.statusCode, 200);
      assert.equal(read.json<{ raw: string }>().raw, 'MONA : commande B-2 payée.');
      assert.equal((await messageRow(db, message.id)).status, 'sent');
      assert.equal((await call('GET', '/api/notifications/outbox', s.artist.accessToken)).statusCode, 403);
      assert.equal((await call('GET', `/api/notifications/outbox/${randomUUID()}`, s.staff.accessToken)).statusCode, 404);
    });
  });

  describe('preferences', () => {
    test('defaults, changes, validation, and an artist’s consent', async () => {
      const account = await register(system.app, 'artist');
      const [linked] = await db.select().from(artists).where(eq(artists.userId, account.user.id));
      const artist = linked ?? (await makeArtist(db, { userId: account.user.id }));
      await db.update(artists).set({ consentMarketing: true }).where(eq(artists.id, artist.id));
      const token = account.accessToken;
      const get = async () => {
        const res = await call('GET', '/api/me/notification-preferences', token);
        assert.equal(res.statusCode, 200);
        return res.json<{ channels: Record<string, Record<string, boolean>>; quietHours: unknown; timeZone: string; marketingConsent: boolean | null }>();
      };
      const initial = await get();
      assert.deepEqual(initial.channels.email, { transactional: true, activity: true, marketing: true });
      assert.equal(initial.quietHours, null);
      assert.equal(initial.timeZone, 'Europe/Paris');
      assert.equal(initial.marketingConsent, true);

      const put = (body: unknown) => call('PUT', '/api/me/notification-preferences', token, body);
      const changed = await put({ channels: { sms: { marketing: false } }, quietHours: { start: '22:00', end: '07:30' }, timeZone: 'America/Montreal' });
      assert.equal(changed.statusCode, 200, changed.body);
      const after = changed.json<typeof initial>();
      assert.deepEqual(after.channels.sms, { transactional: true, activity: true, marketing: false });
      assert.deepEqual(after.quietHours, { start: '22:00', end: '07:30' });
      assert.equal(after.timeZone, 'America/Montreal');
      // Only what is given changes.
      const partial = await put({ channels: { sms: { activity: false } } });
      assert.deepEqual(partial.json<typeof initial>().channels.sms, { transactional: true, activity: false, marketing: false });
      assert.deepEqual(partial.json<typeof initial>().quietHours, { start: '22:00', end: '07:30' });

      for (const bad of [
        { timeZone: 'Mars/Olympus' },
        { quietHours: { start: '25:00', end: '07:00' } },
        { quietHours: { start: '8:00', end: '07:00' } },
        { quietHours: { start: '07:00', end: '07:00' } },
        { channels: { email: { transactional: false } } },
        { channels: { fax: { activity: false } } },
      ]) {
        const res = await put(bad);
        assert.equal(res.statusCode, 400, JSON.stringify(bad));
        assert.equal(res.json<{ error: { code: string } }>().error.code, 'validation_failed');
      }

      const pending = await marketingTo(artist.id);
      const withdrawn = await put({ marketingConsent: false });
      assert.equal(withdrawn.json<typeof initial>().marketingConsent, false);
      assert.equal((await messageRow(db, pending.id)).status, 'cancelled');
      assert.equal(await score(artist.id), -20, 'withdrawing consent from the portal counts −20');
      const given = await put({ marketingConsent: true });
      assert.equal(given.json<typeof initial>().marketingConsent, true);

      // A staff account has no artist record: no consent to give.
      assert.equal((await call('GET', '/api/me/notification-preferences', s.staff.accessToken)).json<typeof initial>().marketingConsent, null);
      assert.equal((await call('PUT', '/api/me/notification-preferences', s.staff.accessToken, { marketingConsent: true })).statusCode, 400);
      assert.equal((await call('GET', '/api/me/notification-preferences')).statusCode, 401);
    });
  });
});
