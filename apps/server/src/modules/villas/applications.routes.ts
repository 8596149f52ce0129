import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { callerOf, type AuthGuards } from '../../platform/http/auth.ts';
import { errors } from '../../platform/http/schemas.ts';
import {
  applicationListResponse,
  applicationSchema,
  applicationTransitionBody,
  applyBody,
  idParams,
  listApplicationsQuery,
  participantsResponse,
  scoreBody,
  villaApplicationsResponse,
} from './applications.schemas.ts';

/** SPARK open calls: applications, jury scores, decisions, participants. Guards here; the rules (and ownership) again in the service. */
export const applicationsRoutes =
  (ctx: AppContext, guards: AuthGuards): FastifyPluginAsyncZod =>
  async (app) => {
    const { applications } = ctx.services;
    const tags = ['villas'];
    const security = [{ bearerAuth: [] }];
    const team = guards.requireRoles('admin', 'staff');
    const teamOrArtist = guards.requireRoles('admin', 'staff', 'artist');

    app.post(
      '/api/villas/:id/applications',
      {
        preHandler: teamOrArtist,
        schema: {
          tags,
          security,
          summary: 'Apply to an open villa (an artist for their own record, or the team for an artist)',
          description:
            'Only artists at tier premium or SPARK-ready may apply (409 naming the tier and the threshold otherwise); one application per artist and villa (409); ' +
            "the villa must be open (409). The genre must be one of the artist's genres (400 on genre). The MONA score and tier are stored with the application.",
          params: idParams,
          body: applyBody,
          response: { 201: applicationSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => reply.status(201).send(await applications.apply(callerOf(request), request.params.id, request.body)),
    );

    app.get(
      '/api/villas/:id/applications',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: "A villa's applications for the committee, with each juror's scores and the mean (team)",
          description: 'SPARK-ready first, then by MONA score at application (highest first), then oldest first.',
          params: idParams,
          querystring: listApplicationsQuery,
          response: { 200: villaApplicationsResponse, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => applications.listForVilla(callerOf(request), request.params.id, request.query.status),
    );

    app.post(
      '/api/villas/:id/promote-waitlisted',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Accept the first waitlisted artist who keeps the rules (team)',
          description:
            'The first waitlisted (by the time it was waitlisted) whose genre keeps the genre mix rule is accepted; 409 with the reason when the villa has no place ' +
            'or no waitlisted artist fits. The villa turns full at capacity.',
          params: idParams,
          response: { 200: applicationSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => applications.promoteWaitlisted(callerOf(request), request.params.id),
    );

    app.get(
      '/api/villas/:id/participants',
      {
        preHandler: teamOrArtist,
        schema: {
          tags,
          security,
          summary: "A villa's participants: its accepted applications (team, and the villa's accepted artists)",
          description: 'An accepted artist sees fellow participants without their tier; any other artist gets 403.',
          params: idParams,
          response: { 200: participantsResponse, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => applications.participants(callerOf(request), request.params.id),
    );

    app.get(
      '/api/me/applications',
      {
        preHandler: guards.requireRoles('artist'),
        schema: {
          tags,
          security,
          summary: "The signed-in artist's villa applications, newest first (artist)",
          response: { 200: applicationListResponse, ...errors(401, 403) },
        },
      },
      async (request) => ({ items: await applications.listOwn(callerOf(request)) }),
    );

    app.get(
      '/api/applications/:id',
      {
        preHandler: teamOrArtist,
        schema: {
          tags,
          security,
          summary: "One application (team, with each juror's scores and the mean; or the artist it is for, without them)",
          description: "Another artist's application is 404, like a missing id.",
          params: idParams,
          response: { 200: applicationSchema, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => applications.get(callerOf(request), request.params.id),
    );

    app.put(
      '/api/applications/:id/score',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: "Set the signed-in juror's scores of an application (team)",
          description: 'One score per juror and application: scoring again replaces it. A withdrawn or rejected application is 409.',
          params: idParams,
          body: scoreBody,
          response: { 200: applicationSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => applications.score(callerOf(request), request.params.id, request.body),
    );

    app.post(
      '/api/applications/:id/status',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Decide on an application (team)',
          description:
            'Follows the application transitions (409 naming from and to otherwise). Accepting needs the villa open, a free place ' +
            '("the villa is full (capacity N)") and the genre mix rule ("genre mix: already K artists in <genre>"), checked under a lock on the villa; ' +
            'the villa turns full at capacity, and open again when an accepted artist withdraws. Waitlisting stamps waitlistedAt.',
          params: idParams,
          body: applicationTransitionBody,
          response: { 200: applicationSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => applications.transition(callerOf(request), request.params.id, request.body),
    );

    app.post(
      '/api/applications/:id/withdraw',
      {
        preHandler: teamOrArtist,
        schema: {
          tags,
          security,
          summary: 'Withdraw an application (the artist it is for, or the team on their behalf)',
          description:
            "Another artist's application is 404. A rejected or withdrawn application is 409. A full villa opens again when an accepted artist withdraws.",
          params: idParams,
          response: { 200: applicationSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => applications.withdraw(callerOf(request), request.params.id),
    );
  };
