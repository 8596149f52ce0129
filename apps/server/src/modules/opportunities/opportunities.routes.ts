import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { callerOf, type AuthGuards } from '../../platform/http/auth.ts';
import { errors } from '../../platform/http/schemas.ts';
import { artistParams } from '../artists/artists.schemas.ts';
import {
  artistOpportunitiesResponse,
  createOpportunityBody,
  listOpportunitiesQuery,
  moveOpportunityBody,
  opportunityListResponse,
  opportunityParams,
  opportunitySchema,
  pipelineQuery,
  pipelineResponse,
  updateOpportunityBody,
} from './opportunities.schemas.ts';

/** Deals with artists (value in EUR cents, probability, stage) and the pipeline numbers. Team only. */
export const opportunitiesRoutes =
  (ctx: AppContext, guards: AuthGuards): FastifyPluginAsyncZod =>
  async (app) => {
    const { opportunities } = ctx.services;
    const tags = ['opportunities'];
    const security = [{ bearerAuth: [] }];
    const team = guards.requireRoles('admin', 'staff');

    app.post(
      '/api/artists/:id/opportunities',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Create an opportunity for an artist (team)',
          description:
            'valueCents is a non-negative integer (EUR cents). An archived artist is 409; an owner who is not an active team member is 400 on ownerId.',
          params: artistParams,
          body: createOpportunityBody,
          response: { 201: opportunitySchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => reply.status(201).send(await opportunities.create(callerOf(request), request.params.id, request.body)),
    );

    app.get(
      '/api/artists/:id/opportunities',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: "An artist's active opportunities, newest first (team)",
          params: artistParams,
          response: { 200: artistOpportunitiesResponse, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => ({ items: await opportunities.forArtist(callerOf(request), request.params.id) }),
    );

    app.get(
      '/api/opportunities',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'List opportunities with filters, newest first, a page at a time (team)',
          querystring: listOpportunitiesQuery,
          response: { 200: opportunityListResponse, ...errors(400, 401, 403) },
        },
      },
      async (request) => opportunities.list(callerOf(request), request.query),
    );

    app.get(
      '/api/opportunities/pipeline',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Per stage: count, value and weighted value of active opportunities, and the totals of the open stages (team)',
          description: 'Weighted value = sum over opportunities of round(valueCents × probability / 100).',
          querystring: pipelineQuery,
          response: { 200: pipelineResponse, ...errors(400, 401, 403) },
        },
      },
      async (request) => opportunities.pipeline(callerOf(request), request.query),
    );

    app.get(
      '/api/opportunities/:id',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'One opportunity (team)',
          params: opportunityParams,
          response: { 200: opportunitySchema, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => opportunities.get(callerOf(request), request.params.id),
    );

    app.patch(
      '/api/opportunities/:id',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Change an opportunity (team); the stage changes through POST /api/opportunities/:id/stage',
          description: 'A won or lost opportunity takes only notes and ownerId (409 otherwise) until it is re-opened; an archived one is 409.',
          params: opportunityParams,
          body: updateOpportunityBody,
          response: { 200: opportunitySchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => opportunities.update(callerOf(request), request.params.id, request.body),
    );

    app.post(
      '/api/opportunities/:id/stage',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Move an opportunity to another stage; won or lost closes it, an open stage re-opens a closed one (team)',
          description:
            'Open → any other open stage, won or lost. Won or lost → an open stage only (re-open; closedAt cleared). ' +
            'The same stage, won ↔ lost, an archived opportunity or a concurrent move that got there first are 409 with the reason.',
          params: opportunityParams,
          body: moveOpportunityBody,
          response: { 200: opportunitySchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => opportunities.move(callerOf(request), request.params.id, request.body),
    );

    app.post(
      '/api/opportunities/:id/archive',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Delete an opportunity (team): archived, out of the pipeline numbers, still listed with archived=true',
          params: opportunityParams,
          response: { 200: opportunitySchema, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => opportunities.archive(callerOf(request), request.params.id),
    );
  };
