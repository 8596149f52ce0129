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

/** Kinds of contact with an artist on their timeline. */
export const INTERACTION_KINDS = ['email', 'call', 'meeting', 'message', 'proposal'] as const;
export type InteractionKind = (typeof INTERACTION_KINDS)[number];

/** Opportunity stages; `won` and `lost` close it. */
export const OPPORTUNITY_STAGES = ['discovery', 'proposal', 'negotiation', 'won', 'lost'] as const;
export type OpportunityStage = (typeof OPPORTUNITY_STAGES)[number];
export const OPEN_OPPORTUNITY_STAGES = ['discovery', 'proposal', 'negotiation'] as const satisfies readonly OpportunityStage[];

/** Order statuses of the MONA offers. Allowed: pending → paid | cancelled; paid → fulfilled | refunded; fulfilled → refunded. */
export const ORDER_STATUSES = ['pending', 'paid', 'fulfilled', 'refunded', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const ORDER_TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  pending: ['paid', 'cancelled'],
  paid: ['fulfilled', 'refunded'],
  fulfilled: ['refunded'],
  refunded: [],
  cancelled: [],
};

/** Marketplace: the three ways a service block is sold. */
export const BLOCK_FORMATS = ['diagnostic', 'one_shot', 'monthly'] as const;
export type BlockFormat = (typeof BLOCK_FORMATS)[number];

/** Mission statuses. Allowed: requested → assigned | cancelled; assigned → in_progress | assigned (reassign) | cancelled; in_progress → delivered | cancelled; delivered → accepted | in_progress (changes asked). */
export const MISSION_STATUSES = ['requested', 'assigned', 'in_progress', 'delivered', 'accepted', 'cancelled'] as const;
export type MissionStatus = (typeof MISSION_STATUSES)[number];
export const MISSION_TRANSITIONS: Record<MissionStatus, readonly MissionStatus[]> = {
  requested: ['assigned', 'cancelled'],
  assigned: ['in_progress', 'cancelled'],
  in_progress: ['delivered', 'cancelled'],
  delivered: ['accepted', 'in_progress'],
  accepted: [],
  cancelled: [],
};

/** Task kanban columns, in order. */
export const TASK_STATUSES = ['todo', 'in_progress', 'review', 'done'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const TASK_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];

/** Calendar event kinds. */
export const CALENDAR_KINDS = ['meeting', 'deadline', 'reminder', 'stream', 'villa'] as const;
export type CalendarKind = (typeof CALENDAR_KINDS)[number];
