import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { callerOf, type AuthGuards } from '../../platform/http/auth.ts';
import { errors } from '../../platform/http/schemas.ts';
import { pushPublicKeyResponse, pushSubscribeBody, pushSubscriptionListResponse, pushSubscriptionSchema, pushUnsubscribeBody } from './push.schemas.ts';

/** Web push: the VAPID public key and the signed-in user's browser subscriptions. */
export const pushRoutes =
  (ctx: AppContext, guards: AuthGuards): FastifyPluginAsyncZod =>
  async (app) => {
    const { push } = ctx.services;
    const tags = ['push'];
    const security = [{ bearerAuth: [] }];
    const signedIn = guards.requireAuth;

    app.get(
      '/api/push/public-key',
      {
        preHandler: signedIn,
        schema: {
          tags,
          security,
          summary: 'The VAPID public key to subscribe with (applicationServerKey)',
          response: { 200: pushPublicKeyResponse, ...errors(401, 503) },
        },
      },
      async () => push.publicKey(),
    );

    app.get(
      '/api/me/push-subscriptions',
      {
        preHandler: signedIn,
        schema: { tags, security, summary: 'My browsers subscribed to push notifications', response: { 200: pushSubscriptionListResponse, ...errors(401) } },
      },
      async (request) => push.list(callerOf(request)),
    );

    app.post(
      '/api/me/push-subscriptions',
      {
        preHandler: signedIn,
        schema: {
          tags,
          security,
          summary: "Register this browser's push subscription (PushSubscription.toJSON()); 201 new, 200 already known",
          description:
            'Keyed by endpoint: a browser already registered (by anyone) is now mine, with the keys given. In production the endpoint must be a known push service.',
          body: pushSubscribeBody,
          response: { 200: pushSubscriptionSchema, 201: pushSubscriptionSchema, ...errors(400, 401) },
        },
      },
      async (request, reply) => {
        const { subscription, created } = await push.subscribe(callerOf(request), request.body, request.headers['user-agent'] ?? '');
        return reply.status(created ? 201 : 200).send(subscription);
      },
    );

    app.delete(
      '/api/me/push-subscriptions',
      {
        preHandler: signedIn,
        schema: {
          tags,
          security,
          summary: "Remove this browser's push subscription (after PushSubscription.unsubscribe())",
          description: 'Only my own subscriptions: an unknown endpoint, or one of another account, is 404.',
          body: pushUnsubscribeBody,
          response: { 204: z.null().describe('Removed'), ...errors(400, 401, 404) },
        },
      },
      async (request, reply) => {
        await push.unsubscribe(callerOf(request), request.body.endpoint);
        return reply.status(204).send(null);
      },
    );
  };
