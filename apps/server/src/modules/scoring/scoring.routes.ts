import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { callerOf, type AuthGuards } from '../../platform/http/auth.ts';
import { errors } from '../../platform/http/schemas.ts';
import {
  artistParams,
  historyQuery,
  historyResponse,
  marketFitBody,
  marketFitQuery,
  marketFitResponse,
  marketFitSchema,
  metricsBody,
  metricsIngestResponse,
  metricsQuery,
  metricsSeriesResponse,
  ratingsBody,
  scoreSchema,
  scoreUpdateResponse,
} from './scoring.schemas.ts';

/**
 * The MONA score of an artist: metrics in, staff ratings, the breakdown and its
 * history, market fit. Writes are for the team; reads also for the artist the
 * record belongs to (checked in the service, which answers 404 to anyone else).
 */
export const scoringRoutes =
  (ctx: AppContext, guards: AuthGuards): FastifyPluginAsyncZod =>
  async (app) => {
    const { scoring } = ctx.services;
    const tags = ['scoring'];
    const security = [{ bearerAuth: [] }];
    const team = guards.requireRoles('admin', 'staff');

    app.post(
      '/api/artists/:id/metrics',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Add platform metric snapshots (team); a snapshot of the same platform and time is replaced; the score is recomputed',
          params: artistParams,
          body: metricsBody,
          response: { 200: metricsIngestResponse, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => scoring.ingestMetrics(callerOf(request), request.params.id, request.body.snapshots),
    );

    app.get(
      '/api/artists/:id/metrics',
      {
        preHandler: guards.requireAuth,
        schema: {
          tags,
          security,
          summary: 'Metric series per platform, oldest first, for charts (team, or the artist)',
          params: artistParams,
          querystring: metricsQuery,
          response: { 200: metricsSeriesResponse, ...errors(400, 401, 404) },
        },
      },
      async (request) => scoring.metricsSeries(callerOf(request), request.params.id, request.query),
    );

    app.put(
      '/api/artists/:id/ratings',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Set the staff ratings and bonuses (team); each rating at most its configured maximum; the score is recomputed',
          params: artistParams,
          body: ratingsBody,
          response: { 200: scoreUpdateResponse, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => scoring.rate(callerOf(request), request.params.id, request.body),
    );

    app.get(
      '/api/artists/:id/score',
      {
        preHandler: guards.requireAuth,
        schema: {
          tags,
          security,
          summary: 'The MONA score breakdown (team, or the artist)',
          params: artistParams,
          response: { 200: scoreSchema, ...errors(400, 401, 404) },
        },
      },
      async (request) => scoring.score(callerOf(request), request.params.id),
    );

    app.get(
      '/api/artists/:id/score/history',
      {
        preHandler: guards.requireAuth,
        schema: {
          tags,
          security,
          summary: 'Scoring events, newest first (team, or the artist)',
          params: artistParams,
          querystring: historyQuery,
          response: { 200: historyResponse, ...errors(400, 401, 404) },
        },
      },
      async (request) => scoring.history(callerOf(request), request.params.id, request.query),
    );

    app.post(
      '/api/artists/:id/market-fit',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Record a market-fit assessment from its 12 sub-scores (team)',
          params: artistParams,
          body: marketFitBody,
          response: { 201: marketFitSchema, ...errors(400, 401, 403, 404) },
        },
      },
      async (request, reply) => reply.status(201).send(await scoring.assessMarketFit(callerOf(request), request.params.id, request.body)),
    );

    app.get(
      '/api/artists/:id/market-fit',
      {
        preHandler: guards.requireAuth,
        schema: {
          tags,
          security,
          summary: 'The latest market-fit assessment and the history, newest first (team, or the artist)',
          params: artistParams,
          querystring: marketFitQuery,
          response: { 200: marketFitResponse, ...errors(400, 401, 404) },
        },
      },
      async (request) => scoring.marketFit(callerOf(request), request.params.id, request.query.limit),
    );
  };
