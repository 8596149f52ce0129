import { and, desc, eq, getTableColumns, inArray, isNotNull, isNull, notInArray, sql, type SQL } from 'drizzle-orm';
import { OPEN_OPPORTUNITY_STAGES, type OpportunityStage } from '@mona/shared';
import type { Db } from '../../platform/db/client.ts';
import type { KeysetCursor } from '../../platform/http/keyset-cursor.ts';
import { isoUtc } from '../artists/artists.repository.ts';
import { opportunities } from './opportunities.tables.ts';

export type OpportunityRow = typeof opportunities.$inferSelect;
export type NewOpportunityRow = typeof opportunities.$inferInsert;
export type OpportunityChanges = Partial<Omit<NewOpportunityRow, 'id' | 'artistId' | 'createdAt' | 'createdBy'>>;

export interface OpportunityFilters {
  stage?: OpportunityStage | undefined;
  open?: 'true' | 'false' | undefined;
  ownerId?: string | undefined;
  artistId?: string | undefined;
  archived?: 'false' | 'true' | 'all' | undefined;
}

function conditions(filters: OpportunityFilters): SQL[] {
  const out: SQL[] = [];
  if (filters.archived === 'true') out.push(isNotNull(opportunities.archivedAt));
  else if (filters.archived !== 'all') out.push(isNull(opportunities.archivedAt));
  if (filters.stage) out.push(eq(opportunities.stage, filters.stage));
  if (filters.open === 'true') out.push(inArray(opportunities.stage, [...OPEN_OPPORTUNITY_STAGES]));
  if (filters.open === 'false') out.push(notInArray(opportunities.stage, [...OPEN_OPPORTUNITY_STAGES]));
  if (filters.ownerId) out.push(eq(opportunities.ownerId, filters.ownerId));
  if (filters.artistId) out.push(eq(opportunities.artistId, filters.artistId));
  return out;
}

/** All SQL on the opportunities table. */
export class OpportunitiesRepository {
  constructor(private readonly db: Db) {}

  async findById(id: string): Promise<OpportunityRow | undefined> {
    const [row] = await this.db.select().from(opportunities).where(eq(opportunities.id, id)).limit(1);
    return row;
  }

  async insert(values: Omit<NewOpportunityRow, 'id'>): Promise<OpportunityRow> {
    const [row] = await this.db.insert(opportunities).values(values).returning();
    return row!;
  }

  /** Changes the row only if it is still at `stage` and active: of two concurrent changes made from the same reading, the second finds no row. */
  async updateIf(id: string, stage: OpportunityStage, changes: OpportunityChanges): Promise<OpportunityRow | undefined> {
    const [row] = await this.db
      .update(opportunities)
      .set({ ...changes, updatedAt: sql`now()` })
      .where(and(eq(opportunities.id, id), eq(opportunities.stage, stage), isNull(opportunities.archivedAt)))
      .returning();
    return row;
  }

  async setArchived(id: string): Promise<OpportunityRow | undefined> {
    const [row] = await this.db
      .update(opportunities)
      .set({ archivedAt: sql`coalesce(${opportunities.archivedAt}, now())`, updatedAt: sql`now()` })
      .where(eq(opportunities.id, id))
      .returning();
    return row;
  }

  /** A page, newest first, keyset on (createdAt, id); one row more than `limit` when another page follows. */
  async list(filters: OpportunityFilters, cursor: KeysetCursor | null, limit: number): Promise<{ row: OpportunityRow; key: string }[]> {
    const where = conditions(filters);
    if (cursor) where.push(sql`(${opportunities.createdAt}, ${opportunities.id}) < (${cursor.key}::timestamptz, ${cursor.id}::uuid)`);
    const rows = await this.db
      .select({ ...getTableColumns(opportunities), sortKey: isoUtc(sql`${opportunities.createdAt}`) })
      .from(opportunities)
      .where(and(...where))
      .orderBy(desc(opportunities.createdAt), desc(opportunities.id))
      .limit(limit + 1);
    return rows.map(({ sortKey, ...row }) => ({ row, key: sortKey }));
  }

  /** Per stage: count, total value and weighted value (each opportunity rounded to the cent, then summed) of active opportunities. */
  async totalsByStage(filters: { ownerId?: string | undefined; artistId?: string | undefined }) {
    const rows = await this.db
      .select({
        stage: opportunities.stage,
        count: sql<number>`count(*)::int`,
        valueCents: sql<string>`coalesce(sum(${opportunities.valueCents}), 0)::text`,
        weightedValueCents: sql<string>`coalesce(sum(round(${opportunities.valueCents}::numeric * ${opportunities.probability} / 100)), 0)::text`,
      })
      .from(opportunities)
      .where(and(...conditions({ ...filters, archived: 'false' })))
      .groupBy(opportunities.stage);
    return rows.map((r) => ({ stage: r.stage, count: r.count, valueCents: Number(r.valueCents), weightedValueCents: Number(r.weightedValueCents) }));
  }
}
