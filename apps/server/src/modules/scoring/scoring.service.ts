import {
  computeMarketFit,
  computeScore,
  isTeamRole,
  latestPerPlatform,
  PLATFORMS,
  RATED_CATEGORIES,
  type ScoreBreakdown,
  type ScoringSettings,
} from '@mona/shared';
import type { Db } from '../../platform/db/client.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import type { Caller } from '../../platform/http/auth.ts';
import type { Logger } from '../../platform/logger.ts';
import { assertCanReadArtist } from '../artists/artists.access.ts';
import type { ArtistsRepository } from '../artists/artists.repository.ts';
import type { DomainEvents } from '../events/events.service.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import type { MetricsRepository, ScoringTx } from './metrics.repository.ts';
import type { MarketFitRow, RatingsRow, ScoringEventRow, ScoringRepository } from './scoring.repository.ts';
import type {
  MarketFitBody,
  MarketFitDto,
  MetricPointDto,
  MetricSnapshotInput,
  RatingsInput,
  ScoreDto,
  ScoringEventDto,
  MetricSeriesDto,
} from './scoring.schemas.ts';

export type ScoreActor = { kind: 'user'; id: string } | { kind: 'system' };
export interface RecomputeCause {
  reason: string;
  actor: ScoreActor;
}

export const SYSTEM: ScoreActor = { kind: 'system' };

export interface RecomputeResult<T = undefined> {
  artistId: string;
  score: ScoreBreakdown;
  /** The total or tier changed (or it was the first score): a scoring event was recorded. */
  changed: boolean;
  tierChanged: boolean;
  event: ScoringEventRow | null;
  ratings: RatingsRow | undefined;
  lastChangedAt: Date | null;
  settings: ScoringSettings;
  /** What the change made inside the transaction returned. */
  applied: T | undefined;
}

/** The most points a metrics chart gets at once (about 2 years of daily snapshots on 6 platforms). */
export const METRICS_SERIES_LIMIT = 5000;

export interface ScoringDependencies {
  db: Db;
  artists: ArtistsRepository;
  metrics: MetricsRepository;
  repo: ScoringRepository;
  users: UsersRepository;
  settings: SettingsService;
  events: DomainEvents;
  logger: Logger;
}

const validationFailed = (issues: { path: string; message: string; code?: string }[]) =>
  new AppError(400, 'validation_failed', `Invalid ${issues[0]!.path}: ${issues[0]!.message}`, { issues });

function requireTeam(caller: Caller): void {
  if (!isTeamRole(caller.role)) throw forbidden();
}

/**
 * The MONA score and market fit of an artist. The formulas are the pure ones
 * of @mona/shared; this service decides when they run, records every change
 * of total or tier as a scoring event, and announces tier changes.
 */
export class ScoringService {
  constructor(private readonly deps: ScoringDependencies) {}

  // The one path that changes a score ------------------------------------------------

  /**
   * Recomputes an artist's score, after applying `change` (new metrics, new
   * ratings) in the same transaction. Every way a score changes goes through
   * here: rating, metrics, the jobs.
   */
  async recompute<T = undefined>(artistId: string, cause: RecomputeCause, change?: (tx: ScoringTx) => Promise<T>): Promise<RecomputeResult<T>> {
    // Settings are read before the transaction opens: on the embedded database every
    // other connection waits while a transaction runs, so a read through the pool from
    // inside it would wait for itself. A settings change in between applies next time.
    return this.recomputeWith(await this.deps.settings.get('scoring'), artistId, cause, change);
  }

  private async recomputeWith<T>(
    settings: ScoringSettings,
    artistId: string,
    cause: RecomputeCause,
    change?: (tx: ScoringTx) => Promise<T>,
  ): Promise<RecomputeResult<T>> {
    const { db, artists, repo, events } = this.deps;
    const outcome = await db.transaction(async (tx) => {
      // Concurrent recomputes of one artist run one after the other, so each event's
      // old values are the previous event's new ones.
      await repo.lockArtistScore(tx, artistId);
      const artist = await artists.findById(artistId, tx);
      if (!artist) throw notFound('Artist not found');
      const applied = change ? await change(tx) : undefined;
      const { score, ratings, previous } = await this.evaluate(tx, artistId, settings);

      const changed = !previous || previous.newTotal !== score.total || previous.newTier !== score.tier;
      const old = previous ? { total: previous.newTotal, tier: previous.newTier } : { total: artist.scoreTotal, tier: artist.tier };
      const tierChanged = changed && old.tier !== score.tier;
      let event: ScoringEventRow | null = null;
      const eventIds: string[] = [];
      if (changed) {
        event = await repo.insertEvent(tx, { artistId, old, score, reason: cause.reason, actor: cause.actor });
        if (tierChanged) {
          eventIds.push(
            await events.record(tx, 'artist.tier_changed', artistId, {
              artistId,
              oldTier: old.tier,
              newTier: score.tier,
              oldTotal: old.total,
              newTotal: score.total,
              reason: cause.reason,
            }),
          );
        }
      }
      // The cached copy on the artist follows even without an event, should it ever have drifted.
      if (artist.scoreTotal !== score.total || artist.tier !== score.tier) await artists.setScore(tx, artistId, score.total, score.tier);
      const lastChangedAt = event?.createdAt ?? previous?.createdAt ?? null;
      return { artistId, score, changed, tierChanged, event, ratings, lastChangedAt, settings, applied, eventIds };
    });
    // After commit: subscribers never hear of a change that was rolled back.
    await events.dispatch(outcome.eventIds);
    const { eventIds: _eventIds, ...result } = outcome;
    return result;
  }

  /** The score as the current metrics, ratings and settings give it, with the newest scoring event. */
  private async evaluate(tx: ScoringTx, artistId: string, settings: ScoringSettings) {
    const { metrics, repo } = this.deps;
    const latest = latestPerPlatform(await metrics.latestPerPlatform(tx, artistId));
    const ratings = await repo.ratings(tx, artistId);
    const previous = await repo.latestEvent(tx, artistId);
    const score = computeScore(
      latest,
      ratings ?? {
        artisticQuality: 0,
        motivation: 0,
        collaboration: 0,
        businessVision: 0,
        mediaPersonality: 0,
        viralPotential: false,
        versatility: false,
        diversity: false,
      },
      settings,
    );
    return { score, ratings, previous };
  }

  /** Recomputes every artist not archived, in batches; the weekly job. Safe to run twice. */
  async recomputeAll(options: { reason?: string; batchSize?: number } = {}): Promise<{ checked: number; changed: number }> {
    const reason = options.reason ?? 'weekly recompute';
    const batchSize = options.batchSize ?? 100;
    let after: string | null = null;
    let checked = 0;
    let changed = 0;
    const failed: string[] = [];
    for (;;) {
      const ids = await this.deps.repo.activeArtistIds(after, batchSize);
      if (ids.length === 0) break;
      // Read once per batch: a settings change made during a long run applies from the next batch.
      const settings = await this.deps.settings.get('scoring');
      for (const id of ids) {
        try {
          const result = await this.recomputeWith(settings, id, { reason, actor: SYSTEM });
          checked += 1;
          if (result.changed) changed += 1;
        } catch (error) {
          if (error instanceof AppError && error.status === 404) continue; // deleted meanwhile
          failed.push(id);
          this.deps.logger.warn({ err: (error as Error).message, artistId: id }, 'score recompute failed');
        }
      }
      after = ids.at(-1)!;
      if (ids.length < batchSize) break;
    }
    // One artist failing does not stop the others; the job still fails, so it is retried and seen.
    if (failed.length > 0) throw new Error(`Score recompute failed for ${failed.length} artist(s): ${failed.slice(0, 10).join(', ')}`);
    return { checked, changed };
  }

  // Metrics -----------------------------------------------------------------------------

  async ingestMetrics(
    caller: Caller,
    artistId: string,
    snapshots: readonly MetricSnapshotInput[],
  ): Promise<{ stored: number; changed: boolean; score: ScoreDto }> {
    requireTeam(caller);
    const result = await this.recompute(artistId, { reason: 'metrics updated', actor: SYSTEM }, (tx) => this.deps.metrics.upsert(tx, artistId, snapshots));
    return { stored: result.applied ?? 0, changed: result.changed, score: this.toScoreDto(result) };
  }

  async metricsSeries(
    caller: Caller,
    artistId: string,
    query: { platform?: (typeof PLATFORMS)[number] | undefined; from?: string | undefined; to?: string | undefined },
  ): Promise<MetricSeriesDto> {
    assertCanReadArtist(caller, await this.deps.artists.findById(artistId));
    const from = query.from ? new Date(query.from) : undefined;
    const to = query.to ? new Date(query.to) : undefined;
    if (from && to && from > to) throw validationFailed([{ path: 'from', message: 'Must not be after to' }]);
    const { rows, truncated } = await this.deps.metrics.series(artistId, { platform: query.platform, from, to }, METRICS_SERIES_LIMIT);
    const byPlatform = new Map<(typeof PLATFORMS)[number], MetricPointDto[]>();
    for (const row of rows) {
      const points = byPlatform.get(row.platform) ?? [];
      points.push({
        capturedAt: row.capturedAt.toISOString(),
        followers: row.followers,
        engagementRate: row.engagementRate,
        postsPerWeek: row.postsPerWeek,
        monthlyGrowth: row.monthlyGrowth,
        source: row.source,
      });
      byPlatform.set(row.platform, points);
    }
    const series = PLATFORMS.filter((p) => byPlatform.has(p)).map((platform) => ({ platform, points: byPlatform.get(platform)! }));
    return { artistId, series, truncated };
  }

  // Ratings and score -----------------------------------------------------------------

  async rate(caller: Caller, artistId: string, input: RatingsInput): Promise<{ changed: boolean; score: ScoreDto }> {
    requireTeam(caller);
    const settings = await this.deps.settings.get('scoring');
    // The body schema bounds every rating by the largest maximum a setting allows; the
    // configured maximum is only known here. Nothing is written when one is over.
    const over = RATED_CATEGORIES.filter((c) => input[c] > settings.maxima[c]);
    if (over.length > 0) throw validationFailed(over.map((c) => ({ path: c, message: `At most ${settings.maxima[c]}`, code: 'too_big' })));
    const { reason, ...values } = input;
    const result = await this.recomputeWith(settings, artistId, { reason: reason ?? 'ratings updated', actor: { kind: 'user', id: caller.id } }, (tx) =>
      this.deps.repo.upsertRatings(tx, artistId, values, caller.id),
    );
    return { changed: result.changed, score: this.toScoreDto(result) };
  }

  /** The current breakdown, computed now: it follows every metric, even one that moved no total. */
  async score(caller: Caller, artistId: string): Promise<ScoreDto> {
    assertCanReadArtist(caller, await this.deps.artists.findById(artistId));
    const settings = await this.deps.settings.get('scoring');
    const { score, ratings, previous } = await this.evaluate(this.deps.db, artistId, settings);
    return this.toScoreDto({ artistId, score, ratings, settings, lastChangedAt: previous?.createdAt ?? null });
  }

  async history(caller: Caller, artistId: string, query: { limit: number; before?: string | undefined }) {
    assertCanReadArtist(caller, await this.deps.artists.findById(artistId));
    const rows = await this.deps.repo.events(artistId, { limit: query.limit, before: query.before ? new Date(query.before) : undefined });
    const names = await this.userNames(rows.map((r) => r.actorId));
    const events: ScoringEventDto[] = rows.map((row) => ({
      id: row.id,
      oldTotal: row.oldTotal,
      newTotal: row.newTotal,
      oldTier: row.oldTier,
      newTier: row.newTier,
      reason: row.reason,
      actor:
        row.actorKind === 'system'
          ? { kind: 'system', id: null, name: 'system' }
          : { kind: 'user', id: row.actorId, name: (row.actorId && names.get(row.actorId)) ?? 'deleted user' },
      breakdown: row.breakdown as ScoringEventDto['breakdown'],
      createdAt: row.createdAt.toISOString(),
    }));
    const nextBefore = rows.length === query.limit ? rows.at(-1)!.createdAt.toISOString() : null;
    return { events, nextBefore };
  }

  // Market fit ---------------------------------------------------------------------

  async assessMarketFit(caller: Caller, artistId: string, inputs: MarketFitBody): Promise<MarketFitDto> {
    requireTeam(caller);
    if (!(await this.deps.artists.findById(artistId))) throw notFound('Artist not found');
    const result = computeMarketFit(inputs);
    const row = await this.deps.repo.insertMarketFit({ artistId, inputs, ...result, assessedBy: caller.id });
    return this.toMarketFitDto(row, await this.userNames([caller.id]));
  }

  async marketFit(caller: Caller, artistId: string, limit: number): Promise<{ latest: MarketFitDto | null; history: MarketFitDto[] }> {
    assertCanReadArtist(caller, await this.deps.artists.findById(artistId));
    const rows = await this.deps.repo.marketFitHistory(artistId, limit);
    const names = await this.userNames(rows.map((r) => r.assessedBy));
    const history = rows.map((row) => this.toMarketFitDto(row, names));
    return { latest: history[0] ?? null, history };
  }

  // Shapes ------------------------------------------------------------------------

  /** Display names of the users behind ids, through the users module (a handful per page). */
  private async userNames(ids: readonly (string | null)[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids.filter((id): id is string => id !== null))];
    const users = await Promise.all(unique.map((id) => this.deps.users.findById(id)));
    return new Map(users.filter((u) => u !== undefined).map((u) => [u.id, u.name]));
  }

  private toScoreDto(s: {
    artistId: string;
    score: ScoreBreakdown;
    ratings: RatingsRow | undefined;
    settings: ScoringSettings;
    lastChangedAt: Date | null;
  }): ScoreDto {
    const r = s.ratings;
    return {
      artistId: s.artistId,
      ...s.score,
      maxima: s.settings.maxima,
      bonusPoints: s.settings.bonusPoints,
      tierThresholds: s.settings.tierThresholds,
      ratings: r
        ? {
            artisticQuality: r.artisticQuality,
            motivation: r.motivation,
            collaboration: r.collaboration,
            businessVision: r.businessVision,
            mediaPersonality: r.mediaPersonality,
            viralPotential: r.viralPotential,
            versatility: r.versatility,
            diversity: r.diversity,
            updatedAt: r.updatedAt.toISOString(),
            updatedBy: r.updatedBy,
          }
        : null,
      computedAt: new Date().toISOString(),
      lastChangedAt: s.lastChangedAt?.toISOString() ?? null,
    };
  }

  private toMarketFitDto(row: MarketFitRow, names: Map<string, string>): MarketFitDto {
    return {
      id: row.id,
      artistId: row.artistId,
      inputs: row.inputs as MarketFitDto['inputs'],
      dimensions: row.dimensions as MarketFitDto['dimensions'],
      overall: row.overall,
      category: row.category as MarketFitDto['category'],
      confidence: row.confidence,
      assessedBy: row.assessedBy ? { id: row.assessedBy, name: names.get(row.assessedBy) ?? 'deleted user' } : null,
      createdAt: row.createdAt.toISOString(),
    };
  }
}
