import { Readable, pipeline } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { callerOf, type AuthGuards } from '../../platform/http/auth.ts';
import { errors } from '../../platform/http/schemas.ts';
import { EXPORT_COLUMNS } from './artists.csv.ts';
import {
  artistListResponse,
  artistParams,
  artistSchema,
  createArtistBody,
  exportArtistsQuery,
  IMPORT_BODY_LIMIT_BYTES,
  importArtistsBody,
  importArtistsResponse,
  linkUserBody,
  listArtistsQuery,
  updateArtistBody,
  updateOwnArtistBody,
} from './artists.schemas.ts';

/** The artist records of the CRM. Team routes are guarded here and checked again in the service. */
export const artistsRoutes =
  (ctx: AppContext, guards: AuthGuards): FastifyPluginAsyncZod =>
  async (app) => {
    const { artists } = ctx.services;
    const tags = ['artists'];
    const security = [{ bearerAuth: [] }];
    const team = guards.requireRoles('admin', 'staff');

    app.post(
      '/api/artists',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Create an artist (team); enters the pipeline at `stage` (default prospect)',
          body: createArtistBody,
          response: { 201: artistSchema, ...errors(400, 401, 403, 409) },
        },
      },
      async (request, reply) => reply.status(201).send(await artists.create(callerOf(request), request.body)),
    );

    app.get(
      '/api/artists',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'List artists with filters, sorted, a page at a time (team)',
          querystring: listArtistsQuery,
          response: { 200: artistListResponse, ...errors(400, 401, 403) },
        },
      },
      async (request) => artists.list(callerOf(request), request.query),
    );

    app.get(
      '/api/artists/export.csv',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Every artist matching the list filters, as CSV (team); genres joined with |, one URL and one handle column per platform',
          querystring: exportArtistsQuery,
          response: {
            200: { description: 'CSV with a header row (UTF-8 with BOM)', content: { 'text/csv': { schema: z.string() } } },
            ...errors(400, 401, 403),
          },
        },
      },
      async (request, reply) => {
        const rows = Readable.from(artists.exportRows(callerOf(request), request.query));
        const csv = stringify({ header: true, columns: EXPORT_COLUMNS, bom: true });
        // A database failure mid-file aborts the response: a truncated file must not look complete.
        pipeline(rows, csv, (error) => {
          if (error) request.log.error({ err: error }, 'artists export failed');
        });
        return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="artists.csv"').send(csv);
      },
    );

    app.post(
      '/api/artists/import',
      {
        preHandler: team,
        bodyLimit: Math.max(IMPORT_BODY_LIMIT_BYTES, ctx.platform.config.BODY_LIMIT_BYTES),
        schema: {
          tags,
          security,
          summary: `Import artists from CSV (team); JSON body up to ${IMPORT_BODY_LIMIT_BYTES / 1024 / 1024} MiB`,
          description:
            'Each row is validated like POST /api/artists and created in its own transaction; bad rows are reported with their line and skipped. ' +
            'A row whose email belongs to another artist is reported, not duplicated. Read-only export columns (id, scoreTotal, ...) are ignored.',
          body: importArtistsBody,
          response: { 200: importArtistsResponse, ...errors(400, 401, 403, 413) },
        },
      },
      async (request) => artists.importCsv(callerOf(request), request.body.csv),
    );

    app.get(
      '/api/me/artist',
      {
        preHandler: guards.requireRoles('artist'),
        schema: { tags, security, summary: 'The artist record linked to the signed-in artist', response: { 200: artistSchema, ...errors(401, 403, 404) } },
      },
      async (request) => artists.getOwn(callerOf(request)),
    );

    app.patch(
      '/api/me/artist',
      {
        preHandler: guards.requireRoles('artist'),
        schema: {
          tags,
          security,
          summary: 'Change my links and consent flags (artist)',
          body: updateOwnArtistBody,
          response: { 200: artistSchema, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => artists.updateOwn(callerOf(request), request.body),
    );

    app.get(
      '/api/artists/:id',
      {
        preHandler: guards.requireAuth,
        schema: {
          tags,
          security,
          summary: 'One artist (team, or the artist themself)',
          params: artistParams,
          response: { 200: artistSchema, ...errors(400, 401, 404) },
        },
      },
      async (request) => artists.get(callerOf(request), request.params.id),
    );

    app.patch(
      '/api/artists/:id',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Change an artist (team); the stage changes through POST /api/artists/:id/stage',
          params: artistParams,
          body: updateArtistBody,
          response: { 200: artistSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => artists.update(callerOf(request), request.params.id, request.body),
    );

    for (const [action, archived] of [
      ['archive', true],
      ['unarchive', false],
    ] as const) {
      app.post(
        `/api/artists/:id/${action}`,
        {
          preHandler: team,
          schema: {
            tags,
            security,
            summary: archived ? 'Archive an artist (team): hidden from the default list, never deleted' : 'Bring an archived artist back (team)',
            params: artistParams,
            response: { 200: artistSchema, ...errors(400, 401, 403, 404) },
          },
        },
        async (request) => artists.setArchived(callerOf(request), request.params.id, archived),
      );
    }

    app.post(
      '/api/artists/:id/link-user',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Link an artist account to this record (team)',
          description:
            'An account is linked to one record at most. When the account is still on the prospect record its own sign-up opened, ' +
            'it moves here and that record is archived (a duplicate); any other existing link, or a record with another account, is 409.',
          params: artistParams,
          body: linkUserBody,
          response: { 200: artistSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => artists.linkUser(callerOf(request), request.params.id, request.body.userId),
    );
  };
