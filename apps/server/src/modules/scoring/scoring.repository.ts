import { and, asc, desc, eq, gt, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { RatedCategory, ScoreBonus, ScoreBreakdown, Tier } from '@mona/shared';
import type { Db } from '../../platform/db/client.ts';
import { artists } from '../artists/artists.tables.ts';
import type { ScoringTx } from './metrics.repository.ts';
import { artistRatings, marketFitAssessments, scoringEvents } from './scoring.tables.ts';

export type RatingsRow = typeof artistRatings.$inferSelect;
export type ScoringEventRow = typeof scoringEvents.$inferSelect;
export type MarketFitRow = typeof marketFitAssessments.$inferSelect;

/** First key of the advisory locks this module takes (the second is the artist): an arbitrary constant of its own. */
const SCORE_LOCK_CLASS = 0x5c0e;

/** All SQL on artist_ratings, scoring_events and market_fit_assessments. */
export class ScoringRepository {
  constructor(private readonly db: Db) {}

  /**
   * Serializes score changes of one artist until the transaction ends, so
   * each scoring event starts from the previous one's result. An advisory lock
   * rather than `select ... for update` on the artists row: it orders only the
   * recomputes among themselves and leaves the row (owned by the artists
   * module) to its own writers. A hash collision between two artists merely
   * makes them wait for each other.
   */
  async lockArtistScore(tx: ScoringTx, artistId: string): Promise<void> {
    await tx.execute(sql`select pg_advisory_xact_lock(${SCORE_LOCK_CLASS}, hashtext(${artistId}))`);
  }

  async ratings(tx: ScoringTx, artistId: string): Promise<RatingsRow | undefined> {
    const [row] = await tx.select().from(artistRatings).where(eq(artistRatings.artistId, artistId)).limit(1);
    return row;
  }

  async upsertRatings(tx: ScoringTx, artistId: string, values: Record<RatedCategory, number> & Record<ScoreBonus, boolean>, updatedBy: string): Promise<void> {
    const set = { ...values, updatedBy, updatedAt: new Date() };
    await tx
      .insert(artistRatings)
      .values({ artistId, ...set })
      .onConflictDoUpdate({ target: artistRatings.artistId, set });
  }

  async latestEvent(tx: ScoringTx, artistId: string): Promise<ScoringEventRow | undefined> {
    const [row] = await tx
      .select()
      .from(scoringEvents)
      .where(eq(scoringEvents.artistId, artistId))
      .orderBy(desc(scoringEvents.createdAt), desc(scoringEvents.id))
      .limit(1);
    return row;
  }

  async insertEvent(
    tx: ScoringTx,
    event: {
      artistId: string;
      old: { total: number; tier: Tier };
      score: ScoreBreakdown;
      reason: string;
      actor: { kind: 'user'; id: string } | { kind: 'system' };
    },
  ): Promise<ScoringEventRow> {
    const [row] = await tx
      .insert(scoringEvents)
      .values({
        artistId: event.artistId,
        oldTotal: event.old.total,
        newTotal: event.score.total,
        oldTier: event.old.tier,
        newTier: event.score.tier,
        breakdown: { categories: event.score.categories, bonuses: event.score.bonuses, total: event.score.total, tier: event.score.tier },
        reason: event.reason,
        actorId: event.actor.kind === 'user' ? event.actor.id : null,
        actorKind: event.actor.kind,
        // The wall clock after the lock was taken, not now() (the transaction's start):
        // a transaction that began first but waited for the lock must still sort after
        // the one it waited for, or the history would list the chain out of order.
        createdAt: sql`clock_timestamp()`,
      })
      .returning();
    return row!;
  }

  /** Newest first; `before` pages back. */
  async events(artistId: string, options: { limit: number; before?: Date | undefined }): Promise<ScoringEventRow[]> {
    const conditions: SQL[] = [eq(scoringEvents.artistId, artistId)];
    if (options.before) conditions.push(lt(scoringEvents.createdAt, options.before));
    return this.db
      .select()
      .from(scoringEvents)
      .where(and(...conditions))
      .orderBy(desc(scoringEvents.createdAt), desc(scoringEvents.id))
      .limit(options.limit);
  }

  async insertMarketFit(values: typeof marketFitAssessments.$inferInsert): Promise<MarketFitRow> {
    const [row] = await this.db.insert(marketFitAssessments).values(values).returning();
    return row!;
  }

  async marketFitHistory(artistId: string, limit: number): Promise<MarketFitRow[]> {
    return this.db
      .select()
      .from(marketFitAssessments)
      .where(eq(marketFitAssessments.artistId, artistId))
      .orderBy(desc(marketFitAssessments.createdAt), desc(marketFitAssessments.id))
      .limit(limit);
  }

  /**
   * Ids of the artists still in the agency's books, in id order, `limit` after
   * `afterId`: the batches of the weekly recompute. A read of the artists table
   * (owned by the artists module) because ArtistsRepository has no such listing
   * yet; move it there once the artists module offers one.
   */
  async activeArtistIds(afterId: string | null, limit: number): Promise<string[]> {
    const conditions: SQL[] = [isNull(artists.archivedAt)];
    if (afterId) conditions.push(gt(artists.id, afterId));
    const rows = await this.db
      .select({ id: artists.id })
      .from(artists)
      .where(and(...conditions))
      .orderBy(asc(artists.id))
      .limit(limit);
    return rows.map((r) => r.id);
  }
}
