import { sql } from 'drizzle-orm';
import { bigserial, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import {
  CHANNELS,
  ENGAGEMENT_KINDS,
  MESSAGE_STATUSES,
  NOTIFICATION_KINDS,
  type Channel,
  type EngagementKind,
  type MessageStatus,
  type NotificationKind,
} from '@mona/shared';
import { artists, oneOf } from '../artists/artists.tables.ts';
import { users } from '../users/users.tables.ts';

/** A message model: one per code, with its channel and kind; its wording per locale is in notification_template_contents. */
export const notificationTemplates = pgTable(
  'notification_templates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Stable name the code and the default sequences refer to, e.g. "welcome.d0.email". */
    code: text('code').notNull().unique(),
    channel: text('channel').$type<Channel>().notNull(),
    kind: text('kind').$type<NotificationKind>().notNull(),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  () => [
    check('notification_templates_channel_check', oneOf('channel', CHANNELS)),
    check('notification_templates_kind_check', oneOf('kind', NOTIFICATION_KINDS)),
  ],
);

/** A template's wording in one locale: subject (email subject, push or in-app title) and body with {{variables}}. */
export const notificationTemplateContents = pgTable(
  'notification_template_contents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    templateId: uuid('template_id')
      .notNull()
      .references(() => notificationTemplates.id, { onDelete: 'cascade' }),
    locale: text('locale').notNull(),
    subject: text('subject').notNull().default(''),
    body: text('body').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('notification_template_contents_locale_idx').on(t.templateId, t.locale),
    check('notification_template_contents_locale_check', sql`locale in ('fr', 'en')`),
  ],
);

/**
 * Every message, whatever its channel, from the moment it is decided until its
 * last status. `idempotencyKey` makes creating it idempotent (a sequence step, an
 * event handled twice); the lease makes sending it exclusive to one worker.
 */
export const notificationMessages = pgTable(
  'notification_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    channel: text('channel').$type<Channel>().notNull(),
    kind: text('kind').$type<NotificationKind>().notNull(),
    templateCode: text('template_code'),
    locale: text('locale').notNull().default('fr'),
    recipientUserId: uuid('recipient_user_id').references(() => users.id, { onDelete: 'set null' }),
    artistId: uuid('artist_id').references(() => artists.id, { onDelete: 'set null' }),
    /** Email address or phone number; null for push and in-app (the user's subscriptions and inbox). */
    toAddress: text('to_address'),
    subject: text('subject').notNull().default(''),
    bodyText: text('body_text').notNull().default(''),
    bodyHtml: text('body_html'),
    /** Extra data for the reader: a link to open, the variables used. */
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    status: text('status').$type<MessageStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(5),
    providerId: text('provider_id'),
    lastError: text('last_error'),
    /** Not sent before this instant (send windows, quiet hours, sequence delays). */
    sendAfter: timestamp('send_after', { withTimezone: true }).notNull().defaultNow(),
    /** While status is sending: the worker holding it until then; past it, another worker may take it over. */
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    enrolmentId: uuid('enrolment_id'),
    stepPosition: integer('step_position'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    openedAt: timestamp('opened_at', { withTimezone: true }),
    clickedAt: timestamp('clicked_at', { withTimezone: true }),
    /** In-app messages: when the recipient read it. */
    readAt: timestamp('read_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('notification_messages_artist_idx').on(t.artistId, t.createdAt),
    index('notification_messages_recipient_idx').on(t.recipientUserId, t.channel, t.createdAt),
    index('notification_messages_created_idx').on(t.createdAt, t.id),
    index('notification_messages_due_idx')
      .on(t.sendAfter)
      .where(sql`status in ('pending', 'sending')`),
    index('notification_messages_enrolment_idx').on(t.enrolmentId),
    index('notification_messages_provider_idx').on(t.channel, t.providerId),
    index('notification_messages_unread_idx')
      .on(t.recipientUserId)
      .where(sql`channel = 'inapp' and read_at is null`),
    check('notification_messages_channel_check', oneOf('channel', CHANNELS)),
    check('notification_messages_kind_check', oneOf('kind', NOTIFICATION_KINDS)),
    check('notification_messages_status_check', oneOf('status', MESSAGE_STATUSES)),
    check('notification_messages_recipient_check', sql`recipient_user_id is not null or artist_id is not null or to_address is not null`),
  ],
);

/** The status history of a message. */
export const notificationMessageEvents = pgTable(
  'notification_message_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    messageId: uuid('message_id')
      .notNull()
      .references(() => notificationMessages.id, { onDelete: 'cascade' }),
    status: text('status').$type<MessageStatus>().notNull(),
    detail: text('detail').notNull().default(''),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('notification_message_events_message_idx').on(t.messageId, t.at),
    check('notification_message_events_status_check', oneOf('status', MESSAGE_STATUSES)),
  ],
);

/** A user's choices: which kinds on which channels, quiet hours in their time zone. */
export const notificationPreferences = pgTable('notification_preferences', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  /** channel → kind → on/off; a missing entry is on (transactional is always on). */
  channels: jsonb('channels').$type<Partial<Record<Channel, Partial<Record<NotificationKind, boolean>>>>>().notNull().default({}),
  /** "HH:MM" local times; quiet hours may cross midnight (22:00–08:00). Both null: none. */
  quietStart: text('quiet_start'),
  quietEnd: text('quiet_end'),
  timeZone: text('time_zone').notNull().default('Europe/Paris'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A browser's web-push subscription (VAPID). Removed when the push service answers 404 or 410. */
export const pushSubscriptions = pgTable(
  'push_subscriptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    endpoint: text('endpoint').notNull().unique(),
    p256dh: text('p256dh').notNull(),
    auth: text('auth').notNull(),
    userAgent: text('user_agent').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [index('push_subscriptions_user_idx').on(t.userId)],
);

/**
 * The local outbox: without SMTP or SMS settings (the embedded `npm start`),
 * emails and SMS are written here instead of the void, and staff read them in
 * the web app. `raw` is the full RFC 5322 source of an email, the text of an SMS.
 */
export const notificationOutbox = pgTable(
  'notification_outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    messageId: uuid('message_id').references(() => notificationMessages.id, { onDelete: 'set null' }),
    channel: text('channel').$type<Channel>().notNull(),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull().default(''),
    raw: text('raw').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('notification_outbox_created_idx').on(t.createdAt, t.id), check('notification_outbox_channel_check', sql`channel in ('email', 'sms')`)],
);

/** Engagement of an artist (open, click, login, reply, unsubscribe) and its points; dedupeKey counts each fact once. */
export const engagementEvents = pgTable(
  'engagement_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    artistId: uuid('artist_id')
      .notNull()
      .references(() => artists.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<EngagementKind>().notNull(),
    points: integer('points').notNull(),
    messageId: uuid('message_id').references(() => notificationMessages.id, { onDelete: 'set null' }),
    /** e.g. open:<message>, click:<message>, login:<artist>:<day>: a second record of the same fact is ignored. */
    dedupeKey: text('dedupe_key').notNull().unique(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('engagement_events_artist_idx').on(t.artistId, t.occurredAt), check('engagement_events_kind_check', oneOf('kind', ENGAGEMENT_KINDS))],
);

/** Secrets the system generates for itself and must keep across restarts (the VAPID key pair when none is configured). */
export const platformSecrets = pgTable('platform_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
