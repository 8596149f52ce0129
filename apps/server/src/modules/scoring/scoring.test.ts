import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import type pg from 'pg';
import { DEFAULT_SCORING } from '@mona/shared';
import { artists } from '../artists/artists.tables.ts';
import { register, signInAs, startTestSystem, type TestSystem } from '../../test/harness.ts';
import {
  api,
  artistRow,
  createArtist,
  daysAgo,
  NO_RATINGS,
  ratingsWorth,
  signUpRecord,
  snapshotCount,
  tierEvents as tierChangedEvents,
} from './scoring.test-helpers.ts';

type Issue = { path: string; message: string };

describe('MONA score', () => {
  let system: TestSystem;
  let call: ReturnType<typeof api>;
  let admin: string;
  let staff: string;
  let staffName: string;
  before(async () => {
    system = await startTestSystem();
    call = api(system);
    admin = (await signInAs(system, 'admin')).accessToken;
    const staffAccount = await signInAs(system, 'staff');
    staff = staffAccount.accessToken;
    staffName = staffAccount.name;
  });
  after(async () => system.close());

  const tierEvents = (artistId: string) => tierChangedEvents(system, artistId);

  test('metrics: stored, re-posting the same snapshot updates it instead of adding one', async () => {
    const id = await createArtist(system);
    const snapshots = [
      { platform: 'instagram', capturedAt: daysAgo(2), followers: 5000, engagementRate: 2, postsPerWeek: 3, monthlyGrowth: 4 },
      { platform: 'tiktok', capturedAt: daysAgo(2), followers: 5000, engagementRate: 4, postsPerWeek: 1, monthlyGrowth: 8 },
    ];
    const first = await call.postMetrics(staff, id, snapshots);
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(first.json().stored, 2);
    // Same instant written another way (offset instead of Z) is the same snapshot.
    const again = snapshots.map((s) => ({ ...s, followers: s.followers + 1000 }));
    again[0]!.capturedAt = again[0]!.capturedAt.replace('Z', '+00:00');
    const second = await call.postMetrics(staff, id, again);
    assert.equal(second.statusCode, 200, second.body);
    assert.equal(await snapshotCount(system, id), 2);

    const series = await call.metrics(staff, id);
    assert.equal(series.statusCode, 200, series.body);
    const body = series.json();
    assert.equal(body.truncated, false);
    assert.deepEqual(
      body.series.map((s: { platform: string; points: { followers: number }[] }) => [s.platform, s.points.map((p) => p.followers)]),
      [
        ['instagram', [6000]],
        ['tiktok', [6000]],
      ],
    );
  });

  test('metrics: series ordered by time, filtered by platform and period', async () => {
    const id = await createArtist(system);
    const at = (platform: string, days: number, followers: number) => ({
      platform,
      capturedAt: daysAgo(days),
      followers,
      engagementRate: 1,
      postsPerWeek: 1,
      monthlyGrowth: 0,
    });
    // Sent out of order on purpose.
    assert.equal(
      (await call.postMetrics(admin, id, [at('youtube', 1, 300), at('youtube', 10, 100), at('youtube', 5, 200), at('spotify', 3, 50)])).statusCode,
      200,
    );
    const all = (await call.metrics(admin, id)).json();
    assert.deepEqual(
      all.series.map((s: { platform: string }) => s.platform),
      ['youtube', 'spotify'],
    );
    assert.deepEqual(
      all.series[0].points.map((p: { followers: number }) => p.followers),
      [100, 200, 300],
    );
    const filtered = await call.metrics(admin, id, `?platform=youtube&from=${encodeURIComponent(daysAgo(7))}&to=${encodeURIComponent(daysAgo(2))}`);
    assert.equal(filtered.statusCode, 200, filtered.body);
    const [only] = filtered.json().series;
    assert.equal(filtered.json().series.length, 1);
    assert.equal(only.platform, 'youtube');
    assert.deepEqual(
      only.points.map((p: { followers: number; source: string }) => [p.followers, p.source]),
      [[200, 'manual']],
    );
    const reversed = await call.metrics(admin, id, `?from=${encodeURIComponent(daysAgo(1))}&to=${encodeURIComponent(daysAgo(3))}`);
    assert.equal(reversed.statusCode, 400);
    assert.equal(reversed.json().error.details.issues[0].path, 'from');
  });

  test('metrics: bad snapshots are 400 on the field, and nothing is stored', async () => {
    const id = await createArtist(system);
    const ok = { platform: 'twitch', capturedAt: daysAgo(1), followers: 10, engagementRate: 1, postsPerWeek: 1, monthlyGrowth: 0 };
    const cases: [unknown[], string][] = [
      [[{ ...ok, capturedAt: new Date(Date.now() + 3_600_000).toISOString() }], 'snapshots.0.capturedAt'],
      [[{ ...ok, capturedAt: 'yesterday' }], 'snapshots.0.capturedAt'],
      [[ok, { ...ok, followers: -1 }], 'snapshots.1.followers'],
      [[{ ...ok, followers: 1.5 }], 'snapshots.0.followers'],
      [[{ ...ok, engagementRate: 100.1 }], 'snapshots.0.engagementRate'],
      [[{ ...ok, postsPerWeek: 101 }], 'snapshots.0.postsPerWeek'],
      [[{ ...ok, monthlyGrowth: -101 }], 'snapshots.0.monthlyGrowth'],
      [[{ ...ok, monthlyGrowth: 1001 }], 'snapshots.0.monthlyGrowth'],
      [[{ ...ok, platform: 'myspace' }], 'snapshots.0.platform'],
      [[{ ...ok, extra: 1 }], 'snapshots.0.extra'],
      [[ok, { ...ok, followers: 20 }], 'snapshots.1.capturedAt'],
      [[], 'snapshots'],
      [Array.from({ length: 501 }, (_, i) => ({ ...ok, capturedAt: daysAgo(i + 1) })), 'snapshots'],
    ];
    for (const [snapshots, path] of cases) {
      const res = await call.postMetrics(staff, id, snapshots);
      assert.equal(res.statusCode, 400, `${path}: ${res.body}`);
      assert.ok(
        res.json().error.details.issues.some((i: Issue) => i.path === path),
        `${path} in ${res.body}`,
      );
    }
    assert.equal(await snapshotCount(system, id), 0);
    assert.equal((await call.postMetrics(staff, '00000000-0000-4000-8000-000000000000', [ok])).statusCode, 404);
    assert.equal((await call.postMetrics(staff, 'not-a-uuid', [ok])).statusCode, 400);
  });

  test('the computed categories follow the metrics; a metrics change is a system scoring event', async () => {
    const id = await createArtist(system);
    const empty = (await call.score(staff, id)).json();
    assert.equal(empty.categories.digitalPresence, 0);
    assert.equal(empty.total, 0);
    assert.equal(empty.lastChangedAt, null);
    assert.deepEqual(empty.maxima, DEFAULT_SCORING.maxima);

    const res = await call.postMetrics(staff, id, [
      { platform: 'instagram', capturedAt: daysAgo(3), followers: 5000, engagementRate: 2, postsPerWeek: 3, monthlyGrowth: 4 },
      { platform: 'tiktok', capturedAt: daysAgo(3), followers: 5000, engagementRate: 4, postsPerWeek: 1, monthlyGrowth: 8 },
    ]);
    assert.equal(res.statusCode, 200, res.body);
    // Worked out in packages/shared/src/scoring.test.ts: 20 × 0.56 and 20 × 0.5833.
    assert.equal(res.json().score.categories.digitalPresence, 11.2);
    assert.equal(res.json().score.categories.audienceEngagement, 11.7);
    assert.equal(res.json().score.total, 23);
    assert.equal(res.json().changed, true);

    // A newer instagram snapshot replaces the older one in the score; the old one stays in the series.
    await call.postMetrics(staff, id, [
      { platform: 'instagram', capturedAt: daysAgo(1), followers: 95_000, engagementRate: 6, postsPerWeek: 5, monthlyGrowth: 10 },
    ]);
    const score = (await call.score(staff, id)).json();
    assert.ok(score.categories.digitalPresence > 11.2, `digital presence ${score.categories.digitalPresence}`);
    assert.ok(score.categories.audienceEngagement > 11.7);
    assert.equal((await artistRow(system, id)).scoreTotal, score.total);

    const events = (await call.history(staff, id)).json().events;
    assert.equal(events.length, 2);
    assert.deepEqual(events[1].actor, { kind: 'system', id: null, name: 'system' });
    assert.equal(events[1].reason, 'metrics updated');
    assert.equal(events[1].oldTotal, 0);
    assert.equal(events[1].newTotal, 23);
    assert.equal(events[0].oldTotal, 23);
    assert.equal(events[0].breakdown.total, score.total);
  });

  test('a rating that changes the tier: scoring event and exactly one tier_changed; none while the tier stays', async () => {
    const id = await createArtist(system);
    const res = await call.rate(staff, id, { ...ratingsWorth(45), reason: 'first check-up' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().changed, true);
    assert.equal(res.json().score.tier, 'starter');
    assert.equal(res.json().score.ratings.artisticQuality, 25);

    const [event] = (await call.history(staff, id)).json().events;
    assert.equal(event.oldTotal, 0);
    assert.equal(event.oldTier, 'prospect');
    assert.equal(event.newTotal, 45);
    assert.equal(event.newTier, 'starter');
    assert.equal(event.reason, 'first check-up');
    assert.equal(event.actor.kind, 'user');
    assert.equal(event.actor.name, staffName);
    assert.equal(event.breakdown.categories.artisticQuality, 25);

    const tiers = await tierEvents(id);
    assert.equal(tiers.length, 1);
    assert.deepEqual(tiers[0]!.payload, { artistId: id, oldTier: 'prospect', newTier: 'starter', oldTotal: 0, newTotal: 45, reason: 'first check-up' });
    const row = await artistRow(system, id);
    assert.equal(row.scoreTotal, 45);
    assert.equal(row.tier, 'starter');

    // 45 → 55: a scoring event, no tier change; without a reason the default one is kept.
    const same = await call.rate(staff, id, ratingsWorth(55));
    assert.equal(same.json().changed, true);
    assert.equal(same.json().score.tier, 'starter');
    assert.equal((await tierEvents(id)).length, 1);
    const history = (await call.history(staff, id)).json().events;
    assert.equal(history.length, 2);
    assert.equal(history[0].reason, 'ratings updated');
    // The very same ratings again: nothing changed, nothing recorded.
    const noop = await call.rate(staff, id, ratingsWorth(55));
    assert.equal(noop.json().changed, false);
    assert.equal((await call.history(staff, id)).json().events.length, 2);
    // The bonuses count: 55 + 5 + 5 = 65 → co-prod.
    const bonus = await call.rate(admin, id, ratingsWorth(55, { viralPotential: true, diversity: true }));
    assert.equal(bonus.json().score.total, 65);
    assert.equal(bonus.json().score.tier, 'coprod');
    assert.equal((await tierEvents(id)).length, 2);
  });

  test('a rating over its maximum is 400 on that field, and nothing changes', async () => {
    const id = await createArtist(system);
    await call.rate(staff, id, ratingsWorth(30));
    const before = (await call.score(staff, id)).json();
    for (const [body, path] of [
      [{ ...ratingsWorth(30), artisticQuality: 26 }, 'artisticQuality'],
      [{ ...ratingsWorth(30), mediaPersonality: 11 }, 'mediaPersonality'],
      [{ ...ratingsWorth(30), motivation: 121 }, 'motivation'],
      [{ ...ratingsWorth(30), collaboration: -1 }, 'collaboration'],
      [{ ...ratingsWorth(30), businessVision: 2.5 }, 'businessVision'],
      [{ ...ratingsWorth(30), diversity: 'yes' }, 'diversity'],
      [{ ...ratingsWorth(30), reason: '' }, 'reason'],
      [{ ...ratingsWorth(30), charisma: 5 }, 'charisma'],
    ] as const) {
      const res = await call.rate(staff, id, body);
      assert.equal(res.statusCode, 400, `${path}: ${res.body}`);
      assert.equal(res.json().error.code, 'validation_failed');
      assert.equal(res.json().error.details.issues[0].path, path);
    }
    const { motivation: _left, ...missing } = ratingsWorth(30);
    assert.equal((await call.rate(staff, id, missing)).statusCode, 400);
    const afterScore = (await call.score(staff, id)).json();
    assert.deepEqual({ ...afterScore, computedAt: null }, { ...before, computedAt: null });
    assert.equal((await call.history(staff, id)).json().events.length, 1);
  });

  test('custom scoring settings change the thresholds and maxima used', async () => {
    const id = await createArtist(system);
    const custom = {
      ...DEFAULT_SCORING,
      maxima: { ...DEFAULT_SCORING.maxima, artisticQuality: 10 },
      tierThresholds: { starter: 20, coprod: 30, premium: 50, spark_ready: 70 },
    };
    assert.equal((await call.putSettings(admin, custom)).statusCode, 200);
    try {
      // 10 + 15 + 10 = 35: prospect with the defaults, co-prod here.
      const res = await call.rate(staff, id, { ...NO_RATINGS, artisticQuality: 10, motivation: 15, collaboration: 10 });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().score.total, 35);
      assert.equal(res.json().score.tier, 'coprod');
      assert.deepEqual(res.json().score.tierThresholds, custom.tierThresholds);
      assert.equal((await tierEvents(id))[0]!.payload.newTier, 'coprod');
      // The lowered maximum is enforced.
      const over = await call.rate(staff, id, { ...NO_RATINGS, artisticQuality: 11 });
      assert.equal(over.statusCode, 400);
      assert.equal(over.json().error.details.issues[0].path, 'artisticQuality');
      assert.match(over.json().error.message, /At most 10/);
    } finally {
      assert.equal((await call.putSettings(admin, DEFAULT_SCORING)).statusCode, 200);
    }
  });

  test('an artist sees their own score, history and metrics, nobody else’s, and cannot change them', async () => {
    const account = await register(system.app);
    const own = await signUpRecord(system, account.user.id);
    const other = await createArtist(system);
    await call.rate(staff, own, ratingsWorth(42));
    await call.postMetrics(staff, own, [{ platform: 'spotify', capturedAt: daysAgo(1), followers: 300, engagementRate: 1, postsPerWeek: 1, monthlyGrowth: 1 }]);
    const token = account.accessToken;

    const score = await call.score(token, own);
    assert.equal(score.statusCode, 200, score.body);
    assert.equal(score.json().artistId, own);
    assert.equal((await call.history(token, own)).json().events.length, 2);
    assert.equal((await call.metrics(token, own)).json().series[0].platform, 'spotify');
    assert.equal((await call.marketFit(token, own)).statusCode, 200);

    for (const res of [
      await call.score(token, other),
      await call.history(token, other),
      await call.metrics(token, other),
      await call.marketFit(token, other),
    ]) {
      assert.equal(res.statusCode, 404, res.body);
    }
    assert.equal((await call.rate(token, own, ratingsWorth(80))).statusCode, 403);
    assert.equal(
      (
        await call.postMetrics(token, own, [
          { platform: 'spotify', capturedAt: daysAgo(2), followers: 1, engagementRate: 0, postsPerWeek: 0, monthlyGrowth: 0 },
        ])
      ).statusCode,
      403,
    );
    assert.equal((await artistRow(system, own)).scoreTotal, (await call.score(staff, own)).json().total);

    // Other roles get the same 404 as a missing artist.
    const sponsor = await register(system.app, 'sponsor');
    assert.equal((await call.score(sponsor.accessToken, own)).statusCode, 404);
    const expert = await signInAs(system, 'expert');
    assert.equal((await call.history(expert.accessToken, own)).statusCode, 404);
    assert.equal((await system.app.inject({ method: 'GET', url: `/api/artists/${own}/score` })).statusCode, 401);
  });

  test('history pages back with limit and nextBefore', async () => {
    const id = await createArtist(system);
    for (const t of [10, 20, 30]) await call.rate(staff, id, ratingsWorth(t));
    const first = (await call.history(staff, id, '?limit=2')).json();
    assert.deepEqual(
      first.events.map((e: { newTotal: number }) => e.newTotal),
      [30, 20],
    );
    assert.ok(first.nextBefore);
    const second = (await call.history(staff, id, `?limit=2&before=${encodeURIComponent(first.nextBefore)}`)).json();
    assert.deepEqual(
      second.events.map((e: { newTotal: number }) => e.newTotal),
      [10],
    );
    assert.equal(second.nextBefore, null);
    assert.equal((await call.history(staff, id, '?limit=0')).statusCode, 400);
  });

  test('an archived artist still has a score; the cached score column is only written by recomputes', async () => {
    const id = await createArtist(system, { archivedAt: new Date() });
    assert.equal((await call.rate(staff, id, ratingsWorth(61))).json().score.tier, 'coprod');
    await system.ctx.platform.database.db.update(artists).set({ scoreTotal: 3, tier: 'prospect' }).where(eq(artists.id, id));
    // A recompute with nothing new records no event but repairs the cached copy.
    const result = await system.ctx.services.scoring.recompute(id, { reason: 'check', actor: { kind: 'system' } });
    assert.equal(result.changed, false);
    assert.deepEqual([(await artistRow(system, id)).scoreTotal, (await artistRow(system, id)).tier], [61, 'coprod']);
  });
});

// On PostgreSQL the requests really overlap in the database and the advisory lock orders
// them. The embedded PGlite is one session behind a socket that interleaves the protocol
// messages of concurrent connections outside a transaction (electric-sql/pglite#1046:
// "unnamed prepared statement does not exist", wrong rows, a stuck queue). There the pool
// is cut to one connection once migrated: the requests still overlap in the service, and
// the database takes them one at a time, as the single PGlite session does anyway.
async function singleConnection(pool: pg.Pool): Promise<void> {
  pool.options.max = 1;
  const idle = await Promise.all(Array.from({ length: pool.idleCount }, () => pool.connect()));
  for (const client of idle) client.release(true);
}

describe('MONA score under concurrent changes', () => {
  let system: TestSystem;
  let call: ReturnType<typeof api>;
  let staff: string;
  before(async () => {
    system = await startTestSystem();
    if (system.ctx.platform.embeddedDatabase) await singleConnection(system.ctx.platform.database.pool);
    call = api(system);
    staff = (await signInAs(system, 'staff')).accessToken;
  });
  after(async () => system.close());

  const tierEvents = (artistId: string) => tierChangedEvents(system, artistId);

  test('concurrent rating changes keep one consistent chain of events', async () => {
    const id = await createArtist(system);
    // Distinct totals crossing tiers back and forth: every request must record its own event.
    const totals = [45, 12, 61, 38, 79, 5, 70, 41, 58, 66, 20, 80];
    const responses = await Promise.all(totals.map((t) => call.rate(staff, id, { ...ratingsWorth(t), reason: `to ${t}` })));
    for (const res of responses) assert.equal(res.statusCode, 200, res.body);

    const events = (await call.history(staff, id, '?limit=200')).json().events.reverse();
    assert.equal(events.length, totals.length);
    assert.deepEqual([events[0].oldTotal, events[0].oldTier], [0, 'prospect']);
    for (let i = 1; i < events.length; i++) {
      assert.equal(events[i].oldTotal, events[i - 1].newTotal, `event ${i} starts where ${i - 1} ended`);
      assert.equal(events[i].oldTier, events[i - 1].newTier);
    }
    assert.deepEqual(events.map((e: { newTotal: number }) => e.newTotal).sort(), [...totals].sort());
    for (const e of events) assert.equal(e.reason, `to ${e.newTotal}`);
    const last = events.at(-1);
    const row = await artistRow(system, id);
    assert.deepEqual([row.scoreTotal, row.tier], [last.newTotal, last.newTier]);

    // One tier event per tier change in the chain, each matching its scoring event. Matched by
    // content (the totals are distinct): domain events are stamped with their transaction's
    // start, so under contention their order need not be the commit order.
    type Change = { oldTotal: number; newTotal: number; oldTier: string; newTier: string };
    const key = (c: Change) => `${c.oldTotal}:${c.oldTier}→${c.newTotal}:${c.newTier}`;
    const tierChanges = events.filter((e: Change) => e.oldTier !== e.newTier).map(key);
    const recorded = (await tierEvents(id)).map((e) => key(e.payload));
    assert.deepEqual(recorded.sort(), tierChanges.sort());
  });
});
