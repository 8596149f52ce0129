import { and, asc, desc, eq, gte, isNull, lt, ne, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { MissionStatus } from '@mona/shared';
import type { Db } from '../../platform/db/client.ts';
import { artists } from '../artists/artists.tables.ts';
import type { Tx } from '../events/events.service.ts';
import { users } from '../users/users.tables.ts';
import { missionDeliverables, missions, missionStatusChanges, serviceBlocks } from './marketplace.tables.ts';

export type BlockRow = typeof serviceBlocks.$inferSelect;
export type MissionRow = typeof missions.$inferSelect;
export type DeliverableRow = typeof missionDeliverables.$inferSelect;
export type MissionStatusChangeRow = typeof missionStatusChanges.$inferSelect;
export type BlockChanges = Partial<Pick<BlockRow, 'name' | 'description' | 'diagnosticCents' | 'oneShotCents' | 'monthlyCents' | 'active'>>;

/** A mission with what its lists show: block code and name, the artist's stage name (and their account), the expert's name. */
export interface MissionRecord extends MissionRow {
  blockCode: string;
  blockName: string;
  artistName: string;
  artistUserId: string | null;
  expertName: string | null;
}

export interface MissionFilters {
  status?: MissionStatus | undefined;
  expertId?: string | undefined;
  artistId?: string | undefined;
  blockId?: string | undefined;
}

export interface WithName<R> {
  row: R;
  name: string | null;
}

const experts = alias(users, 'experts');

const missionColumns = {
  mission: missions,
  blockCode: serviceBlocks.code,
  blockName: serviceBlocks.name,
  artistName: artists.stageName,
  artistUserId: artists.userId,
  expertName: experts.name,
};

type Joined = { mission: MissionRow; blockCode: string; blockName: string; artistName: string; artistUserId: string | null; expertName: string | null };
const toRecord = ({ mission, ...rest }: Joined): MissionRecord => ({ ...mission, ...rest });

/** The timestamp a mission gets when it enters a status. */
const STATUS_TIMESTAMP = {
  assigned: 'assignedAt',
  in_progress: 'startedAt',
  delivered: 'deliveredAt',
  accepted: 'acceptedAt',
  cancelled: 'cancelledAt',
} as const satisfies Partial<Record<MissionStatus, keyof MissionRow>>;

/** All SQL on service_blocks, missions, their deliverables and status changes. */
export class MarketplaceRepository {
  constructor(private readonly db: Db) {}

  async listBlocks(includeInactive: boolean): Promise<BlockRow[]> {
    return this.db
      .select()
      .from(serviceBlocks)
      .where(includeInactive ? undefined : eq(serviceBlocks.active, true))
      .orderBy(asc(serviceBlocks.position), asc(serviceBlocks.code));
  }

  async findBlock(id: string): Promise<BlockRow | undefined> {
    const [row] = await this.db.select().from(serviceBlocks).where(eq(serviceBlocks.id, id)).limit(1);
    return row;
  }

  async updateBlock(id: string, changes: BlockChanges): Promise<BlockRow | undefined> {
    const [row] = await this.db
      .update(serviceBlocks)
      .set({ ...changes, updatedAt: sql`now()` })
      .where(eq(serviceBlocks.id, id))
      .returning();
    return row;
  }

  async insertMission(
    tx: Tx,
    values: { blockId: string; artistId: string; format: MissionRow['format']; priceCents: number; brief: string; requestedBy: string },
  ): Promise<MissionRow> {
    const [row] = await tx.insert(missions).values(values).returning();
    return row!;
  }

  async findMission(id: string): Promise<MissionRecord | undefined> {
    const [row] = await this.db
      .select(missionColumns)
      .from(missions)
      .innerJoin(serviceBlocks, eq(serviceBlocks.id, missions.blockId))
      .innerJoin(artists, eq(artists.id, missions.artistId))
      .leftJoin(experts, eq(experts.id, missions.expertId))
      .where(eq(missions.id, id))
      .limit(1);
    return row && toRecord(row);
  }

  /** Most recently requested first. */
  async listMissions(filters: MissionFilters, limit: number): Promise<MissionRecord[]> {
    const conditions: SQL[] = [];
    if (filters.status) conditions.push(eq(missions.status, filters.status));
    if (filters.expertId) conditions.push(eq(missions.expertId, filters.expertId));
    if (filters.artistId) conditions.push(eq(missions.artistId, filters.artistId));
    if (filters.blockId) conditions.push(eq(missions.blockId, filters.blockId));
    const rows = await this.db
      .select(missionColumns)
      .from(missions)
      .innerJoin(serviceBlocks, eq(serviceBlocks.id, missions.blockId))
      .innerJoin(artists, eq(artists.id, missions.artistId))
      .leftJoin(experts, eq(experts.id, missions.expertId))
      .where(conditions.length ? and(...conditions) : undefined)
      .orderBy(desc(missions.requestedAt), desc(missions.id))
      .limit(limit);
    return rows.map(toRecord);
  }

  /**
   * Changes the status only if the mission is still at `from` (and, when given,
   * still with `expectedExpertId`): of two concurrent changes, the second finds
   * no row and loses. Stamps the status's timestamp; `startedAt` keeps the first
   * start; asking changes (delivered → in_progress) clears `deliveredAt`.
   */
  async transition(
    tx: Tx,
    id: string,
    from: MissionStatus,
    to: MissionStatus,
    options: { expectedExpertId?: string | null; expertId?: string } = {},
  ): Promise<MissionRow | undefined> {
    const changes: Partial<Record<keyof MissionRow, unknown>> = { status: to, updatedAt: sql`now()` };
    if (to !== 'requested') changes[STATUS_TIMESTAMP[to]] = sql`now()`;
    if (to === 'in_progress') changes.startedAt = sql`coalesce(${missions.startedAt}, now())`;
    if (from === 'delivered' && to === 'in_progress') changes.deliveredAt = null;
    if (options.expertId) changes.expertId = options.expertId;
    const conditions = [eq(missions.id, id), eq(missions.status, from)];
    if (options.expectedExpertId !== undefined) {
      conditions.push(options.expectedExpertId === null ? isNull(missions.expertId) : eq(missions.expertId, options.expectedExpertId));
    }
    const [row] = await tx
      .update(missions)
      .set(changes as Partial<typeof missions.$inferInsert>)
      .where(and(...conditions))
      .returning();
    return row;
  }

  /** Locks the mission row until the transaction ends, so a deliverable and a status change of one mission never interleave. */
  async lockMission(tx: Tx, id: string): Promise<MissionRow | undefined> {
    const [row] = await tx.select().from(missions).where(eq(missions.id, id)).for('update');
    return row;
  }

  async countDeliverables(tx: Tx, missionId: string): Promise<number> {
    const [row] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(missionDeliverables)
      .where(eq(missionDeliverables.missionId, missionId));
    return row?.n ?? 0;
  }

  async insertDeliverable(tx: Tx, values: { missionId: string; title: string; url: string | null; note: string; createdBy: string }): Promise<DeliverableRow> {
    const [row] = await tx.insert(missionDeliverables).values(values).returning();
    return row!;
  }

  async deliverables(missionId: string): Promise<WithName<DeliverableRow>[]> {
    const rows = await this.db
      .select({ row: missionDeliverables, name: users.name })
      .from(missionDeliverables)
      .leftJoin(users, eq(users.id, missionDeliverables.createdBy))
      .where(eq(missionDeliverables.missionId, missionId))
      .orderBy(asc(missionDeliverables.createdAt), asc(missionDeliverables.id));
    return rows;
  }

  async insertStatusChange(
    tx: Tx,
    change: { missionId: string; fromStatus: MissionStatus | null; toStatus: MissionStatus; reason: string; changedBy: string | null; changedAt?: Date },
  ): Promise<MissionStatusChangeRow> {
    const [row] = await tx.insert(missionStatusChanges).values(change).returning();
    return row!;
  }

  /** Oldest first. */
  async history(missionId: string): Promise<WithName<MissionStatusChangeRow>[]> {
    return this.db
      .select({ row: missionStatusChanges, name: users.name })
      .from(missionStatusChanges)
      .leftJoin(users, eq(users.id, missionStatusChanges.changedBy))
      .where(eq(missionStatusChanges.missionId, missionId))
      .orderBy(asc(missionStatusChanges.changedAt), asc(sql`${missionStatusChanges.fromStatus} is not null`), asc(missionStatusChanges.id));
  }

  /** The expert's missions delivered in [from, to) and not cancelled, oldest delivery first: the commission's base. */
  async deliveredBy(expertId: string, from: Date, to: Date): Promise<MissionRecord[]> {
    const rows = await this.db
      .select(missionColumns)
      .from(missions)
      .innerJoin(serviceBlocks, eq(serviceBlocks.id, missions.blockId))
      .innerJoin(artists, eq(artists.id, missions.artistId))
      .leftJoin(experts, eq(experts.id, missions.expertId))
      .where(and(eq(missions.expertId, expertId), gte(missions.deliveredAt, from), lt(missions.deliveredAt, to), ne(missions.status, 'cancelled')))
      .orderBy(asc(missions.deliveredAt), asc(missions.id));
    return rows.map(toRecord);
  }
}
