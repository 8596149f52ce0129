import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import type { AuthGuards } from '../../platform/http/auth.ts';
import { errors } from '../../platform/http/schemas.ts';
import { alertmanagerWebhookBody, alertsQuery, alertsResponse, webhookResponse } from './alerts.schemas.ts';

/** Alerts: Alertmanager's webhook (bearer token) and the list for admins (the ops page). */
export const alertsRoutes =
  (ctx: AppContext, guards: AuthGuards): FastifyPluginAsyncZod =>
  async (app) => {
    const { alerts } = ctx.services;

    app.post(
      '/api/ops/alerts/webhook',
      {
        // The token is checked before the body is read or validated.
        onRequest: async (request) => alerts.verifyWebhookToken(request.headers.authorization),
        schema: {
          tags: ['webhooks'],
          summary: "Alertmanager's webhook (payload version 4): stores each alert and notifies the admins (in-app and email)",
          description:
            'Authenticated by `Authorization: Bearer <ALERT_WEBHOOK_TOKEN>` (Alertmanager: `http_config.authorization`); without the variable set, every call is 401. ' +
            'An alert is one episode per fingerprint and start time; the admins get one message per episode and status however often Alertmanager repeats it, ' +
            'and a late "firing" after "resolved" changes nothing.',
          security: [{ bearerAuth: [] }],
          body: alertmanagerWebhookBody,
          response: { 200: webhookResponse, ...errors(400, 401, 413, 503) },
        },
      },
      async (request) => alerts.receiveWebhook(request.body),
    );

    app.get(
      '/api/ops/alerts',
      {
        preHandler: guards.requireRoles('admin'),
        schema: {
          tags: ['ops'],
          security: [{ bearerAuth: [] }],
          summary: 'Alerts firing now and resolved recently, from Prometheus/Alertmanager or the in-process evaluation (admin)',
          querystring: alertsQuery,
          response: { 200: alertsResponse, ...errors(400, 401, 403, 503) },
        },
      },
      async (request) => alerts.list(request.query),
    );
  };
