import type { RedisClient } from './redis.ts';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

export type RateDecision = { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number };

/** A fixed-window counter per key: in-process, or shared across instances through Redis. */
export interface RateLimiter {
  /** Counts one hit and says whether it was within the limit. */
  consume(key: string): Promise<RateDecision>;
  /** Says whether the key is blocked now, without counting. */
  peek(key: string): Promise<RateDecision>;
  reset(key: string): Promise<void>;
}

export interface RateLimitRule {
  name: string;
  points: number;
  durationSeconds: number;
}

export type RateLimiterFactory = (rule: RateLimitRule) => RateLimiter;

const retryAfter = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

function wrap(limiter: RateLimiterAbstract, points: number): RateLimiter {
  return {
    async consume(key) {
      try {
        const res = await limiter.consume(key, 1);
        return { allowed: true, remaining: res.remainingPoints };
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return { allowed: false, retryAfterSeconds: retryAfter(rejection) };
        throw rejection;
      }
    },
    async peek(key) {
      const res = await limiter.get(key);
      if (res && res.consumedPoints >= points) return { allowed: false, retryAfterSeconds: retryAfter(res) };
      return { allowed: true, remaining: points - (res?.consumedPoints ?? 0) };
    },
    async reset(key) {
      await limiter.delete(key);
    },
  };
}

export function memoryRateLimiterFactory(): RateLimiterFactory {
  return (rule) => wrap(new RateLimiterMemory({ keyPrefix: rule.name, points: rule.points, duration: rule.durationSeconds }), rule.points);
}

/**
 * Redis-backed limits shared by every instance. While Redis is away, an
 * in-process limiter takes over (rate-limiter-flexible's insurance limiter),
 * so logins keep a limit instead of failing.
 */
export function redisRateLimiterFactory(redis: RedisClient, prefix = 'rl:'): RateLimiterFactory {
  return (rule) =>
    wrap(
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${prefix}${rule.name}`,
        points: rule.points,
        duration: rule.durationSeconds,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix: rule.name, points: rule.points, duration: rule.durationSeconds }),
      }),
      rule.points,
    );
}
