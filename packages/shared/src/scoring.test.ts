import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PLATFORMS, RATED_CATEGORIES, SCORE_BONUSES, SCORE_CATEGORIES, type Platform } from './crm.ts';
import {
  audienceEngagementRatio,
  computeMarketFit,
  computeScore,
  DEFAULT_SCORING,
  digitalPresenceRatio,
  latestPerPlatform,
  MARKET_FIT_DIMENSIONS,
  marketFitCategory,
  tierFor,
  type MarketFitInputs,
  type PlatformMetrics,
  type Ratings,
  type ScoringSettings,
} from './scoring.ts';

const m = (platform: Platform, followers: number, engagementRate = 0, postsPerWeek = 0, monthlyGrowth = 0): PlatformMetrics => ({
  platform,
  followers,
  engagementRate,
  postsPerWeek,
  monthlyGrowth,
});

const NO_RATINGS: Ratings = {
  artisticQuality: 0,
  motivation: 0,
  collaboration: 0,
  businessVision: 0,
  mediaPersonality: 0,
  viralPotential: false,
  versatility: false,
  diversity: false,
};

/** Every computed part at full marks: 4 active platforms, 100,000 followers, 5 posts a week, +10 %/month, 6 % engagement. */
const FULL_METRICS = [m('instagram', 25_000, 6, 5, 10), m('tiktok', 25_000, 6, 5, 10), m('youtube', 25_000, 6, 5, 10), m('spotify', 25_000, 6, 5, 10)];

/** A mid case, computed by hand in the tests below. */
const MID_METRICS = [m('instagram', 5000, 2, 3, 4), m('tiktok', 5000, 4, 1, 8)];

const close = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} ≠ ${expected}`);

/** Seeded PRNG (mulberry32), so a failing property run can be replayed. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const NASTY = [0, -1, -1e9, 1e12, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.5, 99.9, 100, 101, 250];
function anyNumber(rand: () => number): number {
  return rand() < 0.4 ? NASTY[Math.floor(rand() * NASTY.length)]! : (rand() - 0.3) * 10 ** Math.floor(rand() * 7);
}

describe('digitalPresenceRatio', () => {
  test('no metrics, or no platform with followers, is 0', () => {
    assert.equal(digitalPresenceRatio([]), 0);
    assert.equal(digitalPresenceRatio([m('instagram', 0, 10, 10, 50)]), 0);
  });

  test('full marks at 4 active platforms, 5 posts a week, +10 % a month', () => {
    close(digitalPresenceRatio(FULL_METRICS), 1, 'full');
    // More than full on every part is still 1.
    close(digitalPresenceRatio([...FULL_METRICS, m('twitch', 10, 0, 50, 300)]), 1, 'beyond full');
  });

  test('a mid case', () => {
    // 2 active platforms: coverage 2/4 = 0.5; mean posts (3 + 1) / 2 = 2 → 2/5 = 0.4;
    // best growth 8 % → 8/10 = 0.8. 0.4 × 0.5 + 0.3 × 0.4 + 0.3 × 0.8 = 0.2 + 0.12 + 0.24 = 0.56.
    close(digitalPresenceRatio(MID_METRICS), 0.56, 'mid');
  });

  test('inactive platforms are left out; negative growth gives no momentum', () => {
    // Only instagram is active: coverage 0.25 → 0.1; 5 posts → 0.3; growth -20 → 0.
    close(digitalPresenceRatio([m('instagram', 100, 0, 5, -20), m('tiktok', 0, 0, 0, 90)]), 0.4, 'inactive ignored');
  });
});

describe('audienceEngagementRatio', () => {
  test('no followers is 0', () => {
    assert.equal(audienceEngagementRatio([]), 0);
    assert.equal(audienceEngagementRatio([m('instagram', 0, 50)]), 0);
  });

  test('full marks at 100,000 followers and 6 % engagement', () => {
    close(audienceEngagementRatio(FULL_METRICS), 1, 'full');
    close(audienceEngagementRatio([m('youtube', 5_000_000, 40)]), 1, 'beyond full');
  });

  test('a mid case', () => {
    // 10,000 followers: (log10(10,000) - 2) / 3 = 2/3; weighted engagement (5000 × 2 + 5000 × 4) / 10,000 = 3 %
    // → 3/6 = 0.5. 0.5 × 2/3 + 0.5 × 0.5 = 0.58333…
    close(audienceEngagementRatio(MID_METRICS), 0.5 * (2 / 3) + 0.25, 'mid');
  });

  test('reach is 0 at 100 followers; engagement is weighted by followers', () => {
    // 100 followers at 12 %: reach 0, engagement 1 → 0.5.
    close(audienceEngagementRatio([m('instagram', 100, 12)]), 0.5, '100 followers');
    // 900 followers at 0 % and 100 at 6 %: weighted 0.6 % → 0.1; reach (3 - 2) / 3.
    close(audienceEngagementRatio([m('instagram', 900, 0), m('tiktok', 100, 6)]), 0.5 * (1 / 3) + 0.5 * 0.1, 'weighted');
  });
});

/** Ratings reaching `total` with no metrics: rated parts first (80 at most), the three bonuses on top of that. */
function ratingsFor(total: number, bonusPoints = 5): Ratings {
  const withBonuses = total > 80;
  let left = withBonuses ? total - 3 * bonusPoints : total;
  const out: Ratings = { ...NO_RATINGS, viralPotential: withBonuses, versatility: withBonuses, diversity: withBonuses };
  for (const c of RATED_CATEGORIES) {
    const points = Math.min(DEFAULT_SCORING.maxima[c], left);
    out[c] = points;
    left -= points;
  }
  assert.equal(left, 0, `cannot reach ${total}`);
  return out;
}

describe('computeScore', () => {
  test('nothing at all is 0, prospect', () => {
    const score = computeScore([], NO_RATINGS);
    assert.equal(score.total, 0);
    assert.equal(score.tier, 'prospect');
    assert.deepEqual(Object.keys(score.categories), [...SCORE_CATEGORIES]);
    assert.deepEqual(Object.keys(score.bonuses), [...SCORE_BONUSES]);
  });

  test('a worked example: computed parts, rated parts and a bonus', () => {
    const score = computeScore(MID_METRICS, {
      ...NO_RATINGS,
      artisticQuality: 20,
      motivation: 10,
      collaboration: 10,
      businessVision: 8,
      mediaPersonality: 5,
      viralPotential: true,
    });
    // 20 × 0.56 = 11.2; 20 × 0.58333 = 11.67 → 11.7 (one decimal).
    assert.equal(score.categories.digitalPresence, 11.2);
    assert.equal(score.categories.audienceEngagement, 11.7);
    assert.deepEqual(score.bonuses, { viralPotential: 5, versatility: 0, diversity: 0 });
    // 53 rated + 11.2 + 11.7 + 5 = 80.9 → 81.
    assert.equal(score.total, 81);
    assert.equal(score.tier, 'premium');
  });

  test('rated values are clamped to [0, maximum]; non-numbers count 0', () => {
    const score = computeScore([], {
      ...NO_RATINGS,
      artisticQuality: 30,
      motivation: -4,
      collaboration: Number.NaN,
      businessVision: Number.POSITIVE_INFINITY,
      mediaPersonality: 10,
    });
    assert.equal(score.categories.artisticQuality, 25);
    assert.equal(score.categories.motivation, 0);
    assert.equal(score.categories.collaboration, 0);
    assert.equal(score.categories.businessVision, 0);
    assert.equal(score.categories.mediaPersonality, 10);
    assert.equal(score.total, 35);
  });

  test('everything at full plus every bonus is capped at 120', () => {
    const full: Ratings = {
      artisticQuality: 25,
      motivation: 15,
      collaboration: 15,
      businessVision: 15,
      mediaPersonality: 10,
      viralPotential: true,
      versatility: true,
      diversity: true,
    };
    const score = computeScore(FULL_METRICS, full);
    assert.equal(score.categories.digitalPresence, 20);
    assert.equal(score.categories.audienceEngagement, 20);
    assert.deepEqual(score.bonuses, { viralPotential: 5, versatility: 5, diversity: 5 });
    assert.equal(score.total, 120);
    assert.equal(score.tier, 'spark_ready');
  });

  test('tiers at each default threshold: 39/40, 59/60, 79/80, 94/95', () => {
    const expected = [
      [0, 'prospect'],
      [39, 'prospect'],
      [40, 'starter'],
      [59, 'starter'],
      [60, 'coprod'],
      [79, 'coprod'],
      [80, 'premium'],
      [94, 'premium'],
      [95, 'spark_ready'],
      [120, 'spark_ready'],
    ] as const;
    for (const [total, tier] of expected) {
      assert.equal(tierFor(total), tier, `tierFor(${total})`);
      if (total <= 95) {
        const score = computeScore([], ratingsFor(total));
        assert.equal(score.total, total);
        assert.equal(score.tier, tier, `computeScore reaching ${total}`);
      }
    }
  });

  test('custom settings: their thresholds, maxima and bonus points are used', () => {
    const custom: ScoringSettings = {
      maxima: { ...DEFAULT_SCORING.maxima, artisticQuality: 10, digitalPresence: 40 },
      bonusPoints: 10,
      tierThresholds: { starter: 30, coprod: 50, premium: 70, spark_ready: 90 },
    };
    for (const [total, tier] of [
      [29, 'prospect'],
      [30, 'starter'],
      [49, 'starter'],
      [50, 'coprod'],
      [69, 'coprod'],
      [70, 'premium'],
      [89, 'premium'],
      [90, 'spark_ready'],
    ] as const) {
      assert.equal(tierFor(total, custom), tier, `custom tierFor(${total})`);
    }
    const score = computeScore(MID_METRICS, { ...NO_RATINGS, artisticQuality: 25, motivation: 15, diversity: true }, custom);
    assert.equal(score.categories.artisticQuality, 10, 'clamped to the custom maximum');
    assert.equal(score.categories.digitalPresence, 22.4, '40 × 0.56');
    assert.equal(score.bonuses.diversity, 10);
    // 10 + 22.4 + 11.7 + 15 + 10 = 69.1 → 69: co-prod with these thresholds (it would be co-prod by default too),
    assert.equal(score.total, 69);
    assert.equal(score.tier, 'coprod');
    // and the same 70 points are premium with these thresholds, co-prod with the defaults.
    const thresholdsOnly: ScoringSettings = { ...DEFAULT_SCORING, tierThresholds: custom.tierThresholds };
    assert.equal(computeScore([], ratingsFor(70), thresholdsOnly).tier, 'premium');
    assert.equal(computeScore([], ratingsFor(70)).tier, 'coprod');
  });

  test('property: any input gives an integer total in [0, 120], parts within their maxima, the tier of the total', () => {
    const rand = prng(20_240_601);
    for (let i = 0; i < 2000; i++) {
      const metrics = PLATFORMS.filter(() => rand() < 0.6).map((p) => m(p, anyNumber(rand), anyNumber(rand), anyNumber(rand), anyNumber(rand)));
      const ratings: Ratings = {
        artisticQuality: anyNumber(rand),
        motivation: anyNumber(rand),
        collaboration: anyNumber(rand),
        businessVision: anyNumber(rand),
        mediaPersonality: anyNumber(rand),
        viralPotential: rand() < 0.5,
        versatility: rand() < 0.5,
        diversity: rand() < 0.5,
      };
      const score = computeScore(metrics, ratings);
      const context = JSON.stringify({ metrics, ratings });
      assert.ok(Number.isInteger(score.total) && score.total >= 0 && score.total <= 120, context);
      assert.equal(score.tier, tierFor(score.total), context);
      for (const c of SCORE_CATEGORIES) {
        const v = score.categories[c];
        assert.ok(Number.isFinite(v) && v >= 0 && v <= DEFAULT_SCORING.maxima[c], `${c}=${v} ${context}`);
      }
    }
  });
});

describe('latestPerPlatform', () => {
  test('keeps the latest snapshot of each platform, in platform order, whatever the input order', () => {
    const snapshots = [
      { ...m('tiktok', 10), capturedAt: '2025-03-01T00:00:00Z' },
      { ...m('instagram', 1), capturedAt: new Date('2025-01-01T00:00:00Z') },
      { ...m('tiktok', 30), capturedAt: '2025-05-01T00:00:00.000+02:00' },
      { ...m('instagram', 2), capturedAt: '2025-02-01T00:00:00Z' },
      { ...m('tiktok', 20), capturedAt: new Date('2025-04-01T00:00:00Z') },
    ];
    const latest = latestPerPlatform(snapshots);
    assert.deepEqual(
      latest.map((s) => [s.platform, s.followers]),
      [
        ['instagram', 2],
        ['tiktok', 30],
      ],
    );
    assert.deepEqual(latestPerPlatform([...snapshots].reverse()), latest);
    assert.deepEqual(latestPerPlatform([]), []);
  });
});

const allSubScores = (value: number | null): MarketFitInputs =>
  Object.fromEntries(Object.entries(MARKET_FIT_DIMENSIONS).map(([d, names]) => [d, Object.fromEntries(names.map((n) => [n, value]))])) as MarketFitInputs;

describe('computeMarketFit', () => {
  test('dimensions are the means of their sub-scores; overall the mean of the dimensions', () => {
    const result = computeMarketFit({
      audienceAlignment: { demographicMatch: 60, geographicReach: 70, genreDemand: 80 },
      marketOpportunity: { trendMomentum: 50, playlistPotential: null, syncPotential: 100 },
      monetisationReadiness: { revenueStreams: null, merchReadiness: null, liveReadiness: null },
      competitivePositioning: { differentiation: 90, brandConsistency: 90, nicheStrength: 91 },
    });
    // 70; (50 + 100) / 2 = 75 (the unknown one is left out); none given → 0; 90.33 → 90.
    assert.deepEqual(result.dimensions, { audienceAlignment: 70, marketOpportunity: 75, monetisationReadiness: 0, competitivePositioning: 90 });
    // (70 + 75 + 0 + 90) / 4 = 58.75 → 59; 8 of 12 given → 66.7 → 67.
    assert.equal(result.overall, 59);
    assert.equal(result.category, 'market_development');
    assert.equal(result.confidence, 67);
  });

  test('every sub-score given is full confidence; none is 0 confidence and 0 overall', () => {
    assert.equal(computeMarketFit(allSubScores(40)).confidence, 100);
    const none = computeMarketFit(allSubScores(null));
    assert.equal(none.confidence, 0);
    assert.equal(none.overall, 0);
    assert.equal(none.category, 'market_research');
  });

  test('a missing sub-score lowers the confidence; an unknown key does not count', () => {
    const inputs = allSubScores(80) as unknown as Record<string, Record<string, number | null>>;
    delete inputs.audienceAlignment!.genreDemand;
    inputs.marketOpportunity!.madeUp = 100;
    const result = computeMarketFit(inputs as unknown as MarketFitInputs);
    assert.equal(result.confidence, 92, '11 of 12');
    assert.equal(result.overall, 80);
    // A whole dimension left out counts as unknown, it does not throw.
    const partial = { audienceAlignment: allSubScores(80).audienceAlignment } as unknown as MarketFitInputs;
    assert.equal(computeMarketFit(partial).confidence, 25);
    assert.equal(computeMarketFit(partial).overall, 20);
  });

  test('categories at each boundary: 49/50, 69/70, 84/85', () => {
    for (const [overall, category] of [
      [0, 'market_research'],
      [49, 'market_research'],
      [50, 'market_development'],
      [69, 'market_development'],
      [70, 'market_fit'],
      [84, 'market_fit'],
      [85, 'market_ready'],
      [100, 'market_ready'],
    ] as const) {
      assert.equal(marketFitCategory(overall), category, `category(${overall})`);
      const result = computeMarketFit(allSubScores(overall));
      assert.equal(result.overall, overall);
      assert.equal(result.category, category, `computeMarketFit all ${overall}`);
    }
  });

  test('property: any input (negative, huge, NaN, infinite, null) stays within 0–100', () => {
    const rand = prng(42);
    const inRange = (v: number) => Number.isInteger(v) && v >= 0 && v <= 100;
    for (let i = 0; i < 2000; i++) {
      const inputs = Object.fromEntries(
        Object.entries(MARKET_FIT_DIMENSIONS).map(([d, names]) => [d, Object.fromEntries(names.map((n) => [n, rand() < 0.2 ? null : anyNumber(rand)]))]),
      ) as MarketFitInputs;
      const result = computeMarketFit(inputs);
      const context = JSON.stringify(inputs);
      assert.ok(inRange(result.overall), `overall ${result.overall} ${context}`);
      assert.ok(inRange(result.confidence), `confidence ${context}`);
      for (const v of Object.values(result.dimensions)) assert.ok(inRange(v), `dimension ${v} ${context}`);
      assert.equal(result.category, marketFitCategory(result.overall));
    }
  });
});
