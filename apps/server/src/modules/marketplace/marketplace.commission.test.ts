import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearer, register, startTestSystem, type TestSystem } from '../../test/harness.ts';
import { artistsApi, issuePaths, sessions, signedIn } from '../artists/artists.test-helpers.ts';
import {
  commissionCents,
  commissionRate,
  commissionStatement,
  currentMonth,
  DEFAULT_MARKETPLACE,
  marketplaceSettingsSchema,
  monthRange,
} from './marketplace.commission.ts';
import { missions, serviceBlocks } from './marketplace.tables.ts';

const tiers = DEFAULT_MARKETPLACE.commissionTiers;

test('the tier rule: 25 % below 5 missions, 20 % from 5, 15 % from 10', () => {
  const expected: [number, number][] = [
    [0, 25],
    [1, 25],
    [4, 25],
    [5, 20],
    [6, 20],
    [9, 20],
    [10, 15],
    [11, 15],
    [250, 15],
  ];
  for (const [count, rate] of expected) assert.equal(commissionRate(tiers, count), rate, `${count} missions`);
  const custom = [
    { fromMissions: 0, ratePercent: 30 },
    { fromMissions: 3, ratePercent: 10 },
  ];
  assert.equal(commissionRate(custom, 2), 30);
  assert.equal(commissionRate(custom, 3), 10);
});

test('a month statement: one rate for all of the month, per-mission rounding half up, totals are the sums', () => {
  assert.equal(commissionCents(333, 25), 83, '83.25 → 83');
  assert.equal(commissionCents(2, 25), 1, '0.5 → 1');
  assert.equal(commissionCents(80000, 20), 16000);

  const four = commissionStatement(tiers, [{ priceCents: 80000 }, { priceCents: 333 }, { priceCents: 15000 }, { priceCents: 20000 }]);
  assert.deepEqual(
    { count: four.count, rate: four.ratePercent, gross: four.grossCents, commission: four.commissionCents, payout: four.payoutCents },
    { count: 4, rate: 25, gross: 115333, commission: 28833, payout: 86500 },
  );
  assert.deepEqual(
    four.lines.map((l) => [l.commissionCents, l.payoutCents]),
    [
      [20000, 60000],
      [83, 250],
      [3750, 11250],
      [5000, 15000],
    ],
  );
  // The fifth mission lowers the rate of every mission of the month, not only the fifth.
  const five = commissionStatement(tiers, [...four.lines.map((l) => ({ priceCents: l.priceCents })), { priceCents: 10000 }]);
  assert.deepEqual([five.ratePercent, five.grossCents, five.commissionCents, five.payoutCents], [20, 125333, 25067, 100266]);
  const nine = commissionStatement(
    tiers,
    Array.from({ length: 9 }, () => ({ priceCents: 10000 })),
  );
  assert.deepEqual([nine.ratePercent, nine.commissionCents, nine.payoutCents], [20, 18000, 72000]);
  const ten = commissionStatement(
    tiers,
    Array.from({ length: 10 }, () => ({ priceCents: 10000 })),
  );
  assert.deepEqual([ten.ratePercent, ten.commissionCents, ten.payoutCents], [15, 15000, 85000]);
  assert.deepEqual(commissionStatement(tiers, []), { count: 0, ratePercent: 25, grossCents: 0, commissionCents: 0, payoutCents: 0, lines: [] });
});

test('months are calendar months in Europe/Paris, whatever the daylight saving time', () => {
  const range = (m: string) => Object.values(monthRange(m)).map((d) => d.toISOString());
  assert.deepEqual(range('2024-03'), ['2024-02-29T23:00:00.000Z', '2024-03-31T22:00:00.000Z']);
  assert.deepEqual(range('2024-10'), ['2024-09-30T22:00:00.000Z', '2024-10-31T23:00:00.000Z']);
  assert.deepEqual(range('2024-12'), ['2024-11-30T23:00:00.000Z', '2024-12-31T23:00:00.000Z']);
  assert.deepEqual(range('2025-07'), ['2025-06-30T22:00:00.000Z', '2025-07-31T22:00:00.000Z']);
  assert.equal(currentMonth(new Date('2024-03-31T21:59:59Z')), '2024-03');
  assert.equal(currentMonth(new Date('2024-03-31T22:00:00Z')), '2024-04');
  assert.equal(currentMonth(new Date('2024-12-31T23:30:00Z')), '2025-01');
  assert.throws(() => monthRange('2024-13'));
});

test('the marketplace setting: tiers start at 0 and increase', () => {
  assert.ok(marketplaceSettingsSchema.safeParse(DEFAULT_MARKETPLACE).success);
  const bad = [
    { commissionTiers: [] },
    { commissionTiers: [{ fromMissions: 1, ratePercent: 25 }] },
    {
      commissionTiers: [
        { fromMissions: 0, ratePercent: 25 },
        { fromMissions: 5, ratePercent: 20 },
        { fromMissions: 5, ratePercent: 15 },
      ],
    },
    { commissionTiers: [{ fromMissions: 0, ratePercent: 101 }] },
    { commissionTiers: [{ fromMissions: 0, ratePercent: 12.5 }] },
  ];
  for (const value of bad) assert.equal(marketplaceSettingsSchema.safeParse(value).success, false, JSON.stringify(value));
});

describe('the commission endpoint', () => {
  let system: TestSystem;
  let s: Awaited<ReturnType<typeof sessions>>;
  let expert: Awaited<ReturnType<typeof signedIn>>;
  let otherExpert: Awaited<ReturnType<typeof signedIn>>;
  let artistId: string;
  let blockId: string;
  const statement = (token: string, expertId: string, query = '') =>
    system.app.inject({ method: 'GET', url: `/api/marketplace/experts/${expertId}/commission${query}`, headers: bearer(token) });
  const insert = async (values: {
    priceCents: number;
    status: 'delivered' | 'accepted' | 'cancelled' | 'in_progress';
    deliveredAt: string | null;
    expertId?: string;
  }) => {
    const [row] = await system.ctx.platform.database.db
      .insert(missions)
      .values({
        blockId,
        artistId,
        format: 'one_shot',
        priceCents: values.priceCents,
        status: values.status,
        expertId: values.expertId ?? expert.id,
        deliveredAt: values.deliveredAt ? new Date(values.deliveredAt) : null,
      })
      .returning({ id: missions.id });
    return row!.id;
  };

  before(async () => {
    system = await startTestSystem();
    s = await sessions(system);
    [expert, otherExpert] = await Promise.all([signedIn(system, 'expert'), signedIn(system, 'expert')]);
    artistId = (await artistsApi(system).make(s.staff.accessToken)).id;
    const [block] = await system.ctx.platform.database.db.select().from(serviceBlocks).limit(1);
    blockId = block!.id;
  });
  after(async () => system.close());

  test('missions delivered in the Paris month and not cancelled; the count sets the rate for all of them', async () => {
    const counted = [
      await insert({ priceCents: 15000, status: 'accepted', deliveredAt: '2024-02-29T23:30:00Z' }), // 1 March, 00:30 in Paris
      await insert({ priceCents: 80000, status: 'delivered', deliveredAt: '2024-03-15T10:00:00Z' }),
      await insert({ priceCents: 333, status: 'accepted', deliveredAt: '2024-03-20T10:00:00Z' }),
      await insert({ priceCents: 20000, status: 'delivered', deliveredAt: '2024-03-31T21:59:59Z' }), // 23:59:59 in Paris (CEST)
    ];
    await insert({ priceCents: 99900, status: 'accepted', deliveredAt: '2024-03-31T22:00:00Z' }); // 1 April in Paris
    await insert({ priceCents: 99900, status: 'accepted', deliveredAt: '2024-02-29T22:59:59Z' }); // still February in Paris
    await insert({ priceCents: 99900, status: 'cancelled', deliveredAt: '2024-03-10T10:00:00Z' });
    await insert({ priceCents: 99900, status: 'in_progress', deliveredAt: null });
    await insert({ priceCents: 99900, status: 'accepted', deliveredAt: '2024-03-10T10:00:00Z', expertId: otherExpert.id });

    const res = await statement(s.staff.accessToken, expert.id, '?month=2024-03');
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.deepEqual(body.expert, { id: expert.id, name: expert.name });
    assert.deepEqual([body.month, body.from, body.to], ['2024-03', '2024-02-29T23:00:00.000Z', '2024-03-31T22:00:00.000Z']);
    assert.deepEqual(
      body.missions.map((m: { id: string }) => m.id),
      counted,
    );
    assert.deepEqual([body.count, body.ratePercent, body.grossCents, body.commissionCents, body.payoutCents], [4, 25, 115333, 28833, 86500]);
    assert.deepEqual(body.tiers, tiers);
    assert.deepEqual(
      (({ priceCents, commissionCents, payoutCents, format, status }) => ({ priceCents, commissionCents, payoutCents, format, status }))(body.missions[2]),
      { priceCents: 333, commissionCents: 83, payoutCents: 250, format: 'one_shot', status: 'accepted' },
    );

    // The fifth delivery of the month moves every mission of the month to 20 %.
    await insert({ priceCents: 10000, status: 'delivered', deliveredAt: '2024-03-25T10:00:00Z' });
    const five = (await statement(expert.accessToken, expert.id, '?month=2024-03')).json();
    assert.deepEqual([five.count, five.ratePercent, five.grossCents, five.commissionCents, five.payoutCents], [5, 20, 125333, 25067, 100266]);

    // The tiers are a setting an admin changes.
    const put = (value: unknown) =>
      system.app.inject({ method: 'PUT', url: '/api/settings/marketplace', headers: bearer(s.admin.accessToken), payload: { value } });
    const invalid = await put({ commissionTiers: [{ fromMissions: 2, ratePercent: 10 }] });
    assert.equal(invalid.statusCode, 400);
    assert.deepEqual(issuePaths(invalid.json()), ['value.commissionTiers']);
    const custom = {
      commissionTiers: [
        { fromMissions: 0, ratePercent: 30 },
        { fromMissions: 5, ratePercent: 10 },
      ],
    };
    assert.equal((await put(custom)).statusCode, 200);
    const changed = (await statement(s.admin.accessToken, expert.id, '?month=2024-03')).json();
    assert.deepEqual([changed.ratePercent, changed.commissionCents, changed.payoutCents, changed.tiers], [10, 12533, 112800, custom.commissionTiers]);
    assert.equal((await put(DEFAULT_MARKETPLACE)).statusCode, 200);

    const other = (await statement(s.staff.accessToken, otherExpert.id, '?month=2024-03')).json();
    assert.deepEqual([other.count, other.grossCents, other.commissionCents], [1, 99900, 24975]);
    const empty = (await statement(s.staff.accessToken, expert.id, '?month=2023-03')).json();
    assert.deepEqual([empty.count, empty.ratePercent, empty.grossCents, empty.missions], [0, 25, 0, []]);
  });

  test('access: the team, or the expert themself; another expert is 404; bad months are 400', async () => {
    assert.equal((await statement(expert.accessToken, expert.id, '?month=2024-03')).statusCode, 200);
    const foreign = await statement(expert.accessToken, otherExpert.id, '?month=2024-03');
    assert.equal(foreign.statusCode, 404);
    assert.equal((await statement(s.artist.accessToken, expert.id)).statusCode, 403);
    const sponsor = await register(system.app, 'sponsor');
    assert.equal((await statement(sponsor.accessToken, expert.id)).statusCode, 403);
    assert.equal((await statement(s.staff.accessToken, crypto.randomUUID())).statusCode, 404);
    assert.equal((await statement(s.staff.accessToken, s.staff.id)).statusCode, 404, 'not an expert');
    for (const month of ['2024-13', '2024-3', 'March']) {
      const res = await statement(s.staff.accessToken, expert.id, `?month=${month}`);
      assert.equal(res.statusCode, 400, month);
      assert.deepEqual(issuePaths(res.json()), ['month']);
    }
  });

  test('a mission delivered through the API counts in the current month', async () => {
    const api = artistsApi(system);
    const call = (token: string, url: string, body: unknown) => api.call('POST', url, token, body);
    const created = await call(s.staff.accessToken, '/api/marketplace/requests', { blockId, artistId, format: 'diagnostic' });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id as string;
    assert.equal((await call(s.staff.accessToken, `/api/marketplace/missions/${id}/assign`, { expertId: otherExpert.id })).statusCode, 200);
    assert.equal((await call(otherExpert.accessToken, `/api/marketplace/missions/${id}/status`, { to: 'in_progress' })).statusCode, 200);
    assert.equal((await call(otherExpert.accessToken, `/api/marketplace/missions/${id}/deliverables`, { title: 'Audit' })).statusCode, 201);
    assert.equal((await statement(otherExpert.accessToken, otherExpert.id)).json().count, 0, 'not delivered yet');
    assert.equal((await call(otherExpert.accessToken, `/api/marketplace/missions/${id}/status`, { to: 'delivered' })).statusCode, 200);

    const now = (await statement(otherExpert.accessToken, otherExpert.id)).json();
    assert.equal(now.month, currentMonth());
    assert.deepEqual(
      now.missions.map((m: { id: string }) => m.id),
      [id],
    );
    const price = created.json().priceCents as number;
    assert.deepEqual([now.grossCents, now.commissionCents, now.payoutCents], [price, commissionCents(price, 25), price - commissionCents(price, 25)]);
  });
});
