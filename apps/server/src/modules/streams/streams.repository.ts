import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { streams } from './streams.tables.ts';

export type StreamRow = typeof streams.$inferSelect;
type Writer = Pick<Db, 'insert' | 'update' | 'select'>;

/** The streams a villa's schedule keeps: one per live or showcase slot. The streaming bridge will add its own queries. */
export class StreamsRepository {
  constructor(private readonly db: Db) {}

  /** Creates the stream of a slot, or updates it and makes it scheduled again if it was cancelled. */
  async upsertForSlot(tx: Writer, values: { slotId: string; villaId: string; title: string; scheduledStart: Date; scheduledEnd: Date }): Promise<StreamRow> {
    const [row] = await tx
      .insert(streams)
      .values({ ...values, status: 'scheduled' })
      .onConflictDoUpdate({
        target: streams.slotId,
        set: {
          title: values.title,
          villaId: values.villaId,
          scheduledStart: values.scheduledStart,
          scheduledEnd: values.scheduledEnd,
          status: sql`case when ${streams.status} = 'cancelled' then 'scheduled' else ${streams.status} end`,
          updatedAt: sql`now()`,
        },
      })
      .returning();
    return row!;
  }

  /** Cancels the stream of a slot that is still scheduled (a live or ended stream is history); returns it, if any. */
  async cancelForSlot(tx: Writer, slotId: string): Promise<StreamRow | undefined> {
    const [row] = await tx
      .update(streams)
      .set({ status: 'cancelled', updatedAt: sql`now()` })
      .where(and(eq(streams.slotId, slotId), eq(streams.status, 'scheduled')))
      .returning();
    return row;
  }

  async findBySlot(slotId: string, tx: Pick<Db, 'select'> = this.db): Promise<StreamRow | undefined> {
    const [row] = await tx.select().from(streams).where(eq(streams.slotId, slotId)).limit(1);
    return row;
  }

  /** The villa's streams that are not cancelled, by start; `slotIds` narrows to those slots. */
  async listForVilla(villaId: string, slotIds?: readonly string[]): Promise<StreamRow[]> {
    if (slotIds && !slotIds.length) return [];
    return this.db
      .select()
      .from(streams)
      .where(and(eq(streams.villaId, villaId), ne(streams.status, 'cancelled'), slotIds ? inArray(streams.slotId, [...slotIds]) : undefined))
      .orderBy(asc(streams.scheduledStart));
  }
}
