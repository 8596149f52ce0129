import client from 'prom-client';
import type { z } from 'zod';
import type { WorkerFamily } from '@mona/shared';
import type { Logger } from '../platform/logger.ts';
import type { DomainEventName } from '../modules/events/events.types.ts';

/** What a job's handler receives beside its payload. */
export interface JobContext {
  jobId: string;
  /** 1 on the first run, 2 on the first retry, ... */
  attempt: number;
  logger: Logger;
  /** The id of the HTTP request that enqueued the job, when there was one. */
  requestId: string | undefined;
}

export interface JobDefinition<P = unknown> {
  name: string;
  family: WorkerFamily;
  payload: z.ZodType<P>;
  /** Attempts in all, first run included. */
  attempts: number;
  /** First retry delay; each next retry doubles it. */
  backoffMs: number;
  /** Run on a fixed schedule (milliseconds) by the workers of its family. */
  everyMs?: number;
  /** Domain events this job handles: each such event enqueues it once, with the event as payload. */
  subscribes?: readonly DomainEventName[];
}

export type JobHandler<P> = (payload: P, context: JobContext) => Promise<unknown>;

export interface RegisteredJob<P = unknown> extends JobDefinition<P> {
  handler: JobHandler<P>;
}

export function defineJob<P>(
  definition: Omit<JobDefinition<P>, 'attempts' | 'backoffMs'> & Partial<Pick<JobDefinition<P>, 'attempts' | 'backoffMs'>>,
): JobDefinition<P> {
  return { attempts: 5, backoffMs: 2000, ...definition };
}

export class JobRegistryError extends Error {}

/** Outcomes of the jobs this process ran (registered in the process's /metrics). */
export class JobMetrics {
  readonly failed = new client.Counter({
    name: 'jobs_failed_total',
    help: 'Job runs whose handler failed (a job tried three times and failing counts three), by queue and job',
    labelNames: ['queue', 'job'],
    registers: [],
  });
  readonly completed = new client.Counter({
    name: 'jobs_completed_total',
    help: 'Job runs whose handler succeeded, by queue and job',
    labelNames: ['queue', 'job'],
    registers: [],
  });

  all(): client.Metric[] {
    return [this.failed, this.completed];
  }
}

/**
 * Every job the system knows, each with its handler. Built once at start;
 * a declared job without a handler (or a handler for an undeclared job)
 * stops the process, naming it.
 */
export class JobRegistry {
  private readonly jobs = new Map<string, RegisteredJob>();
  /** Every handler's outcome is counted here. */
  readonly metrics = new JobMetrics();

  constructor(definitions: readonly JobDefinition<never>[], handlers: Readonly<Record<string, JobHandler<never> | undefined>>) {
    const missing = definitions.filter((d) => typeof handlers[d.name] !== 'function').map((d) => d.name);
    if (missing.length > 0) throw new JobRegistryError(`No handler registered for job(s): ${missing.join(', ')}`);
    const declared = new Set(definitions.map((d) => d.name));
    const undeclared = Object.keys(handlers).filter((name) => !declared.has(name));
    if (undeclared.length > 0) throw new JobRegistryError(`Handler(s) for undeclared job(s): ${undeclared.join(', ')}`);
    for (const definition of definitions) {
      if (this.jobs.has(definition.name)) throw new JobRegistryError(`Job declared twice: ${definition.name}`);
      const handler = handlers[definition.name] as JobHandler<unknown>;
      const labels = { queue: definition.family, job: definition.name };
      const counted: JobHandler<unknown> = async (payload, context) => {
        try {
          const result = await handler(payload, context);
          this.metrics.completed.inc(labels);
          return result;
        } catch (error) {
          this.metrics.failed.inc(labels);
          throw error;
        }
      };
      this.jobs.set(definition.name, { ...(definition as JobDefinition), handler: counted });
    }
  }

  get(name: string): RegisteredJob | undefined {
    return this.jobs.get(name);
  }

  require(name: string): RegisteredJob {
    const job = this.jobs.get(name);
    if (!job) throw new JobRegistryError(`Unknown job: ${name}`);
    return job;
  }

  all(): RegisteredJob[] {
    return [...this.jobs.values()];
  }

  /** Job names that handle a domain event. */
  subscribersOf(event: DomainEventName): string[] {
    return this.all()
      .filter((job) => job.subscribes?.includes(event))
      .map((job) => job.name);
  }

  ofFamily(family: WorkerFamily): RegisteredJob[] {
    return this.all().filter((job) => job.family === family);
  }
}
