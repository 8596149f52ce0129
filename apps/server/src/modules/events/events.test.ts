import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { z } from 'zod';
import type { WorkerFamily } from '@mona/shared';
import { defineJob, type JobDefinition, type JobHandler } from '../../jobs/registry.ts';
import { runWorkers, type RunningWorkers } from '../../runtime.ts';
import { startTestSystem, type TestSystem, until } from '../../test/harness.ts';
import { EVENTS_CHANNEL } from './events.service.ts';
import type { DomainEvent } from './events.types.ts';

// A subscriber as later modules (notifications, automation) will declare one.
const received: DomainEvent[] = [];
const onTierChanged = defineJob({
  name: 'test.on-tier-changed',
  family: 'notifications' satisfies WorkerFamily,
  payload: z.custom<DomainEvent>((v) => typeof v === 'object' && v !== null && 'id' in v),
  subscribes: ['artist.tier_changed'],
  attempts: 1,
});
const handler: JobHandler<DomainEvent> = async (event) => {
  received.push(event);
};

const payload = {
  artistId: '00000000-0000-4000-8000-000000000001',
  oldTier: 'starter',
  newTier: 'coprod',
  oldTotal: 55,
  newTotal: 61,
  reason: 'test',
} as const;

describe('domain events (outbox)', () => {
  let system: TestSystem;
  let workers: RunningWorkers;

  before(async () => {
    system = await startTestSystem({
      extraJobs: { definitions: [onTierChanged as unknown as JobDefinition<never>], handlers: { [onTierChanged.name]: handler } },
    });
    workers = await runWorkers(system.ctx, ['notifications']);
  });
  after(async () => {
    await workers.stop(5000);
    await system.close();
  });

  test('an event recorded in a rolled-back transaction never exists', async () => {
    const { db } = system.ctx.platform.database;
    await assert.rejects(
      db.transaction(async (tx) => {
        await system.ctx.events.record(tx, 'artist.tier_changed', payload.artistId, payload);
        throw new Error('the change fails');
      }),
      /the change fails/,
    );
    assert.equal((await system.ctx.events.list({ name: 'artist.tier_changed' })).length, 0);
  });

  test('a committed event reaches its subscriber job once, and live listeners', async () => {
    const live: unknown[] = [];
    const unsubscribe = await system.ctx.platform.pubsub.subscribe(EVENTS_CHANNEL, (m) => live.push(m));
    const { db } = system.ctx.platform.database;
    const id = await db.transaction((tx) => system.ctx.events.record(tx, 'artist.tier_changed', payload.artistId, payload));
    await system.ctx.events.dispatch([id]);
    // A second dispatch (a retry after a crash) adds nothing.
    await system.ctx.events.dispatch([id]);
    await until('the subscriber ran', async () => received.some((e) => e.id === id));
    await until('the live listener got it', async () => live.length > 0);
    await unsubscribe();
    assert.equal(received.filter((e) => e.id === id).length, 1);
    assert.deepEqual(received.find((e) => e.id === id)!.payload, payload);
    const [stored] = await system.ctx.events.list({ aggregateId: payload.artistId });
    assert.equal(stored!.id, id);
  });

  test('an event left undispatched (crash after commit) is relayed later', async () => {
    const { db } = system.ctx.platform.database;
    const id = await db.transaction((tx) => system.ctx.events.record(tx, 'artist.tier_changed', payload.artistId, { ...payload, reason: 'crash' }));
    assert.ok(!received.some((e) => e.id === id));
    const relayed = await system.ctx.events.relayPending(0);
    assert.ok(relayed >= 1);
    await until('the relayed event reached the subscriber', async () => received.some((e) => e.id === id));
    assert.equal(await system.ctx.events.relayPending(0), 0, 'nothing is left pending');
  });
});
