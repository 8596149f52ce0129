import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { WorkerFamily } from '@mona/shared';
import type { Logger } from '../../platform/logger.ts';
import type { ServiceInstancesRepository } from './ops.repository.ts';

export const HEARTBEAT_INTERVAL_MS = 10_000;
/** An instance not heard from for this long counts as down. */
export const HEARTBEAT_STALE_MS = 35_000;

/** Records this process in service_instances every few seconds so the status page sees it. */
export class Heartbeat {
  readonly id = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private timer: NodeJS.Timeout | undefined;
  private readonly startedAt = new Date();

  constructor(
    private readonly repo: ServiceInstancesRepository,
    private readonly info: { kind: 'api' | 'worker'; families: WorkerFamily[]; version: string },
    private readonly logger: Logger,
  ) {}

  async beat(): Promise<void> {
    try {
      await this.repo.beat({
        id: this.id,
        kind: this.info.kind,
        families: this.info.families,
        hostname: os.hostname(),
        pid: process.pid,
        version: this.info.version,
        startedAt: this.startedAt,
      });
    } catch (error) {
      this.logger.debug({ err: (error as Error).message }, 'heartbeat not recorded');
    }
  }

  start(): void {
    void this.beat();
    this.timer = setInterval(() => void this.beat(), HEARTBEAT_INTERVAL_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.repo.markStopped(this.id).catch(() => undefined);
  }
}
