import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { z } from 'zod';
import { defineJob, JobRegistryError, type JobContext, type JobDefinition, type JobHandler } from '../jobs/registry.ts';
import { startTestSystem, type TestSystem, until } from '../test/harness.ts';
import { AppError } from './errors.ts';
import type { WorkerPool } from './queue.ts';

/** Polls until `probe` returns a value (bounded). */
function queueContract(name: string, env: Record<string, string | undefined>) {
  describe(`queue service: ${name}`, () => {
    const runs: { job: string; payload: unknown; context: Omit<JobContext, 'logger'> }[] = [];
    let gate: { promise: Promise<void>; open: () => void } | undefined;
    const record =
      (job: string) =>
      async (payload: unknown, { logger: _logger, ...context }: JobContext) => {
        runs.push({ job, payload, context });
      };
    const jobs = {
      echo: defineJob({ name: 'test.echo', family: 'media', payload: z.object({ text: z.string(), times: z.number().int().default(1) }) }),
      flaky: defineJob({ name: 'test.flaky', family: 'media', payload: z.object({ tag: z.string() }), attempts: 3, backoffMs: 20 }),
      strict: defineJob({ name: 'test.strict', family: 'media', payload: z.object({ n: z.number() }), attempts: 4, backoffMs: 20 }),
      slow: defineJob({ name: 'test.slow', family: 'streaming', payload: z.object({}) }),
      parked: defineJob({ name: 'test.parked', family: 'notifications', payload: z.object({ to: z.string() }) }),
    };
    const handlers: Record<string, JobHandler<never>> = {
      [jobs.echo.name]: record(jobs.echo.name),
      [jobs.flaky.name]: async (payload: { tag: string }, context: JobContext) => {
        await record(jobs.flaky.name)(payload, context);
        if (context.attempt < 3) throw new Error(`attempt ${context.attempt} failed`);
        return { tag: payload.tag };
      },
      [jobs.strict.name]: record(jobs.strict.name),
      [jobs.slow.name]: async (payload: unknown, context: JobContext) => {
        await gate?.promise;
        await record(jobs.slow.name)(payload, context);
      },
      [jobs.parked.name]: record(jobs.parked.name),
    };

    let system: TestSystem;
    let pool: WorkerPool | undefined;
    before(async () => {
      system = await startTestSystem({ env, extraJobs: { definitions: Object.values(jobs) as JobDefinition<never>[], handlers } });
    });
    after(async () => {
      await pool?.stop(5000);
      await system.close();
    });

    const state = async (family: 'media' | 'streaming' | 'notifications', id: string) => (await system.ctx.queue.queue(family).getJob(id))?.getState();
    const runsOf = (job: string) => runs.filter((r) => r.job === job);

    test('the backend is the expected one', () => {
      assert.equal(system.ctx.queue.backend.kind, name);
    });

    test('enqueue refuses an unknown job and an invalid payload, and adds nothing', async () => {
      await assert.rejects(
        system.ctx.queue.enqueue('test.nope', {}),
        (error: unknown) => error instanceof JobRegistryError && /test\.nope/.test(error.message),
      );
      await assert.rejects(
        system.ctx.queue.enqueue(jobs.echo.name, { text: 42 }),
        (error: unknown) => error instanceof AppError && /test\.echo/.test(error.message),
      );
      const counts = await system.ctx.queue.counts();
      assert.equal(counts.media.waiting, 0);
    });

    test('jobs wait in their family until a worker runs; counts and list say so; a jobId deduplicates', async () => {
      const first = await system.ctx.queue.enqueue(jobs.parked.name, { to: 'a@example.com' }, { jobId: 'welcome-a' });
      const again = await system.ctx.queue.enqueue(jobs.parked.name, { to: 'a@example.com' }, { jobId: 'welcome-a' });
      assert.equal(first, 'welcome-a');
      assert.equal(again, 'welcome-a');
      const other = await system.ctx.queue.enqueue(jobs.parked.name, { to: 'b@example.com' }, { requestId: 'req-123' });
      const delayed = await system.ctx.queue.enqueue(jobs.parked.name, { to: 'c@example.com' }, { delayMs: 60_000 });
      const counts = await system.ctx.queue.counts();
      assert.equal(counts.notifications.waiting, 2);
      assert.equal(counts.notifications.delayed, 1);
      assert.equal(counts.media.waiting, 0);
      const waiting = await system.ctx.queue.list('waiting', 50);
      assert.deepEqual(waiting.map((j) => j.id).sort(), [first, other].sort());
      const listed = waiting.find((j) => j.id === other)!;
      assert.equal(listed.queue, 'notifications');
      assert.equal(listed.name, jobs.parked.name);
      assert.deepEqual(listed.payload, { to: 'b@example.com' });
      assert.equal(listed.maxAttempts, jobs.parked.attempts);
      assert.deepEqual(
        (await system.ctx.queue.list('delayed', 50)).map((j) => j.id),
        [delayed],
      );
      assert.deepEqual(runsOf(jobs.parked.name), [], 'no worker, no run');
    });

    test('a worker runs a job with its parsed payload, id, attempt and request id', async () => {
      pool = system.ctx.queue.startWorkers(['media', 'streaming'], { logger: system.ctx.platform.logger, concurrency: 2 });
      const id = await system.ctx.queue.enqueue(jobs.echo.name, { text: 'hello' }, { requestId: 'req-echo' });
      await until('the echo job completed', async () => (await state('media', id)) === 'completed');
      assert.deepEqual(runsOf(jobs.echo.name), [
        { job: jobs.echo.name, payload: { text: 'hello', times: 1 }, context: { jobId: id, attempt: 1, requestId: 'req-echo' } },
      ]);
      // Families without a worker here are untouched.
      assert.deepEqual(runsOf(jobs.parked.name), []);
    });

    test('a failing job is retried up to its attempts, the attempt number counting up', async () => {
      const id = await system.ctx.queue.enqueue(jobs.flaky.name, { tag: 'x' });
      await until('the flaky job completed', async () => (await state('media', id)) === 'completed');
      assert.deepEqual(
        runsOf(jobs.flaky.name).map((r) => r.context.attempt),
        [1, 2, 3],
      );
      const job = await system.ctx.queue.queue('media').getJob(id);
      assert.equal(job?.attemptsMade, 3);
      assert.deepEqual(job?.returnvalue, { tag: 'x' });
    });

    test('a queued payload that does not match its schema fails at once, without retries', async () => {
      // Added behind enqueue's back (an older producer, a hand edit): the worker still validates.
      const added = await system.ctx.queue
        .queue('media')
        .add(jobs.strict.name, { payload: { n: 'not a number' } }, { attempts: 4, backoff: { type: 'fixed', delay: 10 } });
      const id = added.id!;
      await until('the invalid job failed', async () => (await state('media', id)) === 'failed');
      const failed = (await system.ctx.queue.list('failed', 50)).find((j) => j.id === id && j.queue === 'media');
      assert.ok(failed);
      assert.match(failed.failedReason ?? '', /Invalid payload/);
      assert.equal(failed.attemptsMade, 1, 'unrecoverable: no retry');
      assert.deepEqual(runsOf(jobs.strict.name), []);
      // Retrying it through the service puts it back; it fails the same way.
      assert.equal(await system.ctx.queue.retry('media', id), true);
      await until('the retried invalid job failed again', async () => (await state('media', id)) === 'failed');
      assert.deepEqual(runsOf(jobs.strict.name), []);
      assert.equal(await system.ctx.queue.retry('media', 'no-such-id'), false);
      // Only failed jobs are retried.
      const done = await system.ctx.queue.enqueue(jobs.echo.name, { text: 'done' });
      await until('the echo job completed', async () => (await state('media', done)) === 'completed');
      assert.equal(await system.ctx.queue.retry('media', done), false);
    });

    test('stopping the pool lets the running job finish', async () => {
      let open!: () => void;
      gate = { promise: new Promise<void>((resolve) => (open = resolve)), open };
      const id = await system.ctx.queue.enqueue(jobs.slow.name, {});
      await until('the slow job active', async () => (await state('streaming', id)) === 'active');
      const stopping = pool!.stop(10_000);
      pool = undefined;
      gate.open();
      await stopping;
      assert.equal(await state('streaming', id), 'completed');
      assert.equal(runsOf(jobs.slow.name).length, 1);
    });
  });
}

queueContract('postgresql', { REDIS_URL: undefined });
if (process.env.REDIS_URL) queueContract('redis', {});
