import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { callerOf, type AuthGuards } from '../../platform/http/auth.ts';
import { errors } from '../../platform/http/schemas.ts';
import {
  assignBody,
  blockListResponse,
  blockSchema,
  commissionQuery,
  commissionResponse,
  createOwnRequestBody,
  createRequestBody,
  deliverableBody,
  deliverableSchema,
  idParams,
  listBlocksQuery,
  listMissionsQuery,
  missionDetailSchema,
  missionListResponse,
  missionTransitionBody,
  updateBlockBody,
} from './marketplace.schemas.ts';

const COMMISSION_RULE =
  'The commission is the agency’s share of each mission’s price. Its rate for a month depends on how many missions the expert ' +
  'delivered in that calendar month (Europe/Paris): the missions whose deliveredAt falls in the month and that are not cancelled ' +
  '(asking changes clears deliveredAt until the next delivery). The rate of the highest tier reached applies to all of that month’s ' +
  'missions; defaults 25 % from 0, 20 % from 5, 15 % from 10 missions, changed by an admin in the `marketplace` setting. ' +
  'Each mission’s commission is rounded half up to the cent; the expert’s payout = price − commission; the totals are the sums of the missions.';

/** The marketplace: blocks, requests and missions, deliverables, expert commission. Guards here; ownership again in the service. */
export const marketplaceRoutes =
  (ctx: AppContext, guards: AuthGuards): FastifyPluginAsyncZod =>
  async (app) => {
    const { marketplace } = ctx.services;
    const tags = ['marketplace'];
    const security = [{ bearerAuth: [] }];
    const team = guards.requireRoles('admin', 'staff');
    const participants = guards.requireRoles('admin', 'staff', 'expert', 'artist');

    app.get(
      '/api/marketplace/blocks',
      {
        preHandler: guards.requireAuth,
        schema: {
          tags,
          security,
          summary: 'The service blocks on offer, ordered by position, with their three prices (anyone signed in)',
          querystring: listBlocksQuery,
          response: { 200: blockListResponse, ...errors(400, 401, 403) },
        },
      },
      async (request) => ({ items: await marketplace.listBlocks(callerOf(request), request.query.includeInactive === 'true') }),
    );

    app.patch(
      '/api/marketplace/blocks/:id',
      {
        preHandler: guards.requireRoles('admin'),
        schema: {
          tags,
          security,
          summary: 'Change a service block: name, description, prices, active (admin)',
          params: idParams,
          body: updateBlockBody,
          response: { 200: blockSchema, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => marketplace.updateBlock(callerOf(request), request.params.id, request.body),
    );

    app.post(
      '/api/marketplace/requests',
      {
        preHandler: guards.requireRoles('admin', 'staff', 'artist'),
        schema: {
          tags,
          security,
          summary: 'Request a block for an artist (team for any artist; an artist for their own record only)',
          description:
            "The price is copied from the block for the format; the mission starts requested. An artist giving another artist's id gets 404 " +
            'and nothing is created. An archived artist or an inactive block is 409.',
          body: createRequestBody,
          response: { 201: missionDetailSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => reply.status(201).send(await marketplace.request(callerOf(request), request.body)),
    );

    app.post(
      '/api/me/marketplace/requests',
      {
        preHandler: guards.requireRoles('artist'),
        schema: {
          tags,
          security,
          summary: 'Request a block for myself (artist)',
          description: 'As POST /api/marketplace/requests for the artist record linked to the account; 404 when none is linked.',
          body: createOwnRequestBody,
          response: { 201: missionDetailSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => reply.status(201).send(await marketplace.requestOwn(callerOf(request), request.body)),
    );

    app.get(
      '/api/marketplace/missions',
      {
        preHandler: participants,
        schema: {
          tags,
          security,
          summary: 'Missions, most recently requested first (team: all, with filters; expert: theirs; artist: their own record’s)',
          querystring: listMissionsQuery,
          response: { 200: missionListResponse, ...errors(400, 401, 403) },
        },
      },
      async (request) => ({ items: await marketplace.list(callerOf(request), request.query) }),
    );

    app.get(
      '/api/marketplace/missions/:id',
      {
        preHandler: participants,
        schema: {
          tags,
          security,
          summary: 'One mission with its deliverables and status history',
          description: 'An expert or an artist reaching a mission that is not theirs gets 404, like a missing id.',
          params: idParams,
          response: { 200: missionDetailSchema, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => marketplace.get(callerOf(request), request.params.id),
    );

    app.post(
      '/api/marketplace/missions/:id/assign',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Assign an expert (team): requested → assigned, or another expert while assigned',
          description: 'expertId must be an active expert account (else 400 on expertId). Any other status, or the same expert again, is 409.',
          params: idParams,
          body: assignBody,
          response: { 200: missionDetailSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => marketplace.assign(callerOf(request), request.params.id, request.body),
    );

    app.post(
      '/api/marketplace/missions/:id/status',
      {
        preHandler: participants,
        schema: {
          tags,
          security,
          summary: 'Change the status of a mission',
          description:
            'The assigned expert: assigned → in_progress → delivered (at least one deliverable first). The team or the artist: delivered → accepted, ' +
            'or delivered → in_progress to ask changes. The team: requested | assigned | in_progress → cancelled. Any other move is 409 naming from and to, ' +
            'as is a concurrent change that got there first; a legal move by someone else is 403; a mission that is not the caller’s is 404.',
          params: idParams,
          body: missionTransitionBody,
          response: { 200: missionDetailSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => marketplace.transition(callerOf(request), request.params.id, request.body),
    );

    app.post(
      '/api/marketplace/missions/:id/deliverables',
      {
        preHandler: guards.requireRoles('expert'),
        schema: {
          tags,
          security,
          summary: 'Add a deliverable: title, http(s) link, note (the assigned expert, while in_progress)',
          params: idParams,
          body: deliverableBody,
          response: { 201: deliverableSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => reply.status(201).send(await marketplace.addDeliverable(callerOf(request), request.params.id, request.body)),
    );

    app.get(
      '/api/marketplace/experts/:id/commission',
      {
        preHandler: guards.requireRoles('admin', 'staff', 'expert'),
        schema: {
          tags,
          security,
          summary: 'An expert’s commission statement for a month (team, or the expert themself)',
          description: `${COMMISSION_RULE} Another expert's statement is 404.`,
          params: idParams,
          querystring: commissionQuery,
          response: { 200: commissionResponse, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => marketplace.commission(callerOf(request), request.params.id, request.query.month),
    );
  };
