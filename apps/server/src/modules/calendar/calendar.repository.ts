import { and, asc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { CalendarKind } from '@mona/shared';
import type { Db } from '../../platform/db/client.ts';
import { calendarEvents } from './calendar.tables.ts';

export type EventRow = typeof calendarEvents.$inferSelect;
export type NewEventRow = typeof calendarEvents.$inferInsert;
export type EventChanges = Partial<Omit<NewEventRow, 'id' | 'source' | 'createdAt' | 'createdBy'>>;
type Writer = Pick<Db, 'insert' | 'update' | 'select'>;

/** All SQL on calendar_events. */
export class CalendarRepository {
  constructor(private readonly db: Db) {}

  async findById(id: string): Promise<EventRow | undefined> {
    const [row] = await this.db.select().from(calendarEvents).where(eq(calendarEvents.id, id)).limit(1);
    return row;
  }

  async findBySource(source: string, tx: Pick<Db, 'select'> = this.db): Promise<EventRow | undefined> {
    const [row] = await tx.select().from(calendarEvents).where(eq(calendarEvents.source, source)).limit(1);
    return row;
  }

  async insert(values: Omit<NewEventRow, 'id'>): Promise<EventRow> {
    const [row] = await this.db.insert(calendarEvents).values(values).returning();
    return row!;
  }

  /** Only while the event is not cancelled: a concurrent cancel wins over an edit. */
  async updateActive(id: string, changes: EventChanges): Promise<EventRow | undefined> {
    const [row] = await this.db
      .update(calendarEvents)
      .set({ ...changes, updatedAt: sql`now()` })
      .where(and(eq(calendarEvents.id, id), isNull(calendarEvents.cancelledAt)))
      .returning();
    return row;
  }

  async cancel(id: string): Promise<EventRow | undefined> {
    const [row] = await this.db
      .update(calendarEvents)
      // Cancelling twice keeps the first date.
      .set({ cancelledAt: sql`coalesce(${calendarEvents.cancelledAt}, now())`, updatedAt: sql`now()` })
      .where(eq(calendarEvents.id, id))
      .returning();
    return row;
  }

  /** Insert or update the one event of a source key (unique index); an update also revives a cancelled event. */
  async upsertBySource(tx: Writer, source: string, values: Omit<NewEventRow, 'id' | 'source' | 'createdAt' | 'createdBy' | 'cancelledAt' | 'updatedAt'>) {
    const [row] = await tx
      .insert(calendarEvents)
      .values({ ...values, source })
      .onConflictDoUpdate({ target: calendarEvents.source, set: { ...values, cancelledAt: null, updatedAt: sql`now()` } })
      .returning();
    return row!;
  }

  async cancelBySource(tx: Writer, source: string): Promise<EventRow | undefined> {
    const [row] = await tx
      .update(calendarEvents)
      .set({ cancelledAt: sql`coalesce(${calendarEvents.cancelledAt}, now())`, updatedAt: sql`now()` })
      .where(eq(calendarEvents.source, source))
      .returning();
    return row;
  }

  /**
   * Events overlapping [from, to): starting before `to` and either ending after
   * `from` or starting inside the range (so a moment exactly at `from` is in,
   * and a meeting ending exactly at `from` is not).
   */
  async overlapping(
    from: Date,
    to: Date,
    filters: { artistId?: string | undefined; ownerId?: string | undefined; kinds?: CalendarKind[] | undefined; includeCancelled: boolean },
  ): Promise<EventRow[]> {
    const f = from.toISOString();
    const where: SQL[] = [
      sql`${calendarEvents.startsAt} < ${to.toISOString()}::timestamptz`,
      sql`(${calendarEvents.endsAt} > ${f}::timestamptz or ${calendarEvents.startsAt} >= ${f}::timestamptz)`,
    ];
    if (!filters.includeCancelled) where.push(isNull(calendarEvents.cancelledAt));
    if (filters.artistId) where.push(eq(calendarEvents.artistId, filters.artistId));
    if (filters.ownerId) where.push(eq(calendarEvents.ownerId, filters.ownerId));
    if (filters.kinds) where.push(inArray(calendarEvents.kind, filters.kinds));
    return this.db
      .select()
      .from(calendarEvents)
      .where(and(...where))
      .orderBy(asc(calendarEvents.startsAt), asc(calendarEvents.id))
      .limit(5000);
  }
}
