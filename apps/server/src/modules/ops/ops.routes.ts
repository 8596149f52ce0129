import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import type { AuthGuards } from '../../platform/http/auth.ts';
import { errors } from '../../platform/http/schemas.ts';
import { jobsQuery, jobsResponse, retryParams, statusResponse } from './ops.schemas.ts';
import { backupsResponse } from '../backup/backup.schemas.ts';

export const opsRoutes =
  (ctx: AppContext, guards: AuthGuards): FastifyPluginAsyncZod =>
  async (app) => {
    const { ops } = ctx.services;
    const security = [{ bearerAuth: [] }];

    app.get(
      '/api/status',
      { schema: { tags: ['ops'], summary: 'Health of the dependencies and of every service (public, no secrets)', response: { 200: statusResponse } } },
      async () => ops.status(),
    );

    app.get(
      '/api/ops/jobs',
      {
        preHandler: guards.requireRoles('admin'),
        schema: {
          tags: ['ops'],
          security,
          summary: 'Jobs by state, newest first (admin)',
          querystring: jobsQuery,
          response: { 200: jobsResponse, ...errors(400, 401, 403, 503) },
        },
      },
      async (request) => ({ jobs: await ops.listJobs(request.query.state, request.query.limit) }),
    );

    app.get(
      '/api/ops/backups',
      {
        preHandler: guards.requireRoles('admin'),
        schema: {
          tags: ['ops'],
          security,
          summary: 'Backups (from their manifests in BACKUP_DIR), the schedule and the last runs with their status and error (admin)',
          response: { 200: backupsResponse, ...errors(401, 403, 503) },
        },
      },
      async () => ctx.services.backups.overview(),
    );

    app.post(
      '/api/ops/jobs/:queue/:id/retry',
      {
        preHandler: guards.requireRoles('admin'),
        schema: {
          tags: ['ops'],
          security,
          summary: 'Retry a failed job (admin)',
          params: retryParams,
          response: { 202: z.object({ retried: z.literal(true) }), ...errors(401, 403, 404, 503) },
        },
      },
      async (request, reply) => {
        await ops.retryJob(request.params.queue, request.params.id);
        return reply.status(202).send({ retried: true as const });
      },
    );
  };
