/** SPARK villas: statuses and the legal changes between them. */
export const VILLA_STATUSES = ['planning', 'open', 'full', 'in_progress', 'completed'] as const;
export type VillaStatus = (typeof VILLA_STATUSES)[number];
/** planning → open; open → full (at capacity) | in progress | planning; full → open (a place freed) | in progress; in progress → completed. */
export const VILLA_TRANSITIONS: Record<VillaStatus, readonly VillaStatus[]> = {
  planning: ['open'],
  open: ['planning', 'full', 'in_progress'],
  full: ['open', 'in_progress'],
  in_progress: ['completed'],
  completed: [],
};
export const VILLA_CAPACITY_MIN = 8;
export const VILLA_CAPACITY_MAX = 12;
/** Villa days: 0 is J-1 (arrival), then J1 … J7. */
export const VILLA_DAYS = [0, 1, 2, 3, 4, 5, 6, 7] as const;

/** Open-call applications. */
export const APPLICATION_STATUSES = ['pending', 'shortlisted', 'accepted', 'waitlisted', 'rejected', 'withdrawn'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];
/** Staff decisions; `withdrawn` is the artist's own, from any status but rejected. */
export const APPLICATION_TRANSITIONS: Record<ApplicationStatus, readonly ApplicationStatus[]> = {
  pending: ['shortlisted', 'accepted', 'waitlisted', 'rejected', 'withdrawn'],
  shortlisted: ['accepted', 'waitlisted', 'rejected', 'withdrawn'],
  waitlisted: ['accepted', 'rejected', 'withdrawn'],
  accepted: ['withdrawn'],
  rejected: [],
  withdrawn: [],
};
/** The jury grid: each criterion 0–10. */
export const JURY_CRITERIA = ['artistry', 'originality', 'stagePresence', 'collaboration', 'motivation'] as const;
export type JuryCriterion = (typeof JURY_CRITERIA)[number];
export const JURY_CRITERION_MAX = 10;

/** Schedule slot kinds. */
export const SLOT_KINDS = ['session', 'workshop', 'masterclass', 'live', 'showcase', 'meal', 'debrief'] as const;
export type SlotKind = (typeof SLOT_KINDS)[number];

/** Budget lines. */
export const COST_CATEGORIES = [
  'venue',
  'food',
  'production_crew',
  'equipment',
  'transport',
  'creative_setup',
  'logistics',
  'artist_fees',
  'staff',
  'communication',
] as const;
export type CostCategory = (typeof COST_CATEGORIES)[number];
export const REVENUE_CATEGORIES = ['sponsors', 'ticketing', 'streaming', 'merch', 'licences'] as const;
export type RevenueCategory = (typeof REVENUE_CATEGORIES)[number];
export const BUDGET_KINDS = ['cost', 'revenue'] as const;
export type BudgetKind = (typeof BUDGET_KINDS)[number];

/** Sponsor packages (prices are catalogue data staff can change). */
export const SPONSOR_PACKAGES = ['principal', 'category', 'activation', 'event'] as const;
export type SponsorPackage = (typeof SPONSOR_PACKAGES)[number];
export const MAX_SPONSORS_PER_VILLA = 4;
export const SPONSORSHIP_STATUSES = ['active', 'cancelled'] as const;
export type SponsorshipStatus = (typeof SPONSORSHIP_STATUSES)[number];

/** What a package promises; each is counted in its own unit (hours, count, people). */
export const DELIVERABLE_METRICS = ['logo_hours', 'mentions', 'dedicated_posts', 'reach', 'impressions', 'engagement', 'leads'] as const;
export type DeliverableMetric = (typeof DELIVERABLE_METRICS)[number];
/** Where a delivered value comes from: staff typing it, or the streaming bridge. */
export const DELIVERY_SOURCES = ['manual', 'stream'] as const;
export type DeliverySource = (typeof DELIVERY_SOURCES)[number];

/** Content a villa is expected to produce. */
export const CONTENT_KINDS = ['capsules', 'stories_per_day', 'duets', 'interviews', 'documentary_episode', 'aftermovie', 'photos'] as const;
export type ContentKind = (typeof CONTENT_KINDS)[number];

/** Scheduled streams (live slots of a villa now; the streaming bridge later). */
export const STREAM_STATUSES = ['scheduled', 'live', 'ended', 'cancelled'] as const;
export type StreamStatus = (typeof STREAM_STATUSES)[number];
