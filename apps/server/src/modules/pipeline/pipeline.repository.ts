import { desc, eq, sql } from 'drizzle-orm';
import type { PipelineStage } from '@mona/shared';
import type { Db } from '../../platform/db/client.ts';
import type { Tx } from '../events/events.service.ts';
import { users } from '../users/users.tables.ts';
import { pipelineMoves } from './pipeline.tables.ts';

export type PipelineMoveRow = typeof pipelineMoves.$inferSelect;

export interface MoveWithMover extends PipelineMoveRow {
  moverName: string | null;
}

/** All SQL on pipeline_moves. */
export class PipelineRepository {
  constructor(private readonly db: Db) {}

  /** `movedAt` defaults to the transaction's now(), the same instant as the artist's stageChangedAt. */
  async insertMove(
    tx: Tx,
    move: { artistId: string; fromStage: PipelineStage | null; toStage: PipelineStage; reason?: string; movedBy: string | null; movedAt?: Date },
  ): Promise<PipelineMoveRow> {
    const [row] = await tx
      .insert(pipelineMoves)
      .values({ ...move, reason: move.reason ?? '' })
      .returning();
    return row!;
  }

  async history(artistId: string, limit = 500): Promise<MoveWithMover[]> {
    const rows = await this.db
      .select({ move: pipelineMoves, moverName: users.name })
      .from(pipelineMoves)
      .leftJoin(users, eq(users.id, pipelineMoves.movedBy))
      .where(eq(pipelineMoves.artistId, artistId))
      .orderBy(desc(pipelineMoves.movedAt), desc(pipelineMoves.id))
      .limit(limit);
    return rows.map((r) => ({ ...r.move, moverName: r.moverName }));
  }

  /**
   * Per stage, the distinct artists that were in it at some time in [from, to):
   * each move opens a stay in its `to_stage` that lasts until the artist's next
   * move (or is still open). A stay [enteredAt, leftAt] counts when
   * enteredAt < to and (leftAt is null or leftAt >= from); the end is inclusive
   * so that an artist leaving the stage exactly at `from`, whose move counts in
   * the period, also counts as having been in the stage.
   */
  async artistsInStage(from: Date, to: Date): Promise<Map<PipelineStage, number>> {
    // Without reading the whole history: the stays begun in the period are its moves; the stay
    // open at `from` is the artist's current stage when it last changed before `from`, else the
    // from_stage of their first move at or after `from` (null: the artist entered after `from`).
    const f = from.toISOString();
    const result = await this.db.execute<{ stage: PipelineStage; artists: number }>(sql`
      with open_at_from as (
        select distinct on (artist_id) artist_id, from_stage as stage
        from pipeline_moves
        where moved_at >= ${f}::timestamptz
        order by artist_id, moved_at, id
      ), stays as (
        select artist_id, to_stage as stage from pipeline_moves
        where moved_at >= ${f}::timestamptz and moved_at < ${to.toISOString()}::timestamptz
        union
        select id, stage from artists where stage_changed_at < ${f}::timestamptz
        union
        select artist_id, stage from open_at_from where stage is not null
      )
      select stage, count(*)::int as artists from stays group by stage`);
    return new Map(result.rows.map((r) => [r.stage, r.artists]));
  }

  /** Distinct artists per (from, to) pair of moves made in [from, to). */
  async movedBetween(from: Date, to: Date): Promise<{ fromStage: PipelineStage; toStage: PipelineStage; artists: number }[]> {
    const result = await this.db.execute<{ from_stage: PipelineStage; to_stage: PipelineStage; artists: number }>(sql`
      select from_stage, to_stage, count(distinct artist_id)::int as artists
      from pipeline_moves
      where moved_at >= ${from.toISOString()}::timestamptz and moved_at < ${to.toISOString()}::timestamptz and from_stage is not null
      group by from_stage, to_stage`);
    return result.rows.map((r) => ({ fromStage: r.from_stage, toStage: r.to_stage, artists: r.artists }));
  }

  /**
   * Median hours per stage over completed stays whose entering and leaving moves
   * both fall in [from, to): the moves of the period, ordered per artist, paired
   * with the next one. Stays still open, or begun before `from`, are left out.
   */
  async medianHoursInStage(from: Date, to: Date): Promise<{ stage: PipelineStage; medianHours: number; samples: number }[]> {
    const result = await this.db.execute<{ stage: PipelineStage; median_hours: number; samples: number }>(sql`
      with stays as (
        select to_stage, moved_at,
               lead(moved_at) over (partition by artist_id order by moved_at, id) as left_at
        from pipeline_moves
        where moved_at >= ${from.toISOString()}::timestamptz and moved_at < ${to.toISOString()}::timestamptz
      )
      select to_stage as stage,
             percentile_cont(0.5) within group (order by extract(epoch from (left_at - moved_at))::float8 / 3600) as median_hours,
             count(*)::int as samples
      from stays
      where left_at is not null
      group by to_stage`);
    return result.rows.map((r) => ({ stage: r.stage, medianHours: Number(r.median_hours), samples: r.samples }));
  }
}
