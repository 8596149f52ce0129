import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { callerOf, type AuthGuards } from '../../platform/http/auth.ts';
import { errors } from '../../platform/http/schemas.ts';
import {
  createOrderBody,
  idParams,
  listOffersQuery,
  listOrdersQuery,
  offerListResponse,
  offerSchema,
  orderDetailSchema,
  orderListResponse,
  orderTransitionBody,
  updateOfferBody,
} from './offers.schemas.ts';

/** The MONA offers catalogue and orders. Guards here; the rules (and ownership) again in the service. */
export const offersRoutes =
  (ctx: AppContext, guards: AuthGuards): FastifyPluginAsyncZod =>
  async (app) => {
    const { offers } = ctx.services;
    const tags = ['offers'];
    const security = [{ bearerAuth: [] }];
    const team = guards.requireRoles('admin', 'staff');

    app.get(
      '/api/offers',
      {
        preHandler: guards.requireAuth,
        schema: {
          tags,
          security,
          summary: 'The offers on sale, ordered by position (anyone signed in)',
          querystring: listOffersQuery,
          response: { 200: offerListResponse, ...errors(400, 401, 403) },
        },
      },
      async (request) => ({ items: await offers.listOffers(callerOf(request), request.query.includeInactive === 'true') }),
    );

    app.patch(
      '/api/offers/:id',
      {
        preHandler: guards.requireRoles('admin'),
        schema: {
          tags,
          security,
          summary: 'Change an offer of the catalogue (admin)',
          params: idParams,
          body: updateOfferBody,
          response: { 200: offerSchema, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => offers.updateOffer(callerOf(request), request.params.id, request.body),
    );

    app.post(
      '/api/orders',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Create an order of an offer for an artist (team); it starts pending',
          description:
            "The price is copied from the offer when left out. Only a priceIsMinimum offer (MONA 490+) takes another price, at least the offer's; " +
            'any other price is 400 on priceCents. An archived artist or an inactive offer is 409.',
          body: createOrderBody,
          response: { 201: orderDetailSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => reply.status(201).send(await offers.createOrder(callerOf(request), request.body)),
    );

    app.get(
      '/api/orders',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Orders, newest first, with filters (team)',
          querystring: listOrdersQuery,
          response: { 200: orderListResponse, ...errors(400, 401, 403) },
        },
      },
      async (request) => ({ items: await offers.listOrders(callerOf(request), request.query) }),
    );

    app.get(
      '/api/me/orders',
      {
        preHandler: guards.requireRoles('artist'),
        schema: {
          tags,
          security,
          summary: "The signed-in artist's orders, newest first (artist); empty when no artist record is linked",
          response: { 200: orderListResponse, ...errors(401, 403) },
        },
      },
      async (request) => ({ items: await offers.listOwnOrders(callerOf(request)) }),
    );

    app.get(
      '/api/orders/:id',
      {
        preHandler: guards.requireRoles('admin', 'staff', 'artist'),
        schema: {
          tags,
          security,
          summary: 'One order with its status history (team, or the artist it is for)',
          description: "Another artist's order is 404, like a missing id.",
          params: idParams,
          response: { 200: orderDetailSchema, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => offers.getOrder(callerOf(request), request.params.id),
    );

    app.post(
      '/api/orders/:id/status',
      {
        preHandler: team,
        schema: {
          tags,
          security,
          summary: 'Change the status of an order (team)',
          description:
            'Allowed: pending → paid | cancelled; paid → fulfilled | refunded; fulfilled → refunded. Anything else is 409 naming from and to, ' +
            'as is a concurrent change that got there first. Entering a status stamps its time (paidAt, fulfilledAt, refundedAt, cancelledAt); ' +
            'becoming paid emits the `order.paid` domain event.',
          params: idParams,
          body: orderTransitionBody,
          response: { 200: orderDetailSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => offers.transition(callerOf(request), request.params.id, request.body),
    );
  };
