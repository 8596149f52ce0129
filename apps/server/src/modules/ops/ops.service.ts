import { WORKER_FAMILIES, type WorkerFamily } from '@mona/shared';
import { notFound } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import type { JobState, JobSummary, QueueService } from '../../platform/queue.ts';
import { HEARTBEAT_STALE_MS } from './heartbeat.ts';
import type { ServiceInstancesRepository } from './ops.repository.ts';
import type { z } from 'zod';
import type { statusResponse } from './ops.schemas.ts';

type Status = z.infer<typeof statusResponse>;

export class OpsService {
  constructor(
    private readonly platform: Platform,
    private readonly instances: ServiceInstancesRepository,
    private readonly queue: QueueService,
  ) {}

  /** Health of each dependency and each service, from the heartbeats of the running processes. */
  async status(): Promise<Status> {
    const dependencies = await this.platform.checks();
    const databaseUp = dependencies.find((d) => d.name === 'database')?.ok ?? false;
    const allUp = dependencies.every((d) => d.ok);
    let live: Awaited<ReturnType<ServiceInstancesRepository['live']>> = [];
    let everSeen: Awaited<ReturnType<ServiceInstancesRepository['lastSeenOf']>> = [];
    if (databaseUp) {
      [live, everSeen] = await Promise.all([this.instances.live(HEARTBEAT_STALE_MS), this.instances.lastSeenOf()]);
    }
    const lastSeen = (match: (row: (typeof everSeen)[number]) => boolean) => everSeen.find(match)?.lastSeenAt.toISOString() ?? null;
    const services: Status['services'] = [
      {
        name: 'api',
        // This process is answering, so at least one API instance is up.
        status: 'up',
        ready: allUp,
        instances: Math.max(1, live.filter((r) => r.kind === 'api').length),
        lastSeenAt: new Date().toISOString(),
      },
      ...WORKER_FAMILIES.map((family: WorkerFamily) => {
        const running = live.filter((r) => r.kind === 'worker' && r.families.includes(family));
        return {
          name: family,
          status: running.length > 0 ? ('up' as const) : ('down' as const),
          ready: running.length > 0 && allUp,
          instances: running.length,
          lastSeenAt: lastSeen((r) => r.kind === 'worker' && r.families.includes(family)),
        };
      }),
    ];
    return { version: this.platform.config.version, checkedAt: new Date().toISOString(), dependencies, services };
  }

  listJobs(state: JobState, limit: number): Promise<JobSummary[]> {
    return this.queue.list(state, limit);
  }

  async retryJob(family: WorkerFamily, id: string): Promise<void> {
    if (!(await this.queue.retry(family, id))) throw notFound(`No failed job ${id} in queue ${family}`);
  }
}
