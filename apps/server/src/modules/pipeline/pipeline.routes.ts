import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { callerOf, type AuthGuards } from '../../platform/http/auth.ts';
import { errors } from '../../platform/http/schemas.ts';
import { artistParams } from '../artists/artists.schemas.ts';
import { boardQuery, boardResponse, moveStageBody, moveStageResponse, stageHistoryResponse, statsQuery, statsResponse } from './pipeline.schemas.ts';

/** The MONA pipeline: stage moves with their history, the board, the funnel numbers. Team only. */
export const pipelineRoutes =
  (ctx: AppContext, guards: AuthGuards): FastifyPluginAsyncZod =>
  async (app) => {
    const { pipeline } = ctx.services;
    const tags = ['pipeline'];
    const security = [{ bearerAuth: [] }];
    const team = guards.requireRoles('admin', 'staff');

    app.post(
      '/api/artists/:id/stage',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Move an artist to the next stage or back to an earlier one (team)',
          description: 'Anything else (same stage, skipping a stage, an archived artist, a concurrent move that got there first) is 409 conflict.',
          params: artistParams,
          body: moveStageBody,
          response: { 200: moveStageResponse, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => pipeline.move(callerOf(request), request.params.id, request.body),
    );

    app.get(
      '/api/artists/:id/stage-history',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Stage changes of an artist, newest first (team)',
          params: artistParams,
          response: { 200: stageHistoryResponse, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => ({ moves: await pipeline.history(callerOf(request), request.params.id) }),
    );

    app.get(
      '/api/pipeline/board',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Active artists per stage, for the board (team)',
          querystring: boardQuery,
          response: { 200: boardResponse, ...errors(400, 401, 403) },
        },
      },
      async (request) => pipeline.board(callerOf(request), request.query.perStage),
    );

    app.get(
      '/api/pipeline/stats',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Counts per stage, conversion between consecutive stages and median time in stage over a period (team)',
          description:
            'Conversion i → i+1 = distinct artists moved from i to i+1 in [from, to) ÷ distinct artists that were in i at some time in [from, to). ' +
            'Median time in stage uses completed stays whose entering and leaving moves both fall in the period.',
          querystring: statsQuery,
          response: { 200: statsResponse, ...errors(400, 401, 403) },
        },
      },
      async (request) => pipeline.stats(callerOf(request), request.query),
    );
  };
