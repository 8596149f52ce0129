/**
 * A notifications worker in its own process, for kill.test.ts: it connects to
 * the test's database (KILL_TEST_DATABASE_URL) and drains due messages to the
 * SMTP server of SMTP_HOST / SMTP_PORT with the real clock, as a worker
 * process does, until the test kills it. Not a test file itself.
 */
import { parseConfig } from '../../config/env.ts';
import { createContext } from '../../context.ts';
import { createLogger } from '../../platform/logger.ts';
import { createPlatform } from '../../platform/platform.ts';

const databaseUrl = process.env.KILL_TEST_DATABASE_URL;
if (!databaseUrl) throw new Error('KILL_TEST_DATABASE_URL is required');
const config = parseConfig(process.env);
const logger = createLogger({ level: config.LOG_LEVEL, name: 'kill-test-worker' });
const platform = await createPlatform(config, logger, { name: 'kill-test-worker', embedded: 'connect', databaseUrl });
const ctx = createContext(platform);
process.send?.({ ready: true });
for (;;) {
  const result = await ctx.notifications.dispatcher.drain({ maxMs: 60_000, waitForRateLimit: true });
  process.send?.({ drained: result.claimed });
  await new Promise((resolve) => setTimeout(resolve, 100));
}
