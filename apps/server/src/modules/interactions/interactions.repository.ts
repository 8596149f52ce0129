import { and, desc, eq, getTableColumns, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import type { KeysetCursor } from '../../platform/http/keyset-cursor.ts';
import { isoUtc, type SqlTx } from '../artists/artists.repository.ts';
import { tasks } from '../tasks/tasks.tables.ts';
import { interactions } from './interactions.tables.ts';

export type InteractionRow = typeof interactions.$inferSelect;
export type NewInteractionRow = typeof interactions.$inferInsert;
export type InteractionChanges = Partial<Omit<NewInteractionRow, 'id' | 'artistId' | 'createdAt' | 'createdBy'>>;

export interface LinkedTask {
  id: string;
  status: (typeof tasks.$inferSelect)['status'];
  dueAt: Date | null;
  completedAt: Date | null;
  archivedAt: Date | null;
}
export interface InteractionWithTask extends InteractionRow {
  task: LinkedTask | null;
}

const taskColumns = { id: tasks.id, status: tasks.status, dueAt: tasks.dueAt, completedAt: tasks.completedAt, archivedAt: tasks.archivedAt };

/** All SQL on the interactions table. */
export class InteractionsRepository {
  constructor(private readonly db: Db) {}

  async findById(id: string, tx: Pick<Db, 'select'> = this.db): Promise<InteractionRow | undefined> {
    const [row] = await tx.select().from(interactions).where(eq(interactions.id, id)).limit(1);
    return row;
  }

  /** The row locked until the transaction ends, so two edits of one interaction (and its task) take turns. */
  async lockRow(tx: SqlTx, id: string): Promise<InteractionRow | undefined> {
    const [row] = await tx.select().from(interactions).where(eq(interactions.id, id)).for('update');
    return row;
  }

  async findWithTask(id: string): Promise<InteractionWithTask | undefined> {
    const [row] = await this.db
      .select({ interaction: interactions, task: taskColumns })
      .from(interactions)
      .leftJoin(tasks, eq(tasks.id, interactions.taskId))
      .where(eq(interactions.id, id))
      .limit(1);
    return row ? { ...row.interaction, task: row.task } : undefined;
  }

  async insert(tx: SqlTx, values: NewInteractionRow): Promise<InteractionRow> {
    const [row] = await tx.insert(interactions).values(values).returning();
    return row!;
  }

  async update(tx: Pick<Db, 'update'>, id: string, changes: InteractionChanges): Promise<InteractionRow | undefined> {
    const [row] = await tx
      .update(interactions)
      .set({ ...changes, updatedAt: sql`now()` })
      .where(eq(interactions.id, id))
      .returning();
    return row;
  }

  async setArchived(tx: Pick<Db, 'update'>, id: string): Promise<InteractionRow | undefined> {
    const [row] = await tx
      .update(interactions)
      .set({ archivedAt: sql`coalesce(${interactions.archivedAt}, now())`, updatedAt: sql`now()` })
      .where(eq(interactions.id, id))
      .returning();
    return row;
  }

  /** An artist's timeline, newest first, keyset on (occurredAt, id); one row more than `limit` when another page follows. */
  async timeline(
    artistId: string,
    archived: 'false' | 'true' | 'all',
    cursor: KeysetCursor | null,
    limit: number,
  ): Promise<{ row: InteractionWithTask; key: string }[]> {
    const where: SQL[] = [eq(interactions.artistId, artistId)];
    if (archived === 'false') where.push(isNull(interactions.archivedAt));
    if (archived === 'true') where.push(isNotNull(interactions.archivedAt));
    if (cursor) where.push(sql`(${interactions.occurredAt}, ${interactions.id}) < (${cursor.key}::timestamptz, ${cursor.id}::uuid)`);
    const rows = await this.db
      .select({ interaction: getTableColumns(interactions), task: taskColumns, sortKey: isoUtc(sql`${interactions.occurredAt}`) })
      .from(interactions)
      .leftJoin(tasks, eq(tasks.id, interactions.taskId))
      .where(and(...where))
      .orderBy(desc(interactions.occurredAt), desc(interactions.id))
      .limit(limit + 1);
    return rows.map((r) => ({ row: { ...r.interaction, task: r.task }, key: r.sortKey }));
  }
}
