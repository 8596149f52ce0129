import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../platform/db/client.ts';
import { artists } from '../modules/artists/artists.tables.ts';
import { pipelineMoves } from '../modules/pipeline/pipeline.tables.ts';
import { scoringEvents } from '../modules/scoring/scoring.tables.ts';

/*
 * The services stamp what they write with the database clock. The demo replays
 * six months of agency work in a few seconds, so right after each real call the
 * seed moves the stamps of the rows that call made back to the date the plan
 * gives them. Only timestamps change, in the order the calls were made, so the
 * histories keep their order (a scoring event's old values are still the
 * previous event's new ones).
 */

/** A new artist: its creation and its entry into the pipeline. */
export async function backdateArtistCreation(db: Db, artistId: string, at: Date, consentGiven: boolean): Promise<void> {
  await db
    .update(artists)
    .set({ createdAt: at, updatedAt: at, stageChangedAt: at, ...(consentGiven ? { consentUpdatedAt: at } : {}) })
    .where(eq(artists.id, artistId));
  await db
    .update(pipelineMoves)
    .set({ movedAt: at })
    .where(and(eq(pipelineMoves.artistId, artistId), isNull(pipelineMoves.fromStage)));
}

/** A stage move and the artist's stage date. */
export async function backdateMove(db: Db, artistId: string, moveId: string, at: Date): Promise<void> {
  await db.update(pipelineMoves).set({ movedAt: at }).where(eq(pipelineMoves.id, moveId));
  await db.update(artists).set({ stageChangedAt: at, updatedAt: at }).where(eq(artists.id, artistId));
}

/** The scoring event the last recompute of the artist recorded. */
export async function backdateLatestScoringEvent(db: Db, artistId: string, at: Date): Promise<void> {
  const [latest] = await db
    .select({ id: scoringEvents.id })
    .from(scoringEvents)
    .where(eq(scoringEvents.artistId, artistId))
    .orderBy(desc(scoringEvents.createdAt), desc(scoringEvents.id))
    .limit(1);
  if (latest) await db.update(scoringEvents).set({ createdAt: at }).where(eq(scoringEvents.id, latest.id));
}
