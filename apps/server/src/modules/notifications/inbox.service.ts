import { z } from 'zod';
import type { Clock } from '../../platform/clock.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import type { Caller } from '../../platform/http/auth.ts';
import type { Logger } from '../../platform/logger.ts';
import type { PubSub, Unsubscribe } from '../../platform/pubsub.ts';
import type { InboxCursor, InboxRepository, InboxRow } from './inbox.repository.ts';
import { inboxChannel, type InboxItem, type InboxLiveEvent, type InboxQuery } from './inbox.schemas.ts';

export function toInboxItem(row: Pick<InboxRow, 'id' | 'kind' | 'templateCode' | 'title' | 'body' | 'data' | 'at' | 'readAt'>): InboxItem {
  const link = row.data.link;
  return {
    id: row.id,
    kind: row.kind,
    templateCode: row.templateCode,
    title: row.title,
    body: row.body,
    link: typeof link === 'string' && link.length > 0 ? link : null,
    at: row.at.toISOString(),
    readAt: row.readAt?.toISOString() ?? null,
  };
}

const cursorPayload = z.strictObject({
  u: z.union([z.literal(0), z.literal(1)]).optional(),
  k: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/),
  i: z.uuid(),
});

export function encodeInboxCursor(cursor: InboxCursor): string {
  const payload = { ...(cursor.unread === undefined ? {} : { u: cursor.unread ? 1 : 0 }), k: cursor.key, i: cursor.id };
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

export function decodeInboxCursor(text: string, unreadFirst: boolean): InboxCursor {
  const invalid = () => badRequest('Invalid cursor; start again from the first page', { issues: [{ path: 'cursor', message: 'Invalid cursor' }] });
  if (!/^[A-Za-z0-9_-]+$/.test(text)) throw invalid();
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const parsed = cursorPayload.safeParse(json);
  // A cursor of the other order (unreadFirst or not) would skip or repeat rows.
  if (!parsed.success || Number.isNaN(Date.parse(parsed.data.k)) || (parsed.data.u !== undefined) !== unreadFirst) throw invalid();
  return { ...(parsed.data.u === undefined ? {} : { unread: parsed.data.u === 1 }), key: parsed.data.k, id: parsed.data.i };
}

/**
 * The signed-in user's in-app inbox: list, unread count, read marks, and the
 * live feed. Every change of the unread count is published on `inbox:<userId>`,
 * so the user's other tabs and the streams held by other API instances follow.
 */
export class InboxService {
  /** How often an open stream sends a comment line, so proxies do not close it as idle (tests shorten it). */
  heartbeatMs: number;

  constructor(
    private readonly deps: {
      repo: InboxRepository;
      pubsub: PubSub;
      clock: Clock;
      logger: Logger;
      heartbeatMs?: number;
    },
  ) {
    this.heartbeatMs = deps.heartbeatMs ?? 25_000;
  }

  async list(caller: Caller, query: InboxQuery): Promise<{ items: InboxItem[]; unread: number; nextCursor: string | null }> {
    const cursor = query.cursor ? decodeInboxCursor(query.cursor, query.unreadFirst) : undefined;
    const [rows, unread] = await Promise.all([
      this.deps.repo.list(caller.id, { limit: query.limit, cursor, unreadFirst: query.unreadFirst, unreadOnly: query.unread }),
      this.deps.repo.unreadCount(caller.id),
    ]);
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    const nextCursor =
      rows.length > query.limit && last ? encodeInboxCursor({ ...(query.unreadFirst ? { unread: last.unread } : {}), key: last.atKey, id: last.id }) : null;
    return { items: page.map(toInboxItem), unread, nextCursor };
  }

  async unreadCount(caller: Caller): Promise<{ unread: number }> {
    return { unread: await this.deps.repo.unreadCount(caller.id) };
  }

  /** Someone else's message, or one not (yet) in the inbox, is 404. Reading twice keeps the first read time. */
  async markRead(caller: Caller, id: string): Promise<{ item: InboxItem; unread: number }> {
    const row = await this.deps.repo.markRead(caller.id, id, this.deps.clock.now());
    if (!row) throw notFound('No such message in your inbox');
    const unread = await this.deps.repo.unreadCount(caller.id);
    await this.publish(caller.id, { type: 'unread', unread });
    return { item: toInboxItem(row), unread };
  }

  async markAllRead(caller: Caller): Promise<{ updated: number; unread: number }> {
    const updated = await this.deps.repo.markAllRead(caller.id, this.deps.clock.now());
    // A message arriving meanwhile stays unread: count again rather than assume zero.
    const unread = await this.deps.repo.unreadCount(caller.id);
    await this.publish(caller.id, { type: 'unread', unread });
    return { updated, unread };
  }

  /** Follows one user's inbox: what the SSE stream forwards. Subscribe before reading the count, so nothing falls in between. */
  async follow(userId: string, handler: (event: InboxLiveEvent) => void): Promise<Unsubscribe> {
    return this.deps.pubsub.subscribe(inboxChannel(userId), (message) => handler(message as InboxLiveEvent));
  }

  /** Live updates are best effort: the database already holds the change, and the next page load shows it. */
  async publish(userId: string, event: InboxLiveEvent): Promise<void> {
    await publishBestEffort(this.deps.pubsub, inboxChannel(userId), event, this.deps.logger);
  }
}

/** Publishes, giving up after `timeoutMs` (a Redis that is away must not hold a request or a send). */
export async function publishBestEffort(pubsub: PubSub, channel: string, message: unknown, logger: Logger, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      pubsub.publish(channel, message),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return true;
  } catch (error) {
    logger.warn({ channel, err: (error as Error).message }, 'live update not published');
    return false;
  } finally {
    clearTimeout(timer);
  }
}
