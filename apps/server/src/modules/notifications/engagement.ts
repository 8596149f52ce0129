import { desc, eq, sql } from 'drizzle-orm';
import { ENGAGEMENT_POINTS, type EngagementKind } from '@mona/shared';
import type { Db } from '../../platform/db/client.ts';
import type { SqlTx } from '../artists/artists.repository.ts';
import { artists } from '../artists/artists.tables.ts';
import { engagementEvents } from './notifications.tables.ts';

export type EngagementRow = typeof engagementEvents.$inferSelect;

export interface EngagementFact {
  artistId: string;
  kind: EngagementKind;
  /** Names the fact: a second record with the same key is ignored (open:<message>, login:<artist>:<day>, ...). */
  dedupeKey: string;
  messageId?: string | null;
  at: Date;
}

/**
 * Engagement of artists: each fact is recorded once (its dedupe key is
 * unique) and moves the artist's cached engagement score by its points in the
 * same transaction, so the score is always the sum of the events.
 */
export class EngagementRepository {
  constructor(private readonly db: Db) {}

  /** Returns true when the fact was new (and the score moved). */
  async record(tx: SqlTx, fact: EngagementFact): Promise<boolean> {
    const points = ENGAGEMENT_POINTS[fact.kind];
    const [row] = await tx
      .insert(engagementEvents)
      .values({ artistId: fact.artistId, kind: fact.kind, points, messageId: fact.messageId ?? null, dedupeKey: fact.dedupeKey, occurredAt: fact.at })
      .onConflictDoNothing({ target: engagementEvents.dedupeKey })
      .returning({ id: engagementEvents.id });
    if (!row) return false;
    await tx
      .update(artists)
      .set({ engagementScore: sql`${artists.engagementScore} + ${points}` })
      .where(eq(artists.id, fact.artistId));
    return true;
  }

  async score(artistId: string): Promise<number | undefined> {
    const [row] = await this.db.select({ score: artists.engagementScore }).from(artists).where(eq(artists.id, artistId)).limit(1);
    return row?.score;
  }

  async list(artistId: string, limit: number): Promise<EngagementRow[]> {
    return this.db
      .select()
      .from(engagementEvents)
      .where(eq(engagementEvents.artistId, artistId))
      .orderBy(desc(engagementEvents.occurredAt), desc(engagementEvents.id))
      .limit(limit);
  }
}
