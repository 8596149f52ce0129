import { PassThrough } from 'node:stream';
import { decodeJwt } from 'jose';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { serviceUnavailable } from '../../platform/errors.ts';
import { callerOf, type AuthGuards } from '../../platform/http/auth.ts';
import { errors } from '../../platform/http/schemas.ts';
import { inboxListResponse, inboxParams, inboxQuery, markAllReadResponse, markReadResponse, unreadCountSchema, type InboxLiveEvent } from './inbox.schemas.ts';

/** One Server-Sent Event: a name and a JSON body. */
export const sseEvent = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/** The signed-in user's notification centre: in-app messages, unread count, read marks, and the live stream. */
export const inboxRoutes =
  (ctx: AppContext, guards: AuthGuards): FastifyPluginAsyncZod =>
  async (app) => {
    const { inbox } = ctx.services;
    const tags = ['inbox'];
    const security = [{ bearerAuth: [] }];
    const signedIn = guards.requireAuth;
    /** Streams open on this instance, ended when the server closes (otherwise it would wait for them). */
    const open = new Set<() => void>();
    app.addHook('preClose', async () => {
      for (const end of [...open]) end();
    });

    app.get(
      '/api/me/inbox',
      {
        preHandler: signedIn,
        schema: {
          tags,
          security,
          summary: 'My in-app messages, newest first (or unread first), a page at a time, with the unread count',
          querystring: inboxQuery,
          response: { 200: inboxListResponse, ...errors(400, 401) },
        },
      },
      async (request) => inbox.list(callerOf(request), request.query),
    );

    app.get(
      '/api/me/inbox/unread-count',
      {
        preHandler: signedIn,
        schema: { tags, security, summary: 'How many of my in-app messages are unread', response: { 200: unreadCountSchema, ...errors(401) } },
      },
      async (request) => inbox.unreadCount(callerOf(request)),
    );

    app.post(
      '/api/me/inbox/read-all',
      {
        preHandler: signedIn,
        schema: {
          tags,
          security,
          summary: 'Mark all my in-app messages read',
          description: 'My open streams (other tabs, other devices, on any API instance) receive the new unread count.',
          response: { 200: markAllReadResponse, ...errors(401) },
        },
      },
      async (request) => inbox.markAllRead(callerOf(request)),
    );

    app.post(
      '/api/me/inbox/:id/read',
      {
        preHandler: signedIn,
        schema: {
          tags,
          security,
          summary: 'Mark one of my in-app messages read',
          description: "Reading it again keeps the first read time. Someone else's message is 404. My open streams receive the new unread count.",
          params: inboxParams,
          response: { 200: markReadResponse, ...errors(400, 401, 404) },
        },
      },
      async (request) => inbox.markRead(callerOf(request), request.params.id),
    );

    app.get(
      '/api/me/inbox/stream',
      {
        preHandler: signedIn,
        schema: {
          tags,
          security,
          summary: 'Live inbox as Server-Sent Events (read it with fetch and the Authorization header)',
          description:
            'Events: `unread` {unread} at once and whenever the count changes (a read mark in any tab or instance); `message` {message: InboxItem, unread} ' +
            'when a new in-app message arrives. A comment line every 25 s keeps proxies from closing it. The stream ends when the access token expires: ' +
            'reconnect with a fresh token and reload the first page (there is no replay of missed events).',
          response: {
            200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: z.string() } } },
            ...errors(401, 503),
          },
        },
      },
      async (request, reply) => {
        const caller = callerOf(request);
        const stream = new PassThrough();
        const write = (chunk: string) => {
          if (!stream.writableEnded && !stream.destroyed) stream.write(chunk);
        };
        let unsubscribe: (() => Promise<void>) | null = null;
        let ended = false;
        const timers: NodeJS.Timeout[] = [];
        const end = () => {
          if (ended) return;
          ended = true;
          open.delete(end);
          for (const timer of timers) clearTimeout(timer);
          void unsubscribe?.().catch(() => undefined);
          stream.end();
        };
        const deliver = (event: InboxLiveEvent) => {
          if (event.type === 'message') write(sseEvent('message', { message: event.message, unread: event.unread }));
          else write(sseEvent('unread', { unread: event.unread }));
        };
        try {
          unsubscribe = await inbox.follow(caller.id, deliver);
        } catch (error) {
          request.log.warn({ err: (error as Error).message }, 'inbox stream: subscribe failed');
          throw serviceUnavailable('Live updates are unavailable right now');
        }
        try {
          const { unread } = await inbox.unreadCount(caller);
          write('retry: 5000\n\n');
          write(sseEvent('unread', { unread }));
        } catch (error) {
          end();
          throw error;
        }
        open.add(end);
        timers.push(setInterval(() => write(': keep-alive\n\n'), inbox.heartbeatMs));
        // The token was checked once; the stream lasts as long as it is valid, then the client reconnects with a new one.
        const exp = decodeJwt(request.headers.authorization!.slice(7).trim()).exp;
        if (exp) timers.push(setTimeout(end, Math.max(0, exp * 1000 - Date.now())));
        reply.raw.on('close', end);
        stream.on('error', end);
        return reply
          .status(200)
          .header('content-type', 'text/event-stream; charset=utf-8')
          .header('cache-control', 'no-cache, no-transform')
          .header('x-accel-buffering', 'no')
          .send(stream);
      },
    );
  };
