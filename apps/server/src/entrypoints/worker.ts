import { loadConfig } from '../config/env.ts';
import { createLogger } from '../platform/logger.ts';
import { onShutdown, openContext, runWorkers, serveWorkerHealth, WORKER_DEFAULT_PORT, type RunningWorkers } from '../runtime.ts';

/** A worker process: runs the job families of WORKERS and serves /health, /ready, /metrics on PORT (3002 by default). */
const config = loadConfig();
const logger = createLogger({ level: config.LOG_LEVEL, name: `worker:${config.WORKERS.join('+')}` });
const port = process.env.PORT ? config.PORT : WORKER_DEFAULT_PORT;
const ctx = await openContext(config, logger, 'connect');
const health = await serveWorkerHealth(ctx.platform, ctx, port, config.HOST);
const running: { workers?: RunningWorkers } = {};
// Registered before the workers start: a worker still waiting for the schema also stops cleanly.
onShutdown(logger, config.SHUTDOWN_TIMEOUT_MS, async (remainingMs) => {
  await running.workers?.stop(Math.max(1000, remainingMs - 1000));
  await health.close();
  await ctx.queue.close();
  await ctx.platform.close();
});
running.workers = await runWorkers(ctx, config.WORKERS);
