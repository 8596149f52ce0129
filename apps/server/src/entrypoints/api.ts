import { loadConfig } from '../config/env.ts';
import { createLogger } from '../platform/logger.ts';
import { onShutdown, openContext, runApi } from '../runtime.ts';
import { printFirstAdmin } from './banner.ts';

/** The API alone (HTTP :3001). In embedded mode it also serves the PGlite database to workers. */
const config = loadConfig();
const logger = createLogger({ level: config.LOG_LEVEL, name: 'api' });
const ctx = await openContext(config, logger, 'own');
const api = await runApi(ctx, { port: config.PORT, host: config.HOST });
printFirstAdmin(api.firstAdmin);
onShutdown(logger, config.SHUTDOWN_TIMEOUT_MS, async (remainingMs) => {
  await api.stop(remainingMs);
  await ctx.queue.close();
  await ctx.platform.close();
});
