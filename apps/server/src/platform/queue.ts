import { Queue, UnrecoverableError, Worker, type ConnectionOptions, type IQueueBackend, type Job, type JobProgress, type JobType } from 'bullmq';
import { createPostgresBackend } from 'bullmq';
import { hostname } from 'node:os';
import { WORKER_FAMILIES, type WorkerFamily } from '@mona/shared';
import type { JobRegistry } from '../jobs/registry.ts';
import { AppError, serviceUnavailable } from './errors.ts';
import type { Logger } from './logger.ts';
import { createRedisClient, reconnectDelay, reconnectOnReadOnly, type RedisClient } from './redis.ts';

export type QueueBackend =
  { kind: 'redis'; url: string; prefix: string; clusterNodes?: string[] | undefined } | { kind: 'postgresql'; url: string; schema: string; embedded: boolean };

export interface JobData {
  payload: unknown;
  requestId?: string;
}

export interface JobSummary {
  id: string;
  queue: string;
  name: string;
  state: string;
  attemptsMade: number;
  maxAttempts: number;
  failedReason: string | null;
  createdAt: string;
  finishedAt: string | null;
  payload: unknown;
}

export const JOB_STATES = ['failed', 'waiting', 'active', 'delayed', 'completed'] as const;
export type JobState = (typeof JOB_STATES)[number];

const ENQUEUE_TIMEOUT_MS = 5000;

/**
 * A worker on the embedded database. PGlite serves one session to every
 * connection, so a producer's NOTIFY never reaches the worker's LISTEN: the
 * worker must poll. BullMQ otherwise blocks until the next delayed job is due
 * (up to an hour, e.g. the next scheduled maintenance run), and jobs added
 * meanwhile would wait that long.
 */
class EmbeddedPollingWorker<D, R, N extends string, B extends IQueueBackend, P extends JobProgress, C> extends Worker<D, R, N, B, P, C> {
  override get maximumBlockTimeout(): number {
    return 1;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(serviceUnavailable(`The job queue did not answer (${what})`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * One BullMQ queue per worker family, on Redis when REDIS_URL is set and on
 * BullMQ's PostgreSQL backend otherwise. The rest of the code only sees
 * `enqueue` and the job registry.
 */
export class QueueService {
  private readonly queues = new Map<WorkerFamily, Queue>();
  private redis: RedisClient | undefined;
  /** Families whose schedules this process installed: installed again when Redis comes back. */
  private scheduled: WorkerFamily[] = [];

  constructor(
    readonly backend: QueueBackend,
    private readonly registry: JobRegistry,
    private readonly logger: Logger,
  ) {}

  /**
   * The connection BullMQ's queues and workers share (BullMQ duplicates it for
   * its blocking commands). BullMQ needs maxRetriesPerRequest null: its
   * commands wait for Redis instead of failing, and the client reconnects
   * forever with a bounded backoff; workers pick up again by themselves.
   */
  private connection(): ConnectionOptions {
    if (this.backend.kind !== 'redis') throw new Error('not a redis backend');
    if (!this.redis) {
      this.redis = createRedisClient(
        { url: this.backend.url, clusterNodes: this.backend.clusterNodes },
        { maxRetriesPerRequest: null, enableOfflineQueue: true, retryStrategy: reconnectDelay, reconnectOnError: reconnectOnReadOnly },
        'bullmq',
      );
      let lost = false;
      this.redis.on('error', (error: Error) => {
        if (!lost) this.logger.warn({ err: error.message }, 'job queue connection lost; reconnecting');
        lost = true;
      });
      this.redis.on('ready', () => {
        if (!lost) return;
        lost = false;
        this.logger.info('job queue connection restored');
        // A Redis that came back empty (restarted without persistence, or a failover to a replica that lagged) has lost
        // the repeating jobs: install them again (idempotent). One-off jobs whose truth is in PostgreSQL (messages to
        // send) are found again by those scheduled runs.
        if (this.scheduled.length > 0) {
          this.installSchedules(this.scheduled).catch((error: Error) =>
            this.logger.warn({ err: error.message }, 'could not reinstall the schedules after reconnecting; retrying at the next reconnection'),
          );
        }
      });
    }
    return this.redis;
  }

  private make<T>(
    build: (redisConnection: () => ConnectionOptions) => T,
    buildPg: (opts: { connectionString: string; schema: string; skipMigrations: true; max: number }) => T,
  ): T {
    if (this.backend.kind === 'redis') return build(() => this.connection());
    return buildPg({ connectionString: this.backend.url, schema: this.backend.schema, skipMigrations: true, max: 3 });
  }

  /** In a cluster, a queue's keys must share one slot: the {prefix} hash tag puts them there. */
  private redisPrefix(): string {
    if (this.backend.kind !== 'redis') return 'bull';
    return this.backend.clusterNodes?.length ? `{${this.backend.prefix}}:bull` : `${this.backend.prefix}:bull`;
  }

  queue(family: WorkerFamily): Queue {
    let queue = this.queues.get(family);
    if (!queue) {
      queue = this.make(
        (connection) => new Queue(family, { connection: connection(), prefix: this.redisPrefix() }),
        (connection) => new Queue(family, { connection }, createPostgresBackend) as unknown as Queue,
      );
      queue.on('error', (error: Error) => this.logger.debug({ err: error.message, queue: family }, 'queue error'));
      this.queues.set(family, queue);
    }
    return queue;
  }

  /** Validates the payload against the job's schema and adds it to its family's queue. */
  async enqueue(name: string, payload: unknown, options: { delayMs?: number; jobId?: string; requestId?: string } = {}): Promise<string> {
    const job = this.registry.require(name);
    const parsed = job.payload.safeParse(payload);
    if (!parsed.success) throw new AppError(500, 'internal_error', `Invalid payload for job ${name}: ${parsed.error.message}`);
    const data: JobData = { payload: parsed.data, ...(options.requestId ? { requestId: options.requestId } : {}) };
    const added = await withTimeout(
      this.queue(job.family).add(name, data, {
        ...jobOptions(job),
        ...(options.delayMs ? { delay: options.delayMs } : {}),
        ...(options.jobId ? { jobId: options.jobId } : {}),
      }),
      ENQUEUE_TIMEOUT_MS,
      `add ${name}`,
    );
    return added.id ?? '';
  }

  /** Installs the repeating jobs of the given families (idempotent: one scheduler per job name). */
  async installSchedules(families: readonly WorkerFamily[]): Promise<void> {
    this.scheduled = [...new Set([...this.scheduled, ...families])];
    for (const job of this.registry.all()) {
      if (!job.everyMs || !families.includes(job.family)) continue;
      await withTimeout(
        this.queue(job.family).upsertJobScheduler(
          job.name,
          { every: job.everyMs },
          { name: job.name, data: { payload: {} } satisfies JobData, opts: jobOptions(job) },
        ),
        ENQUEUE_TIMEOUT_MS,
        `schedule ${job.name}`,
      );
    }
  }

  async counts(): Promise<Record<WorkerFamily, Record<string, number>>> {
    const out = {} as Record<WorkerFamily, Record<string, number>>;
    for (const family of WORKER_FAMILIES) {
      out[family] = await withTimeout(this.queue(family).getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'), 3000, 'counts');
    }
    return out;
  }

  async list(state: JobState, limit: number): Promise<JobSummary[]> {
    const all: JobSummary[] = [];
    for (const family of WORKER_FAMILIES) {
      const jobs = await withTimeout(this.queue(family).getJobs([state as JobType], 0, limit - 1), 3000, 'list');
      for (const job of jobs) all.push(summarize(family, state, job as Job<JobData>));
    }
    return all.sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, limit);
  }

  /** Retries one failed job; returns false when there is no such failed job. */
  async retry(family: WorkerFamily, id: string): Promise<boolean> {
    const job = (await withTimeout(this.queue(family).getJob(id), 3000, 'get')) as Job | undefined;
    if (!job) return false;
    if (!(await job.isFailed())) return false;
    await job.retry('failed');
    return true;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
    this.redis?.disconnect();
    this.redis = undefined;
  }

  /** Starts BullMQ workers for the families; each job is handled by its registered handler. */
  startWorkers(families: readonly WorkerFamily[], options: { concurrency?: number; logger: Logger }): WorkerPool {
    const workers: Worker[] = [];
    for (const family of families) {
      const processor = async (job: Job<JobData>) => {
        const registered = this.registry.get(job.name);
        if (!registered) throw new UnrecoverableError(`No handler for job ${job.name}`);
        const parsed = registered.payload.safeParse(job.data.payload);
        if (!parsed.success) throw new UnrecoverableError(`Invalid payload: ${parsed.error.message}`);
        const logger = options.logger.child({ job: job.name, jobId: job.id, requestId: job.data.requestId });
        return registered.handler(parsed.data, { jobId: job.id ?? '', attempt: job.attemptsMade + 1, logger, requestId: job.data.requestId });
      };
      // The worker's name is kept on each job it runs (processedBy): which process of which machine did it.
      const common = {
        name: `${hostname()}:${process.pid}`,
        concurrency: options.concurrency ?? 4,
        autorun: true,
        drainDelay: this.backend.kind === 'postgresql' && this.backend.embedded ? 1 : 5,
      };
      const worker: Worker = this.make<Worker>(
        (connection): Worker => new Worker<JobData>(family, processor, { ...common, connection: connection(), prefix: this.redisPrefix() }) as Worker,
        (connection) =>
          this.backend.kind === 'postgresql' && this.backend.embedded
            ? (new EmbeddedPollingWorker(family, processor, { ...common, connection }, createPostgresBackend) as unknown as Worker)
            : (new Worker(family, processor, { ...common, connection }, createPostgresBackend) as unknown as Worker),
      );
      worker.on('failed', (job, error) =>
        options.logger.warn({ job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, err: error.message }, 'job failed'),
      );
      worker.on('error', (error) => options.logger.debug({ err: error.message, family }, 'worker error'));
      workers.push(worker);
    }
    return new WorkerPool(workers, families);
  }
}

/** Retries and retention of a job, the same whether it is enqueued or scheduled. */
function jobOptions(job: { attempts: number; backoffMs: number }) {
  return {
    attempts: job.attempts,
    backoff: { type: 'exponential' as const, delay: job.backoffMs },
    removeOnComplete: { age: 24 * 3600, count: 1000 },
    removeOnFail: { age: 30 * 24 * 3600 },
  };
}

function summarize(queue: string, state: string, job: Job<JobData>): JobSummary {
  return {
    id: job.id ?? '',
    queue,
    name: job.name,
    state,
    attemptsMade: job.attemptsMade,
    maxAttempts: job.opts.attempts ?? 1,
    failedReason: job.failedReason ?? null,
    createdAt: new Date(job.timestamp).toISOString(),
    finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
    payload: job.data.payload,
  };
}

export class WorkerPool {
  constructor(
    private readonly workers: Worker[],
    readonly families: readonly WorkerFamily[],
  ) {}

  /** Stops taking jobs and waits for the running ones; past the deadline, closes hard (the jobs return to the queue). */
  async stop(deadlineMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const graceful = Promise.allSettled(this.workers.map((w) => w.close()));
    const timedOut = await Promise.race([graceful.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), deadlineMs)))]);
    clearTimeout(timer);
    if (timedOut) await Promise.allSettled(this.workers.map((w) => w.close(true)));
  }
}
