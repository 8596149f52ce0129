import { and, asc, eq, getTableColumns, inArray, isNotNull, isNull, lt, ne, sql, type SQL } from 'drizzle-orm';
import { TASK_STATUSES, type TaskStatus } from '@mona/shared';
import type { Db } from '../../platform/db/client.ts';
import type { KeysetCursor } from '../../platform/http/keyset-cursor.ts';
import { isoUtc, type SqlTx } from '../artists/artists.repository.ts';
import { artists } from '../artists/artists.tables.ts';
import { users } from '../users/users.tables.ts';
import { tasks } from './tasks.tables.ts';

export type TaskRow = typeof tasks.$inferSelect;
export type NewTaskRow = typeof tasks.$inferInsert;
export type TaskChanges = Partial<Omit<NewTaskRow, 'id' | 'createdAt' | 'createdBy'>>;

export interface TaskFilters {
  status?: TaskStatus | undefined;
  assigneeId?: string | undefined;
  artistId?: string | undefined;
  tag?: string | undefined;
  priority?: TaskRow['priority'] | undefined;
  dueBefore?: string | undefined;
  archived?: 'false' | 'true' | 'all' | undefined;
}

/** Gap left between cards appended to a column, and between cards after a renumbering. */
export const POSITION_STEP = 1024;

/** Tasks without a due date sort after every dated one. */
const FAR_FUTURE = '9999-12-31T00:00:00Z';
const dueKey = sql`coalesce(${tasks.dueAt}, ${FAR_FUTURE}::timestamptz)`;
const columnOrder = sql`array_position(array[${sql.join(
  TASK_STATUSES.map((s) => sql`${s}`),
  sql`, `,
)}]::text[], ${tasks.status})`;

function conditions(filters: TaskFilters): SQL[] {
  const out: SQL[] = [];
  if (filters.archived === 'true') out.push(isNotNull(tasks.archivedAt));
  else if (filters.archived !== 'all') out.push(isNull(tasks.archivedAt));
  if (filters.status) out.push(eq(tasks.status, filters.status));
  if (filters.assigneeId) out.push(eq(tasks.assigneeId, filters.assigneeId));
  if (filters.artistId) out.push(eq(tasks.artistId, filters.artistId));
  if (filters.priority) out.push(eq(tasks.priority, filters.priority));
  // Written as the GIN-indexed expression.
  if (filters.tag) out.push(sql`${tasks.tags} @> array[${filters.tag}]::text[]`);
  if (filters.dueBefore) out.push(lt(tasks.dueAt, new Date(filters.dueBefore)));
  return out;
}

/** Display names of the artists and assignees some tasks point to, by id. */
export interface TaskLabels {
  artists: Map<string, string>;
  users: Map<string, string>;
}

/** All SQL on the tasks table. */
export class TasksRepository {
  constructor(private readonly db: Db) {}

  async findById(id: string, tx: Pick<Db, 'select'> = this.db): Promise<TaskRow | undefined> {
    const [row] = await tx.select().from(tasks).where(eq(tasks.id, id)).limit(1);
    return row;
  }

  /** The row, locked until the transaction ends: concurrent moves of one card take turns. */
  async lockRow(tx: SqlTx, id: string): Promise<TaskRow | undefined> {
    const [row] = await tx.select().from(tasks).where(eq(tasks.id, id)).for('update');
    return row;
  }

  /**
   * Serialises every writer of a column's order (moves into it, cards appended to it)
   * until the transaction ends, so two drops computed from the same neighbours cannot
   * both take the same slot. Leaving a column needs no lock: it changes no other card.
   */
  async lockColumn(tx: SqlTx, status: TaskStatus): Promise<void> {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`tasks.column:${status}`}))`);
  }

  /** The highest position of the active cards in a column, leaving one card out (the one being moved). */
  async lastPosition(tx: SqlTx, status: TaskStatus, exceptId?: string): Promise<number | null> {
    const [row] = await tx
      .select({ max: sql<number | null>`max(${tasks.position})` })
      .from(tasks)
      .where(and(eq(tasks.status, status), isNull(tasks.archivedAt), exceptId ? ne(tasks.id, exceptId) : undefined));
    return row?.max === null || row?.max === undefined ? null : Number(row.max);
  }

  /** The active card just below (`after`) or just above (`before`) an anchor card in its column, leaving `exceptId` out. */
  async neighbour(tx: SqlTx, anchor: Pick<TaskRow, 'id' | 'status' | 'position'>, side: 'below' | 'above', exceptId: string): Promise<TaskRow | undefined> {
    const tuple = sql`(${tasks.position}, ${tasks.id})`;
    const anchorTuple = sql`(${anchor.position}::float8, ${anchor.id}::uuid)`;
    const [row] = await tx
      .select()
      .from(tasks)
      .where(
        and(
          eq(tasks.status, anchor.status),
          isNull(tasks.archivedAt),
          ne(tasks.id, exceptId),
          side === 'below' ? sql`${tuple} > ${anchorTuple}` : sql`${tuple} < ${anchorTuple}`,
        ),
      )
      .orderBy(side === 'below' ? sql`${tasks.position} asc, ${tasks.id} asc` : sql`${tasks.position} desc, ${tasks.id} desc`)
      .limit(1);
    return row;
  }

  /** Spreads a column's active cards evenly again (rare: only when two neighbours leave no room between them). */
  async renumberColumn(tx: SqlTx, status: TaskStatus): Promise<void> {
    await tx.execute(sql`
      update tasks set position = ordered.rn * ${POSITION_STEP}
      from (
        select id, row_number() over (order by position, id) as rn
        from tasks where status = ${status} and archived_at is null
      ) ordered
      where tasks.id = ordered.id`);
  }

  async insert(tx: SqlTx, values: Omit<NewTaskRow, 'id'>): Promise<TaskRow> {
    const [row] = await tx.insert(tasks).values(values).returning();
    return row!;
  }

  async update(tx: Pick<Db, 'update'>, id: string, changes: TaskChanges): Promise<TaskRow | undefined> {
    const [row] = await tx
      .update(tasks)
      .set({ ...changes, updatedAt: sql`now()` })
      .where(eq(tasks.id, id))
      .returning();
    return row;
  }

  async setArchived(id: string, tx: Pick<Db, 'update'> = this.db): Promise<TaskRow | undefined> {
    const [row] = await tx
      .update(tasks)
      // Archiving twice keeps the first date.
      .set({ archivedAt: sql`coalesce(${tasks.archivedAt}, now())`, updatedAt: sql`now()` })
      .where(eq(tasks.id, id))
      .returning();
    return row;
  }

  /** One column of the board: its first `limit` cards by position and the count of all matching. */
  async column(status: TaskStatus, filters: TaskFilters, limit: number): Promise<{ rows: TaskRow[]; total: number }> {
    const rows = await this.db
      .select({ ...getTableColumns(tasks), total: sql<number>`count(*) over ()::int` })
      .from(tasks)
      .where(and(...conditions({ ...filters, status, archived: 'false' })))
      .orderBy(asc(tasks.position), asc(tasks.id))
      .limit(limit);
    // limit is at least 1, so an empty page means an empty column.
    const total = rows[0]?.total ?? 0;
    return { rows: rows.map(({ total: _total, ...row }) => row), total };
  }

  async count(filters: TaskFilters): Promise<number> {
    const [row] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(tasks)
      .where(and(...conditions(filters)));
    return row?.n ?? 0;
  }

  /** A page by due date (soonest first, undated last), keyset on (due, id); one row more than `limit` when another page follows. */
  async list(filters: TaskFilters, cursor: KeysetCursor | null, limit: number): Promise<{ row: TaskRow; key: string }[]> {
    const where = conditions(filters);
    if (cursor) where.push(sql`(${dueKey}, ${tasks.id}) > (${cursor.key}::timestamptz, ${cursor.id}::uuid)`);
    const rows = await this.db
      .select({ ...getTableColumns(tasks), sortKey: isoUtc(dueKey) })
      .from(tasks)
      .where(and(...where))
      .orderBy(dueKey, asc(tasks.id))
      .limit(limit + 1);
    return rows.map(({ sortKey, ...row }) => ({ row, key: sortKey }));
  }

  /** An artist's active tasks, by column (board order) then position. */
  async forArtist(artistId: string, status?: TaskStatus): Promise<TaskRow[]> {
    return this.db
      .select()
      .from(tasks)
      .where(and(...conditions({ artistId, status, archived: 'false' })))
      .orderBy(columnOrder, asc(tasks.position), asc(tasks.id))
      .limit(1000);
  }

  /** Active, not-done tasks due in [from, to), for the calendar. */
  async openDueBetween(from: Date, to: Date, filters: { artistId?: string | undefined; assigneeId?: string | undefined }): Promise<TaskRow[]> {
    return this.db
      .select()
      .from(tasks)
      .where(
        and(
          isNull(tasks.archivedAt),
          ne(tasks.status, 'done'),
          sql`${tasks.dueAt} >= ${from.toISOString()}::timestamptz`,
          lt(tasks.dueAt, to),
          filters.artistId ? eq(tasks.artistId, filters.artistId) : undefined,
          filters.assigneeId ? eq(tasks.assigneeId, filters.assigneeId) : undefined,
        ),
      )
      .orderBy(asc(tasks.dueAt), asc(tasks.id))
      .limit(2000);
  }

  /** Tasks created by an interaction's next action. */
  async byInteraction(interactionId: string): Promise<TaskRow[]> {
    return this.db.select().from(tasks).where(eq(tasks.interactionId, interactionId)).orderBy(asc(tasks.createdAt));
  }

  /**
   * The artist stage names and assignee names of `rows`, in two indexed lookups
   * (whatever the number of rows), so a board or a list needs no request per card.
   */
  async labels(rows: readonly Pick<TaskRow, 'artistId' | 'assigneeId'>[]): Promise<TaskLabels> {
    const artistIds = [...new Set(rows.map((r) => r.artistId).filter((id): id is string => id !== null))];
    const userIds = [...new Set(rows.map((r) => r.assigneeId).filter((id): id is string => id !== null))];
    const [artistRows, userRows] = await Promise.all([
      artistIds.length ? this.db.select({ id: artists.id, name: artists.stageName }).from(artists).where(inArray(artists.id, artistIds)) : Promise.resolve([]),
      userIds.length ? this.db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, userIds)) : Promise.resolve([]),
    ]);
    return { artists: new Map(artistRows.map((r) => [r.id, r.name])), users: new Map(userRows.map((r) => [r.id, r.name])) };
  }
}
