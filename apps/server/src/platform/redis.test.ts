import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { until } from '../test/harness.ts';
import { startPrivateRedis, type PrivateRedis } from '../test/servers.ts';
import { createLogger } from './logger.ts';
import { connectRedis, createRedisClient, isRedisUnavailable, reconnectDelay, reconnectOnReadOnly, type RedisClient } from './redis.ts';

/**
 * A primary switch as a managed Redis does it: the server the app is connected
 * to becomes a replica (writes answer READONLY), then a primary again. The
 * app's connections never need a restart: a request meanwhile gets an error
 * the API turns into a 503, and BullMQ's kind of connection holds its command
 * and sends it again once writes are accepted.
 */
describe('Redis primary switch (READONLY) on private servers', () => {
  let primary: PrivateRedis;
  let other: PrivateRedis;
  let admin: Redis;
  const clients: RedisClient[] = [];
  const logger = createLogger({ level: 'silent', name: 'redis-test' });

  before(async () => {
    [primary, other] = await Promise.all([startPrivateRedis(), startPrivateRedis()]);
    admin = new Redis(primary.url);
  });
  after(async () => {
    for (const client of clients) client.disconnect();
    admin?.disconnect();
    await Promise.all([primary?.destroy(), other?.destroy()]);
  });

  test('the backoff is bounded and READONLY asks for a reconnect and a resend', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 50].map(reconnectDelay), [200, 400, 800, 1600, 3000, 3000, 3000]);
    assert.equal(reconnectOnReadOnly(new Error("READONLY You can't write against a read only replica.")), 2);
    assert.equal(reconnectOnReadOnly(new Error('ERR wrong number of arguments')), false);
  });

  test("the app's connection: writes fail fast (a 503 error) while it is a replica, and work again after the switch", async () => {
    const app = await connectRedis(primary.url, logger, 'app');
    clients.push(app);
    await app.set('k', 'before');

    await admin.replicaof('127.0.0.1', String(other.port));
    const failure = await app.set('k', 'during').then(
      () => null,
      (error: Error) => error,
    );
    assert.ok(failure, 'a write against a replica fails');
    assert.ok(isRedisUnavailable(failure), `answered as unavailable (503): ${failure.message}`);

    await admin.replicaof('NO', 'ONE');
    await until('writes accepted again on the same client', async () => (await app.set('k', 'after')) === 'OK', 20_000, 100);
    assert.equal(await app.get('k'), 'after');
  });

  test("the job queue's connection holds a write through the switch and sends it again once it is accepted", async () => {
    const queueConnection = createRedisClient(
      { url: primary.url },
      { maxRetriesPerRequest: null, enableOfflineQueue: true, retryStrategy: reconnectDelay, reconnectOnError: reconnectOnReadOnly },
      'bullmq-like',
    );
    clients.push(queueConnection);
    queueConnection.on('error', () => undefined);
    await queueConnection.set('held', '0');

    await admin.replicaof('127.0.0.1', String(other.port));
    await until('the server is a replica', async () => (await admin.info('replication')).includes('role:slave'));
    const held = queueConnection.set('held', '1');
    // Switched back while the command waits: it is sent again and succeeds.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await admin.replicaof('NO', 'ONE');
    assert.equal(await held, 'OK');
    assert.equal(await admin.get('held'), '1');
  });
});
