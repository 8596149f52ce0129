import { z } from 'zod';
import { WORKER_FAMILIES } from '@mona/shared';
import { JOB_STATES } from '../../platform/queue.ts';

export const healthResponse = z.object({ status: z.literal('ok'), service: z.string(), version: z.string(), uptimeSeconds: z.number() });

export const dependencySchema = z.object({
  name: z.enum(['database', 'redis']),
  ok: z.boolean(),
  mode: z.string(),
  latencyMs: z.number().nullable(),
  error: z.string().nullable(),
});

export const readyResponse = z.object({
  status: z.enum(['ready', 'unavailable']),
  service: z.string(),
  failed: z.array(z.string()),
  dependencies: z.array(dependencySchema),
});

export const serviceStatusSchema = z.object({
  name: z.enum(['api', ...WORKER_FAMILIES]),
  status: z.enum(['up', 'down']),
  ready: z.boolean(),
  instances: z.number().int(),
  lastSeenAt: z.string().nullable(),
});

export const statusResponse = z
  .object({
    version: z.string(),
    checkedAt: z.string(),
    dependencies: z.array(dependencySchema),
    services: z.array(serviceStatusSchema),
  })
  .meta({ id: 'SystemStatus' });

export const jobSchema = z.object({
  id: z.string(),
  queue: z.string(),
  name: z.string(),
  state: z.string(),
  attemptsMade: z.number().int(),
  maxAttempts: z.number().int(),
  failedReason: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  payload: z.unknown(),
});

export const jobsQuery = z.strictObject({
  state: z.enum(JOB_STATES).default('failed'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const jobsResponse = z.object({ jobs: z.array(jobSchema) });
export const retryParams = z.strictObject({ queue: z.enum(WORKER_FAMILIES), id: z.string().min(1).max(200) });
