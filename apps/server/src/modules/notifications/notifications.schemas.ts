import { z } from 'zod';
import { CHANNELS, ENGAGEMENT_KINDS, MESSAGE_STATUSES, NOTIFICATION_KINDS, WINDOW_RULES } from '@mona/shared';
import { DEFAULT_DAYTIME_WINDOW, DEFAULT_MARKETING_WINDOWS } from './windows.ts';

/** True when Intl knows the IANA zone (e.g. Europe/Paris). */
export function isValidTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const clockTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use HH:MM between 00:00 and 23:59');
export const timeZoneSchema = z.string().trim().refine(isValidTimeZone, 'Unknown time zone: use an IANA name such as Europe/Paris');

const windowSpecSchema = z.strictObject({
  days: z
    .array(z.number().int().min(1).max(7))
    .min(1, 'Give at least one day')
    .max(7)
    .refine((days) => new Set(days).size === days.length, 'A day is listed twice')
    .describe('ISO weekdays: 1 Monday … 7 Sunday'),
  ranges: z
    .array(
      z
        .strictObject({ start: clockTimeSchema, end: clockTimeSchema })
        .refine((r) => r.start !== r.end, { message: 'A range cannot start and end at the same time', path: ['end'] }),
    )
    .min(1, 'Give at least one time range')
    .max(6),
});

const perSecond = z.number().int().min(1).max(10_000);

/** The `notifications` setting: send windows, rate limits and retry policy (admin-editable through PUT /api/settings/notifications). */
export const notificationsSettingsSchema = z.strictObject({
  timeZone: timeZoneSchema.describe('The zone send windows are read in'),
  marketingWindows: windowSpecSchema.describe('When marketing messages may go out (default Tue–Thu 10–14h and 18–20h)'),
  daytimeWindow: windowSpecSchema.describe('The "daytime" window rule (default every day 09–20h)'),
  rateLimits: z
    .strictObject({ email: perSecond, sms: perSecond, push: perSecond, inapp: perSecond })
    .describe('Messages per second per channel, across all workers'),
  maxAttempts: z.number().int().min(1).max(20).describe('Sends tried before a message is failed'),
  retryBaseSeconds: z.number().int().min(1).max(3600).describe('First retry delay after a temporary failure; doubles at each attempt'),
  leaseSeconds: z.number().int().min(10).max(3600).describe("How long a worker holds a batch; past it another worker takes the batch's unsent messages over"),
  batchSize: z.number().int().min(1).max(500).describe('Messages a worker claims at once per channel'),
});
export type NotificationsSettings = z.infer<typeof notificationsSettingsSchema>;

export const DEFAULT_NOTIFICATIONS_SETTINGS: NotificationsSettings = {
  timeZone: 'Europe/Paris',
  marketingWindows: { days: [...DEFAULT_MARKETING_WINDOWS.days], ranges: DEFAULT_MARKETING_WINDOWS.ranges.map((r) => ({ ...r })) },
  daytimeWindow: { days: [...DEFAULT_DAYTIME_WINDOW.days], ranges: DEFAULT_DAYTIME_WINDOW.ranges.map((r) => ({ ...r })) },
  rateLimits: { email: 20, sms: 5, push: 50, inapp: 200 },
  maxAttempts: 5,
  retryBaseSeconds: 60,
  leaseSeconds: 300,
  batchSize: 50,
};

const channel = z.enum(CHANNELS);
const kind = z.enum(NOTIFICATION_KINDS);
const status = z.enum(MESSAGE_STATUSES);

export const idParams = z.strictObject({ id: z.uuid() });
export const tokenParams = z.strictObject({ token: z.string().min(10).max(2000) });

export const messageSchema = z
  .object({
    id: z.uuid(),
    channel,
    kind,
    status,
    templateCode: z.string().nullable(),
    locale: z.string(),
    artistId: z.uuid().nullable(),
    artistName: z.string().nullable(),
    recipientUserId: z.uuid().nullable(),
    toAddress: z.string().nullable().describe('Email address or phone number; null for push and in-app'),
    subject: z.string(),
    attempts: z.number().int(),
    maxAttempts: z.number().int(),
    providerId: z.string().nullable().describe('SMTP Message-ID, SMS id, push location'),
    lastError: z.string().nullable().describe('The last failure, or why the message was skipped or cancelled'),
    sendAfter: z.string(),
    sentAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    openedAt: z.string().nullable(),
    clickedAt: z.string().nullable(),
    enrolmentId: z.uuid().nullable(),
    stepPosition: z.number().int().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'NotificationMessage' });
export type MessageDto = z.infer<typeof messageSchema>;

export const messageEventSchema = z.object({ status, detail: z.string(), at: z.string() }).meta({ id: 'NotificationMessageEvent' });

export const messageDetailSchema = messageSchema
  .extend({
    bodyText: z.string(),
    bodyHtml: z.string().nullable(),
    data: z.record(z.string(), z.unknown()),
    events: z.array(messageEventSchema).describe('Status history, oldest first'),
  })
  .meta({ id: 'NotificationMessageDetail' });
export type MessageDetailDto = z.infer<typeof messageDetailSchema>;

export const listMessagesQuery = z.strictObject({
  artistId: z.uuid().optional(),
  channel: channel.optional(),
  status: status.optional(),
  search: z.string().trim().min(1).max(200).optional().describe('Part of the subject or of the address'),
  cursor: z.string().max(500).optional().describe('nextCursor of the previous page'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListMessagesQuery = z.infer<typeof listMessagesQuery>;
export const messageListResponse = z.object({ items: z.array(messageSchema).describe('Newest first'), nextCursor: z.string().nullable() });

export const outboxEntrySchema = z
  .object({
    id: z.uuid(),
    messageId: z.uuid().nullable(),
    channel: z.enum(['email', 'sms']),
    toAddress: z.string(),
    subject: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: 'OutboxEntry' });
export type OutboxEntryDto = z.infer<typeof outboxEntrySchema>;
export const outboxDetailSchema = outboxEntrySchema
  .extend({ raw: z.string().describe('The full RFC 5322 source of an email, the text of an SMS') })
  .meta({ id: 'OutboxEntryDetail' });
export type OutboxDetailDto = z.infer<typeof outboxDetailSchema>;
export const listOutboxQuery = z.strictObject({
  channel: z.enum(['email', 'sms']).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListOutboxQuery = z.infer<typeof listOutboxQuery>;
export const outboxListResponse = z.object({ items: z.array(outboxEntrySchema).describe('Newest first'), nextCursor: z.string().nullable() });

const kindSwitches = z.strictObject({ transactional: z.literal(true).describe('Always on'), activity: z.boolean(), marketing: z.boolean() });
const quietHoursSchema = z
  .strictObject({ start: clockTimeSchema, end: clockTimeSchema })
  .refine((q) => q.start !== q.end, { message: 'Quiet hours cannot start and end at the same time', path: ['end'] })
  .describe('Local times in timeZone; may cross midnight (22:00 → 08:00)');

export const preferencesSchema = z
  .object({
    channels: z.strictObject({ email: kindSwitches, sms: kindSwitches, push: kindSwitches, inapp: kindSwitches }),
    quietHours: quietHoursSchema.nullable(),
    timeZone: z.string(),
    marketingConsent: z.boolean().nullable().describe('The linked artist record’s marketing consent; null when the account has no artist record'),
  })
  .meta({ id: 'NotificationPreferences' });
export type PreferencesDto = z.infer<typeof preferencesSchema>;

const editableSwitches = z.strictObject({ activity: z.boolean().optional(), marketing: z.boolean().optional() });
export const updatePreferencesBody = z
  .strictObject({
    channels: z
      .strictObject({
        email: editableSwitches.optional(),
        sms: editableSwitches.optional(),
        push: editableSwitches.optional(),
        inapp: editableSwitches.optional(),
      })
      .optional()
      .describe('Only the switches given change; transactional messages cannot be turned off'),
    quietHours: quietHoursSchema.nullable().optional().describe('null removes quiet hours'),
    timeZone: timeZoneSchema.optional(),
    marketingConsent: z.boolean().optional().describe('Artists only: give or withdraw marketing consent on their artist record'),
  })
  .describe('Only the fields given change.');
export type UpdatePreferencesInput = z.infer<typeof updatePreferencesBody>;

export const sendMessageBody = z.strictObject({
  templateCode: z.string().trim().min(1).max(120),
  variables: z.record(z.string().max(60), z.union([z.string().max(2000), z.number()])).optional(),
  notBefore: z.iso.datetime({ offset: true }).optional().describe('Not before this instant; send windows and quiet hours may push it later'),
  windowRule: z.enum(WINDOW_RULES).optional(),
  link: z.string().trim().startsWith('/', 'A path of the web app, starting with /').max(300).optional(),
  idempotencyKey: z.string().trim().min(1).max(200).optional().describe('Same key, same message: a second call returns the first message'),
});
export type SendMessageInput = z.infer<typeof sendMessageBody>;

export const composeResultSchema = z
  .object({
    id: z.uuid(),
    channel,
    status,
    created: z.boolean().describe('False when the idempotency key already named a message'),
    sendAfter: z.string(),
    reason: z.string().optional().describe('Why it was skipped'),
  })
  .meta({ id: 'ComposeResult' });

export const engagementBody = z.strictObject({
  kind: z.literal('reply').describe('What the team records by hand; opens, clicks, logins and unsubscribes are recorded by the system'),
  messageId: z.uuid().optional().describe('The message replied to: a reply to the same message counts once'),
  note: z.string().trim().min(1).max(5000).optional().describe("Also kept on the artist's contact timeline"),
});
export type EngagementInput = z.infer<typeof engagementBody>;

export const engagementEventSchema = z
  .object({
    id: z.number().int(),
    kind: z.enum(ENGAGEMENT_KINDS),
    points: z.number().int(),
    messageId: z.uuid().nullable(),
    occurredAt: z.string(),
  })
  .meta({ id: 'EngagementEvent' });
export type EngagementEventDto = z.infer<typeof engagementEventSchema>;
export const engagementResponse = z.object({
  score: z.number().int().describe("The artist's engagement score: the sum of their events' points"),
  items: z.array(engagementEventSchema).describe('Newest first'),
});
export const engagementRecordResponse = z.object({ recorded: z.boolean().describe('False when the same fact was already counted'), score: z.number().int() });

export const unsubscribeResult = z.object({ unsubscribed: z.boolean(), alreadyUnsubscribed: z.boolean() });
