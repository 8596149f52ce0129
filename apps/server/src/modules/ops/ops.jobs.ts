import { z } from 'zod';
import { defineJob, type JobHandler } from '../../jobs/registry.ts';
import type { AlertEvaluator } from './evaluator.ts';
import type { ServiceInstancesRepository } from './ops.repository.ts';

export const pruneServiceInstancesJob = defineJob({
  name: 'ops.prune-service-instances',
  family: 'maintenance',
  payload: z.object({}),
  everyMs: 3_600_000,
});

/** The alert rules evaluated in-process every minute (ALERTS_IN_PROCESS; the embedded `npm start` has no Prometheus). */
export const evaluateAlertsJob = defineJob({
  name: 'ops.evaluate-alerts',
  family: 'maintenance',
  payload: z.object({}),
  everyMs: 60_000,
  // The next run is a minute away: no retries piling up behind it.
  attempts: 1,
});

export function opsJobHandlers(repo: ServiceInstancesRepository, evaluator: () => AlertEvaluator) {
  const prune: JobHandler<Record<string, never>> = async (_payload, { logger }) => {
    const removed = await repo.prune(7 * 86_400_000);
    logger.info({ removed }, 'pruned service instances not seen for 7 days');
    return { removed };
  };
  const evaluate: JobHandler<Record<string, never>> = async () => evaluator().evaluate();
  return { [pruneServiceInstancesJob.name]: prune, [evaluateAlertsJob.name]: evaluate };
}
