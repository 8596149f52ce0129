/** Notifications: channels, kinds, message statuses, sequences and engagement. */

export const CHANNELS = ['email', 'sms', 'push', 'inapp'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * What a message is about, for preferences and consent:
 * - transactional (password, security, receipts): always sent, preferences do not apply;
 * - activity (an order paid, a mission assigned, an application decided): on by default, can be turned off per channel;
 * - marketing (sequences, campaigns): only with the artist's marketing consent, in send windows, never in quiet hours.
 */
export const NOTIFICATION_KINDS = ['transactional', 'activity', 'marketing'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * pending (stored, waiting for its send time or a worker) → sending (a worker holds it under a lease)
 * → sent (the provider accepted it) → delivered (the provider or the reader confirmed it);
 * failed (permanent error or attempts exhausted), bounced (the address does not exist),
 * cancelled (a sequence exit, the recipient unsubscribed before the send), skipped (no consent, channel off, no address).
 */
export const MESSAGE_STATUSES = ['pending', 'sending', 'sent', 'delivered', 'failed', 'bounced', 'cancelled', 'skipped'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];
export const MESSAGE_TRANSITIONS: Record<MessageStatus, readonly MessageStatus[]> = {
  pending: ['sending', 'cancelled', 'skipped', 'failed'],
  // Back to pending: a temporary failure waits for its retry.
  sending: ['sent', 'delivered', 'pending', 'failed', 'bounced'],
  sent: ['delivered', 'bounced', 'failed'],
  delivered: [],
  failed: [],
  bounced: [],
  cancelled: [],
  skipped: [],
};
/** Statuses after which nothing happens to a message any more. */
export const FINAL_MESSAGE_STATUSES: readonly MessageStatus[] = ['delivered', 'failed', 'bounced', 'cancelled', 'skipped'];

/** Sequences (automation). */
export const SEQUENCE_STATUSES = ['draft', 'active', 'paused'] as const;
export type SequenceStatus = (typeof SEQUENCE_STATUSES)[number];

/** What starts an enrolment. */
export const SEQUENCE_TRIGGERS = ['signup', 'order_paid', 'tier_changed', 'inactivity', 'manual'] as const;
export type SequenceTrigger = (typeof SEQUENCE_TRIGGERS)[number];

/** What ends one early. */
export const EXIT_CONDITIONS = ['order_paid', 'unsubscribed', 'stage_changed', 'tier_changed'] as const;
export type ExitCondition = (typeof EXIT_CONDITIONS)[number];

export const ENROLMENT_STATUSES = ['active', 'completed', 'exited'] as const;
export type EnrolmentStatus = (typeof ENROLMENT_STATUSES)[number];
/** Why an enrolment ended before its last step: converted (bought the next offer), unsubscribed, stage or tier changed, removed by staff. */
export const EXIT_REASONS = ['converted', 'unsubscribed', 'stage_changed', 'tier_changed', 'removed'] as const;
export type ExitReason = (typeof EXIT_REASONS)[number];

/**
 * When a step may go out:
 * - any: as soon as it is due;
 * - daytime: every day within the daytime window (default 09:00–20:00);
 * - marketing: only in the marketing send windows (default Tue–Thu 10–14h and 18–20h).
 * Times are in the notifications time zone (default Europe/Paris); quiet hours of the recipient apply to daytime and marketing.
 */
export const WINDOW_RULES = ['any', 'daytime', 'marketing'] as const;
export type WindowRule = (typeof WINDOW_RULES)[number];

/** Engagement events and their points on the artist's engagement score. */
export const ENGAGEMENT_POINTS = { open: 1, click: 3, login: 5, reply: 10, unsubscribe: -20 } as const;
export type EngagementKind = keyof typeof ENGAGEMENT_POINTS;
export const ENGAGEMENT_KINDS = Object.keys(ENGAGEMENT_POINTS) as EngagementKind[];

/** Weekday numbers as ISO: 1 Monday … 7 Sunday. */
export const ISO_WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
