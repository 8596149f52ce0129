import { and, desc, gt, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { serviceInstances } from './ops.tables.ts';

export type ServiceInstanceRow = typeof serviceInstances.$inferSelect;

export class ServiceInstancesRepository {
  constructor(private readonly db: Db) {}

  async beat(instance: Omit<ServiceInstanceRow, 'lastSeenAt' | 'stoppedAt'>): Promise<void> {
    const now = new Date();
    await this.db
      .insert(serviceInstances)
      .values({ ...instance, lastSeenAt: now })
      .onConflictDoUpdate({ target: serviceInstances.id, set: { lastSeenAt: now, stoppedAt: null, families: instance.families } });
  }

  async markStopped(id: string): Promise<void> {
    await this.db
      .update(serviceInstances)
      .set({ stoppedAt: new Date() })
      .where(sql`${serviceInstances.id} = ${id}`);
  }

  /** Instances that have beaten within `withinMs` and have not said they stopped. */
  async live(withinMs: number): Promise<ServiceInstanceRow[]> {
    return this.db
      .select()
      .from(serviceInstances)
      .where(and(isNull(serviceInstances.stoppedAt), gt(serviceInstances.lastSeenAt, new Date(Date.now() - withinMs))))
      .orderBy(desc(serviceInstances.lastSeenAt));
  }

  async lastSeenOf(): Promise<ServiceInstanceRow[]> {
    return this.db.select().from(serviceInstances).orderBy(desc(serviceInstances.lastSeenAt)).limit(200);
  }

  async prune(olderThanMs: number): Promise<number> {
    const rows = await this.db
      .delete(serviceInstances)
      .where(lt(serviceInstances.lastSeenAt, new Date(Date.now() - olderThanMs)))
      .returning({ id: serviceInstances.id });
    return rows.length;
  }
}
