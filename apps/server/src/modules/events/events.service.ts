import { and, asc, desc, eq, inArray, isNull, lt, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import type { Logger } from '../../platform/logger.ts';
import type { PubSub } from '../../platform/pubsub.ts';
import type { QueueService } from '../../platform/queue.ts';
import type { JobRegistry } from '../../jobs/registry.ts';
import { domainEvents } from './events.tables.ts';
import type { DomainEvent, DomainEventName, DomainEventPayloads } from './events.types.ts';

/** A drizzle transaction (or the database itself): events are recorded with the change they describe. */
export type Tx = Pick<Db, 'insert' | 'select' | 'update'>;

export const EVENTS_CHANNEL = 'domain-events';

/**
 * The outbox: `record` writes the event inside the caller's transaction;
 * `dispatch` (after commit) enqueues each subscriber's job, with the event id
 * in the job id so a second dispatch adds nothing, publishes the event for
 * live views, and marks it dispatched. `relayPending` dispatches what a crash
 * left behind.
 */
export class DomainEvents {
  constructor(
    private readonly db: Db,
    private readonly queue: QueueService,
    private readonly registry: JobRegistry,
    private readonly pubsub: PubSub,
    private readonly logger: Logger,
  ) {}

  async record<N extends DomainEventName>(tx: Tx, name: N, aggregateId: string | null, payload: DomainEventPayloads[N]): Promise<string> {
    const [row] = await tx.insert(domainEvents).values({ name, aggregateId, payload }).returning({ id: domainEvents.id });
    return row!.id;
  }

  /** Dispatches recorded events; failures are left for the relay (the change itself is committed). */
  async dispatch(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    try {
      const rows = await this.db
        .select()
        .from(domainEvents)
        .where(and(inArray(domainEvents.id, [...ids]), isNull(domainEvents.dispatchedAt)));
      for (const row of rows) await this.dispatchOne(toEvent(row));
    } catch (error) {
      this.logger.warn({ err: (error as Error).message, events: ids }, 'domain events left for the relay');
    }
  }

  private async dispatchOne(event: DomainEvent): Promise<void> {
    for (const jobName of this.registry.subscribersOf(event.name)) {
      await this.queue.enqueue(jobName, event, { jobId: `${event.id}-${jobName.replaceAll(/[^a-z0-9-]/gi, '-')}` });
    }
    await this.pubsub.publish(EVENTS_CHANNEL, event).catch(() => undefined);
    await this.db.update(domainEvents).set({ dispatchedAt: new Date() }).where(eq(domainEvents.id, event.id));
  }

  /** Dispatches events recorded more than `olderThanMs` ago and still pending. */
  async relayPending(olderThanMs: number, limit = 500): Promise<number> {
    const rows = await this.db
      .select()
      .from(domainEvents)
      .where(and(isNull(domainEvents.dispatchedAt), lt(domainEvents.occurredAt, new Date(Date.now() - olderThanMs))))
      .orderBy(asc(domainEvents.occurredAt))
      .limit(limit);
    for (const row of rows) await this.dispatchOne(toEvent(row));
    return rows.length;
  }

  async list(filter: { name?: DomainEventName; aggregateId?: string; limit?: number } = {}): Promise<DomainEvent[]> {
    const conditions: SQL[] = [];
    if (filter.name) conditions.push(eq(domainEvents.name, filter.name));
    if (filter.aggregateId) conditions.push(eq(domainEvents.aggregateId, filter.aggregateId));
    const rows = await this.db
      .select()
      .from(domainEvents)
      .where(conditions.length ? and(...conditions) : undefined)
      .orderBy(desc(domainEvents.occurredAt))
      .limit(filter.limit ?? 100);
    return rows.map(toEvent);
  }
}

function toEvent(row: typeof domainEvents.$inferSelect): DomainEvent {
  return {
    id: row.id,
    name: row.name as DomainEventName,
    aggregateId: row.aggregateId,
    payload: row.payload as DomainEvent['payload'],
    occurredAt: row.occurredAt.toISOString(),
  };
}
