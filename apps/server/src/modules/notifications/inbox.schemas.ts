import { z } from 'zod';
import { NOTIFICATION_KINDS } from '@mona/shared';

const isoDateTime = z.iso.datetime({ offset: true });

export const inboxParams = z.strictObject({ id: z.uuid() });

export const inboxItemSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(NOTIFICATION_KINDS),
    templateCode: z.string().nullable(),
    title: z.string(),
    body: z.string().describe('Plain text'),
    link: z.string().nullable().describe('Where opening it leads: a path of the web app (e.g. /portal) or a full URL'),
    at: isoDateTime.describe('When it reached the inbox'),
    readAt: isoDateTime.nullable(),
  })
  .meta({ id: 'InboxItem' });
export type InboxItem = z.infer<typeof inboxItemSchema>;

const booleanFlag = z
  .enum(['true', 'false'])
  .optional()
  .transform((v) => v === 'true');

export const inboxQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(500).optional().describe('nextCursor of the previous page, with the same options'),
  unreadFirst: booleanFlag.describe('true: unread messages first, then read ones (each newest first)'),
  unread: booleanFlag.describe('true: unread messages only'),
});
export type InboxQuery = z.infer<typeof inboxQuery>;

export const unreadCountSchema = z.object({ unread: z.number().int().min(0) }).meta({ id: 'InboxUnread' });

export const inboxListResponse = z.object({
  items: z.array(inboxItemSchema),
  unread: z.number().int().min(0).describe('Unread messages in the whole inbox'),
  nextCursor: z.string().nullable().describe('Pass as cursor for the next page; null on the last page'),
});

export const markReadResponse = z.object({ item: inboxItemSchema, unread: z.number().int().min(0) });
export const markAllReadResponse = z.object({ updated: z.number().int().min(0).describe('Messages that were unread'), unread: z.number().int().min(0) });

/**
 * What travels on the pub/sub channel `inbox:<userId>` (between API instances
 * through Redis) and becomes Server-Sent Events on the user's streams.
 */
export type InboxLiveEvent = { type: 'message'; message: InboxItem; unread: number } | { type: 'unread'; unread: number };

export const inboxChannel = (userId: string) => `inbox:${userId}`;
