import { isTeamRole, ORDER_TRANSITIONS, type OrderStatus } from '@mona/shared';
import type { Db } from '../../platform/db/client.ts';
import { AppError, conflict, forbidden, notFound } from '../../platform/errors.ts';
import type { Caller } from '../../platform/http/auth.ts';
import type { ArtistsRepository } from '../artists/artists.repository.ts';
import type { DomainEvents } from '../events/events.service.ts';
import type { OfferRow, OffersRepository, OrderRecord, StatusChangeWithName } from './offers.repository.ts';
import type {
  CreateOrderInput,
  ListOrdersQuery,
  OfferDto,
  OrderDetailDto,
  OrderDto,
  OrderStatusChangeDto,
  OrderTransitionInput,
  UpdateOfferInput,
} from './offers.schemas.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const fieldError = (path: string, message: string) => new AppError(400, 'validation_failed', message, { issues: [{ path, message }] });

export function toOfferDto(row: OfferRow): OfferDto {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    description: row.description,
    includes: row.includes,
    priceCents: row.priceCents,
    priceIsMinimum: row.priceIsMinimum,
    position: row.position,
    active: row.active,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toOrderDto(row: OrderRecord): OrderDto {
  return {
    id: row.id,
    artistId: row.artistId,
    artistName: row.artistName,
    offerId: row.offerId,
    offerCode: row.offerCode,
    offerName: row.offerName,
    priceCents: row.priceCents,
    status: row.status,
    note: row.note,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    paidAt: iso(row.paidAt),
    fulfilledAt: iso(row.fulfilledAt),
    refundedAt: iso(row.refundedAt),
    cancelledAt: iso(row.cancelledAt),
  };
}

function toChangeDto(row: StatusChangeWithName): OrderStatusChangeDto {
  return {
    id: row.id,
    fromStatus: row.fromStatus,
    toStatus: row.toStatus,
    reason: row.reason,
    changedAt: row.changedAt.toISOString(),
    changedBy: row.changedBy && row.changerName !== null ? { id: row.changedBy, name: row.changerName } : null,
  };
}

/** Why an order cannot go from one status to another, or null when ORDER_TRANSITIONS allows it. */
export function orderTransitionRefusal(from: OrderStatus, to: OrderStatus): string | null {
  const allowed = ORDER_TRANSITIONS[from];
  if (allowed.includes(to)) return null;
  if (from === to) return `the order is already ${to}`;
  return allowed.length ? `from ${from} an order can only become ${allowed.join(' or ')}` : `${from} is final`;
}

/**
 * The price an order is made at: the offer's price when none is given; a
 * different price only for a priceIsMinimum offer ("490+"), and never below it.
 * Returns the price, or throws a 400 on `priceCents`.
 */
export function orderPrice(offer: Pick<OfferRow, 'priceCents' | 'priceIsMinimum' | 'name'>, given: number | undefined): number {
  if (given === undefined) return offer.priceCents;
  if (offer.priceIsMinimum) {
    if (given < offer.priceCents) throw fieldError('priceCents', `${offer.name} starts at ${offer.priceCents} cents; the price cannot be lower`);
    return given;
  }
  if (given !== offer.priceCents)
    throw fieldError('priceCents', `${offer.name} is sold at ${offer.priceCents} cents; leave the price out or give exactly that`);
  return given;
}

function assertTeam(caller: Caller, what: string): void {
  if (!isTeamRole(caller.role)) throw forbidden(`Only the team ${what}`);
}

/** The MONA offers catalogue and the orders artists make of them. Every order status change goes through here. */
export class OffersService {
  constructor(
    private readonly deps: {
      db: Db;
      repo: OffersRepository;
      artists: ArtistsRepository;
      events: DomainEvents;
    },
  ) {}

  async listOffers(caller: Caller, includeInactive: boolean): Promise<OfferDto[]> {
    if (includeInactive) assertTeam(caller, 'sees inactive offers');
    return (await this.deps.repo.listOffers(includeInactive)).map(toOfferDto);
  }

  async updateOffer(caller: Caller, id: string, input: UpdateOfferInput): Promise<OfferDto> {
    if (caller.role !== 'admin') throw forbidden('Only an admin changes the catalogue');
    const changes = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
    const row = Object.keys(changes).length ? await this.deps.repo.updateOffer(id, changes) : await this.deps.repo.findOffer(id);
    if (!row) throw notFound('Offer not found');
    return toOfferDto(row);
  }

  async createOrder(caller: Caller, input: CreateOrderInput): Promise<OrderDetailDto> {
    assertTeam(caller, 'creates orders');
    const artist = await this.deps.artists.findById(input.artistId);
    if (!artist) throw notFound('Artist not found');
    const offer = await this.deps.repo.findOffer(input.offerId);
    if (!offer) throw notFound('Offer not found');
    if (artist.archivedAt) throw conflict(`${artist.stageName} is archived: unarchive the artist before ordering for them`);
    if (!offer.active) throw conflict(`${offer.name} is no longer sold`, { issues: [{ path: 'offerId', message: 'This offer is inactive' }] });
    const priceCents = orderPrice(offer, input.priceCents);
    const id = await this.deps.db.transaction(async (tx) => {
      const order = await this.deps.repo.insertOrder(tx, { artistId: artist.id, offerId: offer.id, priceCents, note: input.note ?? '', createdBy: caller.id });
      await this.deps.repo.insertStatusChange(tx, {
        orderId: order.id,
        fromStatus: null,
        toStatus: order.status,
        reason: 'created',
        changedBy: caller.id,
        changedAt: order.createdAt,
      });
      return order.id;
    });
    return this.detail(id);
  }

  async listOrders(caller: Caller, query: ListOrdersQuery): Promise<OrderDto[]> {
    assertTeam(caller, 'lists every order');
    const { limit, ...filters } = query;
    return (await this.deps.repo.listOrders(filters, limit)).map(toOrderDto);
  }

  /** The signed-in artist's orders, newest first; none when no artist record is linked to the account. */
  async listOwnOrders(caller: Caller): Promise<OrderDto[]> {
    if (caller.role !== 'artist') throw forbidden('Only an artist has their own orders');
    const artist = await this.deps.artists.findByUserId(caller.id);
    if (!artist) return [];
    return (await this.deps.repo.listOrders({ artistId: artist.id }, 500)).map(toOrderDto);
  }

  /** The team reads any order; an artist only their own (others are 404, like a missing id). */
  async getOrder(caller: Caller, id: string): Promise<OrderDetailDto> {
    const order = await this.deps.repo.findOrder(id);
    if (!order) throw notFound('Order not found');
    if (!isTeamRole(caller.role)) {
      const artist = caller.role === 'artist' ? await this.deps.artists.findById(order.artistId) : undefined;
      if (!artist || artist.userId !== caller.id) throw notFound('Order not found');
    }
    return this.detail(order.id, order);
  }

  /**
   * Moves an order along ORDER_TRANSITIONS. The update is conditional on the
   * status read, so of two concurrent transitions exactly one wins; the change
   * is recorded in the history, and becoming paid records `order.paid`, in the
   * same transaction.
   */
  async transition(caller: Caller, id: string, input: OrderTransitionInput): Promise<OrderDetailDto> {
    assertTeam(caller, 'changes order statuses');
    const order = await this.deps.repo.findOrder(id);
    if (!order) throw notFound('Order not found');
    const from = order.status;
    const to = input.to;
    const refusal = orderTransitionRefusal(from, to);
    if (refusal) throw conflict(`Cannot change the order from ${from} to ${to}: ${refusal}`, { from, to });

    const eventIds: string[] = [];
    await this.deps.db.transaction(async (tx) => {
      const changed = await this.deps.repo.transition(tx, id, from, to);
      if (!changed) throw conflict(`Cannot change the order from ${from} to ${to}: its status changed meanwhile; reload and try again`, { from, to });
      await this.deps.repo.insertStatusChange(tx, {
        orderId: id,
        fromStatus: from,
        toStatus: to,
        reason: input.reason ?? '',
        changedBy: caller.id,
        changedAt: changed.updatedAt,
      });
      if (to === 'paid') {
        eventIds.push(
          await this.deps.events.record(tx, 'order.paid', id, {
            orderId: id,
            artistId: order.artistId,
            offerCode: order.offerCode,
            priceCents: changed.priceCents,
          }),
        );
      }
    });
    await this.deps.events.dispatch(eventIds);
    return this.detail(id);
  }

  /** Orders paid in [from, to) and their amount: the business gauge monitoring reads. */
  async paidBetween(from: Date, to: Date): Promise<{ orders: number; amountCents: number }> {
    return this.deps.repo.paidBetween(from, to);
  }

  private async detail(id: string, known?: OrderRecord): Promise<OrderDetailDto> {
    const order = known ?? (await this.deps.repo.findOrder(id));
    if (!order) throw notFound('Order not found');
    const history = await this.deps.repo.history(id);
    return { ...toOrderDto(order), history: history.map(toChangeDto) };
  }
}
