import { and, asc, desc, eq, gte, isNotNull, lt, sql, type SQL } from 'drizzle-orm';
import type { OrderStatus } from '@mona/shared';
import type { Db } from '../../platform/db/client.ts';
import { artists } from '../artists/artists.tables.ts';
import type { Tx } from '../events/events.service.ts';
import { users } from '../users/users.tables.ts';
import { offers, orders, orderStatusChanges } from './offers.tables.ts';

export type OfferRow = typeof offers.$inferSelect;
export type OrderRow = typeof orders.$inferSelect;
export type OrderStatusChangeRow = typeof orderStatusChanges.$inferSelect;
export type OfferChanges = Partial<Pick<OfferRow, 'name' | 'description' | 'includes' | 'priceCents' | 'active'>>;

/** An order with what its lists show: the artist's stage name and the offer's code and name. */
export interface OrderRecord extends OrderRow {
  artistName: string;
  offerCode: string;
  offerName: string;
}

export interface StatusChangeWithName extends OrderStatusChangeRow {
  changerName: string | null;
}

export interface OrderFilters {
  status?: OrderStatus | undefined;
  artistId?: string | undefined;
  offerId?: string | undefined;
}

/** The timestamp an order gets when it enters a status. */
const STATUS_TIMESTAMP = {
  paid: 'paidAt',
  fulfilled: 'fulfilledAt',
  refunded: 'refundedAt',
  cancelled: 'cancelledAt',
} as const satisfies Partial<Record<OrderStatus, keyof OrderRow>>;

const orderColumns = {
  order: orders,
  artistName: artists.stageName,
  offerCode: offers.code,
  offerName: offers.name,
};

const toRecord = (r: { order: OrderRow; artistName: string; offerCode: string; offerName: string }): OrderRecord => ({
  ...r.order,
  artistName: r.artistName,
  offerCode: r.offerCode,
  offerName: r.offerName,
});

/** All SQL on offers, orders and order_status_changes. */
export class OffersRepository {
  constructor(private readonly db: Db) {}

  async listOffers(includeInactive: boolean): Promise<OfferRow[]> {
    return this.db
      .select()
      .from(offers)
      .where(includeInactive ? undefined : eq(offers.active, true))
      .orderBy(asc(offers.position), asc(offers.code));
  }

  async findOffer(id: string): Promise<OfferRow | undefined> {
    const [row] = await this.db.select().from(offers).where(eq(offers.id, id)).limit(1);
    return row;
  }

  async updateOffer(id: string, changes: OfferChanges): Promise<OfferRow | undefined> {
    const [row] = await this.db
      .update(offers)
      .set({ ...changes, updatedAt: sql`now()` })
      .where(eq(offers.id, id))
      .returning();
    return row;
  }

  async insertOrder(tx: Tx, values: { artistId: string; offerId: string; priceCents: number; note: string; createdBy: string }): Promise<OrderRow> {
    const [row] = await tx.insert(orders).values(values).returning();
    return row!;
  }

  async findOrder(id: string, tx: Pick<Db, 'select'> = this.db): Promise<OrderRecord | undefined> {
    const [row] = await tx
      .select(orderColumns)
      .from(orders)
      .innerJoin(artists, eq(artists.id, orders.artistId))
      .innerJoin(offers, eq(offers.id, orders.offerId))
      .where(eq(orders.id, id))
      .limit(1);
    return row && toRecord(row);
  }

  /** Newest first; `artistId` also scopes an artist's own list. */
  async listOrders(filters: OrderFilters, limit: number): Promise<OrderRecord[]> {
    const conditions: SQL[] = [];
    if (filters.status) conditions.push(eq(orders.status, filters.status));
    if (filters.artistId) conditions.push(eq(orders.artistId, filters.artistId));
    if (filters.offerId) conditions.push(eq(orders.offerId, filters.offerId));
    const rows = await this.db
      .select(orderColumns)
      .from(orders)
      .innerJoin(artists, eq(artists.id, orders.artistId))
      .innerJoin(offers, eq(offers.id, orders.offerId))
      .where(conditions.length ? and(...conditions) : undefined)
      .orderBy(desc(orders.createdAt), desc(orders.id))
      .limit(limit);
    return rows.map(toRecord);
  }

  /**
   * Changes the status only if the order is still at `from`: of two concurrent
   * transitions from the same status, the second finds no row and loses.
   * Stamps the status's timestamp (paidAt, ...) with the transaction's now().
   */
  async transition(tx: Tx, id: string, from: OrderStatus, to: OrderStatus): Promise<OrderRow | undefined> {
    const stamp = to === 'pending' ? {} : { [STATUS_TIMESTAMP[to]]: sql`now()` };
    const [row] = await tx
      .update(orders)
      .set({ status: to, updatedAt: sql`now()`, ...stamp })
      .where(and(eq(orders.id, id), eq(orders.status, from)))
      .returning();
    return row;
  }

  async insertStatusChange(
    tx: Tx,
    change: { orderId: string; fromStatus: OrderStatus | null; toStatus: OrderStatus; reason: string; changedBy: string | null; changedAt?: Date },
  ): Promise<OrderStatusChangeRow> {
    const [row] = await tx.insert(orderStatusChanges).values(change).returning();
    return row!;
  }

  /** Oldest first. */
  async history(orderId: string): Promise<StatusChangeWithName[]> {
    const rows = await this.db
      .select({ change: orderStatusChanges, changerName: users.name })
      .from(orderStatusChanges)
      .leftJoin(users, eq(users.id, orderStatusChanges.changedBy))
      .where(eq(orderStatusChanges.orderId, orderId))
      .orderBy(asc(orderStatusChanges.changedAt), asc(sql`${orderStatusChanges.fromStatus} is not null`), asc(orderStatusChanges.id));
    return rows.map((r) => ({ ...r.change, changerName: r.changerName }));
  }

  /**
   * The business gauge: orders that were paid in [from, to) (by paidAt, whatever
   * happened to them since) and the money they brought, in cents.
   */
  async paidBetween(from: Date, to: Date): Promise<{ orders: number; amountCents: number }> {
    const [row] = await this.db
      .select({ orders: sql<number>`count(*)::int`, amountCents: sql<string>`coalesce(sum(${orders.priceCents}), 0)::text` })
      .from(orders)
      .where(and(isNotNull(orders.paidAt), gte(orders.paidAt, from), lt(orders.paidAt, to)));
    return { orders: row?.orders ?? 0, amountCents: Number(row?.amountCents ?? 0) };
  }
}
