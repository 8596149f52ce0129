import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { ORDER_STATUSES, ORDER_TRANSITIONS } from '@mona/shared';
import { startTestSystem, type TestSystem } from '../../test/harness.ts';
import { artistsApi, issuePaths, sessions, type ArtistJson } from '../artists/artists.test-helpers.ts';
import { orderPrice, orderTransitionRefusal } from './offers.service.ts';
import { orders } from './offers.tables.ts';

interface OfferJson {
  id: string;
  code: string;
  name: string;
  description: string;
  includes: string[];
  priceCents: number;
  priceIsMinimum: boolean;
  position: number;
  active: boolean;
}
interface OrderJson {
  id: string;
  artistId: string;
  artistName: string;
  offerId: string;
  offerCode: string;
  priceCents: number;
  status: string;
  note: string;
  createdBy: string | null;
  createdAt: string;
  paidAt: string | null;
  fulfilledAt: string | null;
  refundedAt: string | null;
  cancelledAt: string | null;
  history: { fromStatus: string | null; toStatus: string; reason: string; changedAt: string; changedBy: { id: string; name: string } | null }[];
}

test('the order transition rule follows ORDER_TRANSITIONS and says why', () => {
  for (const from of ORDER_STATUSES) {
    for (const to of ORDER_STATUSES) {
      const refusal = orderTransitionRefusal(from, to);
      assert.equal(refusal === null, ORDER_TRANSITIONS[from].includes(to), `${from} → ${to}`);
    }
  }
  assert.equal(orderTransitionRefusal('pending', 'fulfilled'), 'from pending an order can only become paid or cancelled');
  assert.equal(orderTransitionRefusal('refunded', 'paid'), 'refunded is final');
  assert.equal(orderTransitionRefusal('paid', 'paid'), 'the order is already paid');
});

test('the order price: the offer price by default; higher only for a "from" price', () => {
  const fixed = { name: 'MONA 290', priceCents: 29000, priceIsMinimum: false };
  const from = { name: 'MONA 490+', priceCents: 49000, priceIsMinimum: true };
  assert.equal(orderPrice(fixed, undefined), 29000);
  assert.equal(orderPrice(fixed, 29000), 29000);
  assert.throws(() => orderPrice(fixed, 30000), /sold at 29000 cents/);
  assert.equal(orderPrice(from, undefined), 49000);
  assert.equal(orderPrice(from, 49000), 49000);
  assert.equal(orderPrice(from, 75000), 75000);
  assert.throws(() => orderPrice(from, 48999), /starts at 49000 cents/);
});

describe('offers and orders', () => {
  let system: TestSystem;
  let api: ReturnType<typeof artistsApi>;
  let s: Awaited<ReturnType<typeof sessions>>;
  let catalogue: Record<string, OfferJson>;
  const createOrder = (token: string, body: Record<string, unknown>) => api.call('POST', '/api/orders', token, body);
  const setStatus = (token: string, id: string, to: string, reason?: string) =>
    api.call('POST', `/api/orders/${id}/status`, token, { to, ...(reason ? { reason } : {}) });
  async function makeOrder(artist: ArtistJson, code = 'mona-290', extra: Record<string, unknown> = {}): Promise<OrderJson> {
    const res = await createOrder(s.staff.accessToken, { artistId: artist.id, offerId: catalogue[code]!.id, ...extra });
    assert.equal(res.statusCode, 201, res.body);
    return res.json<OrderJson>();
  }

  before(async () => {
    system = await startTestSystem();
    api = artistsApi(system);
    s = await sessions(system);
    const res = await api.call('GET', '/api/offers', s.artist.accessToken);
    catalogue = Object.fromEntries(res.json<{ items: OfferJson[] }>().items.map((o) => [o.code, o]));
  });
  after(async () => system.close());

  test('the catalogue: the three seeded offers, by position, for anyone signed in; admins edit it', async () => {
    const res = await api.call('GET', '/api/offers', s.artist.accessToken);
    assert.equal(res.statusCode, 200);
    const items = res.json<{ items: OfferJson[] }>().items;
    assert.deepEqual(
      items.map((o) => [o.code, o.priceCents, o.priceIsMinimum]),
      [
        ['mona-290', 29000, false],
        ['mona-390', 39000, false],
        ['mona-490', 49000, true],
      ],
    );
    assert.ok(items[0]!.includes.includes('120-point grid'));
    assert.equal((await api.call('GET', '/api/offers', '')).statusCode, 401);

    const id = catalogue['mona-390']!.id;
    assert.equal((await api.call('PATCH', `/api/offers/${id}`, s.staff.accessToken, { name: 'x' })).statusCode, 403);
    const bad = await api.call('PATCH', `/api/offers/${id}`, s.admin.accessToken, { priceCents: 12.5 });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(issuePaths(bad.json()), ['priceCents']);
    assert.equal((await api.call('PATCH', `/api/offers/${crypto.randomUUID()}`, s.admin.accessToken, { name: 'x' })).statusCode, 404);

    const patched = await api.call('PATCH', `/api/offers/${id}`, s.admin.accessToken, {
      name: 'MONA 390 Plus',
      description: 'New text',
      includes: ['A', 'B'],
      priceCents: 39900,
      active: false,
    });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.deepEqual(
      (({ name, description, includes, priceCents, active }) => ({ name, description, includes, priceCents, active }))(patched.json<OfferJson>()),
      { name: 'MONA 390 Plus', description: 'New text', includes: ['A', 'B'], priceCents: 39900, active: false },
    );
    const active = (await api.call('GET', '/api/offers', s.artist.accessToken)).json<{ items: OfferJson[] }>().items;
    assert.deepEqual(
      active.map((o) => o.code),
      ['mona-290', 'mona-490'],
    );
    assert.equal((await api.call('GET', '/api/offers?includeInactive=true', s.artist.accessToken)).statusCode, 403);
    const all = (await api.call('GET', '/api/offers?includeInactive=true', s.staff.accessToken)).json<{ items: OfferJson[] }>().items;
    assert.equal(all.length, 3);

    // An inactive offer is not sold.
    const artist = await api.make(s.staff.accessToken);
    const refused = await createOrder(s.staff.accessToken, { artistId: artist.id, offerId: id });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.json().error.message, /no longer sold/);
    await api.call('PATCH', `/api/offers/${id}`, s.admin.accessToken, { active: true, priceCents: 39000, name: 'MONA 390' });
  });

  test('staff create an order: price from the offer, a pending status recorded in the history', async () => {
    const artist = await api.make(s.staff.accessToken);
    const order = await makeOrder(artist, 'mona-290', { note: 'Paid by transfer' });
    assert.equal(order.artistId, artist.id);
    assert.equal(order.artistName, artist.stageName);
    assert.equal(order.offerCode, 'mona-290');
    assert.equal(order.priceCents, 29000);
    assert.equal(order.status, 'pending');
    assert.equal(order.note, 'Paid by transfer');
    assert.equal(order.createdBy, s.staff.id);
    assert.equal(order.paidAt, null);
    assert.deepEqual(
      order.history.map((h) => [h.fromStatus, h.toStatus, h.changedBy?.id]),
      [[null, 'pending', s.staff.id]],
    );

    // 490+ is a "from" price: higher is fine, lower is 400 on the field; other offers take only their price.
    assert.equal((await makeOrder(artist, 'mona-490', { priceCents: 65000 })).priceCents, 65000);
    assert.equal((await makeOrder(artist, 'mona-490')).priceCents, 49000);
    for (const [code, priceCents] of [
      ['mona-490', 48000],
      ['mona-290', 35000],
      ['mona-390', 1],
    ] as const) {
      const res = await createOrder(s.staff.accessToken, { artistId: artist.id, offerId: catalogue[code]!.id, priceCents });
      assert.equal(res.statusCode, 400, `${code} at ${priceCents}`);
      assert.deepEqual(issuePaths(res.json()), ['priceCents']);
    }
    const wrongType = await createOrder(s.staff.accessToken, { artistId: artist.id, offerId: catalogue['mona-290']!.id, priceCents: '290' });
    assert.deepEqual(issuePaths(wrongType.json()), ['priceCents']);
    const missing = await createOrder(s.staff.accessToken, { artistId: artist.id });
    assert.equal(missing.statusCode, 400);
    assert.deepEqual(issuePaths(missing.json()), ['offerId']);

    assert.equal((await createOrder(s.staff.accessToken, { artistId: crypto.randomUUID(), offerId: catalogue['mona-290']!.id })).statusCode, 404);
    assert.equal((await createOrder(s.staff.accessToken, { artistId: artist.id, offerId: crypto.randomUUID() })).statusCode, 404);

    const archived = await api.make(s.staff.accessToken);
    await api.archive(s.staff.accessToken, archived.id);
    const refused = await createOrder(s.staff.accessToken, { artistId: archived.id, offerId: catalogue['mona-290']!.id });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.json().error.message, /archived/);
    assert.equal((await api.call('GET', `/api/orders?artistId=${archived.id}`, s.staff.accessToken)).json().items.length, 0);
  });

  test('transitions: only the allowed ones, with timestamps, history and the order.paid event', async () => {
    const artist = await api.make(s.staff.accessToken);
    const order = await makeOrder(artist, 'mona-490', { priceCents: 52000 });

    const early = await setStatus(s.staff.accessToken, order.id, 'fulfilled');
    assert.equal(early.statusCode, 409);
    assert.equal(early.json().error.code, 'conflict');
    assert.match(early.json().error.message, /from pending to fulfilled/);
    assert.equal((await setStatus(s.staff.accessToken, order.id, 'shipped')).statusCode, 400);
    assert.equal((await setStatus(s.staff.accessToken, crypto.randomUUID(), 'paid')).statusCode, 404);

    const paid = await setStatus(s.staff.accessToken, order.id, 'paid', 'Transfer received');
    assert.equal(paid.statusCode, 200, paid.body);
    const paidOrder = paid.json<OrderJson>();
    assert.equal(paidOrder.status, 'paid');
    assert.ok(paidOrder.paidAt);
    assert.equal(paidOrder.history.at(-1)?.changedAt, paidOrder.paidAt);
    const [event] = await system.ctx.events.list({ name: 'order.paid', aggregateId: order.id });
    assert.deepEqual(event?.payload, { orderId: order.id, artistId: artist.id, offerCode: 'mona-490', priceCents: 52000 });

    assert.equal((await setStatus(s.staff.accessToken, order.id, 'cancelled')).statusCode, 409);
    const fulfilled = (await setStatus(s.admin.accessToken, order.id, 'fulfilled')).json<OrderJson>();
    assert.ok(fulfilled.fulfilledAt && fulfilled.fulfilledAt >= fulfilled.paidAt!);
    const refunded = (await setStatus(s.staff.accessToken, order.id, 'refunded', 'Unhappy')).json<OrderJson>();
    assert.equal(refunded.status, 'refunded');
    assert.ok(refunded.refundedAt);
    assert.equal(refunded.paidAt, paidOrder.paidAt, 'a refund keeps when it was paid');
    const final = await setStatus(s.staff.accessToken, order.id, 'paid');
    assert.equal(final.statusCode, 409);
    assert.match(final.json().error.message, /from refunded to paid: refunded is final/);

    const got = await api.call('GET', `/api/orders/${order.id}`, s.staff.accessToken);
    assert.deepEqual(
      got.json<OrderJson>().history.map((h) => [h.fromStatus, h.toStatus, h.reason, h.changedBy?.id]),
      [
        [null, 'pending', 'created', s.staff.id],
        ['pending', 'paid', 'Transfer received', s.staff.id],
        ['paid', 'fulfilled', '', s.admin.id],
        ['fulfilled', 'refunded', 'Unhappy', s.staff.id],
      ],
    );
    assert.equal((await system.ctx.events.list({ name: 'order.paid', aggregateId: order.id })).length, 1);

    const other = await makeOrder(artist);
    const cancelled = (await setStatus(s.staff.accessToken, other.id, 'cancelled')).json<OrderJson>();
    assert.ok(cancelled.cancelledAt);
    assert.equal(cancelled.paidAt, null);
    assert.equal((await system.ctx.events.list({ name: 'order.paid', aggregateId: other.id })).length, 0);
  });

  test('two concurrent transitions of one order: exactly one 200 and one 409', async () => {
    const artist = await api.make(s.staff.accessToken);
    for (let round = 0; round < 3; round++) {
      const order = await makeOrder(artist);
      const results = await Promise.all([setStatus(s.staff.accessToken, order.id, 'paid'), setStatus(s.admin.accessToken, order.id, 'cancelled')]);
      assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 409], results.map((r) => r.body).join('\n'));
      const winner = results.find((r) => r.statusCode === 200)!.json<OrderJson>();
      const history = (await api.call('GET', `/api/orders/${order.id}`, s.staff.accessToken)).json<OrderJson>().history;
      assert.deepEqual(
        history.map((h) => h.toStatus),
        ['pending', winner.status],
      );
      assert.equal((await system.ctx.events.list({ name: 'order.paid', aggregateId: order.id })).length, winner.status === 'paid' ? 1 : 0);
    }
    const order = await makeOrder(artist);
    const same = await Promise.all([setStatus(s.staff.accessToken, order.id, 'paid'), setStatus(s.admin.accessToken, order.id, 'paid')]);
    assert.deepEqual(same.map((r) => r.statusCode).sort(), [200, 409]);
    assert.equal((await system.ctx.events.list({ name: 'order.paid', aggregateId: order.id })).length, 1);
  });

  test('lists: filters, newest first; an artist sees only their own orders and cannot create or transition', async () => {
    const mine = await api.make(s.staff.accessToken);
    const linked = await api.call('POST', `/api/artists/${mine.id}/link-user`, s.staff.accessToken, { userId: s.artist.id });
    assert.equal(linked.statusCode, 200, linked.body);
    const someoneElse = await api.make(s.staff.accessToken);
    const first = await makeOrder(mine, 'mona-290');
    const second = await makeOrder(mine, 'mona-390');
    const theirs = await makeOrder(someoneElse, 'mona-290');
    await setStatus(s.staff.accessToken, second.id, 'paid');

    const byArtist = (await api.call('GET', `/api/orders?artistId=${mine.id}`, s.staff.accessToken)).json<{ items: OrderJson[] }>().items;
    assert.deepEqual(
      byArtist.map((o) => o.id),
      [second.id, first.id],
    );
    const paid = (await api.call('GET', `/api/orders?artistId=${mine.id}&status=paid`, s.staff.accessToken)).json<{ items: OrderJson[] }>().items;
    assert.deepEqual(
      paid.map((o) => o.id),
      [second.id],
    );
    const byOffer = (await api.call('GET', `/api/orders?offerId=${catalogue['mona-290']!.id}&limit=500`, s.staff.accessToken)).json<{ items: OrderJson[] }>()
      .items;
    assert.ok(byOffer.some((o) => o.id === theirs.id) && byOffer.every((o) => o.offerCode === 'mona-290'));
    const all = (await api.call('GET', '/api/orders?limit=500', s.staff.accessToken)).json<{ items: OrderJson[] }>().items;
    for (let i = 1; i < all.length; i++) assert.ok(all[i - 1]!.createdAt >= all[i]!.createdAt);
    assert.equal((await api.call('GET', '/api/orders?status=lost', s.staff.accessToken)).statusCode, 400);

    const own = await api.call('GET', '/api/me/orders', s.artist.accessToken);
    assert.equal(own.statusCode, 200);
    assert.deepEqual(
      own.json<{ items: OrderJson[] }>().items.map((o) => o.id),
      [second.id, first.id],
    );
    assert.equal((await api.call('GET', `/api/orders/${first.id}`, s.artist.accessToken)).statusCode, 200);
    const hidden = await api.call('GET', `/api/orders/${theirs.id}`, s.artist.accessToken);
    assert.equal(hidden.statusCode, 404);
    assert.equal(hidden.json().error.message, 'Order not found');
    assert.equal((await api.call('GET', '/api/orders', s.artist.accessToken)).statusCode, 403);
    assert.equal((await createOrder(s.artist.accessToken, { artistId: mine.id, offerId: catalogue['mona-290']!.id })).statusCode, 403);
    assert.equal((await setStatus(s.artist.accessToken, first.id, 'paid')).statusCode, 403);
    assert.equal((await api.call('GET', `/api/orders/${first.id}`, s.artist.accessToken)).json<OrderJson>().status, 'pending');
    assert.equal((await api.call('GET', '/api/me/orders', s.staff.accessToken)).statusCode, 403);
  });

  test('the business gauge counts orders paid in a period [from, to), whatever happened since', async () => {
    const artist = await api.make(s.staff.accessToken);
    const a = await makeOrder(artist, 'mona-290');
    const b = await makeOrder(artist, 'mona-490', { priceCents: 60000 });
    const c = await makeOrder(artist, 'mona-390');
    const d = await makeOrder(artist, 'mona-390');
    for (const order of [a, b, c, d]) assert.equal((await setStatus(s.staff.accessToken, order.id, 'paid')).statusCode, 200);
    assert.equal((await setStatus(s.staff.accessToken, b.id, 'refunded')).statusCode, 200);
    // Dated in a past period no other test touches: a and b inside, c at the exclusive end, d just before the start.
    const { db } = system.ctx.platform.database;
    const paidAt: [OrderJson, string][] = [
      [a, '2021-03-10T12:00:00Z'],
      [b, '2021-03-31T23:59:59Z'],
      [c, '2021-04-01T00:00:00Z'],
      [d, '2021-02-28T23:59:59Z'],
    ];
    for (const [order, at] of paidAt)
      await db
        .update(orders)
        .set({ paidAt: new Date(at) })
        .where(eq(orders.id, order.id));
    const period = [new Date('2021-03-01T00:00:00Z'), new Date('2021-04-01T00:00:00Z')] as const;
    assert.deepEqual(await system.ctx.repos.offers.paidBetween(...period), { orders: 2, amountCents: 89000 });
    assert.deepEqual(await system.ctx.services.offers.paidBetween(new Date('2020-01-01'), new Date('2020-02-01')), { orders: 0, amountCents: 0 });
  });
});
