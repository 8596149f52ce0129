import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { callerOf, type AuthGuards } from '../../platform/http/auth.ts';
import { errors } from '../../platform/http/schemas.ts';
import { artistParams } from '../artists/artists.schemas.ts';
import {
  artistTasksQuery,
  artistTasksResponse,
  boardQuery,
  createTaskBody,
  listTasksQuery,
  moveTaskBody,
  taskBoardResponse,
  taskListResponse,
  taskParams,
  taskSchema,
  updateTaskBody,
} from './tasks.schemas.ts';

/** The team's tasks: a kanban board (todo, in progress, review, done), a list, an artist's tasks. Team only. */
export const tasksRoutes =
  (ctx: AppContext, guards: AuthGuards): FastifyPluginAsyncZod =>
  async (app) => {
    const { tasks } = ctx.services;
    const tags = ['tasks'];
    const security = [{ bearerAuth: [] }];
    const team = guards.requireRoles('admin', 'staff');

    app.post(
      '/api/tasks',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Create a task (team); it goes to the bottom of its column',
          description: 'An archived artist is 409; an unknown artist or an assignee who is not an active team member is 400 on that field.',
          body: createTaskBody,
          response: { 201: taskSchema, ...errors(400, 401, 403, 409) },
        },
      },
      async (request, reply) => reply.status(201).send(await tasks.create(callerOf(request), request.body)),
    );

    app.get(
      '/api/tasks',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'List tasks with filters, soonest due first, a page at a time (team)',
          querystring: listTasksQuery,
          response: { 200: taskListResponse, ...errors(400, 401, 403) },
        },
      },
      async (request) => tasks.list(callerOf(request), request.query),
    );

    app.get(
      '/api/tasks/board',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Active tasks per column (todo, in_progress, review, done), by position, with filters (team)',
          querystring: boardQuery,
          response: { 200: taskBoardResponse, ...errors(400, 401, 403) },
        },
      },
      async (request) => tasks.board(callerOf(request), request.query),
    );

    app.get(
      '/api/tasks/:id',
      {
        preHandler: team,
        schema: { tags, security, summary: 'One task (team)', params: taskParams, response: { 200: taskSchema, ...errors(400, 401, 403, 404) } },
      },
      async (request) => tasks.get(callerOf(request), request.params.id),
    );

    app.patch(
      '/api/tasks/:id',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Change a task (team); its column changes through POST /api/tasks/:id/move',
          params: taskParams,
          body: updateTaskBody,
          response: { 200: taskSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => tasks.update(callerOf(request), request.params.id, request.body),
    );

    app.post(
      '/api/tasks/:id/move',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Drop a card in a column, between two cards, at a position or at the bottom (team)',
          description:
            'Writes only the moved row (fractional position between its new neighbours). Moving to done sets completedAt; moving out of done clears it. ' +
            'A neighbour that is no longer in that column (the board changed meanwhile) is 409.',
          params: taskParams,
          body: moveTaskBody,
          response: { 200: taskSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => tasks.move(callerOf(request), request.params.id, request.body),
    );

    app.post(
      '/api/tasks/:id/archive',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Delete a task (team): it is archived, off the board and the calendar, and still listed with archived=true',
          params: taskParams,
          response: { 200: taskSchema, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => tasks.archive(callerOf(request), request.params.id),
    );

    app.get(
      '/api/artists/:id/tasks',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: "An artist's active tasks, by column then position (team)",
          params: artistParams,
          querystring: artistTasksQuery,
          response: { 200: artistTasksResponse, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => ({ items: await tasks.forArtist(callerOf(request), request.params.id, request.query.status) }),
    );
  };
