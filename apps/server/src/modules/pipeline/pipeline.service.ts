import { isTeamRole, PIPELINE_STAGES, type PipelineStage } from '@mona/shared';
import type { Db } from '../../platform/db/client.ts';
import { AppError, conflict, forbidden, notFound } from '../../platform/errors.ts';
import type { Caller } from '../../platform/http/auth.ts';
import type { ArtistsRepository } from '../artists/artists.repository.ts';
import type { ArtistDto } from '../artists/artists.schemas.ts';
import { toArtistDto } from '../artists/artists.service.ts';
import type { DomainEvents, Tx } from '../events/events.service.ts';
import type { MoveWithMover, PipelineMoveRow, PipelineRepository } from './pipeline.repository.ts';
import type { PipelineStatsDto, StageMoveDto } from './pipeline.schemas.ts';

const DAY_MS = 86_400_000;
export const DEFAULT_STATS_DAYS = 90;

const stageIndex = (stage: PipelineStage) => PIPELINE_STAGES.indexOf(stage);

/**
 * The pipeline rule: forward by exactly one stage (no skipping a step of the
 * method), or back to any earlier stage (a plan that has to be redone).
 * Returns why a move is refused, or null when it is allowed.
 */
export function moveRefusal(from: PipelineStage, to: PipelineStage): string | null {
  const a = stageIndex(from);
  const b = stageIndex(to);
  if (b === a) return `The artist is already in ${to}`;
  if (b > a + 1) return `Cannot skip from ${from} to ${to}: move forward one stage at a time (next: ${PIPELINE_STAGES[a + 1]})`;
  return null;
}

function toMoveDto(row: PipelineMoveRow | MoveWithMover, moverName?: string | null): StageMoveDto {
  const name = 'moverName' in row ? row.moverName : (moverName ?? null);
  return {
    id: row.id,
    artistId: row.artistId,
    fromStage: row.fromStage,
    toStage: row.toStage,
    reason: row.reason,
    movedAt: row.movedAt.toISOString(),
    movedBy: row.movedBy && name !== null ? { id: row.movedBy, name } : null,
  };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Stage moves, the board and the funnel numbers. Every stage change goes through here. */
export class PipelineService {
  constructor(
    private readonly deps: {
      db: Db;
      artists: ArtistsRepository;
      repo: PipelineRepository;
      events: DomainEvents;
      users: { findById(id: string): Promise<{ name: string } | undefined> };
      /** Where the statistics are read: the read replicas when DATABASE_READ_URL is set. */
      reads?: { artists: ArtistsRepository; repo: PipelineRepository };
    },
  ) {}

  /** The entry of a new artist into the pipeline, inside the transaction that creates it; returns the event id to dispatch. */
  async recordEntry(tx: Tx, artistId: string, stage: PipelineStage, movedBy: string, reason: string): Promise<string> {
    await this.deps.repo.insertMove(tx, { artistId, fromStage: null, toStage: stage, movedBy, reason });
    return this.deps.events.record(tx, 'artist.stage_changed', artistId, { artistId, fromStage: null, toStage: stage, movedBy, reason });
  }

  async move(caller: Caller, artistId: string, input: { to: PipelineStage; reason?: string | undefined }): Promise<{ artist: ArtistDto; move: StageMoveDto }> {
    if (!isTeamRole(caller.role)) throw forbidden('Only the team moves artists along the pipeline');
    const artist = await this.deps.artists.findById(artistId);
    if (!artist) throw notFound('Artist not found');
    const from = artist.stage;
    const to = input.to;
    if (artist.archivedAt) throw conflict(`Cannot move from ${from} to ${to}: the artist is archived`, { from, to });
    const refusal = moveRefusal(from, to);
    if (refusal) throw conflict(`Cannot move from ${from} to ${to}: ${refusal}`, { from, to });

    const reason = input.reason ?? '';
    const eventIds: string[] = [];
    const outcome = await this.deps.db.transaction(async (tx) => {
      // Conditional on the stage read above: a concurrent move got there first when no row comes back.
      const moved = await this.deps.artists.moveStage(tx, artistId, from, to);
      if (!moved) throw conflict(`Cannot move from ${from} to ${to}: the artist was moved or archived meanwhile; reload and try again`, { from, to });
      const move = await this.deps.repo.insertMove(tx, { artistId, fromStage: from, toStage: to, reason, movedBy: caller.id, movedAt: moved.stageChangedAt });
      eventIds.push(
        await this.deps.events.record(tx, 'artist.stage_changed', artistId, { artistId, fromStage: from, toStage: to, movedBy: caller.id, reason }),
      );
      return { moved, move };
    });
    await this.deps.events.dispatch(eventIds);
    const mover = await this.deps.users.findById(caller.id);
    return { artist: toArtistDto(outcome.moved), move: toMoveDto(outcome.move, mover?.name ?? null) };
  }

  async history(caller: Caller, artistId: string): Promise<StageMoveDto[]> {
    if (!isTeamRole(caller.role)) throw forbidden('Only the team reads the stage history');
    if (!(await this.deps.artists.findById(artistId))) throw notFound('Artist not found');
    return (await this.deps.repo.history(artistId)).map((m) => toMoveDto(m));
  }

  async board(caller: Caller, perStage: number) {
    if (!isTeamRole(caller.role)) throw forbidden('Only the team sees the board');
    const cards = await this.deps.artists.board(perStage);
    return {
      columns: PIPELINE_STAGES.map((stage) => {
        const inStage = cards.filter((c) => c.stage === stage);
        return {
          stage,
          total: inStage[0]?.total ?? 0,
          artists: inStage.map(({ stage: _stage, total: _total, ...card }) => card),
        };
      }),
    };
  }

  /**
   * Funnel numbers over the period [from, to) (default: the last 90 days).
   *
   * Conversion from stage i to stage i+1 = converted ÷ inStage, where
   * - converted: distinct artists with a move i → i+1 made in [from, to);
   * - inStage: distinct artists that were in stage i at some time in [from, to),
   *   i.e. had a stay in i (from the move into i to their next move, or still
   *   open) that began before `to` and had not ended before `from`.
   * Every converted artist is in inStage, so the rate is 0–1. An artist counts
   * once however often they went back and forth.
   *
   * Time in stage: the median, in hours, of completed stays whose entering and
   * leaving moves both fall in the period (consecutive moves of one artist).
   */
  async stats(caller: Caller, period: { from?: string | undefined; to?: string | undefined }): Promise<PipelineStatsDto> {
    if (!isTeamRole(caller.role)) throw forbidden('Only the team sees pipeline statistics');
    const to = period.to ? new Date(period.to) : new Date();
    const from = period.from ? new Date(period.from) : new Date(to.getTime() - DEFAULT_STATS_DAYS * DAY_MS);
    if (from >= to) throw new AppError(400, 'validation_failed', 'from must be before to', { issues: [{ path: 'from', message: 'from must be before to' }] });
    const { artists, repo } = this.deps.reads ?? this.deps;
    const [counts, inStage, moved, medians] = await Promise.all([
      artists.countByStage(),
      repo.artistsInStage(from, to),
      repo.movedBetween(from, to),
      repo.medianHoursInStage(from, to),
    ]);
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      counts: PIPELINE_STAGES.map((stage) => ({ stage, count: counts[stage] })),
      conversions: PIPELINE_STAGES.slice(0, -1).map((fromStage, i) => {
        const toStage = PIPELINE_STAGES[i + 1]!;
        const entered = inStage.get(fromStage) ?? 0;
        const converted = moved.find((m) => m.fromStage === fromStage && m.toStage === toStage)?.artists ?? 0;
        return { fromStage, toStage, inStage: entered, converted, rate: entered ? converted / entered : null };
      }),
      timeInStage: PIPELINE_STAGES.map((stage) => {
        const m = medians.find((x) => x.stage === stage);
        return { stage, medianHours: m ? round2(m.medianHours) : null, samples: m?.samples ?? 0 };
      }),
    };
  }
}
