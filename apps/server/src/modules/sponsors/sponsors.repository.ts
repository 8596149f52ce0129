import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DeliverableMetric, SponsorPackage } from '@mona/shared';
import type { Db } from '../../platform/db/client.ts';
import type { Tx } from '../events/events.service.ts';
import { villas } from '../villas/villas.tables.ts';
import { deliveryRecords, sponsorPackages, sponsors, sponsorshipDeliverables, sponsorships } from './sponsors.tables.ts';

export type SponsorRow = typeof sponsors.$inferSelect;
export type SponsorPackageRow = typeof sponsorPackages.$inferSelect;
export type SponsorshipRow = typeof sponsorships.$inferSelect;
export type DeliverableRow = typeof sponsorshipDeliverables.$inferSelect;
export type DeliveryRecordRow = typeof deliveryRecords.$inferSelect;
export type VillaRow = typeof villas.$inferSelect;
export type SponsorValues = Pick<SponsorRow, 'companyName' | 'sector' | 'contactName' | 'contactEmail' | 'website'>;

/** A deal with what its lists show: sponsor, package and villa. */
export interface SponsorshipRecord extends SponsorshipRow {
  companyName: string;
  sponsorSector: string;
  sponsorUserId: string | null;
  packageName: string;
  villaName: string;
  villaPlace: string;
  arrivalOn: string;
  timeZone: string;
}

const sponsorshipColumns = {
  s: sponsorships,
  companyName: sponsors.companyName,
  sponsorSector: sponsors.sector,
  sponsorUserId: sponsors.userId,
  packageName: sponsorPackages.name,
  villaName: villas.name,
  villaPlace: villas.place,
  arrivalOn: villas.arrivalOn,
  timeZone: villas.timeZone,
};

type JoinedRow = { s: SponsorshipRow } & Omit<SponsorshipRecord, keyof SponsorshipRow>;
const toRecord = ({ s, ...rest }: JoinedRow): SponsorshipRecord => ({ ...s, ...rest });

/** All SQL on sponsors, sponsor_packages, sponsorships, their deliverables and delivery records. */
export class SponsorsRepository {
  constructor(private readonly db: Db) {}

  // Sponsors

  async findSponsor(id: string): Promise<SponsorRow | undefined> {
    const [row] = await this.db.select().from(sponsors).where(eq(sponsors.id, id)).limit(1);
    return row;
  }

  async findSponsorByUser(userId: string): Promise<SponsorRow | undefined> {
    const [row] = await this.db.select().from(sponsors).where(eq(sponsors.userId, userId)).limit(1);
    return row;
  }

  async listSponsors(): Promise<SponsorRow[]> {
    return this.db.select().from(sponsors).orderBy(asc(sponsors.companyName), asc(sponsors.id));
  }

  async insertSponsor(values: SponsorValues & { userId: string | null }, tx: Pick<Db, 'insert'> = this.db): Promise<SponsorRow> {
    const [row] = await tx.insert(sponsors).values(values).returning();
    return row!;
  }

  async updateSponsor(id: string, values: Partial<SponsorValues>): Promise<SponsorRow | undefined> {
    const [row] = await this.db
      .update(sponsors)
      .set({ ...values, updatedAt: sql`now()` })
      .where(eq(sponsors.id, id))
      .returning();
    return row;
  }

  // Catalogue

  async listPackages(): Promise<SponsorPackageRow[]> {
    return this.db.select().from(sponsorPackages).orderBy(asc(sponsorPackages.position), asc(sponsorPackages.code));
  }

  async findPackage(code: SponsorPackage): Promise<SponsorPackageRow | undefined> {
    const [row] = await this.db.select().from(sponsorPackages).where(eq(sponsorPackages.code, code)).limit(1);
    return row;
  }

  async updatePackage(
    code: SponsorPackage,
    changes: Partial<Pick<SponsorPackageRow, 'name' | 'priceCents' | 'deliverables'>>,
  ): Promise<SponsorPackageRow | undefined> {
    const [row] = await this.db
      .update(sponsorPackages)
      .set({ ...changes, updatedAt: sql`now()` })
      .where(eq(sponsorPackages.code, code))
      .returning();
    return row;
  }

  // Villas (read only here)

  async findVilla(id: string): Promise<VillaRow | undefined> {
    const [row] = await this.db.select().from(villas).where(eq(villas.id, id)).limit(1);
    return row;
  }

  /** Locks the villa row for the rest of the transaction: purchases for one villa run one after another. */
  async lockVilla(tx: Tx, id: string): Promise<VillaRow | undefined> {
    const [row] = await tx.select().from(villas).where(eq(villas.id, id)).for('update');
    return row;
  }

  // Sponsorships

  async activeSponsorshipsOfVilla(tx: Tx, villaId: string): Promise<SponsorshipRow[]> {
    return tx
      .select()
      .from(sponsorships)
      .where(and(eq(sponsorships.villaId, villaId), eq(sponsorships.status, 'active')));
  }

  async insertSponsorship(
    tx: Tx,
    values: { villaId: string; sponsorId: string; packageCode: SponsorPackage; priceCents: number; exclusiveSector: string | null; createdBy: string },
  ): Promise<SponsorshipRow> {
    const [row] = await tx.insert(sponsorships).values(values).returning();
    return row!;
  }

  async findSponsorship(id: string): Promise<SponsorshipRecord | undefined> {
    const [row] = await this.db
      .select(sponsorshipColumns)
      .from(sponsorships)
      .innerJoin(sponsors, eq(sponsors.id, sponsorships.sponsorId))
      .innerJoin(sponsorPackages, eq(sponsorPackages.code, sponsorships.packageCode))
      .innerJoin(villas, eq(villas.id, sponsorships.villaId))
      .where(eq(sponsorships.id, id))
      .limit(1);
    return row && toRecord(row);
  }

  /** Newest first, by villa or by sponsor. */
  async listSponsorships(filter: { villaId?: string; sponsorId?: string }): Promise<SponsorshipRecord[]> {
    const rows = await this.db
      .select(sponsorshipColumns)
      .from(sponsorships)
      .innerJoin(sponsors, eq(sponsors.id, sponsorships.sponsorId))
      .innerJoin(sponsorPackages, eq(sponsorPackages.code, sponsorships.packageCode))
      .innerJoin(villas, eq(villas.id, sponsorships.villaId))
      .where(
        and(filter.villaId ? eq(sponsorships.villaId, filter.villaId) : undefined, filter.sponsorId ? eq(sponsorships.sponsorId, filter.sponsorId) : undefined),
      )
      .orderBy(desc(sponsorships.createdAt), desc(sponsorships.id));
    return rows.map(toRecord);
  }

  /** Cancels only an active deal; undefined when it was not active any more. */
  async cancelSponsorship(id: string): Promise<SponsorshipRow | undefined> {
    const [row] = await this.db
      .update(sponsorships)
      .set({ status: 'cancelled', cancelledAt: sql`now()`, updatedAt: sql`now()` })
      .where(and(eq(sponsorships.id, id), eq(sponsorships.status, 'active')))
      .returning();
    return row;
  }

  // Deliverables and deliveries

  async insertDeliverables(tx: Tx, sponsorshipId: string, promised: Partial<Record<DeliverableMetric, number>>): Promise<void> {
    const values = Object.entries(promised).map(([metric, value]) => ({ sponsorshipId, metric: metric as DeliverableMetric, promised: value }));
    if (values.length) await tx.insert(sponsorshipDeliverables).values(values);
  }

  async deliverables(sponsorshipId: string, tx: Pick<Db, 'select'> = this.db): Promise<DeliverableRow[]> {
    return tx.select().from(sponsorshipDeliverables).where(eq(sponsorshipDeliverables.sponsorshipId, sponsorshipId));
  }

  async findDeliverable(sponsorshipId: string, metric: DeliverableMetric): Promise<DeliverableRow | undefined> {
    const [row] = await this.db
      .select()
      .from(sponsorshipDeliverables)
      .where(and(eq(sponsorshipDeliverables.sponsorshipId, sponsorshipId), eq(sponsorshipDeliverables.metric, metric)))
      .limit(1);
    return row;
  }

  /** Sets the promised values: upserts the given metrics, deletes the ones left out. */
  async replaceDeliverables(sponsorshipId: string, promised: Partial<Record<DeliverableMetric, number>>): Promise<void> {
    await this.db.transaction(async (tx) => {
      const keep = Object.keys(promised) as DeliverableMetric[];
      const existing = await tx.select().from(sponsorshipDeliverables).where(eq(sponsorshipDeliverables.sponsorshipId, sponsorshipId));
      const drop = existing.filter((d) => !keep.includes(d.metric)).map((d) => d.id);
      if (drop.length) await tx.delete(sponsorshipDeliverables).where(inArray(sponsorshipDeliverables.id, drop));
      for (const metric of keep) {
        await tx
          .insert(sponsorshipDeliverables)
          .values({ sponsorshipId, metric, promised: promised[metric]! })
          .onConflictDoUpdate({
            target: [sponsorshipDeliverables.sponsorshipId, sponsorshipDeliverables.metric],
            set: { promised: promised[metric]!, updatedAt: sql`now()` },
          });
      }
    });
  }

  /** Metrics of the deal that already have delivery records. */
  async metricsWithRecords(sponsorshipId: string): Promise<DeliverableMetric[]> {
    const rows = await this.db
      .selectDistinct({ metric: sponsorshipDeliverables.metric })
      .from(deliveryRecords)
      .innerJoin(sponsorshipDeliverables, eq(sponsorshipDeliverables.id, deliveryRecords.deliverableId))
      .where(eq(sponsorshipDeliverables.sponsorshipId, sponsorshipId));
    return rows.map((r) => r.metric);
  }

  /**
   * Inserts a delivery record. With an externalKey, a record already stored
   * under the same (deliverable, externalKey) wins and nothing is inserted:
   * returns undefined then.
   */
  async insertRecord(values: {
    deliverableId: string;
    amount: number;
    occurredAt: Date;
    source: 'manual' | 'stream';
    streamId?: string | null;
    externalKey?: string | null;
    note?: string;
    recordedBy?: string | null;
  }): Promise<DeliveryRecordRow | undefined> {
    const [row] = await this.db
      .insert(deliveryRecords)
      .values(values)
      .onConflictDoNothing({ target: [deliveryRecords.deliverableId, deliveryRecords.externalKey] })
      .returning();
    return row;
  }

  /** Every record of a deal with its metric, oldest first. */
  async records(sponsorshipId: string): Promise<(DeliveryRecordRow & { metric: DeliverableMetric })[]> {
    const rows = await this.db
      .select({ r: deliveryRecords, metric: sponsorshipDeliverables.metric })
      .from(deliveryRecords)
      .innerJoin(sponsorshipDeliverables, eq(sponsorshipDeliverables.id, deliveryRecords.deliverableId))
      .where(eq(sponsorshipDeliverables.sponsorshipId, sponsorshipId))
      .orderBy(asc(deliveryRecords.occurredAt), asc(deliveryRecords.id));
    return rows.map((r) => ({ ...r.r, metric: r.metric }));
  }
}
