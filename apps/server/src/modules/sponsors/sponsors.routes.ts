import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { callerOf, type AuthGuards } from '../../platform/http/auth.ts';
import { errors } from '../../platform/http/schemas.ts';
import {
  createdSponsorSchema,
  createSponsorBody,
  createSponsorshipBody,
  deliveryBody,
  deliveryRecordSchema,
  idParams,
  packageParams,
  replaceDeliverablesBody,
  sponsorBody,
  sponsorListResponse,
  sponsorPackageListResponse,
  sponsorPackageSchema,
  sponsorReportSchema,
  sponsorSchema,
  sponsorshipListResponse,
  sponsorshipSchema,
  updatePackageBody,
  updateSponsorBody,
} from './sponsors.schemas.ts';

/** Sponsors, the package catalogue, deals, deliveries and the sponsor report. Guards here; rules and ownership in the service. */
export const sponsorsRoutes =
  (ctx: AppContext, guards: AuthGuards): FastifyPluginAsyncZod =>
  async (app) => {
    const { sponsors } = ctx.services;
    const tags = ['sponsors'];
    const security = [{ bearerAuth: [] }];
    const team = guards.requireRoles('admin', 'staff');
    const teamOrSponsor = guards.requireRoles('admin', 'staff', 'sponsor');

    app.get(
      '/api/me/sponsor',
      {
        preHandler: guards.requireRoles('sponsor'),
        schema: {
          tags,
          security,
          summary: "The signed-in sponsor's company profile (sponsor); 404 before it is created",
          response: { 200: sponsorSchema, ...errors(401, 403, 404) },
        },
      },
      async (request) => sponsors.ownSponsor(callerOf(request)),
    );

    app.put(
      '/api/me/sponsor',
      {
        preHandler: guards.requireRoles('sponsor'),
        schema: {
          tags,
          security,
          summary: "Create or replace the signed-in sponsor's company profile (sponsor)",
          description: '201 when the profile is created, 200 when it is updated. Fields left out are cleared.',
          body: sponsorBody,
          response: { 200: sponsorSchema, 201: sponsorSchema, ...errors(400, 401, 403) },
        },
      },
      async (request, reply) => {
        const { sponsor, created } = await sponsors.saveOwnSponsor(callerOf(request), request.body);
        return reply.status(created ? 201 : 200).send(sponsor);
      },
    );

    app.post(
      '/api/sponsors',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Create a sponsor, with or without an account (team)',
          description:
            'userId links an existing sponsor account (400 if it is not one; 409 if it already has a profile). ' +
            'account { email, name } creates a sponsor account with the company in one transaction, with a generated temporary password ' +
            'returned once in account.temporaryPassword; a taken email is 409 with details.issues on account.email, and nothing is created. ' +
            'userId and account together are 400.',
          body: createSponsorBody,
          response: { 201: createdSponsorSchema, ...errors(400, 401, 403, 409) },
        },
      },
      async (request, reply) => reply.status(201).send(await sponsors.createSponsor(callerOf(request), request.body)),
    );

    app.patch(
      '/api/sponsors/:id',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: "Edit a sponsor's company profile (team)",
          params: idParams,
          body: updateSponsorBody,
          response: { 200: sponsorSchema, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => sponsors.updateSponsor(callerOf(request), request.params.id, request.body),
    );

    app.get(
      '/api/sponsors',
      { preHandler: team, schema: { tags, security, summary: 'Every sponsor (team)', response: { 200: sponsorListResponse, ...errors(401, 403) } } },
      async (request) => ({ items: await sponsors.listSponsors(callerOf(request)) }),
    );

    app.get(
      '/api/sponsors/:id',
      {
        preHandler: team,
        schema: { tags, security, summary: 'One sponsor (team)', params: idParams, response: { 200: sponsorSchema, ...errors(400, 401, 403, 404) } },
      },
      async (request) => sponsors.getSponsor(callerOf(request), request.params.id),
    );

    app.get(
      '/api/sponsor-packages',
      {
        preHandler: guards.requireAuth,
        schema: {
          tags,
          security,
          summary: 'The sponsor packages with their price and default promised deliverables (anyone signed in)',
          response: { 200: sponsorPackageListResponse, ...errors(401) },
        },
      },
      async () => ({ items: await sponsors.listPackages() }),
    );

    app.patch(
      '/api/sponsor-packages/:code',
      {
        preHandler: guards.requireRoles('admin'),
        schema: {
          tags,
          security,
          summary: 'Change a package of the catalogue: name, price, default deliverables (admin)',
          params: packageParams,
          body: updatePackageBody,
          response: { 200: sponsorPackageSchema, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => sponsors.updatePackage(callerOf(request), request.params.code, request.body),
    );

    app.post(
      '/api/villas/:id/sponsorships',
      {
        preHandler: teamOrSponsor,
        schema: {
          tags,
          security,
          summary: 'Buy a sponsor package for a villa (team for a sponsor, or a sponsor for itself)',
          description:
            'Checked in one transaction holding the villa row lock: a completed or archived villa, a 5th active sponsor, a second principal, ' +
            "or a sector-exclusive (category) package in a sector already taken are 409 with the reason in the message and details.reason. exclusiveSector defaults to the sponsor's sector. " +
            'Price and promised deliverables are copied from the catalogue. A sponsor account without a company profile is 409.',
          params: idParams,
          body: createSponsorshipBody,
          response: { 201: sponsorshipSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => reply.status(201).send(await sponsors.buy(callerOf(request), request.params.id, request.body)),
    );

    app.get(
      '/api/villas/:id/sponsorships',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: "A villa's sponsorships, active and cancelled, newest first (team)",
          params: idParams,
          response: { 200: sponsorshipListResponse, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => ({ items: await sponsors.listOfVilla(callerOf(request), request.params.id) }),
    );

    app.get(
      '/api/me/sponsorships',
      {
        preHandler: guards.requireRoles('sponsor'),
        schema: {
          tags,
          security,
          summary: "The signed-in sponsor's sponsorships with their villa, newest first (sponsor)",
          response: { 200: sponsorshipListResponse, ...errors(401, 403) },
        },
      },
      async (request) => ({ items: await sponsors.listOwn(callerOf(request)) }),
    );

    app.get(
      '/api/sponsorships/:id',
      {
        preHandler: teamOrSponsor,
        schema: {
          tags,
          security,
          summary: 'One sponsorship with promised vs delivered (team, or its sponsor)',
          description: "Another sponsor's deal is 404, like a missing id.",
          params: idParams,
          response: { 200: sponsorshipSchema, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => sponsors.getSponsorship(callerOf(request), request.params.id),
    );

    app.post(
      '/api/sponsorships/:id/cancel',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: "Cancel a sponsorship: it frees the villa's slot (team)",
          params: idParams,
          response: { 200: sponsorshipSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => sponsors.cancel(callerOf(request), request.params.id),
    );

    app.put(
      '/api/sponsorships/:id/deliverables',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: "Set the deal's promised deliverables (team)",
          description: 'Metrics left out are removed; removing one with recorded deliveries is 409. A cancelled deal is 409.',
          params: idParams,
          body: replaceDeliverablesBody,
          response: { 200: sponsorshipSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => sponsors.replaceDeliverables(callerOf(request), request.params.id, request.body),
    );

    app.post(
      '/api/sponsorships/:id/deliveries',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Record a delivered amount of a promised deliverable (team)',
          description: 'A metric the deal does not promise is 400 on metric; a cancelled deal is 409.',
          params: idParams,
          body: deliveryBody,
          response: { 201: deliveryRecordSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => reply.status(201).send(await sponsors.recordDelivery(callerOf(request), request.params.id, request.body)),
    );

    app.get(
      '/api/sponsorships/:id/report',
      {
        preHandler: teamOrSponsor,
        schema: {
          tags,
          security,
          summary: 'The sponsor report: promised vs delivered and progress per villa day (team, or its sponsor)',
          description:
            "Live until finalFrom, final after: local midnight (villa time zone) starting arrivalOn + 38 days, i.e. 30 days after the villa's end (end of J7). " +
            "Another sponsor's deal is 404.",
          params: idParams,
          response: { 200: sponsorReportSchema, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => sponsors.report(callerOf(request), request.params.id),
    );

    app.get(
      '/api/sponsorships/:id/report.pdf',
      {
        preHandler: teamOrSponsor,
        schema: {
          tags,
          security,
          summary: 'The final sponsor report as a PDF (team, or its sponsor)',
          description: 'Only once the report is final (see GET …/report): before, 409 with details.availableFrom.',
          params: idParams,
          response: {
            200: { description: 'The report, A4 PDF', content: { 'application/pdf': { schema: z.string().meta({ format: 'binary' }) } } },
            ...errors(400, 401, 403, 404, 409),
          },
        },
      },
      async (request, reply) => {
        const { pdf, filename } = await sponsors.reportPdf(callerOf(request), request.params.id);
        return reply.type('application/pdf').header('content-disposition', `attachment; filename="${filename}"`).send(pdf);
      },
    );
  };
