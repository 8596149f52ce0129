import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { callerOf, type AuthGuards } from '../../platform/http/auth.ts';
import { errors } from '../../platform/http/schemas.ts';
import {
  budgetLineParams,
  budgetLineSchema,
  budgetResponse,
  contentKindParams,
  contentTargetSchema,
  contentTargetsResponse,
  createBudgetLineBody,
  createSlotBody,
  createVillaBody,
  listVillasQuery,
  putContentTargetBody,
  scheduleResponse,
  slotParams,
  slotSchema,
  updateBudgetLineBody,
  updateSlotBody,
  updateVillaBody,
  villaDetailSchema,
  villaIdParams,
  villaListResponse,
  villaTransitionBody,
} from './villas.schemas.ts';

/** SPARK villas: the villa, its status, schedule, budget and content targets. Guards here; the rules again in the service. */
export const villasRoutes =
  (ctx: AppContext, guards: AuthGuards): FastifyPluginAsyncZod =>
  async (app) => {
    const { villas } = ctx.services;
    const tags = ['villas'];
    const security = [{ bearerAuth: [] }];
    const team = guards.requireRoles('admin', 'staff');

    app.post(
      '/api/villas',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Create a villa (team); it starts in planning with the default schedule, cost lines and content targets',
          description:
            'The default day plan is generated in the villa time zone: its live and showcase slots become scheduled streams and calendar events; ' +
            'the whole stay becomes a villa event of the calendar.',
          body: createVillaBody,
          response: { 201: villaDetailSchema, ...errors(400, 401, 403) },
        },
      },
      async (request, reply) => reply.status(201).send(await villas.create(callerOf(request), request.body)),
    );

    app.get(
      '/api/villas',
      {
        preHandler: guards.requireAuth,
        schema: {
          tags,
          security,
          summary: 'Villas by arrival day (anyone signed in; villas in planning are for the team only)',
          querystring: listVillasQuery,
          response: { 200: villaListResponse, ...errors(400, 401, 403) },
        },
      },
      async (request) => ({ items: await villas.list(callerOf(request), request.query) }),
    );

    app.get(
      '/api/villas/:id',
      {
        preHandler: guards.requireAuth,
        schema: {
          tags,
          security,
          summary: 'One villa with its counts and status history',
          description: 'A villa in planning or archived is 404 for anyone but the team.',
          params: villaIdParams,
          response: { 200: villaDetailSchema, ...errors(400, 401, 404) },
        },
      },
      async (request) => villas.get(callerOf(request), request.params.id),
    );

    app.patch(
      '/api/villas/:id',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Edit a villa (team)',
          description:
            'Moving arrivalOn or timeZone moves every slot, keeping its day and local time, with its streams and calendar events. ' +
            'A capacity below the accepted participants, or an archived or completed villa, is 409.',
          params: villaIdParams,
          body: updateVillaBody,
          response: { 200: villaDetailSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => villas.update(callerOf(request), request.params.id, request.body),
    );

    app.post(
      '/api/villas/:id/archive',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Archive a villa (team); its streams and calendar events are cancelled',
          description: 'A villa in progress is 409. Archiving twice is harmless.',
          params: villaIdParams,
          response: { 200: villaDetailSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => villas.archive(callerOf(request), request.params.id),
    );

    app.post(
      '/api/villas/:id/status',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Change the status of a villa (team)',
          description:
            'Allowed: planning → open; open → planning | full | in_progress; full → open | in_progress; in_progress → completed. ' +
            'Anything else is 409 with the reason, as is a concurrent change that got there first.',
          params: villaIdParams,
          body: villaTransitionBody,
          response: { 200: villaDetailSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => villas.transition(callerOf(request), request.params.id, request.body),
    );

    app.get(
      '/api/villas/:id/schedule',
      {
        preHandler: guards.requireAuth,
        schema: {
          tags,
          security,
          summary: 'The schedule day by day, J-1 to J7 (whoever may read the villa)',
          params: villaIdParams,
          response: { 200: scheduleResponse, ...errors(400, 401, 404) },
        },
      },
      async (request) => villas.schedule(callerOf(request), request.params.id),
    );

    app.post(
      '/api/villas/:id/slots',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Add a slot to the schedule (team)',
          description:
            'The day comes from startsAt in the villa time zone and must be J-1…J7 (else 400 on startsAt). An artist, team member or room already ' +
            'in an overlapping slot is 409 naming the clash. Live and showcase slots become scheduled streams and calendar events.',
          params: villaIdParams,
          body: createSlotBody,
          response: { 201: slotSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => reply.status(201).send(await villas.createSlot(callerOf(request), request.params.id, request.body)),
    );

    app.patch(
      '/api/villas/:id/slots/:slotId',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Edit a slot (team); same rules as adding one',
          params: slotParams,
          body: updateSlotBody,
          response: { 200: slotSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => villas.updateSlot(callerOf(request), request.params.id, request.params.slotId, request.body),
    );

    app.delete(
      '/api/villas/:id/slots/:slotId',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Delete a slot (team); its stream and calendar event are cancelled',
          params: slotParams,
          response: { 204: z.null(), ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        await villas.deleteSlot(callerOf(request), request.params.id, request.params.slotId);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api/villas/:id/budget',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'The budget: cost and revenue lines, totals, margin, break-even and the over-budget alert (team)',
          params: villaIdParams,
          response: { 200: budgetResponse, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => villas.budget(callerOf(request), request.params.id),
    );

    app.post(
      '/api/villas/:id/budget/lines',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Add a cost or revenue line (team)',
          description: 'Amounts are integer cents ≥ 0; the category must be one of its kind (else 400 on the field).',
          params: villaIdParams,
          body: createBudgetLineBody,
          response: { 201: budgetLineSchema, ...errors(400, 401, 403, 404) },
        },
      },
      async (request, reply) => reply.status(201).send(await villas.createBudgetLine(callerOf(request), request.params.id, request.body)),
    );

    app.patch(
      '/api/villas/:id/budget/lines/:lineId',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Edit a budget line (team)',
          params: budgetLineParams,
          body: updateBudgetLineBody,
          response: { 200: budgetLineSchema, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => villas.updateBudgetLine(callerOf(request), request.params.id, request.params.lineId, request.body),
    );

    app.delete(
      '/api/villas/:id/budget/lines/:lineId',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Delete a budget line (team)',
          params: budgetLineParams,
          response: { 204: z.null(), ...errors(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        await villas.deleteBudgetLine(callerOf(request), request.params.id, request.params.lineId);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api/villas/:id/content-targets',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Content targets and delivered counts, one per kind (team)',
          params: villaIdParams,
          response: { 200: contentTargetsResponse, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => ({ items: await villas.contentTargets(callerOf(request), request.params.id) }),
    );

    app.put(
      '/api/villas/:id/content-targets/:kind',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Set the target and/or delivered count of one content kind (team)',
          params: contentKindParams,
          body: putContentTargetBody,
          response: { 200: contentTargetSchema, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => villas.putContentTarget(callerOf(request), request.params.id, request.params.kind, request.body),
    );
  };
