import { z } from 'zod';
import { defineJob, type JobHandler } from '../../jobs/registry.ts';
import { AppError } from '../../platform/errors.ts';
import { SYSTEM, type ScoringService } from './scoring.service.ts';

const WEEK_MS = 7 * 24 * 3_600_000;

/** Every non-archived artist, weekly: picks up settings changes and anything that bypassed a recompute. */
export const recomputeAllScoresJob = defineJob({
  name: 'scoring.recompute-all',
  family: 'analytics',
  payload: z.object({}),
  everyMs: WEEK_MS,
  attempts: 3,
  backoffMs: 60_000,
});

/** One artist, e.g. after metrics arrived in bulk from an integration (enqueue one per artist, not one per snapshot). */
export const recomputeArtistScoreJob = defineJob({
  name: 'scoring.recompute-artist',
  family: 'analytics',
  payload: z.object({ artistId: z.uuid(), reason: z.string().min(1).max(200).optional() }),
});

// Both handlers are idempotent: a recompute that finds the same total and tier records nothing.
export function scoringJobHandlers(scoring: () => ScoringService) {
  const recomputeAll: JobHandler<Record<string, never>> = async (_payload, { logger }) => {
    const result = await scoring().recomputeAll();
    logger.info(result, 'weekly score recompute done');
    return result;
  };
  const recomputeArtist: JobHandler<{ artistId: string; reason?: string | undefined }> = async ({ artistId, reason }) => {
    try {
      const result = await scoring().recompute(artistId, { reason: reason ?? 'metrics updated', actor: SYSTEM });
      return { artistId, total: result.score.total, tier: result.score.tier, changed: result.changed };
    } catch (error) {
      // An artist deleted since the job was queued: nothing to do, and no point retrying.
      if (error instanceof AppError && error.status === 404) return { artistId, skipped: 'artist not found' };
      throw error;
    }
  };
  return { [recomputeAllScoresJob.name]: recomputeAll, [recomputeArtistScoreJob.name]: recomputeArtist };
}
