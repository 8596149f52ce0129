import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { Logger } from './logger.ts';

/** A single Redis server or a Redis Cluster: the app's code uses the commands both have. */
export type RedisClient = Redis | Cluster;

/** Where Redis is: one server (REDIS_URL) or the seed nodes of a cluster (REDIS_CLUSTER_NODES). */
export interface RedisTarget {
  url: string;
  clusterNodes?: string[] | undefined;
}

/** Backoff between reconnection attempts: 200 ms doubling up to 3 s, forever (an outage ends when the server is back). */
export const reconnectDelay = (times: number) => Math.min(100 * 2 ** Math.min(times, 5), 3000);

/**
 * After a failover the old primary may come back as a replica and answer
 * writes with READONLY: reconnect (DNS or the cluster's slot map then lead to
 * the new primary) and send the command again.
 */
export const reconnectOnReadOnly = (error: Error): 2 | false => (error.message.startsWith('READONLY') ? 2 : false);

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
    retryStrategy: reconnectDelay,
    reconnectOnError: reconnectOnReadOnly,
    lazyConnect: true,
  };
}

/** Host, port, credentials and TLS of one redis:// URL, as ioredis options. */
function nodeOf(url: string): { host: string; port: number; username?: string; password?: string; tls?: object; db?: number } {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/**
 * A client for the target: `Redis` for one server, `Cluster` (slot map,
 * MOVED/ASK redirections, refresh after a failover) for a cluster. `options`
 * apply to every node connection; `offlineQueue` is the cluster-level switch.
 */
export function createRedisClient(target: RedisTarget, options: RedisOptions, name: string): RedisClient {
  if (!target.clusterNodes?.length) return new Redis(target.url, { ...options, connectionName: name });
  const seeds = target.clusterNodes.map(nodeOf);
  const { host: _h, port: _p, ...auth } = seeds[0]!;
  const { lazyConnect, enableOfflineQueue, retryStrategy, ...nodeOptions } = options;
  const clusterOptions: ClusterOptions = {
    redisOptions: { ...nodeOptions, ...auth, connectionName: name },
    lazyConnect: lazyConnect ?? false,
    enableOfflineQueue: enableOfflineQueue ?? true,
    clusterRetryStrategy: (times) => (retryStrategy ? (retryStrategy(times) ?? null) : reconnectDelay(times)),
    // Pub/sub and commands follow the slot map; after a failover ioredis refreshes it on MOVED or a lost node.
    slotsRefreshTimeout: 2000,
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 300,
  };
  return new Cluster(
    seeds.map(({ host, port }) => ({ host, port })),
    clusterOptions,
  );
}

export function isCluster(client: RedisClient): client is Cluster {
  return client instanceof Cluster;
}

/** A connection with `redisOptions()`, connected (or still trying: it never throws). A URL alone gives a single-server client. */
export async function connectRedis(target: string, logger: Logger, name: string): Promise<Redis>;
export async function connectRedis(target: RedisTarget, logger: Logger, name: string): Promise<RedisClient>;
export async function connectRedis(target: string | RedisTarget, logger: Logger, name: string): Promise<RedisClient> {
  const redis = createRedisClient(typeof target === 'string' ? { url: target } : target, redisOptions(), name);
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

export async function pingRedis(redis: RedisClient, timeoutMs = 2000): Promise<number> {
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

/** ioredis errors that mean "Redis is not reachable right now" (a request gets a 503, not a 500). */
export function isRedisUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'MaxRetriesPerRequestError' || error.name === 'ClusterAllFailedError') return true;
  return /Stream isn't writeable|Connection is closed|enableOfflineQueue options is false|Command timed out|Failed to refresh slots cache|CLUSTERDOWN|None of startup nodes is available|READONLY|LOADING/.test(
    error.message,
  );
}
