import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { callerOf, type AuthGuards } from '../../platform/http/auth.ts';
import { errors } from '../../platform/http/schemas.ts';
import { createUserBody, createUserResponse, listUsersResponse, teamMembersResponse } from './users.schemas.ts';

export const usersRoutes =
  (ctx: AppContext, guards: AuthGuards): FastifyPluginAsyncZod =>
  async (app) => {
    const { users } = ctx.services;
    const tags = ['users'];
    const security = [{ bearerAuth: [] }];

    app.get(
      '/api/users',
      {
        preHandler: guards.requireRoles('admin'),
        schema: { tags, security, summary: 'List accounts (admin)', response: { 200: listUsersResponse, ...errors(401, 403) } },
      },
      async (request) => ({ users: await users.list(callerOf(request)) }),
    );

    app.get(
      '/api/users/team',
      {
        preHandler: guards.requireRoles('admin', 'staff'),
        schema: {
          tags,
          security,
          summary: 'Active team members (admin, staff), names only, for assignee pickers (team)',
          response: { 200: teamMembersResponse, ...errors(401, 403) },
        },
      },
      async (request) => ({ members: await users.team(callerOf(request)) }),
    );

    app.get(
      '/api/users/experts',
      {
        preHandler: guards.requireRoles('admin', 'staff'),
        schema: {
          tags,
          security,
          summary: 'Active expert accounts, names only, for the mission assignment picker (team)',
          response: { 200: teamMembersResponse, ...errors(401, 403) },
        },
      },
      async (request) => ({ members: await users.experts(callerOf(request)) }),
    );

    app.post(
      '/api/users',
      {
        preHandler: guards.requireRoles('admin'),
        schema: {
          tags,
          security,
          summary: 'Create a staff or expert account (admin)',
          body: createUserBody,
          response: { 201: createUserResponse, ...errors(400, 401, 403, 409) },
        },
      },
      async (request, reply) => reply.status(201).send(await users.create(callerOf(request), request.body)),
    );
  };
