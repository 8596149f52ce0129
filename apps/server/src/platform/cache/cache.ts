import { LRUCache } from 'lru-cache';
import type { RedisClient } from '../redis.ts';

/** A JSON cache with per-key expiry: in-process, or shared through Redis. */
export interface Cache {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
}

export function createMemoryCache(max = 10_000): Cache {
  const lru = new LRUCache<string, { json: string }>({ max, ttlAutopurge: false });
  return {
    get<T>(key: string) {
      const hit = lru.get(key);
      return Promise.resolve(hit ? (JSON.parse(hit.json) as T) : undefined);
    },
    set(key, value, ttlSeconds) {
      lru.set(key, { json: JSON.stringify(value) }, { ttl: ttlSeconds * 1000 });
      return Promise.resolve();
    },
    delete(key) {
      lru.delete(key);
      return Promise.resolve();
    },
  };
}

export function createRedisCache(redis: RedisClient, prefix = 'cache:'): Cache {
  return {
    async get<T>(key: string) {
      const raw = await redis.get(prefix + key);
      return raw === null ? undefined : (JSON.parse(raw) as T);
    },
    async set(key, value, ttlSeconds) {
      await redis.set(prefix + key, JSON.stringify(value), 'EX', Math.max(1, Math.ceil(ttlSeconds)));
    },
    async delete(key) {
      await redis.del(prefix + key);
    },
  };
}
