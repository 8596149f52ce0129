import { and, asc, desc, eq, getTableColumns, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import { PIPELINE_STAGES, type PipelineStage, type Tier } from '@mona/shared';
import type { Db } from '../../platform/db/client.ts';
import type { Tx } from '../events/events.service.ts';
import { artists } from './artists.tables.ts';
import type { ArtistCursor } from './artists.cursor.ts';
import type { ArtistFilters } from './artists.schemas.ts';

export type ArtistRow = typeof artists.$inferSelect;
/** A row as the CRM reads it: without the tsvector, which is for matching only. */
export type ArtistRecord = Omit<ArtistRow, 'search'>;
export type NewArtistRow = typeof artists.$inferInsert;
/** Fields the CRM writes; the generated `search` column and the cached score are never written here. */
export type ArtistChanges = Partial<Omit<NewArtistRow, 'id' | 'search' | 'scoreTotal' | 'tier' | 'createdAt'>>;
/** A transaction (or the database) that can also run raw SQL. */
export type SqlTx = Tx & Pick<Db, 'execute'>;

export interface BoardCard {
  id: string;
  stageName: string;
  tier: Tier;
  scoreTotal: number;
  assigneeId: string | null;
  stageChangedAt: string;
  stage: PipelineStage;
  total: number;
}

const { search: _search, ...rowColumns } = getTableColumns(artists);

/** ISO 8601 in UTC with microseconds: raw SQL results come back as text, and this text sorts and parses back exactly. */
export const isoUtc = (column: SQL | typeof artists.createdAt) => sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** `word:*` for each word (letters and digits only), all required: prefix search that cannot inject tsquery syntax. */
export function prefixTsQuery(text: string): string | null {
  const words = text
    .split(/\s+/)
    .map((w) => w.replace(/[^\p{L}\p{N}]/gu, '').toLowerCase())
    .filter((w) => w.length > 0)
    .slice(0, 10);
  return words.length ? words.map((w) => `${w}:*`).join(' & ') : null;
}

function sortKey(sort: ArtistCursor['sort']): SQL<string | number> {
  switch (sort) {
    case 'createdAt':
      return isoUtc(artists.createdAt);
    case 'stageName':
      return sql<string>`${artists.stageName}`;
    case 'score':
      return sql<number>`${artists.scoreTotal}`;
  }
}

function sortColumn(sort: ArtistCursor['sort']) {
  switch (sort) {
    case 'createdAt':
      return artists.createdAt;
    case 'stageName':
      return artists.stageName;
    case 'score':
      return artists.scoreTotal;
  }
}

/** All SQL on the artists table (metric snapshots are the scoring module's MetricsRepository). */
export class ArtistsRepository {
  constructor(private readonly db: Db) {}

  async findById(id: string, tx: Pick<Db, 'select'> = this.db): Promise<ArtistRow | undefined> {
    const [row] = await tx.select().from(artists).where(eq(artists.id, id)).limit(1);
    return row;
  }

  async findByUserId(userId: string): Promise<ArtistRow | undefined> {
    const [row] = await this.db.select().from(artists).where(eq(artists.userId, userId)).limit(1);
    return row;
  }

  /** Caches the score on the artist row (filters, sorting); the history lives in scoring_events. */
  async setScore(tx: Tx, id: string, total: number, tier: Tier): Promise<void> {
    await tx.update(artists).set({ scoreTotal: total, tier }).where(eq(artists.id, id));
  }

  async insert(tx: Tx, values: Omit<NewArtistRow, 'id' | 'search'>): Promise<ArtistRow> {
    const [row] = await tx.insert(artists).values(values).returning();
    return row!;
  }

  async update(tx: Tx, id: string, changes: ArtistChanges): Promise<ArtistRow | undefined> {
    const [row] = await tx
      .update(artists)
      .set({ ...changes, updatedAt: sql`now()` })
      .where(eq(artists.id, id))
      .returning();
    return row;
  }

  /**
   * Serialises writers of one email until the transaction ends. The table has no
   * unique index on email (many records have none), so the check-then-insert of
   * two concurrent requests would otherwise both pass.
   */
  async lockEmail(tx: SqlTx, email: string): Promise<void> {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`artists.email:${email}`}))`);
  }

  /** Another artist (archived ones included) already holding this email. */
  async findOtherByEmail(tx: Tx, email: string, exceptId?: string): Promise<{ id: string; stageName: string } | undefined> {
    const conditions = [eq(artists.email, email)];
    if (exceptId) conditions.push(sql`${artists.id} <> ${exceptId}`);
    const [row] = await tx
      .select({ id: artists.id, stageName: artists.stageName })
      .from(artists)
      .where(and(...conditions))
      .limit(1);
    return row;
  }

  /**
   * The record a new account with this email takes over at sign-up: one with
   * this email and no account yet, not archived before archived, oldest first.
   */
  async findUnlinkedByEmail(tx: Tx, email: string): Promise<ArtistRow | undefined> {
    const [row] = await tx
      .select()
      .from(artists)
      .where(and(sql`lower(${artists.email}) = ${email.toLowerCase()}`, isNull(artists.userId)))
      .orderBy(sql`${artists.archivedAt} is not null`, asc(artists.createdAt))
      .limit(1);
    return row;
  }

  async setArchived(id: string, archived: boolean): Promise<ArtistRow | undefined> {
    const [row] = await this.db
      .update(artists)
      // Archiving twice keeps the first date; unarchiving clears it.
      .set({ archivedAt: archived ? sql`coalesce(${artists.archivedAt}, now())` : null, updatedAt: sql`now()` })
      .where(eq(artists.id, id))
      .returning();
    return row;
  }

  /**
   * Moves an account from the record its sign-up opened to another record
   * without account, in one transaction: the left record keeps its history,
   * loses the account and is archived (it duplicates the one the team chose).
   * Undefined when either record changed meanwhile.
   */
  async moveUser(fromId: string, toId: string, userId: string): Promise<ArtistRow | undefined> {
    const lost = new Error('the target record was linked meanwhile');
    try {
      return await this.db.transaction(async (tx) => {
        const [left] = await tx
          .update(artists)
          .set({ userId: null, archivedAt: sql`coalesce(${artists.archivedAt}, now())`, updatedAt: sql`now()` })
          .where(and(eq(artists.id, fromId), eq(artists.userId, userId)))
          .returning({ id: artists.id });
        if (!left) return undefined;
        const [row] = await tx
          .update(artists)
          .set({ userId, updatedAt: sql`now()` })
          .where(and(eq(artists.id, toId), isNull(artists.userId)))
          .returning();
        // Rolls the first update back too.
        if (!row) throw lost;
        return row;
      });
    } catch (error) {
      if (error === lost) return undefined;
      throw error;
    }
  }

  /** Throws a unique violation (23505) when the user is linked to another artist meanwhile. */
  async linkUser(id: string, userId: string): Promise<ArtistRow | undefined> {
    const [row] = await this.db
      .update(artists)
      .set({ userId, updatedAt: sql`now()` })
      .where(eq(artists.id, id))
      .returning();
    return row;
  }

  /**
   * One page in keyset order: `(sortKey, id)` after the cursor, so each page is an
   * index range scan (artists_created_idx, artists_score_idx) and never an OFFSET.
   * Returns one row more than `limit` when another page follows, with each row's sort key.
   */
  async list(filters: ArtistFilters, cursor: ArtistCursor | null, limit: number): Promise<{ row: ArtistRecord; key: string | number }[]> {
    const conditions: SQL[] = [];
    if (filters.archived === 'false') conditions.push(isNull(artists.archivedAt));
    if (filters.archived === 'true') conditions.push(isNotNull(artists.archivedAt));
    if (filters.stage) conditions.push(eq(artists.stage, filters.stage));
    if (filters.tier) conditions.push(eq(artists.tier, filters.tier));
    if (filters.assigneeId) conditions.push(eq(artists.assigneeId, filters.assigneeId));
    // Written as the indexed expressions: GIN on genres, btree on lower(city), GIN on search.
    if (filters.genre) conditions.push(sql`${artists.genres} @> array[${filters.genre}]::text[]`);
    if (filters.city) conditions.push(sql`lower(${artists.city}) = lower(${filters.city})`);
    const query = filters.q ? prefixTsQuery(filters.q) : null;
    if (query) conditions.push(sql`${artists.search} @@ to_tsquery('simple', ${query})`);

    const { sort, order } = filters;
    const column = sortColumn(sort);
    if (cursor) {
      const key = sort === 'createdAt' ? sql`${cursor.key}::timestamptz` : sql`${cursor.key}`;
      conditions.push(
        order === 'asc' ? sql`(${column}, ${artists.id}) > (${key}, ${cursor.id}::uuid)` : sql`(${column}, ${artists.id}) < (${key}, ${cursor.id}::uuid)`,
      );
    }
    const direction = order === 'asc' ? asc : desc;
    const rows = await this.db
      .select({ ...rowColumns, sortKey: sortKey(sort) })
      .from(artists)
      .where(conditions.length ? and(...conditions) : undefined)
      .orderBy(direction(column), direction(artists.id))
      .limit(limit + 1);
    return rows.map(({ sortKey: key, ...row }) => ({ row, key }));
  }

  /**
   * Moves the artist only if it is still at `from` (and active): of two concurrent
   * moves from the same stage, the second finds no row and loses.
   */
  async moveStage(tx: Tx, id: string, from: PipelineStage, to: PipelineStage): Promise<ArtistRow | undefined> {
    const [row] = await tx
      .update(artists)
      .set({ stage: to, stageChangedAt: sql`now()`, updatedAt: sql`now()` })
      .where(and(eq(artists.id, id), eq(artists.stage, from), isNull(artists.archivedAt)))
      .returning();
    return row;
  }

  /** Active artists per stage, the most recently moved first, at most `perStage` each, with each column's total. */
  async board(perStage: number): Promise<BoardCard[]> {
    const result = await this.db.execute<{
      id: string;
      stage_name: string;
      tier: Tier;
      score_total: number;
      assignee_id: string | null;
      stage_changed_at: string;
      stage: PipelineStage;
      total: number;
    }>(sql`
      select id, stage_name, tier, score_total, assignee_id, stage_changed_at, stage, total
      from (
        select id, stage_name, tier, score_total, assignee_id, stage,
               ${isoUtc(sql`stage_changed_at`)} as stage_changed_at,
               row_number() over (partition by stage order by stage_changed_at desc, id) as position,
               count(*) over (partition by stage)::int as total
        from artists
        where archived_at is null
      ) columns
      where position <= ${perStage}
      order by stage, position`);
    return result.rows.map((r) => ({
      id: r.id,
      stageName: r.stage_name,
      tier: r.tier,
      scoreTotal: r.score_total,
      assigneeId: r.assignee_id,
      stageChangedAt: r.stage_changed_at,
      stage: r.stage,
      total: r.total,
    }));
  }

  /** Active artists in each stage now. */
  async countByStage(): Promise<Record<PipelineStage, number>> {
    const rows = await this.db
      .select({ stage: artists.stage, n: sql<number>`count(*)::int` })
      .from(artists)
      .where(isNull(artists.archivedAt))
      .groupBy(artists.stage);
    const counts = Object.fromEntries(PIPELINE_STAGES.map((s) => [s, 0])) as Record<PipelineStage, number>;
    for (const row of rows) counts[row.stage] = row.n;
    return counts;
  }
}
