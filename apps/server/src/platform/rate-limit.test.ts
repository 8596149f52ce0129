import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { memoryRateLimiterFactory, redisRateLimiterFactory, type RateDecision, type RateLimiterFactory } from './rate-limit.ts';

const redisUrl = process.env.REDIS_URL;
const key = () => `key-${randomBytes(4).toString('hex')}`;

function allowed(decision: RateDecision): number {
  assert.equal(decision.allowed, true, `expected allowed, got ${JSON.stringify(decision)}`);
  return (decision as { remaining: number }).remaining;
}
function blocked(decision: RateDecision): number {
  assert.equal(decision.allowed, false, `expected blocked, got ${JSON.stringify(decision)}`);
  return (decision as { retryAfterSeconds: number }).retryAfterSeconds;
}

/** `make` gives a factory, and for a shared store a second one over it (a second instance of the API). */
function limiterContract(name: string, make: () => { a: RateLimiterFactory; b?: RateLimiterFactory }) {
  describe(`rate limiter: ${name}`, () => {
    test('consume counts down, then blocks with a Retry-After within the window', async () => {
      const limiter = make().a({ name: 'login', points: 3, durationSeconds: 60 });
      const k = key();
      assert.deepEqual([allowed(await limiter.consume(k)), allowed(await limiter.consume(k)), allowed(await limiter.consume(k))], [2, 1, 0]);
      const retryAfter = blocked(await limiter.consume(k));
      assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `retryAfter ${retryAfter}`);
      blocked(await limiter.consume(k));
      // Other keys are not affected.
      assert.equal(allowed(await limiter.consume(key())), 2);
    });

    test('peek tells without counting', async () => {
      const limiter = make().a({ name: 'peek', points: 2, durationSeconds: 60 });
      const k = key();
      assert.equal(allowed(await limiter.peek(k)), 2);
      for (let i = 0; i < 5; i++) await limiter.peek(k);
      assert.equal(allowed(await limiter.consume(k)), 1, 'peeks did not count');
      assert.equal(allowed(await limiter.peek(k)), 1);
      allowed(await limiter.consume(k));
      const retryAfter = blocked(await limiter.peek(k));
      assert.ok(retryAfter >= 1 && retryAfter <= 60);
    });

    test('reset clears a key', async () => {
      const limiter = make().a({ name: 'reset', points: 1, durationSeconds: 60 });
      const k = key();
      allowed(await limiter.consume(k));
      blocked(await limiter.consume(k));
      await limiter.reset(k);
      assert.equal(allowed(await limiter.peek(k)), 1);
      assert.equal(allowed(await limiter.consume(k)), 0);
      await limiter.reset(key()); // resetting an unknown key is fine
    });

    test('the window ends: a blocked key is allowed again after it', async () => {
      const limiter = make().a({ name: 'window', points: 1, durationSeconds: 1 });
      const k = key();
      allowed(await limiter.consume(k));
      assert.equal(blocked(await limiter.consume(k)), 1);
      await sleep(1200);
      allowed(await limiter.consume(k));
    });

    test('rules are separate namespaces', async () => {
      const { a } = make();
      const one = a({ name: 'rule-one', points: 1, durationSeconds: 60 });
      const two = a({ name: 'rule-two', points: 1, durationSeconds: 60 });
      const k = key();
      allowed(await one.consume(k));
      blocked(await one.consume(k));
      allowed(await two.consume(k));
    });

    // In-process limits are per process by design; a shared store is shared by every instance.
    if (make().b)
      test('two instances of one rule share the count', async () => {
        const { a, b } = make();
        assert.ok(b);
        const rule = { name: 'shared', points: 4, durationSeconds: 60 };
        const first = a(rule);
        const second = b(rule);
        const k = key();
        allowed(await first.consume(k));
        allowed(await second.consume(k));
        allowed(await first.consume(k));
        assert.equal(allowed(await second.peek(k)), 1);
        allowed(await second.consume(k));
        blocked(await first.consume(k));
        blocked(await second.peek(k));
        await first.reset(k);
        allowed(await second.consume(k));
      });
  });
}

limiterContract('memory', () => ({ a: memoryRateLimiterFactory() }));

if (redisUrl) {
  const prefix = `t${randomBytes(5).toString('hex')}:rl:`;
  const first = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const second = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  after(async () => {
    const keys = await first.keys(`${prefix}*`);
    if (keys.length) await first.del(...keys);
    await Promise.all([first.quit(), second.quit()]);
  });
  // Two connections, like two API instances: the count lives in Redis.
  limiterContract('redis', () => ({ a: redisRateLimiterFactory(first, prefix), b: redisRateLimiterFactory(second, prefix) }));

  test('redis limiter: the counters are stored under the prefix', async () => {
    const limiter = redisRateLimiterFactory(first, prefix)({ name: 'stored', points: 5, durationSeconds: 60 });
    await limiter.consume('who');
    const keys = await first.keys(`${prefix}stored*`);
    assert.equal(keys.length, 1);
    assert.ok(keys[0]!.includes('who'));
  });
}
