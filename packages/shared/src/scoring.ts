import { PLATFORMS, SCORE_MAX, type Platform, type RatedCategory, type ScoreBonus, type ScoreCategory, type Tier } from './crm.ts';

/**
 * The MONA score rules, pure and shared by the server and the web app.
 * The numbers below are defaults; staff change them in Settings.
 */
export interface ScoringSettings {
  /** Maximum points of each category (defaults sum to 120). */
  maxima: Record<ScoreCategory, number>;
  /** Points of each bonus (default +5 each). */
  bonusPoints: number;
  /** Lowest total of each tier above `prospect`. */
  tierThresholds: { starter: number; coprod: number; premium: number; spark_ready: number };
}

export const DEFAULT_SCORING: ScoringSettings = {
  maxima: {
    artisticQuality: 25,
    digitalPresence: 20,
    audienceEngagement: 20,
    motivation: 15,
    collaboration: 15,
    businessVision: 15,
    mediaPersonality: 10,
  },
  bonusPoints: 5,
  tierThresholds: { starter: 40, coprod: 60, premium: 80, spark_ready: 95 },
};

/** The latest snapshot of one platform. */
export interface PlatformMetrics {
  platform: Platform;
  followers: number;
  /** Percent. */
  engagementRate: number;
  postsPerWeek: number;
  /** Percent per month. */
  monthlyGrowth: number;
}

const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);
const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * Digital presence, as a fraction of its maximum (0–1):
 * - 40 % coverage: active platforms (followers > 0), full at 4 of the 6;
 * - 30 % regularity: mean posts per week over active platforms, full at 5;
 * - 30 % momentum: best monthly growth among active platforms, full at +10 %.
 */
export function digitalPresenceRatio(metrics: readonly PlatformMetrics[]): number {
  const active = metrics.filter((m) => m.followers > 0);
  if (active.length === 0) return 0;
  const coverage = clamp01(active.length / 4);
  const regularity = clamp01(active.reduce((s, m) => s + m.postsPerWeek, 0) / active.length / 5);
  const momentum = clamp01(Math.max(...active.map((m) => m.monthlyGrowth)) / 10);
  return 0.4 * coverage + 0.3 * regularity + 0.3 * momentum;
}

/**
 * Audience & engagement, as a fraction of its maximum (0–1):
 * - 50 % reach: total followers on a log scale, 0 at 100 and full at 100,000;
 * - 50 % engagement: follower-weighted engagement rate, full at 6 %.
 */
export function audienceEngagementRatio(metrics: readonly PlatformMetrics[]): number {
  const total = metrics.reduce((s, m) => s + Math.max(0, m.followers), 0);
  if (total <= 0) return 0;
  const reach = clamp01((Math.log10(total) - 2) / 3);
  const weightedRate = metrics.reduce((s, m) => s + Math.max(0, m.followers) * Math.max(0, m.engagementRate), 0) / total;
  const engagement = clamp01(weightedRate / 6);
  return 0.5 * reach + 0.5 * engagement;
}

export type Ratings = Record<RatedCategory, number> & Record<ScoreBonus, boolean>;

export interface ScoreBreakdown {
  categories: Record<ScoreCategory, number>;
  bonuses: Record<ScoreBonus, number>;
  total: number;
  tier: Tier;
}

export function tierFor(total: number, settings: ScoringSettings = DEFAULT_SCORING): Tier {
  const t = settings.tierThresholds;
  if (total >= t.spark_ready) return 'spark_ready';
  if (total >= t.premium) return 'premium';
  if (total >= t.coprod) return 'coprod';
  if (total >= t.starter) return 'starter';
  return 'prospect';
}

/** The whole score: computed categories from metrics, rated ones clamped to their maxima, bonuses, capped at 120. */
export function computeScore(metrics: readonly PlatformMetrics[], ratings: Ratings, settings: ScoringSettings = DEFAULT_SCORING): ScoreBreakdown {
  const max = settings.maxima;
  const rated = (c: RatedCategory) => Math.min(max[c], Math.max(0, Number.isFinite(ratings[c]) ? ratings[c] : 0));
  const categories: Record<ScoreCategory, number> = {
    artisticQuality: rated('artisticQuality'),
    digitalPresence: round1(max.digitalPresence * digitalPresenceRatio(metrics)),
    audienceEngagement: round1(max.audienceEngagement * audienceEngagementRatio(metrics)),
    motivation: rated('motivation'),
    collaboration: rated('collaboration'),
    businessVision: rated('businessVision'),
    mediaPersonality: rated('mediaPersonality'),
  };
  const bonuses: Record<ScoreBonus, number> = {
    viralPotential: ratings.viralPotential ? settings.bonusPoints : 0,
    versatility: ratings.versatility ? settings.bonusPoints : 0,
    diversity: ratings.diversity ? settings.bonusPoints : 0,
  };
  const raw = Object.values(categories).reduce((s, v) => s + v, 0) + Object.values(bonuses).reduce((s, v) => s + v, 0);
  const total = Math.min(SCORE_MAX, Math.round(raw));
  return { categories, bonuses, total, tier: tierFor(total, settings) };
}

/** Keeps the latest snapshot per platform (input in any order). */
export function latestPerPlatform<T extends PlatformMetrics & { capturedAt: Date | string }>(snapshots: readonly T[]): T[] {
  const latest = new Map<Platform, T>();
  for (const s of snapshots) {
    const current = latest.get(s.platform);
    if (!current || new Date(s.capturedAt).getTime() > new Date(current.capturedAt).getTime()) latest.set(s.platform, s);
  }
  return PLATFORMS.flatMap((p) => (latest.has(p) ? [latest.get(p)!] : []));
}

// Market fit ------------------------------------------------------------------

export const MARKET_FIT_DIMENSIONS = {
  audienceAlignment: ['demographicMatch', 'geographicReach', 'genreDemand'],
  marketOpportunity: ['trendMomentum', 'playlistPotential', 'syncPotential'],
  monetisationReadiness: ['revenueStreams', 'merchReadiness', 'liveReadiness'],
  competitivePositioning: ['differentiation', 'brandConsistency', 'nicheStrength'],
} as const;
export type MarketFitDimension = keyof typeof MARKET_FIT_DIMENSIONS;
export type MarketFitInputs = { [D in MarketFitDimension]: Record<(typeof MARKET_FIT_DIMENSIONS)[D][number], number | null> };

export type MarketFitCategory = 'market_ready' | 'market_fit' | 'market_development' | 'market_research';

export interface MarketFitResult {
  dimensions: Record<MarketFitDimension, number>;
  overall: number;
  category: MarketFitCategory;
  /** Share of the 12 sub-scores actually given, 0–100. */
  confidence: number;
}

export function marketFitCategory(overall: number): MarketFitCategory {
  if (overall >= 85) return 'market_ready';
  if (overall >= 70) return 'market_fit';
  if (overall >= 50) return 'market_development';
  return 'market_research';
}

/**
 * Each dimension is the mean of its given sub-scores (0–100 each; a missing
 * one is left out, and a dimension with none counts 0); overall is the mean
 * of the four dimensions; confidence is the share of the 12 sub-scores given.
 *
 * The sub-scores are read by their names in MARKET_FIT_DIMENSIONS, not by the
 * keys the input happens to have: an input that leaves a key out (or adds an
 * unknown one) must lower the confidence, not shrink its denominator.
 */
export function computeMarketFit(inputs: MarketFitInputs): MarketFitResult {
  let given = 0;
  let total = 0;
  const dimensions = {} as Record<MarketFitDimension, number>;
  for (const dimension of Object.keys(MARKET_FIT_DIMENSIONS) as MarketFitDimension[]) {
    const provided = (inputs as Partial<Record<MarketFitDimension, Record<string, number | null | undefined>>>)[dimension] ?? {};
    const names: readonly string[] = MARKET_FIT_DIMENSIONS[dimension];
    const values = names.map((name) => provided[name]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    total += names.length;
    given += values.length;
    const mean = values.length ? values.reduce((s, v) => s + Math.min(100, Math.max(0, v)), 0) / values.length : 0;
    dimensions[dimension] = Math.round(mean);
  }
  const overall = Math.round(Object.values(dimensions).reduce((s, v) => s + v, 0) / 4);
  return { dimensions, overall, category: marketFitCategory(overall), confidence: total ? Math.round((given / total) * 100) : 0 };
}
