import path from 'node:path';
import type { AppConfig } from '../config/env.ts';
import { createMemoryCache, createRedisCache, type Cache } from './cache/cache.ts';
import { createDatabase, type Database } from './db/client.ts';
import { embeddedUrl, portAnswers, startEmbeddedPostgres, type EmbeddedPostgres } from './db/embedded.ts';
import { serveEmbeddedDumps } from './db/embedded-dump.ts';
import type { Logger } from './logger.ts';
import { createMemoryPubSub, createRedisPubSub, type PubSub } from './pubsub.ts';
import { memoryRateLimiterFactory, redisRateLimiterFactory, type RateLimiterFactory } from './rate-limit.ts';
import { connectRedis, pingRedis, type RedisClient } from './redis.ts';

export interface DependencyCheck {
  name: 'database' | 'redis';
  ok: boolean;
  mode: string;
  latencyMs: number | null;
  error: string | null;
}

/** The infrastructure one process uses; each piece has an embedded and a server-backed implementation. */
export interface Platform {
  config: AppConfig;
  logger: Logger;
  database: Database;
  embedded: EmbeddedPostgres | null;
  /** True when the database is PGlite (opened here or served by another process of this machine). */
  embeddedDatabase: boolean;
  redis: RedisClient | null;
  cache: Cache;
  rateLimits: RateLimiterFactory;
  pubsub: PubSub;
  checks(): Promise<DependencyCheck[]>;
  close(): Promise<void>;
}

/**
 * How a process reaches the embedded database when DATABASE_URL is not set:
 * `own` opens PGlite and serves it (the API, `npm start`), `connect` uses the
 * one a running API serves (a worker started on its own), `connect-or-own`
 * does the first when possible and the second otherwise (the CLI).
 */
export type EmbeddedUse = 'own' | 'connect' | 'connect-or-own';

export interface PlatformOptions {
  name: string;
  embedded: EmbeddedUse;
  /** Overrides the database URL (tests). */
  databaseUrl?: string;
  /** Keep PGlite in memory instead of DATA_DIR (tests). */
  inMemory?: boolean;
}

/** Where the process that owns the embedded database answers dump requests (backups from other processes). */
export const embeddedDumpSocket = (config: Pick<AppConfig, 'DATA_DIR'>) => path.join(config.DATA_DIR, 'pglite-dump.sock');

async function resolveDatabase(config: AppConfig, options: PlatformOptions, logger: Logger): Promise<{ url: string; embedded: EmbeddedPostgres | null }> {
  if (options.databaseUrl) return { url: options.databaseUrl, embedded: null };
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, embedded: null };
  const running = options.embedded !== 'own' && (await portAnswers(config.EMBEDDED_PG_PORT));
  if (running) return { url: embeddedUrl(config.EMBEDDED_PG_PORT), embedded: null };
  if (options.embedded === 'connect') {
    throw new Error(
      `DATABASE_URL is not set and no embedded database answers on 127.0.0.1:${config.EMBEDDED_PG_PORT}. Start the API first (npm run api) or set DATABASE_URL.`,
    );
  }
  const started = performance.now();
  const embedded = await startEmbeddedPostgres({
    dataDir: options.inMemory ? null : path.join(config.DATA_DIR, 'pglite'),
    // The CLI opening the folder by itself takes any free port.
    port: options.inMemory || options.embedded === 'connect-or-own' ? 0 : config.EMBEDDED_PG_PORT,
  });
  logger.info({ port: embedded.port, ms: Math.round(performance.now() - started) }, 'embedded PostgreSQL (PGlite) started');
  if (options.inMemory) return { url: embedded.url, embedded };
  try {
    const dumps = await serveEmbeddedDumps(embedded, embeddedDumpSocket(config));
    const stop = embedded.stop.bind(embedded);
    return { url: embedded.url, embedded: { ...embedded, stop: () => dumps.close().then(stop) } };
  } catch (error) {
    // Backups from other processes need it; everything else works without it.
    logger.warn({ err: (error as Error).message, socket: embeddedDumpSocket(config) }, 'cannot serve embedded database dumps to other processes');
    return { url: embedded.url, embedded };
  }
}

export async function createPlatform(config: AppConfig, logger: Logger, options: PlatformOptions): Promise<Platform> {
  const { url, embedded } = await resolveDatabase(config, options, logger);
  const database = createDatabase({
    url,
    max: config.DB_POOL_MAX,
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    logger,
    applicationName: `mona-${options.name}`,
    // Replicas of the configured primary only (a test's own database URL has none).
    readUrls: options.databaseUrl ? undefined : config.DATABASE_READ_URL,
  });
  const redis = config.REDIS_URL ? await connectRedis({ url: config.REDIS_URL, clusterNodes: config.REDIS_CLUSTER_NODES }, logger, options.name) : null;
  const prefix = config.REDIS_PREFIX;
  const cache = redis ? createRedisCache(redis, `${prefix}:cache:`) : createMemoryCache();
  const rateLimits = redis ? redisRateLimiterFactory(redis, `${prefix}:rl:`) : memoryRateLimiterFactory();
  const pubsub = redis ? createRedisPubSub(redis, logger, `${prefix}:ps:`) : createMemoryPubSub();
  const embeddedDatabase = !options.databaseUrl && !config.DATABASE_URL;
  const databaseMode = embeddedDatabase ? 'embedded (PGlite)' : 'postgresql';

  async function check(name: DependencyCheck['name'], mode: string, ping: () => Promise<number>): Promise<DependencyCheck> {
    try {
      return { name, ok: true, mode, latencyMs: Math.round((await ping()) * 10) / 10, error: null };
    } catch (error) {
      return { name, ok: false, mode, latencyMs: null, error: (error as Error).message };
    }
  }

  return {
    config,
    logger,
    database,
    embedded,
    embeddedDatabase,
    redis,
    cache,
    rateLimits,
    pubsub,
    async checks() {
      const results = [check('database', databaseMode, () => database.ping())];
      results.push(
        redis
          ? check('redis', 'redis', () => pingRedis(redis))
          : Promise.resolve({ name: 'redis', ok: true, mode: 'in-process', latencyMs: null, error: null }),
      );
      return Promise.all(results);
    },
    async close() {
      await pubsub.close();
      await database.close().catch(() => undefined);
      redis?.disconnect();
      await embedded?.stop();
    },
  };
}
