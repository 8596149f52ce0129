import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { callerOf, type AuthGuards } from '../../platform/http/auth.ts';
import { errors } from '../../platform/http/schemas.ts';
import { artistParams } from '../artists/artists.schemas.ts';
import { createInteractionBody, interactionParams, interactionSchema, timelineQuery, timelineResponse, updateInteractionBody } from './interactions.schemas.ts';

/** The contact timeline of each artist, with follow-up tasks for due next actions. Team only. */
export const interactionsRoutes =
  (ctx: AppContext, guards: AuthGuards): FastifyPluginAsyncZod =>
  async (app) => {
    const { interactions } = ctx.services;
    const tags = ['interactions'];
    const security = [{ bearerAuth: [] }];
    const team = guards.requireRoles('admin', 'staff');

    app.post(
      '/api/artists/:id/interactions',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Record a contact with an artist (team); a next action with a due date becomes a follow-up task',
          description:
            'The task (title = next action, due date, assignee, tag follow-up) is created in the same transaction and linked as taskId. ' +
            'An archived artist is 409; an assignee who is not an active team member is 400 on assigneeId.',
          params: artistParams,
          body: createInteractionBody,
          response: { 201: interactionSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => reply.status(201).send(await interactions.create(callerOf(request), request.params.id, request.body)),
    );

    app.get(
      '/api/artists/:id/interactions',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: "An artist's timeline, newest first, a page at a time, with each follow-up task's status (team)",
          params: artistParams,
          querystring: timelineQuery,
          response: { 200: timelineResponse, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => interactions.timeline(callerOf(request), request.params.id, request.query),
    );

    app.get(
      '/api/interactions/:id',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'One interaction with its follow-up task (team)',
          params: interactionParams,
          response: { 200: interactionSchema, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => interactions.get(callerOf(request), request.params.id),
    );

    app.patch(
      '/api/interactions/:id',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Change an interaction (team); its follow-up task follows the next action, due date and assignee',
          description:
            'The task is updated unless it is done; clearing the next action or its due date archives it (unless done); a due next action without a task creates one. ' +
            'An archived interaction is 409.',
          params: interactionParams,
          body: updateInteractionBody,
          response: { 200: interactionSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => interactions.update(callerOf(request), request.params.id, request.body),
    );

    app.post(
      '/api/interactions/:id/archive',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Archive an interaction (team): off the default timeline; its follow-up task is archived unless done',
          params: interactionParams,
          response: { 200: interactionSchema, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => interactions.archive(callerOf(request), request.params.id),
    );
  };
