import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { WORKER_FAMILIES } from '@mona/shared';
import { RefreshTokensRepository } from '../modules/auth/auth.repository.ts';
import { ServiceInstancesRepository } from '../modules/ops/ops.repository.ts';
import type { Db } from '../platform/db/client.ts';
import { buildJobRegistry, JOB_DEFINITIONS, jobHandlers } from './catalog.ts';
import { defineJob, JobRegistry, JobRegistryError, type JobDefinition, type JobHandler } from './registry.ts';

const report = defineJob({ name: 'test.report', family: 'analytics', payload: z.object({ id: z.string() }) });
const digest = defineJob({ name: 'test.digest', family: 'notifications', payload: z.object({}), attempts: 2, backoffMs: 50 });
const ok: JobHandler<never> = async () => undefined;
const defs = (...d: JobDefinition<unknown>[]) => d as JobDefinition<never>[];

// The handlers are only stored, never run, here: repositories over no database are enough.
const noDb = {} as Db;
const deps = {
  refreshTokens: new RefreshTokensRepository(noDb),
  serviceInstances: new ServiceInstancesRepository(noDb),
  // Only building the registry is tested here: the event bus is never reached.
  events: () => {
    throw new Error('not used when building the registry');
  },
  scoring: () => {
    throw new Error('not used when building the registry');
  },
  notifications: () => {
    throw new Error('not used when building the registry');
  },
  sequences: () => {
    throw new Error('not used when building the registry');
  },
  backups: () => {
    throw new Error('not used when building the registry');
  },
  alertEvaluator: () => {
    throw new Error('not used when building the registry');
  },
};

describe('job registry', () => {
  test('defineJob defaults to 5 attempts with a 2 s first backoff; explicit values win', () => {
    assert.equal(report.attempts, 5);
    assert.equal(report.backoffMs, 2000);
    assert.equal(digest.attempts, 2);
    assert.equal(digest.backoffMs, 50);
  });

  test('a declared job without a handler stops the start, naming the job', () => {
    assert.throws(
      () => new JobRegistry(defs(report, digest), { [report.name]: ok }),
      (error: unknown) => error instanceof JobRegistryError && error.message.includes('test.digest') && !error.message.includes('test.report'),
    );
    // A handler that is not a function does not count.
    assert.throws(() => new JobRegistry(defs(report), { [report.name]: 'nope' as unknown as JobHandler<never> }), /test\.report/);
  });

  test('a handler for an undeclared job stops the start, naming it', () => {
    assert.throws(
      () => new JobRegistry(defs(report), { [report.name]: ok, 'test.orphan': ok }),
      (error: unknown) => error instanceof JobRegistryError && error.message.includes('test.orphan'),
    );
  });

  test('the registered handler runs the given one and counts its outcomes (jobs_completed_total, jobs_failed_total)', async () => {
    const seen: unknown[] = [];
    const registry = new JobRegistry(defs(report), {
      [report.name]: async (payload: unknown) => {
        seen.push(payload);
        if ((payload as { fail?: boolean }).fail) throw new Error('no data');
        return 'done';
      },
    });
    const handler = registry.require('test.report').handler;
    const context = { jobId: '1', attempt: 1, logger: undefined as never, requestId: undefined };
    assert.equal(await handler({ day: 'mon' }, context), 'done');
    await assert.rejects(handler({ fail: true }, context), /no data/);
    await assert.rejects(handler({ fail: true }, context), /no data/);
    assert.deepEqual(seen, [{ day: 'mon' }, { fail: true }, { fail: true }]);
    const value = async (counter: { get(): Promise<{ values: { labels: Record<string, unknown>; value: number }[] }> }) =>
      (await counter.get()).values.find((v) => v.labels.job === 'test.report' && v.labels.queue === 'analytics')?.value;
    assert.equal(await value(registry.metrics.completed), 1);
    assert.equal(await value(registry.metrics.failed), 2);
  });

  test('a job declared twice is refused', () => {
    assert.throws(() => new JobRegistry(defs(report, { ...report }), { [report.name]: ok }), /declared twice: test\.report/);
  });

  test('lookups: get, require, all, ofFamily', () => {
    const registry = new JobRegistry(defs(report, digest), { [report.name]: ok, [digest.name]: ok });
    assert.equal(registry.get('test.report')?.name, 'test.report');
    assert.equal(registry.get('test.unknown'), undefined);
    assert.equal(registry.require('test.digest').family, 'notifications');
    assert.throws(
      () => registry.require('test.unknown'),
      (error: unknown) => error instanceof JobRegistryError && /test\.unknown/.test(error.message),
    );
    assert.deepEqual(
      registry.all().map((j) => j.name),
      ['test.report', 'test.digest'],
    );
    assert.deepEqual(
      registry.ofFamily('analytics').map((j) => j.name),
      ['test.report'],
    );
    assert.deepEqual(registry.ofFamily('media'), []);
  });

  test('the real catalog is complete: every declared job has a handler and every handler a declaration', () => {
    const registry = buildJobRegistry(deps);
    const declared = JOB_DEFINITIONS.map((d) => d.name).sort();
    assert.deepEqual(
      registry
        .all()
        .map((j) => j.name)
        .sort(),
      declared,
    );
    assert.deepEqual(Object.keys(jobHandlers(deps)).sort(), declared);
    assert.ok(declared.includes('auth.purge-refresh-tokens'));
    assert.ok(declared.includes('ops.prune-service-instances'));
    for (const job of registry.all()) {
      assert.equal(typeof job.handler, 'function', job.name);
      assert.ok((WORKER_FAMILIES as readonly string[]).includes(job.family), `${job.name} has a known family`);
      assert.ok(job.attempts >= 1, job.name);
      if (job.everyMs) assert.ok(job.payload.safeParse({}).success, `${job.name}: a scheduled run's empty payload is valid`);
    }
  });

  test('the catalog takes extra jobs (tests), and still refuses a handler without a declaration', () => {
    const registry = buildJobRegistry(deps, { definitions: defs(report), handlers: { [report.name]: ok } });
    assert.equal(registry.require('test.report').family, 'analytics');
    assert.throws(() => buildJobRegistry(deps, { definitions: [], handlers: { 'test.orphan': ok } }), /test\.orphan/);
    assert.throws(() => buildJobRegistry(deps, { definitions: defs(report), handlers: {} }), /test\.report/);
  });
});
