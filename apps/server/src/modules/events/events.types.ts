import type { PipelineStage, Tier } from '@mona/shared';

/** Every domain event and its payload. Other modules react through jobs that subscribe to them. */
export interface DomainEventPayloads {
  'artist.tier_changed': { artistId: string; oldTier: Tier; newTier: Tier; oldTotal: number; newTotal: number; reason: string };
  'artist.stage_changed': { artistId: string; fromStage: PipelineStage | null; toStage: PipelineStage; movedBy: string | null; reason: string };
  /** An order of a MONA offer became paid (notifications and sequences react). */
  'order.paid': { orderId: string; artistId: string; offerCode: string; priceCents: number };
  /** An artist created their account (linked to their artist record, new or found by email): the welcome sequence starts. */
  'artist.signed_up': { artistId: string; userId: string };
  /** An artist withdrew marketing consent (unsubscribe link or their portal): sequences with that exit stop. */
  'artist.unsubscribed': { artistId: string; messageId: string | null };
}
export type DomainEventName = keyof DomainEventPayloads;

export interface DomainEvent<N extends DomainEventName = DomainEventName> {
  id: string;
  name: N;
  aggregateId: string | null;
  payload: DomainEventPayloads[N];
  occurredAt: string;
}
