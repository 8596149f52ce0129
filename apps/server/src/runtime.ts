import type { WorkerFamily } from '@mona/shared';
import { buildApi, createApiMetrics } from './api.ts';
import { createContext, queueBackend, type AppContext } from './context.ts';
import { Heartbeat } from './modules/ops/heartbeat.ts';
import { migrateAll } from './platform/db/migrate.ts';
import { createHttpServer, type HttpApp } from './platform/http/server.ts';
import { Metrics } from './platform/metrics.ts';
import { createPlatform, type EmbeddedUse, type Platform } from './platform/platform.ts';
import type { WorkerPool } from './platform/queue.ts';
import type { AppConfig } from './config/env.ts';
import { redactedSummary } from './config/env.ts';
import type { Logger } from './platform/logger.ts';

export const FIRST_ADMIN_EMAIL = 'admin@mona-spark.local';
/** Port of a worker process's /health, /ready and /metrics when PORT is not set (the API's PORT defaults to 3001). */
export const WORKER_DEFAULT_PORT = 3002;

export async function openContext(config: AppConfig, logger: Logger, embedded: EmbeddedUse): Promise<AppContext> {
  logger.info(redactedSummary(config), 'configuration');
  const platform = await createPlatform(config, logger, { name: embedded === 'connect' ? 'worker' : 'api', embedded });
  return createContext(platform);
}

export async function migrate(ctx: AppContext): Promise<void> {
  const backend = queueBackend(ctx.platform);
  await migrateAll(ctx.platform, backend.kind === 'postgresql' ? backend.schema : null);
  // The default sequences and their templates, as data: only what does not exist yet (staff edits are kept).
  const installed = await ctx.services.sequences.installDefaults();
  if (installed.templates || installed.sequences) ctx.platform.logger.info(installed, 'default sequences and templates installed');
}

export interface RunningApi {
  app: HttpApp;
  url: string;
  heartbeat: Heartbeat;
  firstAdmin: { email: string; password: string } | null;
  /** Stops listening, lets in-flight requests finish and cuts what is still open after `deadlineMs` (SHUTDOWN_TIMEOUT_MS by default). */
  stop(deadlineMs?: number): Promise<void>;
}

/** Migrates, makes the first admin (development only), and serves the API. */
export async function runApi(ctx: AppContext, options: { port: number; host: string }): Promise<RunningApi> {
  const { config, logger } = ctx.platform;
  await migrate(ctx);
  const firstAdmin = config.NODE_ENV === 'production' ? null : await ctx.services.users.ensureFirstAdmin(FIRST_ADMIN_EMAIL);
  const app = await buildApi(ctx, createApiMetrics(ctx));
  const url = await app.listen({ port: options.port, host: options.host });
  const heartbeat = new Heartbeat(ctx.repos.serviceInstances, { kind: 'api', families: [], version: config.version }, logger);
  heartbeat.start();
  logger.info({ url }, 'API listening');
  return {
    app,
    url,
    heartbeat,
    firstAdmin,
    async stop(deadlineMs = config.SHUTDOWN_TIMEOUT_MS) {
      await heartbeat.stop();
      // Fastify closes idle keep-alive connections once, when close starts; a client (a browser, undici after an aborted
      // stream) may open a spare connection afterwards that never sends a request, and the server would wait for its
      // headers timeout. Keep closing idle ones while in-flight requests finish, and cut the rest at the deadline.
      const sweep = setInterval(() => app.server.closeIdleConnections(), 200);
      const deadline = setTimeout(() => app.server.closeAllConnections(), deadlineMs);
      try {
        await app.close();
      } finally {
        clearInterval(sweep);
        clearTimeout(deadline);
      }
    },
  };
}

export interface RunningWorkers {
  pool: WorkerPool;
  heartbeat: Heartbeat;
  stop(deadlineMs: number): Promise<void>;
}

/** Starts the job families' workers and their schedules in this process. */
export async function runWorkers(ctx: AppContext, families: WorkerFamily[]): Promise<RunningWorkers> {
  const { config, logger } = ctx.platform;
  await waitForSchema(ctx.platform);
  const pool = ctx.queue.startWorkers(families, { logger });
  await ctx.queue.installSchedules(families);
  const heartbeat = new Heartbeat(ctx.repos.serviceInstances, { kind: 'worker', families, version: config.version }, logger);
  heartbeat.start();
  logger.info(
    {
      families,
      jobs: ctx.registry
        .all()
        .filter((j) => families.includes(j.family))
        .map((j) => j.name),
    },
    'workers started',
  );
  return {
    pool,
    heartbeat,
    async stop(deadlineMs) {
      await heartbeat.stop();
      await pool.stop(deadlineMs);
    },
  };
}

/** Workers never migrate: they wait for the API (or the CLI) to have done it. */
async function waitForSchema(platform: Platform, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      const { rows } = await platform.database.pool.query<{ ok: boolean }>("select to_regclass('public.service_instances') is not null as ok");
      if (rows[0]?.ok) return;
    } catch {
      // database not reachable yet
    }
    if (Date.now() > deadline) throw new Error('The database has no schema yet: run the API or `npm run migrate` first');
    if (attempt % 15 === 0) platform.logger.info('waiting for the database schema (migrations run from the API or the CLI)');
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

/** /health, /ready and /metrics of a worker process. */
export async function serveWorkerHealth(platform: Platform, ctx: AppContext, port: number, host: string): Promise<HttpApp> {
  const metrics = new Metrics(
    { service: 'worker', version: platform.config.version },
    {
      pool: platform.database.pool,
      queueCounts: () => ctx.queue.counts(),
      dependencies: async () => Object.fromEntries((await platform.checks()).map((c) => [c.name, c.ok])),
      dataDir: platform.config.DATA_DIR,
      extra: [...ctx.registry.metrics.all(), ...ctx.notifications.metrics.all()],
    },
  );
  ctx.services.alertEvaluator.attach(metrics, 'worker');
  const app = createHttpServer({
    service: 'worker',
    version: platform.config.version,
    logger: platform.logger,
    metrics,
    checks: () => platform.checks(),
    bodyLimit: 1024,
    trustProxy: platform.config.TRUST_PROXY,
    metricsToken: platform.config.METRICS_TOKEN,
  });
  await app.listen({ port, host });
  return app;
}

/**
 * Stops on SIGTERM / SIGINT: `stop` gets the time left; the process exits 0
 * when it finishes, 1 when it throws, and is forced out past the deadline.
 */
export function onShutdown(logger: Logger, deadlineMs: number, stop: (remainingMs: number) => Promise<void>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown deadline passed; exiting');
      process.exit(1);
    }, deadlineMs + 500);
    force.unref();
    stop(deadlineMs - 1000)
      .then(() => {
        logger.info('stopped cleanly');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'error while stopping');
        process.exit(1);
      });
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}
