import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from './logger.ts';

/**
 * Options for the app's own Redis connections: commands fail fast while the
 * server is away (so requests answer 503 instead of hanging) and the client
 * reconnects by itself with a bounded backoff.
 */
export function redisOptions(): RedisOptions {
  return {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 3000,
    commandTimeout: 3000,
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), 3000),
    lazyConnect: true,
  };
}

export async function connectRedis(url: string, logger: Logger, name: string): Promise<Redis> {
  const redis = new Redis(url, { ...redisOptions(), connectionName: name });
  let warned = false;
  redis.on('error', (error: Error) => {
    if (!warned) logger.warn({ err: error.message, connection: name }, 'redis connection error; reconnecting');
    warned = true;
  });
  redis.on('ready', () => {
    if (warned) logger.info({ connection: name }, 'redis connection restored');
    warned = false;
  });
  try {
    await redis.connect();
  } catch (error) {
    // Start anyway: /ready reports Redis as down and the client keeps retrying.
    logger.warn({ err: (error as Error).message, connection: name }, 'redis not reachable at start');
  }
  return redis;
}

export async function pingRedis(redis: Redis, timeoutMs = 2000): Promise<number> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
  return performance.now() - started;
}
