import { and, asc, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { pushSubscriptions } from './notifications.tables.ts';

export type PushSubscriptionRow = typeof pushSubscriptions.$inferSelect;

/** All SQL on push_subscriptions. */
export class PushSubscriptionsRepository {
  constructor(private readonly db: Db) {}

  async listForUser(userId: string): Promise<PushSubscriptionRow[]> {
    return this.db.select().from(pushSubscriptions).where(eq(pushSubscriptions.userId, userId)).orderBy(asc(pushSubscriptions.createdAt));
  }

  /**
   * Stores a browser's subscription under the user, keyed by its endpoint (one per
   * browser profile). An endpoint already known moves to this user with its new
   * keys: the browser now belongs to whoever signed in on it. `created` tells the
   * two cases apart.
   */
  async upsert(input: {
    userId: string;
    endpoint: string;
    p256dh: string;
    auth: string;
    userAgent: string;
  }): Promise<{ row: PushSubscriptionRow; created: boolean }> {
    const [row] = await this.db
      .insert(pushSubscriptions)
      .values(input)
      .onConflictDoUpdate({
        target: pushSubscriptions.endpoint,
        set: { userId: input.userId, p256dh: input.p256dh, auth: input.auth, userAgent: input.userAgent },
      })
      // xmax is 0 on a freshly inserted tuple and set when the conflict branch updated one.
      .returning({ ...getTableColumns(pushSubscriptions), created: sql<boolean>`(xmax = 0)` });
    const { created, ...subscription } = row!;
    return { row: subscription, created };
  }

  async deleteForUser(userId: string, endpoint: string): Promise<boolean> {
    const deleted = await this.db
      .delete(pushSubscriptions)
      .where(and(eq(pushSubscriptions.userId, userId), eq(pushSubscriptions.endpoint, endpoint)))
      .returning({ id: pushSubscriptions.id });
    return deleted.length > 0;
  }

  /** Subscriptions the push service said are gone (404 / 410). */
  async deleteIds(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.delete(pushSubscriptions).where(inArray(pushSubscriptions.id, ids));
  }

  async touch(ids: string[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.db.update(pushSubscriptions).set({ lastUsedAt: at }).where(inArray(pushSubscriptions.id, ids));
  }
}
