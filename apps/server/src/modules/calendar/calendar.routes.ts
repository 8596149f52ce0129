import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { callerOf, type AuthGuards } from '../../platform/http/auth.ts';
import { errors } from '../../platform/http/schemas.ts';
import { calendarQuery, calendarResponse, createEventBody, eventParams, eventSchema, MAX_RANGE_DAYS, updateEventBody } from './calendar.schemas.ts';

/** The team calendar: events, and open tasks due in the range as deadlines. Team only. */
export const calendarRoutes =
  (ctx: AppContext, guards: AuthGuards): FastifyPluginAsyncZod =>
  async (app) => {
    const { calendar } = ctx.services;
    const tags = ['calendar'];
    const security = [{ bearerAuth: [] }];
    const team = guards.requireRoles('admin', 'staff');

    app.get(
      '/api/calendar',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: `Events overlapping [from, to) and open tasks due in it, as read-only deadlines (team); at most ${MAX_RANGE_DAYS} days`,
          querystring: calendarQuery,
          response: { 200: calendarResponse, ...errors(400, 401, 403) },
        },
      },
      async (request) => calendar.range(callerOf(request), request.query),
    );

    app.post(
      '/api/calendar/events',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Create a calendar event (team)',
          description: 'endsAt before startsAt is 400 on endsAt; an archived artist is 409.',
          body: createEventBody,
          response: { 201: eventSchema, ...errors(400, 401, 403, 409) },
        },
      },
      async (request, reply) => reply.status(201).send(await calendar.create(callerOf(request), request.body)),
    );

    app.get(
      '/api/calendar/events/:id',
      {
        preHandler: team,
        schema: { tags, security, summary: 'One calendar event (team)', params: eventParams, response: { 200: eventSchema, ...errors(400, 401, 403, 404) } },
      },
      async (request) => calendar.get(callerOf(request), request.params.id),
    );

    app.patch(
      '/api/calendar/events/:id',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Change a calendar event (team)',
          description: 'A cancelled event, or one another module manages (source set), is 409.',
          params: eventParams,
          body: updateEventBody,
          response: { 200: eventSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => calendar.update(callerOf(request), request.params.id, request.body),
    );

    app.post(
      '/api/calendar/events/:id/cancel',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Cancel (delete) a calendar event (team); it stays readable with includeCancelled=true',
          description: 'An event another module manages (source set) is 409.',
          params: eventParams,
          response: { 200: eventSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => calendar.cancel(callerOf(request), request.params.id),
    );
  };
