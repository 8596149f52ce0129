import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import type { AuthGuards } from '../../platform/http/auth.ts';
import { callerOf } from '../../platform/http/auth.ts';
import { errors } from '../../platform/http/schemas.ts';
import { loginBody, meResponse, refreshBody, registerBody, sessionResponse } from './auth.schemas.ts';
import type { ClientInfo, Session } from './auth.service.ts';

export const REFRESH_COOKIE = 'mona_refresh';
const COOKIE_PATH = '/api/auth';

export const authRoutes =
  (ctx: AppContext, guards: AuthGuards): FastifyPluginAsyncZod =>
  async (app) => {
    const { auth } = ctx.services;
    const { config } = ctx.platform;
    const tags = ['auth'];

    const client = (request: FastifyRequest): ClientInfo => ({ ip: request.ip, userAgent: request.headers['user-agent'] ?? null });

    /** The refresh token also travels as an httpOnly cookie, so the web app never keeps it where scripts read. */
    const withCookie = (reply: FastifyReply, session: Session) =>
      reply.setCookie(REFRESH_COOKIE, session.refreshToken, {
        httpOnly: true,
        sameSite: 'strict',
        secure: config.NODE_ENV === 'production',
        path: COOKIE_PATH,
        maxAge: config.REFRESH_TOKEN_TTL_DAYS * 86_400,
      });

    app.post(
      '/api/auth/register',
      { schema: { tags, summary: 'Sign up as an artist or a sponsor', body: registerBody, response: { 201: sessionResponse, ...errors(400, 409, 413) } } },
      async (request, reply) => {
        const session = await auth.register(request.body, client(request));
        return withCookie(reply, session).status(201).send(session);
      },
    );

    app.post(
      '/api/auth/login',
      { schema: { tags, summary: 'Sign in with email and password', body: loginBody, response: { 200: sessionResponse, ...errors(400, 401, 429) } } },
      async (request, reply) => {
        const session = await auth.login(request.body, client(request));
        return withCookie(reply, session).send(session);
      },
    );

    app.post(
      '/api/auth/refresh',
      {
        schema: {
          tags,
          summary: 'Exchange a refresh token (body or cookie) for a new session; the token rotates',
          body: refreshBody,
          response: { 200: sessionResponse, ...errors(400, 401) },
        },
      },
      async (request, reply) => {
        const token = request.body?.refreshToken ?? request.cookies[REFRESH_COOKIE];
        try {
          const session = await auth.refresh(token, client(request));
          return withCookie(reply, session).send(session);
        } catch (error) {
          reply.clearCookie(REFRESH_COOKIE, { path: COOKIE_PATH });
          throw error;
        }
      },
    );

    app.post(
      '/api/auth/logout',
      { schema: { tags, summary: 'End the session of a refresh token (body or cookie)', body: refreshBody, response: { 204: z.null(), ...errors(400) } } },
      async (request, reply) => {
        await auth.logout(request.body?.refreshToken ?? request.cookies[REFRESH_COOKIE]);
        return reply.clearCookie(REFRESH_COOKIE, { path: COOKIE_PATH }).status(204).send(null);
      },
    );

    app.get(
      '/api/auth/me',
      {
        preHandler: guards.requireAuth,
        schema: { tags, summary: 'The signed-in user', security: [{ bearerAuth: [] }], response: { 200: meResponse, ...errors(401) } },
      },
      async (request) => ({ user: await auth.me(callerOf(request).id) }),
    );
  };
