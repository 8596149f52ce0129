import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { z } from 'zod';
import { defineJob, type JobDefinition, type JobHandler } from '../jobs/registry.ts';
import { bearer, register, startTestSystem, type TestSystem, until } from '../test/harness.ts';
import { startPrivateRedisCluster, type PrivateRedisCluster } from '../test/servers.ts';
import { openEventStream } from '../test/sse.ts';
import { createLogger } from './logger.ts';
import { createRedisPubSub, type PubSub } from './pubsub.ts';
import type { WorkerPool } from './queue.ts';
import { connectRedis, isCluster, type RedisClient } from './redis.ts';

const run = promisify(execFile);

/**
 * REDIS_CLUSTER_NODES against a real three-master Redis Cluster made from
 * redis-server processes on private ports: rate limits, cache, pub/sub and
 * BullMQ jobs all work, with keys spread over the masters' slots.
 */
describe('Redis Cluster by configuration (REDIS_CLUSTER_NODES)', () => {
  let cluster: PrivateRedisCluster;
  let system: TestSystem;
  let pool: WorkerPool | undefined;
  let other: { redis: RedisClient; pubsub: PubSub } | undefined;
  const done: string[] = [];
  const job = defineJob({ name: 'test.cluster', family: 'media', payload: z.object({ n: z.number() }) });
  const handlers: Record<string, JobHandler<never>> = {
    [job.name]: async (payload: { n: number }) => {
      done.push(`job-${payload.n}`);
    },
  };

  before(async () => {
    cluster = await startPrivateRedisCluster();
    system = await startTestSystem({
      // REDIS_URL left empty: the first seed node stands for it.
      env: { REDIS_URL: '', REDIS_CLUSTER_NODES: cluster.nodes, LOGIN_MAX_PER_ACCOUNT: '2', LOGIN_MAX_PER_IP: '100' },
      extraJobs: { definitions: [job] as JobDefinition<never>[], handlers },
    });
  });

  after(async () => {
    await pool?.stop(5000);
    await other?.pubsub.close();
    other?.redis.disconnect();
    await system?.close();
    await cluster?.destroy();
  });

  /** Every key of the prefix, on every master (SCAN per node: a cluster has no global KEYS). */
  async function keysOnMasters(pattern: string): Promise<Map<number, string[]>> {
    const out = new Map<number, string[]>();
    for (const port of cluster.ports) {
      const { stdout } = await run('redis-cli', ['-p', String(port), '--scan', '--pattern', pattern]);
      out.set(
        port,
        stdout
          .split('\n')
          .map((s) => s.trim())
          .filter(Boolean),
      );
    }
    return out;
  }

  test('the configuration makes a cluster client, and /ready reports Redis up', async () => {
    assert.ok(system.ctx.platform.redis && isCluster(system.ctx.platform.redis));
    assert.equal(system.config.REDIS_URL, `redis://${cluster.nodes.split(',')[0]}`);
    const ready = await system.app.inject({ method: 'GET', url: '/ready' });
    assert.equal(ready.statusCode, 200, ready.body);
    assert.equal(ready.json<{ dependencies: { name: string; ok: boolean }[] }>().dependencies.find((d) => d.name === 'redis')!.ok, true);
  });

  test('login rate limits count in the cluster', async () => {
    const account = await register(system.app);
    const attempt = () => system.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: account.email, password: 'wrong-password-123' } });
    assert.equal((await attempt()).statusCode, 401);
    assert.equal((await attempt()).statusCode, 401);
    const blocked = await attempt();
    assert.equal(blocked.statusCode, 429);
    // The counters are cluster keys (not the in-process fallback).
    const keys = [...(await keysOnMasters(`${system.config.REDIS_PREFIX}:rl:*`)).values()].flat();
    assert.ok(keys.length > 0, 'rate-limit keys in the cluster');
  });

  test('the cache reads back what it stored, through the slot of each key', async () => {
    const cache = system.ctx.platform.cache;
    for (let i = 0; i < 30; i++) await cache.set(`k${i}`, { i }, 60);
    for (let i = 0; i < 30; i++) assert.deepEqual(await cache.get(`k${i}`), { i });
    await cache.delete('k0');
    assert.equal(await cache.get('k0'), undefined);
    // 29 keys, spread over the three masters by their slots.
    const perMaster = [...(await keysOnMasters(`${system.config.REDIS_PREFIX}:cache:*`)).values()].map((keys) => keys.length);
    assert.equal(
      perMaster.reduce((a, b) => a + b, 0),
      29,
    );
    assert.ok(perMaster.filter((n) => n > 0).length >= 2, `keys on several masters: ${perMaster.join(',')}`);
  });

  test('pub/sub reaches a subscriber on another connection, and the live inbox stream works', async () => {
    const logger = createLogger({ level: 'silent', name: 'cluster-other' });
    const redis = await connectRedis({ url: system.config.REDIS_URL!, clusterNodes: system.config.REDIS_CLUSTER_NODES }, logger, 'other');
    other = { redis, pubsub: createRedisPubSub(redis, logger, `${system.config.REDIS_PREFIX}:ps:`) };
    const received: unknown[] = [];
    const unsubscribe = await system.ctx.platform.pubsub.subscribe('cluster-test', (m) => received.push(m));
    await other.pubsub.publish('cluster-test', { hello: 'cluster' });
    await until('the message', async () => received.length === 1);
    assert.deepEqual(received, [{ hello: 'cluster' }]);
    await unsubscribe();

    // The unread count of a signed-in user, pushed to their stream when they read all (same path as a new message).
    const user = await register(system.app);
    const address = await system.app.listen({ port: 0, host: '127.0.0.1' });
    const stream = await openEventStream(`${address}/api/me/inbox/stream`, bearer(user.accessToken));
    try {
      assert.equal(stream.status, 200);
      assert.deepEqual(await stream.event('unread'), { unread: 0 });
      const read = await system.app.inject({ method: 'POST', url: '/api/me/inbox/read-all', headers: bearer(user.accessToken) });
      assert.equal(read.statusCode, 200, read.body);
      assert.deepEqual(await stream.event('unread', 2), { unread: 0 });
    } finally {
      await stream.close();
    }
  });

  test('jobs are enqueued and done once by a worker; BullMQ keys carry the {prefix} hash tag (one slot)', async () => {
    pool = system.ctx.queue.startWorkers(['media'], { logger: system.ctx.platform.logger });
    const ids: string[] = [];
    for (let n = 0; n < 10; n++) ids.push(await system.ctx.queue.enqueue(job.name, { n }));
    await until('the ten jobs done', async () => done.length === 10, 30_000);
    assert.deepEqual([...done].sort(), Array.from({ length: 10 }, (_, n) => `job-${n}`).sort());
    for (const id of ids) assert.equal(await system.ctx.queue.queue('media').getJobState(id), 'completed');
    const bullKeys = [...(await keysOnMasters(`{${system.config.REDIS_PREFIX}}:bull:*`)).entries()].filter(([, keys]) => keys.length > 0);
    assert.equal(bullKeys.length, 1, 'every BullMQ key is on one master');
  });
});
