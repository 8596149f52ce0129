import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import type { AppContext } from './context.ts';
import { authRoutes } from './modules/auth/auth.routes.ts';
import { opsRoutes } from './modules/ops/ops.routes.ts';
import { alertsRoutes } from './modules/ops/alerts.routes.ts';
import { usersRoutes } from './modules/users/users.routes.ts';
import { settingsRoutes } from './modules/settings/settings.routes.ts';
import { scoringRoutes } from './modules/scoring/scoring.routes.ts';
import { artistsRoutes } from './modules/artists/artists.routes.ts';
import { pipelineRoutes } from './modules/pipeline/pipeline.routes.ts';
import { interactionsRoutes } from './modules/interactions/interactions.routes.ts';
import { tasksRoutes } from './modules/tasks/tasks.routes.ts';
import { opportunitiesRoutes } from './modules/opportunities/opportunities.routes.ts';
import { calendarRoutes } from './modules/calendar/calendar.routes.ts';
import { offersRoutes } from './modules/offers/offers.routes.ts';
import { marketplaceRoutes } from './modules/marketplace/marketplace.routes.ts';
import { sponsorsRoutes } from './modules/sponsors/sponsors.routes.ts';
import { applicationsRoutes } from './modules/villas/applications.routes.ts';
import { villasRoutes } from './modules/villas/villas.routes.ts';
import { notificationsRoutes } from './modules/notifications/notifications.routes.ts';
import { inboxRoutes } from './modules/notifications/inbox.routes.ts';
import { pushRoutes } from './modules/notifications/push.routes.ts';
import { smsRoutes } from './modules/notifications/sms.routes.ts';
import { sequencesRoutes } from './modules/sequences/sequences.routes.ts';
import { authGuards } from './platform/http/auth.ts';
import { createHttpServer, type HttpApp } from './platform/http/server.ts';
import { enforceHttps } from './platform/http/https.ts';
import { Metrics } from './platform/metrics.ts';
import { BusinessMetrics, BusinessMetricsRepository } from './modules/ops/business-metrics.ts';
import { PipelineRepository } from './modules/pipeline/pipeline.repository.ts';

export function createApiMetrics(ctx: AppContext): Metrics {
  const { platform } = ctx;
  const business = new BusinessMetrics({
    repo: new BusinessMetricsRepository(platform.database.db),
    pipeline: new PipelineRepository(platform.database.db),
    settings: () => ctx.services.settings.get('monitoring'),
    clock: ctx.clock,
  });
  const metrics = new Metrics(
    { service: 'api', version: platform.config.version },
    {
      pool: platform.database.pool,
      queueCounts: () => ctx.queue.counts(),
      dependencies: async () => Object.fromEntries((await platform.checks()).map((c) => [c.name, c.ok])),
      dataDir: platform.config.DATA_DIR,
      business: () => business.snapshot(),
      // In `npm start` the workers run in this process: their job outcomes and sends show here.
      extra: [...ctx.registry.metrics.all(), ...ctx.notifications.metrics.all()],
    },
  );
  // The in-process alert evaluation reads this process's metrics (requests included).
  ctx.services.alertEvaluator.attach(metrics, 'api');
  return metrics;
}

/** Allowed browser origins: the web app's URL, and any localhost port in development. */
export function corsOrigin(appUrl: string, production: boolean) {
  const allowed = new URL(appUrl).origin;
  return (origin: string | undefined, callback: (error: Error | null, allow: boolean) => void) => {
    if (!origin || origin === allowed) return callback(null, true);
    if (!production) {
      try {
        const { hostname } = new URL(origin);
        if (hostname === 'localhost' || hostname === '127.0.0.1') return callback(null, true);
      } catch {
        // not a URL: refused below
      }
    }
    callback(null, false);
  };
}

/** The HTTP API: every module's routes on one Fastify server, with its OpenAPI document. */
export async function buildApi(ctx: AppContext, metrics: Metrics = createApiMetrics(ctx)): Promise<HttpApp> {
  const { config, logger } = ctx.platform;
  const app = createHttpServer({
    service: 'api',
    version: config.version,
    logger,
    metrics,
    checks: () => ctx.platform.checks(),
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    metricsToken: config.METRICS_TOKEN,
  });
  const production = config.NODE_ENV === 'production';
  if (production && !config.METRICS_TOKEN) {
    logger.warn('METRICS_TOKEN is not set: /metrics (business numbers included) answers anyone who reaches the API');
  }
  // Only a trusted proxy's X-Forwarded-Proto says how the client came.
  if (production && config.TRUST_PROXY !== false) enforceHttps(app);

  await app.register(helmet, {
    // The docs page needs its own inline bootstrap; everything else is JSON.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: production ? [] : null,
      },
    },
    hsts: production ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  });
  await app.register(cors, {
    origin: corsOrigin(config.NEXT_PUBLIC_APP_URL, production),
    credentials: true,
    exposedHeaders: ['x-request-id', 'retry-after'],
    maxAge: 600,
  });
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'MONA x SPARK API',
        version: config.version,
        description: 'Every endpoint of the platform. Errors use the one shape `{ "error": { "code", "message", "details" } }`.',
      },
      servers: [{ url: config.NEXT_PUBLIC_API_URL }],
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      tags: [
        { name: 'system', description: 'Health, readiness, metrics' },
        { name: 'auth', description: 'Sign-up, sign-in, sessions' },
        { name: 'users', description: 'Accounts' },
        { name: 'ops', description: 'Operations: status, jobs' },
        { name: 'settings', description: 'Business settings staff can change' },
        { name: 'scoring', description: 'MONA score: metrics, ratings, history; market fit' },
        { name: 'artists', description: 'Artist records of the CRM; CSV import and export' },
        { name: 'pipeline', description: 'MONA pipeline: stage moves, board, funnel statistics' },
        { name: 'interactions', description: 'Contact timeline per artist; due next actions become follow-up tasks' },
        { name: 'tasks', description: "The team's tasks: kanban board, list, an artist's tasks" },
        { name: 'opportunities', description: 'Deals with artists (EUR cents, probability, stage) and the pipeline numbers' },
        { name: 'calendar', description: 'Team calendar: events, and open tasks due as deadlines' },
        { name: 'offers', description: 'MONA offers catalogue and orders with their status history' },
        { name: 'marketplace', description: 'Marketplace: service blocks, requests and missions, deliverables, expert commission' },
        { name: 'sponsors', description: 'SPARK sponsors: profiles, package catalogue, deals per villa, deliveries and the sponsor report (JSON and PDF)' },
        { name: 'villas', description: 'SPARK villas: open calls, applications and jury, participants' },
        {
          name: 'notifications',
          description:
            'Messages (email, SMS, push, in-app): the staff log and outbox, preferences, one-off sends, open and click tracking, unsubscribe, engagement',
        },
        { name: 'inbox', description: 'Notification centre: my in-app messages, unread count, read marks, live stream (SSE)' },
        { name: 'push', description: 'Web push: the VAPID public key and my browser subscriptions' },
        {
          name: 'webhooks',
          description: 'Callbacks of outside providers (SMS delivery status, Alertmanager), authenticated by their signatures or a bearer token',
        },
        { name: 'sequences', description: 'Automated sequences (triggers, steps, exits, enrolments, stats) and the message templates they send' },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true, uiConfig: { docExpansion: 'list', deepLinking: true } });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const guards = authGuards(ctx.signer);
  await app.register(authRoutes(ctx, guards));
  await app.register(usersRoutes(ctx, guards));
  await app.register(opsRoutes(ctx, guards));
  await app.register(alertsRoutes(ctx, guards));
  await app.register(settingsRoutes(ctx, guards));
  await app.register(scoringRoutes(ctx, guards));
  await app.register(artistsRoutes(ctx, guards));
  await app.register(pipelineRoutes(ctx, guards));
  await app.register(interactionsRoutes(ctx, guards));
  await app.register(tasksRoutes(ctx, guards));
  await app.register(opportunitiesRoutes(ctx, guards));
  await app.register(calendarRoutes(ctx, guards));
  await app.register(offersRoutes(ctx, guards));
  await app.register(marketplaceRoutes(ctx, guards));
  await app.register(sponsorsRoutes(ctx, guards));
  await app.register(applicationsRoutes(ctx, guards));
  await app.register(villasRoutes(ctx, guards));
  await app.register(notificationsRoutes(ctx, guards));
  await app.register(inboxRoutes(ctx, guards));
  await app.register(pushRoutes(ctx, guards));
  await app.register(smsRoutes(ctx.services.smsWebhook));
  await app.register(sequencesRoutes(ctx, guards));
  return app;
}
