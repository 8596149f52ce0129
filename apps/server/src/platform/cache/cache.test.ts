import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { createMemoryCache, createRedisCache, type Cache } from './cache.ts';

const redisUrl = process.env.REDIS_URL;

/** The same behaviour, whichever implementation: `make` gives two handles on one store (two instances). */
function cacheContract(name: string, make: () => { a: Cache; b: Cache }) {
  describe(`cache: ${name}`, () => {
    test('set then get returns a copy of the JSON value', async () => {
      const { a } = make();
      const value = { id: 7, tags: ['villa', 'stream'], nested: { ok: true }, when: null };
      await a.set('profile:7', value, 60);
      const hit = await a.get<typeof value>('profile:7');
      assert.deepEqual(hit, value);
      assert.notEqual(hit, value, 'not the same object');
      hit.tags.push('mutated');
      assert.deepEqual((await a.get<typeof value>('profile:7'))!.tags, ['villa', 'stream'], 'changing a read value does not change the cache');
      for (const scalar of [0, '', false, 'text', 12.5]) {
        await a.set('scalar', scalar, 60);
        assert.equal(await a.get('scalar'), scalar);
      }
    });

    test('a missing key is undefined', async () => {
      const { a } = make();
      assert.equal(await a.get(`missing-${randomBytes(4).toString('hex')}`), undefined);
    });

    test('set overwrites, delete removes (and deleting a missing key is fine)', async () => {
      const { a } = make();
      await a.set('k', 1, 60);
      await a.set('k', 2, 60);
      assert.equal(await a.get('k'), 2);
      await a.delete('k');
      assert.equal(await a.get('k'), undefined);
      await a.delete('k');
    });

    test('an entry expires after its ttl', async () => {
      const { a } = make();
      await a.set('short', 'soon gone', 1);
      await a.set('long', 'still here', 60);
      assert.equal(await a.get('short'), 'soon gone');
      await sleep(1300);
      assert.equal(await a.get('short'), undefined);
      assert.equal(await a.get('long'), 'still here');
    });

    test('two handles on the same store see each other’s writes and deletes', async () => {
      const { a, b } = make();
      await a.set('shared', { by: 'a' }, 60);
      assert.deepEqual(await b.get('shared'), { by: 'a' });
      await b.delete('shared');
      assert.equal(await a.get('shared'), undefined);
    });
  });
}

// In-process: one LRU, shared by the handles of one process.
cacheContract('memory', () => {
  const cache = createMemoryCache();
  return { a: cache, b: cache };
});

test('memory cache: bounded, the least recently used entry is evicted', async () => {
  const cache = createMemoryCache(2);
  await cache.set('a', 1, 60);
  await cache.set('b', 2, 60);
  assert.equal(await cache.get('a'), 1); // a is now the most recent
  await cache.set('c', 3, 60);
  assert.equal(await cache.get('b'), undefined);
  assert.equal(await cache.get('a'), 1);
  assert.equal(await cache.get('c'), 3);
});

if (redisUrl) {
  const prefix = `t${randomBytes(5).toString('hex')}:cache:`;
  // Two connections, like two API instances.
  const first = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const second = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  after(async () => {
    const keys = await first.keys(`${prefix}*`);
    if (keys.length) await first.del(...keys);
    await Promise.all([first.quit(), second.quit()]);
  });

  cacheContract('redis', () => ({ a: createRedisCache(first, prefix), b: createRedisCache(second, prefix) }));

  test('redis cache: keys live under the prefix, with a Redis expiry', async () => {
    const cache = createRedisCache(first, prefix);
    await cache.set('ttl', 'x', 30.2);
    const ttl = await first.ttl(`${prefix}ttl`);
    assert.ok(ttl > 0 && ttl <= 31, `ttl ${ttl}`);
    const other = createRedisCache(first, `${prefix}other:`);
    assert.equal(await other.get('ttl'), undefined, 'another prefix is another namespace');
  });
}
