import { z } from 'zod';
import { ORDER_STATUSES } from '@mona/shared';

export const idParams = z.strictObject({ id: z.uuid() });

/** Money is always integer cents (EUR). */
export const cents = z.number().int('Give an amount in integer cents').min(0).max(100_000_000);

export const offerSchema = z
  .object({
    id: z.uuid(),
    code: z.string().describe('Stable code, e.g. mona-290'),
    name: z.string(),
    description: z.string(),
    includes: z.array(z.string()).describe('What the offer includes, one line each'),
    priceCents: z.number().int(),
    priceIsMinimum: z.boolean().describe('True for "490+": an order may be priced higher than priceCents, never lower'),
    position: z.number().int(),
    active: z.boolean().describe('Inactive offers are not sold any more'),
    updatedAt: z.string(),
  })
  .meta({ id: 'Offer' });
export type OfferDto = z.infer<typeof offerSchema>;

export const listOffersQuery = z.strictObject({
  includeInactive: z.enum(['true', 'false']).default('false').describe('true lists inactive offers too (team only)'),
});
export const offerListResponse = z.object({ items: z.array(offerSchema).describe('Ordered by position') });

export const updateOfferBody = z
  .strictObject({
    name: z.string().trim().min(1, 'Name is required').max(120),
    description: z.string().trim().max(2000),
    includes: z.array(z.string().trim().min(1, 'A line cannot be empty').max(200)).max(30),
    priceCents: cents,
    active: z.boolean(),
  })
  .partial()
  .describe('Only the fields given change. Existing orders keep the price they were made at.');
export type UpdateOfferInput = z.infer<typeof updateOfferBody>;

const status = z.enum(ORDER_STATUSES);

export const createOrderBody = z.strictObject({
  artistId: z.uuid(),
  offerId: z.uuid(),
  priceCents: cents.optional().describe("Defaults to the offer's price; only a priceIsMinimum offer takes another price, at least the offer's"),
  note: z.string().trim().max(2000).optional(),
});
export type CreateOrderInput = z.infer<typeof createOrderBody>;

export const orderTransitionBody = z.strictObject({
  to: status.describe('pending → paid | cancelled; paid → fulfilled | refunded; fulfilled → refunded'),
  reason: z.string().trim().max(500).optional().describe('Kept in the status history'),
});
export type OrderTransitionInput = z.infer<typeof orderTransitionBody>;

export const listOrdersQuery = z.strictObject({
  status: status.optional(),
  artistId: z.uuid().optional(),
  offerId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type ListOrdersQuery = z.infer<typeof listOrdersQuery>;

const person = z.object({ id: z.uuid(), name: z.string() }).nullable().describe('null when the account was deleted');

export const orderStatusChangeSchema = z
  .object({
    id: z.uuid(),
    fromStatus: status.nullable().describe('null for the creation'),
    toStatus: status,
    reason: z.string(),
    changedAt: z.string(),
    changedBy: person,
  })
  .meta({ id: 'OrderStatusChange' });
export type OrderStatusChangeDto = z.infer<typeof orderStatusChangeSchema>;

export const orderSchema = z
  .object({
    id: z.uuid(),
    artistId: z.uuid(),
    artistName: z.string().describe("The artist's stage name"),
    offerId: z.uuid(),
    offerCode: z.string(),
    offerName: z.string(),
    priceCents: z.number().int().describe('Copied when the order was made'),
    status,
    note: z.string(),
    createdBy: z.uuid().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    paidAt: z.string().nullable(),
    fulfilledAt: z.string().nullable(),
    refundedAt: z.string().nullable(),
    cancelledAt: z.string().nullable(),
  })
  .meta({ id: 'Order' });
export type OrderDto = z.infer<typeof orderSchema>;

export const orderDetailSchema = orderSchema
  .extend({ history: z.array(orderStatusChangeSchema).describe('Every status change, oldest first') })
  .meta({ id: 'OrderDetail' });
export type OrderDetailDto = z.infer<typeof orderDetailSchema>;

export const orderListResponse = z.object({ items: z.array(orderSchema).describe('Newest first') });
