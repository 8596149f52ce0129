import { z } from 'zod';
import { OPPORTUNITY_STAGES, type OpportunityStage } from '@mona/shared';

export const opportunityParams = z.strictObject({ id: z.uuid() });

const stage = z.enum(OPPORTUNITY_STAGES);

/** 10 billion euros: far above any deal, well inside a double's exact integers. */
export const MAX_VALUE_CENTS = 1_000_000_000_000;

/** Probability given to a new opportunity, or one re-opened, when none is sent. Won is always 100 and lost 0. */
export const DEFAULT_PROBABILITY: Record<OpportunityStage, number> = { discovery: 10, proposal: 30, negotiation: 60, won: 100, lost: 0 };

const valueCents = z
  .number()
  .int('Give the value in whole euro cents')
  .min(0, 'The value cannot be negative')
  .max(MAX_VALUE_CENTS)
  .describe('EUR, integer cents');
const probability = z.number().int('Give a whole percentage').min(0).max(100).describe('0–100 %');

const editableFields = {
  title: z.string().trim().min(1, 'Title is required').max(200),
  valueCents,
  probability,
  expectedCloseOn: z.iso.date().nullable().describe('YYYY-MM-DD'),
  ownerId: z.uuid().nullable().describe('An active staff or admin account'),
  notes: z.string().trim().max(5000),
};

export const createOpportunityBody = z.strictObject({
  title: editableFields.title,
  valueCents: editableFields.valueCents,
  probability: editableFields.probability.optional().describe('Default by stage: discovery 10, proposal 30, negotiation 60 (won 100, lost 0 always)'),
  stage: stage.optional().describe('discovery when left out; won or lost records a deal already closed'),
  expectedCloseOn: editableFields.expectedCloseOn.optional(),
  ownerId: editableFields.ownerId.optional().describe('The caller when left out'),
  notes: editableFields.notes.optional(),
});
export type CreateOpportunityInput = z.infer<typeof createOpportunityBody>;

// The stage is not here: it changes through POST /api/opportunities/:id/stage, which applies the rules.
export const updateOpportunityBody = z
  .strictObject(editableFields)
  .partial()
  .describe('Only the fields given change; null clears a field. A closed (won or lost) opportunity only takes notes and ownerId until it is re-opened');
export type UpdateOpportunityInput = z.infer<typeof updateOpportunityBody>;

export const moveOpportunityBody = z.strictObject({
  stage: stage.describe('Any other open stage; won or lost to close; an open stage to re-open a closed one'),
  probability: probability.optional().describe('For an open stage: kept when left out (stage default when re-opening). Won forces 100, lost 0'),
});
export type MoveOpportunityInput = z.infer<typeof moveOpportunityBody>;

export const listOpportunitiesQuery = z.strictObject({
  stage: stage.optional(),
  open: z.enum(['true', 'false']).optional().describe('true: open stages only; false: won and lost only'),
  ownerId: z.uuid().optional(),
  artistId: z.uuid().optional(),
  archived: z.enum(['false', 'true', 'all']).default('false').describe('false (default): active opportunities only'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional().describe('nextCursor of the previous page, with the same filters'),
});
export type ListOpportunitiesQuery = z.infer<typeof listOpportunitiesQuery>;

export const pipelineQuery = z.strictObject({
  ownerId: z.uuid().optional(),
  artistId: z.uuid().optional(),
});

export const opportunitySchema = z
  .object({
    id: z.uuid(),
    artistId: z.uuid(),
    title: z.string(),
    valueCents: z.number().int(),
    probability: z.number().int(),
    weightedValueCents: z.number().int().describe('round(valueCents × probability / 100)'),
    stage,
    expectedCloseOn: z.string().nullable(),
    ownerId: z.uuid().nullable(),
    notes: z.string(),
    createdBy: z.uuid().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    closedAt: z.string().nullable().describe('Set when won or lost; cleared when re-opened'),
    archivedAt: z.string().nullable(),
  })
  .meta({ id: 'Opportunity' });
export type OpportunityDto = z.infer<typeof opportunitySchema>;

export const opportunityListResponse = z.object({
  items: z.array(opportunitySchema).describe('Newest first'),
  nextCursor: z.string().nullable().describe('Pass as cursor for the next page; null on the last page'),
});

export const artistOpportunitiesResponse = z.object({ items: z.array(opportunitySchema).describe('Active opportunities, newest first') });

const amounts = {
  count: z.number().int(),
  valueCents: z.number().int(),
  weightedValueCents: z.number().int().describe('Sum of round(valueCents × probability / 100)'),
};

export const pipelineResponse = z
  .object({
    stages: z.array(z.object({ stage, ...amounts })).describe('Every stage, in order, active opportunities only'),
    open: z.object(amounts).describe('discovery + proposal + negotiation'),
  })
  .meta({ id: 'OpportunityPipeline' });
export type OpportunityPipelineDto = z.infer<typeof pipelineResponse>;
