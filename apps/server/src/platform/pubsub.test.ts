import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { createLogger } from './logger.ts';
import { createMemoryPubSub, createRedisPubSub, type PubSub } from './pubsub.ts';

const redisUrl = process.env.REDIS_URL;
const logger = createLogger({ level: 'silent', name: 'pubsub-test' });

/** Collects what a handler receives; `next(n)` waits (bounded) until n messages arrived. */
function inbox() {
  const messages: unknown[] = [];
  let wake: (() => void) | undefined;
  return {
    messages,
    handler: (message: unknown) => {
      messages.push(message);
      wake?.();
    },
    async next(count: number, timeoutMs = 5000): Promise<unknown[]> {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > deadline) throw new Error(`only ${messages.length} of ${count} messages arrived`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 50);
        });
      }
      return messages;
    },
  };
}

/** `make` gives a publisher and a subscriber: for Redis, on different connections (two instances). */
function pubsubContract(name: string, make: () => { publisher: PubSub; subscriber: PubSub; close(): Promise<void> }) {
  describe(`pubsub: ${name}`, () => {
    const opened: (() => Promise<void>)[] = [];
    const open = () => {
      const pair = make();
      opened.push(() => pair.close());
      return pair;
    };
    after(async () => {
      for (const close of opened) await close();
    });

    test('a message reaches every subscriber of its channel, as a copy, in order', async () => {
      const { publisher, subscriber } = open();
      const one = inbox();
      const two = inbox();
      const elsewhere = inbox();
      await subscriber.subscribe('live:started', one.handler);
      await subscriber.subscribe('live:started', two.handler);
      await subscriber.subscribe('live:ended', elsewhere.handler);
      const payload = { artistId: 'a-1', platforms: ['twitch', 'youtube'] };
      await publisher.publish('live:started', payload);
      await publisher.publish('live:started', { artistId: 'a-2' });
      assert.deepEqual(await one.next(2), [payload, { artistId: 'a-2' }]);
      assert.deepEqual(await two.next(2), [payload, { artistId: 'a-2' }]);
      assert.notEqual(one.messages[0], payload, 'subscribers get a copy');
      assert.deepEqual(elsewhere.messages, [], 'another channel gets nothing');
    });

    test('unsubscribe stops delivery to that handler only', async () => {
      const { publisher, subscriber } = open();
      const leaving = inbox();
      const staying = inbox();
      const unsubscribe = await subscriber.subscribe('media:ready', leaving.handler);
      await subscriber.subscribe('media:ready', staying.handler);
      await publisher.publish('media:ready', { n: 1 });
      await leaving.next(1);
      await staying.next(1);
      await unsubscribe();
      await publisher.publish('media:ready', { n: 2 });
      // Delivery is ordered: once the staying handler has the second message, the leaving one would have it too.
      await staying.next(2);
      assert.deepEqual(leaving.messages, [{ n: 1 }]);
      assert.deepEqual(staying.messages, [{ n: 1 }, { n: 2 }]);
    });

    test('after the last handler leaves a channel, nothing is delivered on it', async () => {
      const { publisher, subscriber } = open();
      const gone = inbox();
      const sentinel = inbox();
      const unsubscribe = await subscriber.subscribe('stats:tick', gone.handler);
      await subscriber.subscribe('sentinel', sentinel.handler);
      await unsubscribe();
      await unsubscribe(); // twice is harmless
      await publisher.publish('stats:tick', { lost: true });
      await publisher.publish('sentinel', { after: true });
      await sentinel.next(1);
      assert.deepEqual(gone.messages, []);
      // Subscribing again works.
      const back = inbox();
      await subscriber.subscribe('stats:tick', back.handler);
      await publisher.publish('stats:tick', { again: true });
      assert.deepEqual(await back.next(1), [{ again: true }]);
    });

    test('close ends delivery', async () => {
      const { publisher, subscriber } = open();
      const closed = inbox();
      await subscriber.subscribe('bye', closed.handler);
      await subscriber.close();
      await publisher.publish('bye', { late: true });
      // Publish on a fresh pair and wait for it, so the late message had its chance to arrive.
      const probe = open();
      const arrived = inbox();
      await probe.subscriber.subscribe('probe', arrived.handler);
      await probe.publisher.publish('probe', 1);
      await arrived.next(1);
      assert.deepEqual(closed.messages, []);
    });
  });
}

// In-process: one bus, so publisher and subscriber are the same object.
pubsubContract('memory', () => {
  const bus = createMemoryPubSub();
  return { publisher: bus, subscriber: bus, close: () => bus.close() };
});

if (redisUrl) {
  const prefix = `t${randomBytes(5).toString('hex')}:ps:`;
  pubsubContract('redis', () => {
    // Two command connections, like two API instances; each pubsub makes its own subscriber connection.
    const first = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    const second = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    const publisher = createRedisPubSub(first, logger, prefix);
    const subscriber = createRedisPubSub(second, logger, prefix);
    return {
      publisher,
      subscriber,
      async close() {
        await publisher.close();
        await subscriber.close();
        await Promise.all([first.quit(), second.quit()]);
      },
    };
  });

  test('redis pubsub: another prefix is another namespace', async () => {
    const connection = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    const ours = createRedisPubSub(connection, logger, `${prefix}a:`);
    const theirs = createRedisPubSub(connection, logger, `${prefix}b:`);
    try {
      const mine = inbox();
      const other = inbox();
      await ours.subscribe('news', mine.handler);
      await theirs.subscribe('news', other.handler);
      await ours.publish('news', 'for a');
      assert.deepEqual(await mine.next(1), ['for a']);
      await theirs.publish('news', 'for b');
      assert.deepEqual(await other.next(1), ['for b']);
      assert.deepEqual(mine.messages, ['for a']);
    } finally {
      await ours.close();
      await theirs.close();
      await connection.quit();
    }
  });
}
