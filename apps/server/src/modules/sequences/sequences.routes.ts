import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { callerOf, type AuthGuards } from '../../platform/http/auth.ts';
import { errors } from '../../platform/http/schemas.ts';
import {
  createSequenceBody,
  enrolBody,
  enrolmentListResponse,
  enrolmentParams,
  enrolmentSchema,
  idParams,
  listEnrolmentsQuery,
  sequenceListResponse,
  sequenceSchema,
  sequenceStatsSchema,
  stepsBody,
  updateSequenceBody,
} from './sequences.schemas.ts';
import {
  createTemplateBody,
  listTemplatesQuery,
  previewBody,
  previewSchema,
  templateListResponse,
  templateParams,
  templateSchema,
  updateTemplateBody,
} from './templates.schemas.ts';

/** Sequences (automation) and the message templates they send; the team only. Guards here, rules in the services. */
export const sequencesRoutes =
  (ctx: AppContext, guards: AuthGuards): FastifyPluginAsyncZod =>
  async (app) => {
    const { sequences, templates } = ctx.services;
    const tags = ['sequences'];
    const security = [{ bearerAuth: [] }];
    const team = guards.requireRoles('admin', 'staff');

    app.get(
      '/api/sequences',
      {
        preHandler: team,
        schema: { tags, security, summary: 'Every sequence with its steps (team)', response: { 200: sequenceListResponse, ...errors(401, 403) } },
      },
      async (request) => ({ items: await sequences.list(callerOf(request)) }),
    );

    app.post(
      '/api/sequences',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Create a sequence; it starts as a draft (team)',
          description:
            'triggerConfig must fit the trigger (offerCode for order_paid, tier for tier_changed, days for inactivity); ' +
            'each step names a template of its channel, and delays (from the start of the enrolment) never decrease.',
          body: createSequenceBody,
          response: { 201: sequenceSchema, ...errors(400, 401, 403) },
        },
      },
      async (request, reply) => reply.status(201).send(await sequences.create(callerOf(request), request.body)),
    );

    app.get(
      '/api/sequences/:id',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'One sequence with its steps (team)',
          params: idParams,
          response: { 200: sequenceSchema, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => sequences.get(callerOf(request), request.params.id),
    );

    app.patch(
      '/api/sequences/:id',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Change a sequence: name, trigger, exit rules, status (team)',
          description:
            'Status: draft → active (needs a step), active → paused, paused → active; anything else is 409. Pausing holds every enrolment; ' +
            'resuming moves their start and next run forward by the length of the pause, so a missed step is sent once, spacing kept.',
          params: idParams,
          body: updateSequenceBody,
          response: { 200: sequenceSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => sequences.update(callerOf(request), request.params.id, request.body),
    );

    app.put(
      '/api/sequences/:id/steps',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: "Replace a sequence's ordered steps (team)",
          description: 'Active enrolments keep their position and wait for the step now there; steps already sent are not sent again.',
          params: idParams,
          body: stepsBody,
          response: { 200: sequenceSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => sequences.replaceSteps(callerOf(request), request.params.id, request.body.steps),
    );

    app.get(
      '/api/sequences/:id/enrolments',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'The enrolments of a sequence with their progress, newest first (team)',
          params: idParams,
          querystring: listEnrolmentsQuery,
          response: { 200: enrolmentListResponse, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => ({ items: await sequences.listEnrolments(callerOf(request), request.params.id, request.query) }),
    );

    app.post(
      '/api/sequences/:id/enrolments',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Enrol an artist by hand (team)',
          description: 'Only into an active sequence (409 otherwise); 409 when the artist is already going through it or is archived.',
          params: idParams,
          body: enrolBody,
          response: { 201: enrolmentSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => reply.status(201).send(await sequences.enrol(callerOf(request), request.params.id, request.body.artistId)),
    );

    app.delete(
      '/api/sequences/:id/enrolments/:enrolmentId',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Take an artist out of a sequence (team)',
          description: 'The enrolment ends with exit reason "removed" (it stays in the history) and its pending messages are cancelled at once.',
          params: enrolmentParams,
          response: { 200: enrolmentSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => sequences.remove(callerOf(request), request.params.id, request.params.enrolmentId),
    );

    app.get(
      '/api/sequences/:id/stats',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Sequence statistics: enrolments by outcome, messages, open and click rates (team)',
          params: idParams,
          response: { 200: sequenceStatsSchema, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => sequences.stats(callerOf(request), request.params.id),
    );

    app.get(
      '/api/artists/:id/enrolments',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: "An artist's sequence enrolments, newest first (team)",
          params: idParams,
          response: { 200: enrolmentListResponse, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => ({ items: await sequences.artistEnrolments(callerOf(request), request.params.id) }),
    );

    // Templates.

    app.get(
      '/api/notification-templates',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Message templates with their French and English wording (team)',
          querystring: listTemplatesQuery,
          response: { 200: templateListResponse, ...errors(400, 401, 403) },
        },
      },
      async (request) => ({ items: await templates.list(callerOf(request), request.query) }),
    );

    app.post(
      '/api/notification-templates',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Create a message template (team)',
          description: 'A taken code is 409. Bodies are Handlebars ({{name}}, {{appUrl}}); emails are Markdown.',
          body: createTemplateBody,
          response: { 201: templateSchema, ...errors(400, 401, 403, 409) },
        },
      },
      async (request, reply) => reply.status(201).send(await templates.create(callerOf(request), request.body)),
    );

    app.get(
      '/api/notification-templates/:id',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'One message template (team)',
          params: templateParams,
          response: { 200: templateSchema, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => templates.get(callerOf(request), request.params.id),
    );

    app.put(
      '/api/notification-templates/:id',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: "Replace a template's name and its French and English wording (team)",
          description: 'Code, channel and kind do not change. Messages already composed keep the wording they were made with.',
          params: templateParams,
          body: updateTemplateBody,
          response: { 200: templateSchema, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => templates.update(callerOf(request), request.params.id, request.body),
    );

    app.post(
      '/api/notification-templates/:id/preview',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Render a template as a recipient would get it (team)',
          description: "With an artist's name when artistId is given; subject and body preview unsaved wording.",
          params: templateParams,
          body: previewBody,
          response: { 200: previewSchema, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => templates.preview(callerOf(request), request.params.id, request.body),
    );
  };
