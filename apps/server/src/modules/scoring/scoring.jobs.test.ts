import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { DEFAULT_SCORING } from '@mona/shared';
import { artists } from '../artists/artists.tables.ts';
import type { WorkerPool } from '../../platform/queue.ts';
import { createLogger } from '../../platform/logger.ts';
import { signInAs, startTestSystem, type TestSystem, until } from '../../test/harness.ts';
import { recomputeAllScoresJob, recomputeArtistScoreJob } from './scoring.jobs.ts';
import { api, artistRow, createArtist, ratingsWorth, tierEvents } from './scoring.test-helpers.ts';

describe('score jobs', () => {
  let system: TestSystem;
  let call: ReturnType<typeof api>;
  let admin: string;
  let staff: string;
  let workers: WorkerPool;
  before(async () => {
    system = await startTestSystem();
    call = api(system);
    admin = (await signInAs(system, 'admin')).accessToken;
    staff = (await signInAs(system, 'staff')).accessToken;
    // The analytics workers without their schedules (runWorkers would also start the weekly
    // run at once, racing the one enqueued here), one job at a time.
    workers = system.ctx.queue.startWorkers(['analytics'], { logger: system.ctx.platform.logger, concurrency: 1 });
  });
  after(async () => {
    await workers.stop(5000);
    await system.close();
  });

  const db = () => system.ctx.platform.database.db;
  /** Enqueues a job and waits until a worker has completed it. */
  const runJob = async (name: string, payload: object) => {
    const id = await system.ctx.queue.enqueue(name, payload);
    await until(`${name} completed`, async () => (await system.ctx.queue.list('completed', 100)).some((j) => j.id === id));
  };
  const history = async (id: string) =>
    (await call.history(staff, id, '?limit=200')).json().events as { reason: string; newTier: string; actor: { kind: string } }[];

  test('both jobs are declared for the analytics workers; the weekly one is scheduled weekly', () => {
    const weekly = system.ctx.registry.require(recomputeAllScoresJob.name);
    assert.equal(weekly.family, 'analytics');
    assert.equal(weekly.everyMs, 7 * 24 * 3_600_000);
    assert.equal(system.ctx.registry.require(recomputeArtistScoreJob.name).family, 'analytics');
  });

  test('the weekly recompute applies new thresholds to every active artist, once, and skips archived ones', async () => {
    const active = await createArtist(system);
    const archived = await createArtist(system);
    const neverScored = await createArtist(system);
    for (const id of [active, archived]) assert.equal((await call.rate(staff, id, ratingsWorth(45))).json().score.tier, 'starter');
    await db().update(artists).set({ archivedAt: new Date() }).where(eq(artists.id, archived));
    // 45 is co-prod with these thresholds; nothing recomputes until the job runs.
    const custom = { ...DEFAULT_SCORING, tierThresholds: { starter: 20, coprod: 40, premium: 70, spark_ready: 90 } };
    assert.equal((await call.putSettings(admin, custom)).statusCode, 200);
    assert.equal((await artistRow(system, active)).tier, 'starter');

    await runJob(recomputeAllScoresJob.name, {});
    assert.equal((await artistRow(system, active)).tier, 'coprod');
    assert.equal((await history(neverScored)).length, 1, 'an artist never scored gets a first score');
    // Every job may run twice: the second run records nothing.
    await runJob(recomputeAllScoresJob.name, {});

    const events = await history(active);
    assert.equal(events[0]!.reason, 'weekly recompute');
    assert.equal(events[0]!.actor.kind, 'system');
    assert.equal(events.filter((e) => e.reason === 'weekly recompute').length, 1);
    const tiers = await tierEvents(system, active);
    assert.equal(tiers[0]!.payload.reason, 'weekly recompute');
    assert.equal(tiers[0]!.payload.newTier, 'coprod');

    assert.equal((await artistRow(system, archived)).tier, 'starter', 'archived artists are left alone');
    assert.equal((await history(archived)).length, 1);

    // The service says the same.
    const again = await system.ctx.services.scoring.recomputeAll();
    assert.equal(again.changed, 0);
    assert.ok(again.checked >= 2);
  });

  test('recompute-artist recomputes one artist (archived or not) and skips one that no longer exists', async () => {
    const id = await createArtist(system, { archivedAt: new Date() });
    await call.rate(staff, id, ratingsWorth(10));
    await db().update(artists).set({ scoreTotal: 0 }).where(eq(artists.id, id));
    await runJob(recomputeArtistScoreJob.name, { artistId: id, reason: 'bulk import' });
    assert.equal((await artistRow(system, id)).scoreTotal, 10, 'the cached score was repaired');

    const handler = system.ctx.registry.require(recomputeArtistScoreJob.name).handler;
    const jobContext = { jobId: 'test', attempt: 1, logger: createLogger({ level: 'silent', name: 'test' }), requestId: undefined };
    assert.deepEqual(await handler({ artistId: '00000000-0000-4000-8000-000000000000' }, jobContext), {
      artistId: '00000000-0000-4000-8000-000000000000',
      skipped: 'artist not found',
    });
    await assert.rejects(system.ctx.queue.enqueue(recomputeArtistScoreJob.name, { artistId: 'nope' }), /Invalid payload/);
  });
});
