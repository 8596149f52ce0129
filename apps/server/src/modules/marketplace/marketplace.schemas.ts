import { z } from 'zod';
import { BLOCK_FORMATS, MISSION_STATUSES } from '@mona/shared';
import { cents } from '../offers/offers.schemas.ts';
import { monthSchema } from './marketplace.commission.ts';

export const idParams = z.strictObject({ id: z.uuid() });

const format = z.enum(BLOCK_FORMATS);
const status = z.enum(MISSION_STATUSES);
const person = z.object({ id: z.uuid(), name: z.string() });

export const blockSchema = z
  .object({
    id: z.uuid(),
    code: z.string(),
    name: z.string(),
    description: z.string(),
    diagnosticCents: z.number().int(),
    oneShotCents: z.number().int(),
    monthlyCents: z.number().int(),
    position: z.number().int(),
    active: z.boolean().describe('Inactive blocks cannot be requested'),
    updatedAt: z.string(),
  })
  .meta({ id: 'ServiceBlock' });
export type BlockDto = z.infer<typeof blockSchema>;

export const listBlocksQuery = z.strictObject({
  includeInactive: z.enum(['true', 'false']).default('false').describe('true lists inactive blocks too (team only)'),
});
export const blockListResponse = z.object({ items: z.array(blockSchema).describe('Ordered by position') });

export const updateBlockBody = z
  .strictObject({
    name: z.string().trim().min(1, 'Name is required').max(120),
    description: z.string().trim().max(2000),
    diagnosticCents: cents,
    oneShotCents: cents,
    monthlyCents: cents,
    active: z.boolean(),
  })
  .partial()
  .describe('Only the fields given change. Missions keep the price they were requested at.');
export type UpdateBlockInput = z.infer<typeof updateBlockBody>;

const requestFields = {
  blockId: z.uuid(),
  format: format.describe('diagnostic, one_shot or monthly: the price is copied from the block for this format'),
  brief: z.string().trim().max(5000).optional().describe('What the artist needs'),
};
export const createRequestBody = z.strictObject({ ...requestFields, artistId: z.uuid().describe('An artist may only give their own record') });
export type CreateRequestInput = z.infer<typeof createRequestBody>;
export const createOwnRequestBody = z.strictObject(requestFields);
export type CreateOwnRequestInput = z.infer<typeof createOwnRequestBody>;

export const assignBody = z.strictObject({
  expertId: z.uuid().describe('An active account with the expert role'),
  reason: z.string().trim().max(500).optional(),
});
export type AssignInput = z.infer<typeof assignBody>;

export const missionTransitionBody = z.strictObject({
  to: status.describe(
    'in_progress, delivered (the assigned expert); accepted, or in_progress from delivered to ask changes (team or the artist); cancelled (team)',
  ),
  reason: z.string().trim().max(500).optional().describe('Kept in the status history'),
});
export type MissionTransitionInput = z.infer<typeof missionTransitionBody>;

export const deliverableBody = z.strictObject({
  title: z.string().trim().min(1, 'Title is required').max(200),
  url: z
    .url({ protocol: /^https?$/, message: 'Enter an http(s) URL' })
    .max(2000)
    .optional(),
  note: z.string().trim().max(5000).optional(),
});
export type DeliverableInput = z.infer<typeof deliverableBody>;

export const listMissionsQuery = z.strictObject({
  status: status.optional(),
  expertId: z.uuid().optional(),
  artistId: z.uuid().optional(),
  blockId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type ListMissionsQuery = z.infer<typeof listMissionsQuery>;

export const missionSchema = z
  .object({
    id: z.uuid(),
    blockId: z.uuid(),
    blockCode: z.string(),
    blockName: z.string(),
    artistId: z.uuid(),
    artistName: z.string(),
    format,
    priceCents: z.number().int().describe("The block's price for the format when requested"),
    brief: z.string(),
    status,
    expert: person.nullable().describe('null until assigned'),
    requestedBy: z.uuid().nullable(),
    requestedAt: z.string(),
    assignedAt: z.string().nullable(),
    startedAt: z.string().nullable(),
    deliveredAt: z.string().nullable().describe('The latest delivery; cleared when changes are asked'),
    acceptedAt: z.string().nullable(),
    cancelledAt: z.string().nullable(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Mission' });
export type MissionDto = z.infer<typeof missionSchema>;

export const deliverableSchema = z
  .object({
    id: z.uuid(),
    missionId: z.uuid(),
    title: z.string(),
    url: z.string().nullable(),
    note: z.string(),
    createdBy: person.nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'MissionDeliverable' });
export type DeliverableDto = z.infer<typeof deliverableSchema>;

export const missionStatusChangeSchema = z
  .object({
    id: z.uuid(),
    fromStatus: status.nullable().describe('null for the request'),
    toStatus: status,
    reason: z.string(),
    changedAt: z.string(),
    changedBy: person.nullable().describe('null when the account was deleted'),
  })
  .meta({ id: 'MissionStatusChange' });
export type MissionStatusChangeDto = z.infer<typeof missionStatusChangeSchema>;

export const missionDetailSchema = missionSchema
  .extend({
    deliverables: z.array(deliverableSchema).describe('Oldest first'),
    history: z.array(missionStatusChangeSchema).describe('Every status change, oldest first'),
  })
  .meta({ id: 'MissionDetail' });
export type MissionDetailDto = z.infer<typeof missionDetailSchema>;

export const missionListResponse = z.object({ items: z.array(missionSchema).describe('Most recently requested first') });

export const commissionQuery = z.strictObject({
  month: monthSchema.optional().describe('YYYY-MM, a calendar month in Europe/Paris; the current month when left out'),
});

export const commissionResponse = z
  .object({
    expert: person,
    month: z.string(),
    from: z.string().describe('Start of the month in Europe/Paris, as UTC'),
    to: z.string().describe('Start of the next month (exclusive)'),
    count: z.number().int().describe('Missions delivered in the month and not cancelled'),
    ratePercent: z.number().describe("The agency's share for the month, from the commission tiers"),
    grossCents: z.number().int(),
    commissionCents: z.number().int(),
    payoutCents: z.number().int().describe('gross − commission'),
    tiers: z.array(z.object({ fromMissions: z.number().int(), ratePercent: z.number() })).describe('The tiers applied (setting `marketplace`)'),
    missions: z.array(
      z.object({
        id: z.uuid(),
        blockName: z.string(),
        artistName: z.string(),
        format,
        status,
        deliveredAt: z.string(),
        priceCents: z.number().int(),
        commissionCents: z.number().int(),
        payoutCents: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'ExpertCommission' });
export type CommissionDto = z.infer<typeof commissionResponse>;
