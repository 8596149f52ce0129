import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { MessageStatus } from '@mona/shared';
import { buildApi } from '../../api.ts';
import { createContext, type AppContext } from '../../context.ts';
import { TokenSigner } from '../auth/tokens.ts';
import { createPlatform } from '../../platform/platform.ts';
import type { HttpApp } from '../../platform/http/server.ts';
import { bearer, register, startTestSystem, until, type TestSystem } from '../../test/harness.ts';
import { openEventStream } from '../../test/sse.ts';
import { InAppProvider } from './channels/inapp.ts';
import { PermanentFailure, type OutgoingMessage } from './channels/types.ts';
import { notificationMessages } from './notifications.tables.ts';
import type { InboxItem } from './inbox.schemas.ts';

type Session = Awaited<ReturnType<typeof register>>;

/** An in-app message row as the dispatcher leaves it, arriving at `at`. */
async function storeInApp(
  ctx: AppContext,
  userId: string,
  options: { title?: string; at?: Date; status?: MessageStatus; channel?: 'inapp' | 'email'; link?: string } = {},
): Promise<string> {
  const at = options.at ?? new Date();
  const status = options.status ?? 'delivered';
  const [row] = await ctx.platform.database.db
    .insert(notificationMessages)
    .values({
      idempotencyKey: randomUUID(),
      channel: options.channel ?? 'inapp',
      kind: 'activity',
      templateCode: 'order.paid.inapp',
      recipientUserId: userId,
      toAddress: options.channel === 'email' ? 'someone@example.com' : null,
      subject: options.title ?? 'Paiement reçu',
      bodyText: 'Votre commande est confirmée.',
      data: options.link ? { link: options.link } : {},
      status,
      sendAfter: at,
      sentAt: status === 'delivered' || status === 'sent' ? at : null,
      deliveredAt: status === 'delivered' ? at : null,
    })
    .returning({ id: notificationMessages.id });
  return row!.id;
}

function outgoing(id: string, userId: string | null, title = 'Nouvelle mission'): OutgoingMessage {
  return {
    id,
    channel: 'inapp',
    kind: 'activity',
    locale: 'fr',
    to: null,
    recipientUserId: userId,
    subject: title,
    text: 'Une experte vous a été assignée.',
    html: null,
    headers: {},
    data: { link: '/portal/missions' },
  };
}

const openStream = (baseUrl: string, token: string) => openEventStream(`${baseUrl}/api/me/inbox/stream`, bearer(token));

async function listen(app: HttpApp): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

describe('in-app inbox', () => {
  let system: TestSystem;
  let baseUrl: string;
  let provider: InAppProvider;

  before(async () => {
    system = await startTestSystem();
    baseUrl = await listen(system.app);
    provider = new InAppProvider({ pubsub: system.ctx.platform.pubsub, inbox: system.ctx.repos.inbox, logger: system.ctx.platform.logger });
  });
  after(() => system.close());

  const get = (session: Session, url: string) => system.app.inject({ method: 'GET', url, headers: bearer(session.accessToken) });
  const post = (session: Session, url: string) => system.app.inject({ method: 'POST', url, headers: bearer(session.accessToken) });

  describe('API', () => {
    let me: Session;
    let someoneElse: Session;
    const ids: string[] = [];
    const base = Date.parse('2026-03-10T09:00:00Z');

    before(async () => {
      me = await register(system.app);
      someoneElse = await register(system.app);
      for (let i = 0; i < 5; i++) ids.push(await storeInApp(system.ctx, me.user.id, { title: `m${i}`, at: new Date(base + i * 60_000), link: `/portal/${i}` }));
      // Not in my inbox: another channel, not yet due, skipped, someone else's.
      await storeInApp(system.ctx, me.user.id, { channel: 'email', title: 'email' });
      await storeInApp(system.ctx, me.user.id, { status: 'pending', title: 'later', at: new Date(Date.now() + 86_400_000) });
      await storeInApp(system.ctx, me.user.id, { status: 'skipped', title: 'skipped' });
      await storeInApp(system.ctx, someoneElse.user.id, { title: 'theirs' });
    });

    test('signed in only', async () => {
      for (const url of ['/api/me/inbox', '/api/me/inbox/unread-count', '/api/me/inbox/stream']) {
        assert.equal((await system.app.inject({ method: 'GET', url })).statusCode, 401, url);
      }
    });

    test('my in-app messages only, newest first, a page at a time, with the unread count', async () => {
      const first = await get(me, '/api/me/inbox?limit=2');
      assert.equal(first.statusCode, 200, first.body);
      const page1 = first.json<{ items: InboxItem[]; unread: number; nextCursor: string }>();
      assert.deepEqual(
        page1.items.map((i) => i.title),
        ['m4', 'm3'],
      );
      assert.equal(page1.unread, 5);
      assert.deepEqual(page1.items[0], {
        id: ids[4],
        kind: 'activity',
        templateCode: 'order.paid.inapp',
        title: 'm4',
        body: 'Votre commande est confirmée.',
        link: '/portal/4',
        at: new Date(base + 4 * 60_000).toISOString(),
        readAt: null,
      });
      const titles = page1.items.map((i) => i.title);
      let cursor: string | null = page1.nextCursor;
      while (cursor) {
        const res = await get(me, `/api/me/inbox?limit=2&cursor=${cursor}`);
        const page: { items: InboxItem[]; nextCursor: string | null } = res.json();
        titles.push(...page.items.map((i) => i.title));
        cursor = page.nextCursor;
      }
      assert.deepEqual(titles, ['m4', 'm3', 'm2', 'm1', 'm0']);
      assert.deepEqual((await get(me, '/api/me/inbox/unread-count')).json(), { unread: 5 });
    });

    test("mark read: the first read time stays; someone else's message or an unknown id is 404", async () => {
      const read = await post(me, `/api/me/inbox/${ids[3]}/read`);
      assert.equal(read.statusCode, 200, read.body);
      const body = read.json<{ item: InboxItem; unread: number }>();
      assert.equal(body.unread, 4);
      assert.ok(body.item.readAt);
      const again = await post(me, `/api/me/inbox/${ids[3]}/read`);
      assert.equal(again.json().item.readAt, body.item.readAt);
      assert.equal(again.json().unread, 4);

      assert.equal((await post(someoneElse, `/api/me/inbox/${ids[2]}/read`)).statusCode, 404);
      assert.equal((await post(me, `/api/me/inbox/${randomUUID()}/read`)).statusCode, 404);
      assert.equal((await post(me, '/api/me/inbox/not-a-uuid/read')).statusCode, 400);
      assert.equal((await get(me, '/api/me/inbox/unread-count')).json().unread, 4);
      assert.equal((await get(someoneElse, '/api/me/inbox/unread-count')).json().unread, 1);
    });

    test('unread first (each group newest first, paged across the groups), and unread only', async () => {
      await post(me, `/api/me/inbox/${ids[1]}/read`);
      const titles: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await get(me, `/api/me/inbox?limit=2&unreadFirst=true${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(res.statusCode, 200, res.body);
        const page = res.json<{ items: InboxItem[]; nextCursor: string | null }>();
        titles.push(...page.items.map((i) => i.title));
        cursor = page.nextCursor;
      } while (cursor);
      assert.deepEqual(titles, ['m4', 'm2', 'm0', 'm3', 'm1']);
      const unreadOnly = (await get(me, '/api/me/inbox?unread=true')).json<{ items: InboxItem[] }>();
      assert.deepEqual(
        unreadOnly.items.map((i) => i.title),
        ['m4', 'm2', 'm0'],
      );
    });

    test('a tampered cursor, or one of the other order, is 400', async () => {
      const cursor = (await get(me, '/api/me/inbox?limit=1')).json().nextCursor as string;
      assert.equal((await get(me, `/api/me/inbox?limit=1&unreadFirst=true&cursor=${cursor}`)).statusCode, 400);
      assert.equal((await get(me, '/api/me/inbox?cursor=bm9wZQ')).statusCode, 400);
      assert.equal((await get(me, '/api/me/inbox?limit=0')).statusCode, 400);
    });

    test('read all: every unread message of mine, not the others', async () => {
      const res = await post(me, '/api/me/inbox/read-all');
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { updated: 3, unread: 0 });
      assert.deepEqual((await post(me, '/api/me/inbox/read-all')).json(), { updated: 0, unread: 0 });
      assert.equal((await get(someoneElse, '/api/me/inbox/unread-count')).json().unread, 1);
    });
  });

  describe('InAppProvider', () => {
    test('delivered: published on inbox:<userId> with the new unread count', async () => {
      const user = await register(system.app);
      await storeInApp(system.ctx, user.user.id);
      const id = await storeInApp(system.ctx, user.user.id, { status: 'sending', title: 'Nouvelle mission' });
      const received: unknown[] = [];
      const unsubscribe = await system.ctx.services.inbox.follow(user.user.id, (e) => received.push(e));
      const result = await provider.send(outgoing(id, user.user.id));
      assert.deepEqual(result, { providerId: null, status: 'delivered', detail: 'in inbox, published live' });
      const event = await until('published message', async () => received[0] as { type: string; unread: number; message: InboxItem } | undefined);
      assert.equal(event.type, 'message');
      assert.equal(event.unread, 2);
      assert.equal(event.message.id, id);
      assert.equal(event.message.title, 'Nouvelle mission');
      assert.equal(event.message.link, '/portal/missions');
      await unsubscribe();
      await assert.rejects(provider.send(outgoing(id, null)), PermanentFailure);
    });
  });

  describe('live stream (SSE over a real connection)', () => {
    test('unread at once, a message published after connecting, unread after a read, heartbeats; cleaned up on disconnect', async () => {
      const user = await register(system.app);
      await storeInApp(system.ctx, user.user.id);
      // Count the live subscriptions the stream holds.
      const pubsub = system.ctx.platform.pubsub;
      const originalSubscribe = pubsub.subscribe.bind(pubsub);
      let active = 0;
      pubsub.subscribe = async (channel, handler) => {
        const unsubscribe = await originalSubscribe(channel, handler);
        active += 1;
        return async () => {
          active -= 1;
          await unsubscribe();
        };
      };
      system.ctx.services.inbox.heartbeatMs = 100;
      try {
        const stream = await openStream(baseUrl, user.accessToken);
        assert.equal(stream.status, 200);
        assert.equal(stream.headers['content-type'], 'text/event-stream; charset=utf-8');
        assert.equal(stream.headers['x-accel-buffering'], 'no');
        assert.equal(stream.headers['cache-control'], 'no-cache, no-transform');
        assert.equal(stream.headers['content-encoding'], undefined);
        assert.deepEqual(await stream.event('unread'), { unread: 1 });
        assert.equal(active, 1);

        const id = await storeInApp(system.ctx, user.user.id, { status: 'sending', title: 'Nouvelle mission' });
        await provider.send(outgoing(id, user.user.id));
        const live = (await stream.event('message')) as { message: InboxItem; unread: number };
        assert.equal(live.message.id, id);
        assert.equal(live.unread, 2);

        assert.equal((await post(user, `/api/me/inbox/${id}/read`)).statusCode, 200);
        assert.deepEqual(await stream.event('unread', 2), { unread: 1 });
        await until('a heartbeat', async () => stream.comments.includes(' keep-alive') || stream.comments.includes('keep-alive'));

        await stream.close();
        await until('the subscription released', async () => active === 0);
      } finally {
        pubsub.subscribe = originalSubscribe;
        system.ctx.services.inbox.heartbeatMs = 25_000;
      }
    });

    test('the stream ends when the access token expires (the client reconnects with a fresh one)', async () => {
      const user = await register(system.app);
      const shortLived = await new TokenSigner(system.config.JWT_SECRET, 1).sign({ sub: user.user.id, role: 'artist' });
      const stream = await openStream(baseUrl, shortLived);
      assert.deepEqual(await stream.event('unread'), { unread: 0 });
      await until('the stream ended', async () => stream.isEnded(), 5000);
      await stream.close();
    });
  });

  describe('several API instances (Redis pub/sub)', { skip: process.env.REDIS_URL ? false : 'needs REDIS_URL: without Redis, pub/sub is in-process' }, () => {
    let second: { ctx: AppContext; app: HttpApp; url: string };

    before(async () => {
      // Instance 2: its own platform (pool, Redis connections) and API on another port, same database and Redis namespace.
      const platform = await createPlatform(system.config, system.ctx.platform.logger, {
        name: 'test-2',
        embedded: 'connect',
        databaseUrl: system.ctx.platform.database.url,
      });
      const ctx = createContext(platform);
      const app = await buildApi(ctx);
      second = { ctx, app, url: await listen(app) };
    });
    after(async () => {
      if (second.app.server.listening) await second.app.close();
      await second.ctx.queue.close();
      await second.ctx.platform.close();
    });

    test("a message delivered through instance 1 reaches a stream on instance 2; read marks on instance 1 follow there too; instance 2's shutdown ends it", async () => {
      const user = await register(system.app);
      const stream = await openStream(second.url, user.accessToken);
      assert.deepEqual(await stream.event('unread'), { unread: 0 });

      const id = await storeInApp(system.ctx, user.user.id, { status: 'sending', title: 'Depuis une autre instance' });
      await provider.send(outgoing(id, user.user.id, 'Depuis une autre instance'));
      const live = (await stream.event('message')) as { message: InboxItem; unread: number };
      assert.equal(live.message.title, 'Depuis une autre instance');
      assert.equal(live.unread, 1);

      assert.equal((await post(user, '/api/me/inbox/read-all')).statusCode, 200);
      assert.deepEqual(await stream.event('unread', 2), { unread: 0 });

      // Closing instance 2 ends its open streams instead of waiting for them.
      await second.app.close();
      await until('the stream ended by the shutdown', async () => stream.isEnded(), 5000);
      await stream.close();
    });
  });
});
