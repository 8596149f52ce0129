import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { callerOf, type AuthGuards } from '../../platform/http/auth.ts';
import { errors } from '../../platform/http/schemas.ts';
import { settingBody, settingEntrySchema, settingParams, settingsListResponse } from './settings.schemas.ts';

export const settingsRoutes =
  (ctx: AppContext, guards: AuthGuards): FastifyPluginAsyncZod =>
  async (app) => {
    const { settings } = ctx.services;
    const tags = ['settings'];
    const security = [{ bearerAuth: [] }];

    app.get(
      '/api/settings',
      {
        preHandler: guards.requireRoles('admin', 'staff'),
        schema: { tags, security, summary: 'Business settings with their defaults', response: { 200: settingsListResponse, ...errors(401, 403) } },
      },
      async (request) => ({ settings: await settings.list(callerOf(request)) }),
    );

    app.put(
      '/api/settings/:key',
      {
        preHandler: guards.requireRoles('admin'),
        schema: {
          tags,
          security,
          summary: 'Change a business setting (admin)',
          params: settingParams,
          body: settingBody,
          response: { 200: settingEntrySchema, ...errors(400, 401, 403) },
        },
      },
      async (request) => settings.set(callerOf(request), request.params.key, request.body.value),
    );
  };
