import { z } from 'zod';
import { defineJob, type JobHandler } from '../../jobs/registry.ts';
import type { RefreshTokensRepository } from './auth.repository.ts';

export const purgeRefreshTokensJob = defineJob({
  name: 'auth.purge-refresh-tokens',
  family: 'maintenance',
  payload: z.object({}),
  everyMs: 3_600_000,
});

export function authJobHandlers(repo: RefreshTokensRepository) {
  const purge: JobHandler<Record<string, never>> = async (_payload, { logger }) => {
    const removed = await repo.purge(7);
    logger.info({ removed }, 'purged refresh tokens expired or revoked over 7 days ago');
    return { removed };
  };
  return { [purgeRefreshTokensJob.name]: purge };
}
