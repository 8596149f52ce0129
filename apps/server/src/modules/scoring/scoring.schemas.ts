import { z } from 'zod';
import {
  MARKET_FIT_DIMENSIONS,
  PLATFORMS,
  RATED_CATEGORIES,
  SCORE_BONUSES,
  SCORE_CATEGORIES,
  TIERS,
  type MarketFitCategory,
  type MarketFitDimension,
} from '@mona/shared';

/** `{ a: schema, b: schema, ... }` over a fixed list of keys, typed key by key (so the SDK gets named fields, not a record). */
function shape<K extends string, S extends z.ZodType>(keys: readonly K[], schema: S) {
  return Object.fromEntries(keys.map((k) => [k, schema])) as Record<K, S>;
}

export const artistParams = z.strictObject({ id: z.uuid() });

/** Clocks of the tools that send metrics may run a little ahead of ours. */
export const CAPTURED_AT_SKEW_MS = 5 * 60_000;
/** Nothing older is a real social metric; it keeps typos like year 202 out of the charts. */
const EARLIEST_CAPTURE = Date.parse('2000-01-01T00:00:00Z');

const isoDateTime = z.iso.datetime({ offset: true });

// Metrics ------------------------------------------------------------------------

export const metricSnapshotInput = z.strictObject({
  platform: z.enum(PLATFORMS),
  capturedAt: isoDateTime
    .refine((v) => Date.parse(v) <= Date.now() + CAPTURED_AT_SKEW_MS, 'Must not be in the future')
    .refine((v) => Date.parse(v) >= EARLIEST_CAPTURE, 'Must be after 2000-01-01')
    .describe('When the numbers were read (ISO 8601 with offset); not in the future'),
  // The column is a 32-bit integer: the bound keeps an absurd value a 400, not a 500.
  followers: z.number().int().min(0).max(2_000_000_000),
  engagementRate: z.number().min(0).max(100).describe('Percent, e.g. 4.2'),
  postsPerWeek: z.number().min(0).max(100),
  monthlyGrowth: z.number().min(-100).max(1000).describe('Percent per month, may be negative'),
});
export type MetricSnapshotInput = z.infer<typeof metricSnapshotInput>;

export const metricsBody = z
  .strictObject({ snapshots: z.array(metricSnapshotInput).min(1).max(500) })
  // One INSERT ... ON CONFLICT cannot touch the same row twice: a repeated platform + instant
  // in one request is refused by name rather than failing in the database.
  .superRefine((body, issue) => {
    const seen = new Map<string, number>();
    body.snapshots.forEach((s, i) => {
      const key = `${s.platform}@${Date.parse(s.capturedAt)}`;
      const first = seen.get(key);
      if (first === undefined) seen.set(key, i);
      else issue.addIssue({ code: 'custom', path: ['snapshots', i, 'capturedAt'], message: `Same platform and time as snapshots.${first}` });
    });
  });

export const metricsQuery = z.strictObject({
  platform: z.enum(PLATFORMS).optional(),
  from: isoDateTime.optional().describe('Inclusive'),
  to: isoDateTime.optional().describe('Inclusive'),
});

export const metricPointSchema = z.object({
  capturedAt: z.string(),
  followers: z.number().int(),
  engagementRate: z.number(),
  postsPerWeek: z.number(),
  monthlyGrowth: z.number(),
  source: z.string(),
});
export type MetricPointDto = z.infer<typeof metricPointSchema>;

export const metricsSeriesResponse = z
  .object({
    artistId: z.uuid(),
    series: z
      .array(z.object({ platform: z.enum(PLATFORMS), points: z.array(metricPointSchema) }))
      .describe('One series per platform with data, oldest point first'),
    truncated: z.boolean().describe('True when only the most recent points were returned; narrow from / to for the rest'),
  })
  .meta({ id: 'MetricSeries' });
export type MetricSeriesDto = z.infer<typeof metricsSeriesResponse>;

// Score ---------------------------------------------------------------------------

const points = z.number().int();
const categoriesSchema = z.object(shape(SCORE_CATEGORIES, z.number()));
const bonusesSchema = z.object(shape(SCORE_BONUSES, z.number()));

export const breakdownSchema = z.object({ categories: categoriesSchema, bonuses: bonusesSchema, total: points, tier: z.enum(TIERS) });

/** Rated categories: the static bound is the largest any setting allows; the service checks the configured maxima. */
const rating = z.number().int().min(0).max(120);

export const ratingsBody = z.strictObject({
  ...shape(RATED_CATEGORIES, rating),
  ...shape(SCORE_BONUSES, z.boolean()),
  reason: z.string().trim().min(1).max(500).optional().describe('Why the ratings changed; kept in the score history'),
});
export type RatingsInput = z.infer<typeof ratingsBody>;

export const ratingsSchema = z.object({
  ...shape(RATED_CATEGORIES, points),
  ...shape(SCORE_BONUSES, z.boolean()),
  updatedAt: z.string(),
  updatedBy: z.uuid().nullable(),
});

export const scoreSchema = z
  .object({
    artistId: z.uuid(),
    ...breakdownSchema.shape,
    maxima: z.object(shape(SCORE_CATEGORIES, points)),
    bonusPoints: points,
    tierThresholds: z.object({ starter: points, coprod: points, premium: points, spark_ready: points }),
    ratings: ratingsSchema.nullable().describe('The staff ratings as entered; null until the first rating'),
    computedAt: z.string().describe('The breakdown is computed from the current metrics, ratings and settings at this time'),
    lastChangedAt: z.string().nullable().describe('When the total or tier last changed (the newest scoring event)'),
  })
  .meta({ id: 'MonaScore' });
export type ScoreDto = z.infer<typeof scoreSchema>;

export const scoreUpdateResponse = z.object({
  score: scoreSchema,
  changed: z.boolean().describe('True when the total or tier changed, and so a scoring event was recorded'),
});
export const metricsIngestResponse = scoreUpdateResponse.extend({ stored: z.number().int().describe('Snapshots inserted or updated') });

export const historyQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: isoDateTime.optional().describe('Only events older than this (the previous page’s nextBefore)'),
});

export const scoringEventSchema = z
  .object({
    id: z.uuid(),
    oldTotal: points,
    newTotal: points,
    oldTier: z.enum(TIERS),
    newTier: z.enum(TIERS),
    reason: z.string(),
    actor: z.object({ kind: z.enum(['user', 'system']), id: z.uuid().nullable(), name: z.string().describe('"system" for metrics and recomputes') }),
    breakdown: breakdownSchema,
    createdAt: z.string(),
  })
  .meta({ id: 'ScoringEvent' });
export type ScoringEventDto = z.infer<typeof scoringEventSchema>;

export const historyResponse = z.object({ events: z.array(scoringEventSchema), nextBefore: z.string().nullable() });

// Market fit ----------------------------------------------------------------------

const MARKET_FIT_CATEGORIES = ['market_ready', 'market_fit', 'market_development', 'market_research'] as const satisfies readonly MarketFitCategory[];

const subScore = z.number().int().min(0).max(100).nullable().describe('0–100, or null when unknown');

function dimensionShape<D extends MarketFitDimension>(dimension: D, strict: boolean) {
  const fields = shape(MARKET_FIT_DIMENSIONS[dimension], subScore);
  return strict ? z.strictObject(fields) : z.object(fields);
}
function marketFitInputsSchema(strict: boolean) {
  const fields = {
    audienceAlignment: dimensionShape('audienceAlignment', strict),
    marketOpportunity: dimensionShape('marketOpportunity', strict),
    monetisationReadiness: dimensionShape('monetisationReadiness', strict),
    competitivePositioning: dimensionShape('competitivePositioning', strict),
  } satisfies Record<MarketFitDimension, z.ZodType>;
  return strict ? z.strictObject(fields) : z.object(fields);
}

export const marketFitBody = marketFitInputsSchema(true);
export type MarketFitBody = z.infer<typeof marketFitBody>;

export const marketFitSchema = z
  .object({
    id: z.uuid(),
    artistId: z.uuid(),
    inputs: marketFitInputsSchema(false),
    dimensions: z.object(shape(Object.keys(MARKET_FIT_DIMENSIONS) as MarketFitDimension[], points)),
    overall: points,
    category: z.enum(MARKET_FIT_CATEGORIES),
    confidence: points.describe('Share of the 12 sub-scores given, 0–100'),
    assessedBy: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'MarketFitAssessment' });
export type MarketFitDto = z.infer<typeof marketFitSchema>;

export const marketFitQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(20) });
export const marketFitResponse = z.object({ latest: marketFitSchema.nullable(), history: z.array(marketFitSchema).describe('Newest first, latest included') });
