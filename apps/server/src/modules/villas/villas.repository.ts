import { and, asc, eq, gte, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { ApplicationStatus, BudgetKind, ContentKind, VillaStatus } from '@mona/shared';
import type { Db } from '../../platform/db/client.ts';
import { sponsorships } from '../sponsors/sponsors.tables.ts';
import { users } from '../users/users.tables.ts';
import { villaApplications, villaBudgetLines, villaContentTargets, villas, villaSlots, villaStatusChanges } from './villas.tables.ts';

export type VillaRow = typeof villas.$inferSelect;
export type VillaStatusChangeRow = typeof villaStatusChanges.$inferSelect;
export type SlotRow = typeof villaSlots.$inferSelect;
export type BudgetLineRow = typeof villaBudgetLines.$inferSelect;
export type ContentTargetRow = typeof villaContentTargets.$inferSelect;

/** What a transaction of this module needs. */
export type VillaTx = Pick<Db, 'insert' | 'select' | 'update' | 'delete'>;

export type VillaChanges = Partial<Pick<VillaRow, 'name' | 'place' | 'description' | 'arrivalOn' | 'capacity' | 'maxPerGenre' | 'timeZone'>>;
export type SlotValues = Pick<SlotRow, 'day' | 'title' | 'kind' | 'startsAt' | 'endsAt' | 'room' | 'artistIds' | 'staffIds' | 'notes'>;
export type BudgetLineValues = Pick<BudgetLineRow, 'kind' | 'category' | 'label' | 'plannedCents' | 'actualCents' | 'notes' | 'position'>;

export interface VillaFilters {
  statuses?: readonly VillaStatus[] | undefined;
  /** Only villas whose stay has not ended: J7 on or after this local date. */
  endingOnOrAfter?: string | undefined;
  includeArchived?: boolean | undefined;
}

export interface StatusChangeWithName extends VillaStatusChangeRow {
  changerName: string | null;
}

/** All SQL on villas and their status history, slots, budget lines and content targets. */
export class VillasRepository {
  constructor(private readonly db: Db) {}

  async insert(tx: VillaTx, values: typeof villas.$inferInsert): Promise<VillaRow> {
    const [row] = await tx.insert(villas).values(values).returning();
    return row!;
  }

  async findById(id: string, tx: Pick<Db, 'select'> = this.db): Promise<VillaRow | undefined> {
    const [row] = await tx.select().from(villas).where(eq(villas.id, id)).limit(1);
    return row;
  }

  /** Reads and locks the villa row until the transaction ends: schedule changes of one villa run one at a time. */
  async lock(tx: Pick<Db, 'select'>, id: string): Promise<VillaRow | undefined> {
    const [row] = await tx.select().from(villas).where(eq(villas.id, id)).for('update');
    return row;
  }

  /** By arrival day, soonest first. */
  async list(filters: VillaFilters): Promise<VillaRow[]> {
    const conditions: SQL[] = [];
    if (filters.statuses) conditions.push(inArray(villas.status, [...filters.statuses]));
    if (filters.endingOnOrAfter) conditions.push(gte(sql`${villas.arrivalOn} + 7`, sql`${filters.endingOnOrAfter}::date`));
    if (!filters.includeArchived) conditions.push(isNull(villas.archivedAt));
    return this.db
      .select()
      .from(villas)
      .where(conditions.length ? and(...conditions) : undefined)
      .orderBy(asc(villas.arrivalOn), asc(villas.name), asc(villas.id));
  }

  async update(tx: VillaTx, id: string, changes: VillaChanges): Promise<VillaRow | undefined> {
    const [row] = await tx
      .update(villas)
      .set({ ...changes, updatedAt: sql`now()` })
      .where(eq(villas.id, id))
      .returning();
    return row;
  }

  async setArchived(tx: VillaTx, id: string, archived: boolean): Promise<VillaRow | undefined> {
    const [row] = await tx
      .update(villas)
      .set({ archivedAt: archived ? sql`now()` : null, updatedAt: sql`now()` })
      .where(eq(villas.id, id))
      .returning();
    return row;
  }

  /** Changes the status only if the villa is still at `from`: of two concurrent changes from the same status, the second finds no row. */
  async transition(tx: VillaTx, id: string, from: VillaStatus, to: VillaStatus): Promise<VillaRow | undefined> {
    const [row] = await tx
      .update(villas)
      .set({ status: to, updatedAt: sql`now()` })
      .where(and(eq(villas.id, id), eq(villas.status, from)))
      .returning();
    return row;
  }

  async insertStatusChange(
    tx: VillaTx,
    change: { villaId: string; fromStatus: VillaStatus | null; toStatus: VillaStatus; reason: string; changedBy: string | null; changedAt?: Date },
  ): Promise<void> {
    await tx.insert(villaStatusChanges).values(change);
  }

  /** Oldest first. */
  async history(villaId: string): Promise<StatusChangeWithName[]> {
    const rows = await this.db
      .select({ change: villaStatusChanges, changerName: users.name })
      .from(villaStatusChanges)
      .leftJoin(users, eq(users.id, villaStatusChanges.changedBy))
      .where(eq(villaStatusChanges.villaId, villaId))
      .orderBy(asc(villaStatusChanges.changedAt), asc(sql`${villaStatusChanges.fromStatus} is not null`), asc(villaStatusChanges.id));
    return rows.map((r) => ({ ...r.change, changerName: r.changerName }));
  }

  /** Applications of the villa counted by status (read only: applications are their own module). */
  async applicationCounts(villaId: string): Promise<Partial<Record<ApplicationStatus, number>>> {
    const rows = await this.db
      .select({ status: villaApplications.status, count: sql<number>`count(*)::int` })
      .from(villaApplications)
      .where(eq(villaApplications.villaId, villaId))
      .groupBy(villaApplications.status);
    return Object.fromEntries(rows.map((r) => [r.status, r.count]));
  }

  // Slots

  async insertSlots(tx: VillaTx, villaId: string, values: SlotValues[]): Promise<SlotRow[]> {
    if (!values.length) return [];
    return tx
      .insert(villaSlots)
      .values(values.map((v) => ({ ...v, villaId })))
      .returning();
  }

  async findSlot(villaId: string, slotId: string, tx: Pick<Db, 'select'> = this.db): Promise<SlotRow | undefined> {
    const [row] = await tx
      .select()
      .from(villaSlots)
      .where(and(eq(villaSlots.id, slotId), eq(villaSlots.villaId, villaId)))
      .limit(1);
    return row;
  }

  /** By start. */
  async listSlots(villaId: string, tx: Pick<Db, 'select'> = this.db): Promise<SlotRow[]> {
    return tx.select().from(villaSlots).where(eq(villaSlots.villaId, villaId)).orderBy(asc(villaSlots.startsAt), asc(villaSlots.id));
  }

  async updateSlot(tx: VillaTx, slotId: string, values: Partial<SlotValues>): Promise<SlotRow | undefined> {
    const [row] = await tx
      .update(villaSlots)
      .set({ ...values, updatedAt: sql`now()` })
      .where(eq(villaSlots.id, slotId))
      .returning();
    return row;
  }

  async deleteSlot(tx: VillaTx, slotId: string): Promise<boolean> {
    const rows = await tx.delete(villaSlots).where(eq(villaSlots.id, slotId)).returning({ id: villaSlots.id });
    return rows.length > 0;
  }

  // Budget

  async insertBudgetLines(tx: VillaTx, villaId: string, values: BudgetLineValues[]): Promise<BudgetLineRow[]> {
    if (!values.length) return [];
    return tx
      .insert(villaBudgetLines)
      .values(values.map((v) => ({ ...v, villaId })))
      .returning();
  }

  /** Costs then revenues, by position. */
  async listBudgetLines(villaId: string): Promise<BudgetLineRow[]> {
    return this.db
      .select()
      .from(villaBudgetLines)
      .where(eq(villaBudgetLines.villaId, villaId))
      .orderBy(asc(villaBudgetLines.kind), asc(villaBudgetLines.position), asc(villaBudgetLines.createdAt), asc(villaBudgetLines.id));
  }

  async findBudgetLine(villaId: string, lineId: string): Promise<BudgetLineRow | undefined> {
    const [row] = await this.db
      .select()
      .from(villaBudgetLines)
      .where(and(eq(villaBudgetLines.id, lineId), eq(villaBudgetLines.villaId, villaId)))
      .limit(1);
    return row;
  }

  async nextBudgetPosition(villaId: string, kind: BudgetKind): Promise<number> {
    const [row] = await this.db
      .select({ max: sql<number | null>`max(${villaBudgetLines.position})` })
      .from(villaBudgetLines)
      .where(and(eq(villaBudgetLines.villaId, villaId), eq(villaBudgetLines.kind, kind)));
    return (row?.max ?? -1) + 1;
  }

  async updateBudgetLine(villaId: string, lineId: string, values: Partial<BudgetLineValues>): Promise<BudgetLineRow | undefined> {
    const [row] = await this.db
      .update(villaBudgetLines)
      .set({ ...values, updatedAt: sql`now()` })
      .where(and(eq(villaBudgetLines.id, lineId), eq(villaBudgetLines.villaId, villaId)))
      .returning();
    return row;
  }

  async deleteBudgetLine(villaId: string, lineId: string): Promise<boolean> {
    const rows = await this.db
      .delete(villaBudgetLines)
      .where(and(eq(villaBudgetLines.id, lineId), eq(villaBudgetLines.villaId, villaId)))
      .returning({ id: villaBudgetLines.id });
    return rows.length > 0;
  }

  // Content targets

  async insertContentTargets(tx: VillaTx, villaId: string, targets: { kind: ContentKind; target: number }[]): Promise<void> {
    if (targets.length) await tx.insert(villaContentTargets).values(targets.map((t) => ({ ...t, villaId })));
  }

  async listContentTargets(villaId: string): Promise<ContentTargetRow[]> {
    return this.db.select().from(villaContentTargets).where(eq(villaContentTargets.villaId, villaId));
  }

  /** Sets the target and/or the delivered count of one kind, creating the row (target 0) when missing. */
  async upsertContentTarget(
    villaId: string,
    kind: ContentKind,
    values: { target?: number | undefined; delivered?: number | undefined },
  ): Promise<ContentTargetRow> {
    const set: Partial<Pick<ContentTargetRow, 'target' | 'delivered'>> = {};
    if (values.target !== undefined) set.target = values.target;
    if (values.delivered !== undefined) set.delivered = values.delivered;
    const [row] = await this.db
      .insert(villaContentTargets)
      .values({ villaId, kind, target: values.target ?? 0, delivered: values.delivered ?? 0 })
      .onConflictDoUpdate({ target: [villaContentTargets.villaId, villaContentTargets.kind], set: { ...set, updatedAt: sql`now()` } })
      .returning();
    return row!;
  }

  /** Active sponsorships of the villa (read only: sponsors are their own module). */
  async activeSponsorsCount(villaId: string): Promise<number> {
    const [row] = await this.db
      .select({ count: sql<number>`count(*)::int` })
      .from(sponsorships)
      .where(and(eq(sponsorships.villaId, villaId), eq(sponsorships.status, 'active')));
    return row?.count ?? 0;
  }

  /** Counts accepted applications (the participants). */
  async acceptedCount(villaId: string, tx: Pick<Db, 'select'> = this.db): Promise<number> {
    const [row] = await tx
      .select({ count: sql<number>`count(*)::int` })
      .from(villaApplications)
      .where(and(eq(villaApplications.villaId, villaId), eq(villaApplications.status, 'accepted')));
    return row?.count ?? 0;
  }
}
