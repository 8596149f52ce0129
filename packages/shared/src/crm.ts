/** MONA pipeline stages, in order. */
export const PIPELINE_STAGES = ['prospect', 'checkup', 'prescription', 'execution', 'retention'] as const;
export type PipelineStage = (typeof PIPELINE_STAGES)[number];

/** Platforms an artist has handles and metrics on. */
export const PLATFORMS = ['instagram', 'tiktok', 'youtube', 'twitch', 'spotify', 'soundcloud'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** MONA tiers from the lowest; thresholds live in settings (defaults 40 / 60 / 80 / 95). */
export const TIERS = ['prospect', 'starter', 'coprod', 'premium', 'spark_ready'] as const;
export type Tier = (typeof TIERS)[number];

/** The seven scored categories and their default maxima (sum 120), then the three +5 bonuses. */
export const SCORE_CATEGORIES = [
  'artisticQuality',
  'digitalPresence',
  'audienceEngagement',
  'motivation',
  'collaboration',
  'businessVision',
  'mediaPersonality',
] as const;
export type ScoreCategory = (typeof SCORE_CATEGORIES)[number];

/** Categories computed from the platform metrics; the others are rated by staff. */
export const COMPUTED_CATEGORIES = ['digitalPresence', 'audienceEngagement'] as const satisfies readonly ScoreCategory[];
export type RatedCategory = Exclude<ScoreCategory, (typeof COMPUTED_CATEGORIES)[number]>;
export const RATED_CATEGORIES = SCORE_CATEGORIES.filter((c): c is RatedCategory => !(COMPUTED_CATEGORIES as readonly string[]).includes(c));

export const SCORE_BONUSES = ['viralPotential', 'versatility', 'diversity'] as const;
export type ScoreBonus = (typeof SCORE_BONUSES)[number];

export const SCORE_MAX = 120;
