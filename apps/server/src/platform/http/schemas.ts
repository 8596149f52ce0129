import { z } from 'zod';
import { ERROR_CODES } from '@mona/shared';

export const errorSchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      details: z
        .object({ issues: z.array(z.object({ path: z.string(), message: z.string(), code: z.string().optional() })).optional() })
        .catchall(z.unknown())
        .optional(),
    }),
  })
  .meta({ id: 'Error' });

/** The error answers a route can give, for the OpenAPI document (and so the SDK's error type). */
export function errors(...statuses: (400 | 401 | 403 | 404 | 409 | 413 | 429 | 503)[]) {
  const out: Partial<Record<400 | 401 | 403 | 404 | 409 | 413 | 429 | 503, typeof errorSchema>> = {};
  for (const status of statuses) out[status] = errorSchema;
  return out;
}
