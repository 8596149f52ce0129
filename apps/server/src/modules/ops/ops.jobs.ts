import { z } from 'zod';
import { defineJob, type JobHandler } from '../../jobs/registry.ts';
import type { ServiceInstancesRepository } from './ops.repository.ts';

export const pruneServiceInstancesJob = defineJob({
  name: 'ops.prune-service-instances',
  family: 'maintenance',
  payload: z.object({}),
  everyMs: 3_600_000,
});

export function opsJobHandlers(repo: ServiceInstancesRepository) {
  const prune: JobHandler<Record<string, never>> = async (_payload, { logger }) => {
    const removed = await repo.prune(7 * 86_400_000);
    logger.info({ removed }, 'pruned service instances not seen for 7 days');
    return { removed };
  };
  return { [pruneServiceInstancesJob.name]: prune };
}
