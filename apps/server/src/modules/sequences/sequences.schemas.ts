import { z } from 'zod';
import {
  CHANNELS,
  ENROLMENT_STATUSES,
  EXIT_CONDITIONS,
  EXIT_REASONS,
  NOTIFICATION_KINDS,
  PIPELINE_STAGES,
  SEQUENCE_STATUSES,
  SEQUENCE_TRIGGERS,
  TIERS,
  WINDOW_RULES,
} from '@mona/shared';

export const idParams = z.strictObject({ id: z.uuid() });
export const enrolmentParams = z.strictObject({ id: z.uuid(), enrolmentId: z.uuid() });

const MAX_DELAY_MINUTES = 366 * 1440;
const offerCode = z.string().trim().min(1).max(60).describe('An offer code of the catalogue, e.g. mona-290');

export const triggerConfigSchema = z
  .strictObject({
    offerCode: offerCode.optional().describe('order_paid: only orders of this offer (any offer when left out)'),
    tier: z.enum(TIERS).optional().describe('tier_changed: the tier reached (required)'),
    days: z.number().int().min(1).max(3650).optional().describe('inactivity: days without activity (required)'),
  })
  .describe('Parameters of the trigger: offerCode for order_paid, tier for tier_changed, days for inactivity; nothing for signup and manual')
  .meta({ id: 'SequenceTriggerConfig' });

export const exitRuleSchema = z
  .strictObject({
    type: z.enum(EXIT_CONDITIONS),
    offerCode: offerCode.optional().describe('order_paid: only this offer (any paid order when left out); exit reason converted'),
    stage: z.enum(PIPELINE_STAGES).optional().describe('stage_changed: only a move to this stage (any move when left out)'),
    tier: z.enum(TIERS).optional().describe('tier_changed: only a change to this tier (any change when left out)'),
  })
  .meta({ id: 'SequenceExitRule' });

export const stepInput = z
  .strictObject({
    channel: z.enum(CHANNELS),
    templateCode: z.string().trim().min(1).max(120).optional().describe('The template, by code (or give templateId)'),
    templateId: z.uuid().optional().describe('The template, by id (or give templateCode)'),
    delayMinutes: z
      .number()
      .int('Give whole minutes')
      .min(0)
      .max(MAX_DELAY_MINUTES)
      .describe('From the start of the enrolment (not from the previous step); whole days keep the local time of day'),
    windowRule: z.enum(WINDOW_RULES).default('marketing').describe('any, daytime (09–20h every day) or marketing (Tue–Thu 10–14h, 18–20h)'),
  })
  .refine((s) => (s.templateCode === undefined) !== (s.templateId === undefined), {
    message: 'Give templateCode or templateId (one of them)',
    path: ['templateCode'],
  });
export type StepInput = z.infer<typeof stepInput>;

export const stepsBody = z.strictObject({
  steps: z.array(stepInput).max(50, 'At most 50 steps').describe('The whole ordered list; delays must not decrease'),
});
export type StepsInput = z.infer<typeof stepsBody>;

const name = z.string().trim().min(1, 'Name is required').max(120);
const description = z.string().trim().max(2000);

export const createSequenceBody = z.strictObject({
  name,
  description: description.optional(),
  trigger: z.enum(SEQUENCE_TRIGGERS),
  triggerConfig: triggerConfigSchema.optional(),
  exitRules: z.array(exitRuleSchema).max(20).optional(),
  steps: stepsBody.shape.steps.optional(),
});
export type CreateSequenceInput = z.infer<typeof createSequenceBody>;

export const updateSequenceBody = z
  .strictObject({
    name,
    description,
    trigger: z.enum(SEQUENCE_TRIGGERS),
    triggerConfig: triggerConfigSchema,
    exitRules: z.array(exitRuleSchema).max(20),
    status: z
      .enum(SEQUENCE_STATUSES)
      .describe('draft → active (needs at least one step); active → paused; paused → active (enrolments resume, shifted by the pause). Anything else is 409'),
  })
  .partial()
  .describe('Only the fields given change');
export type UpdateSequenceInput = z.infer<typeof updateSequenceBody>;

export const stepSchema = z
  .object({
    id: z.uuid(),
    position: z.number().int().describe('0-based'),
    channel: z.enum(CHANNELS),
    templateId: z.uuid(),
    templateCode: z.string(),
    templateName: z.string(),
    kind: z.enum(NOTIFICATION_KINDS),
    delayMinutes: z.number().int(),
    delayLabel: z.string().describe('D0, +2h, D3, …'),
    windowRule: z.enum(WINDOW_RULES),
  })
  .meta({ id: 'SequenceStep' });
export type StepDto = z.infer<typeof stepSchema>;

export const sequenceSchema = z
  .object({
    id: z.uuid(),
    code: z.string().nullable().describe('Set on the default sequences'),
    name: z.string(),
    description: z.string(),
    trigger: z.enum(SEQUENCE_TRIGGERS),
    triggerConfig: triggerConfigSchema,
    exitRules: z.array(exitRuleSchema),
    status: z.enum(SEQUENCE_STATUSES),
    pausedAt: z.string().nullable(),
    steps: z.array(stepSchema),
    activeEnrolments: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Sequence' });
export type SequenceDto = z.infer<typeof sequenceSchema>;
export const sequenceListResponse = z.object({ items: z.array(sequenceSchema) });

export const enrolmentSchema = z
  .object({
    id: z.uuid(),
    sequenceId: z.uuid(),
    sequenceName: z.string(),
    artistId: z.uuid(),
    artistName: z.string(),
    status: z.enum(ENROLMENT_STATUSES),
    startedAt: z.string().describe('Delays count from here (moved forward by pauses)'),
    stepsTotal: z.number().int(),
    stepsDone: z.number().int().describe('Steps whose message was composed'),
    nextStep: stepSchema.nullable().describe('The step the enrolment waits for; null when all are composed or it ended'),
    nextRunAt: z.string().nullable().describe('When the next step falls due (its message then waits for its send window)'),
    exitReason: z.enum(EXIT_REASONS).nullable(),
    endedAt: z.string().nullable(),
    enrolledBy: z.uuid().nullable().describe('The staff member who enrolled the artist by hand; null for a trigger'),
    createdAt: z.string(),
  })
  .meta({ id: 'SequenceEnrolment' });
export type EnrolmentDto = z.infer<typeof enrolmentSchema>;

export const listEnrolmentsQuery = z.strictObject({
  status: z.enum(ENROLMENT_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type ListEnrolmentsQuery = z.infer<typeof listEnrolmentsQuery>;
export const enrolmentListResponse = z.object({ items: z.array(enrolmentSchema).describe('Newest first') });

export const enrolBody = z.strictObject({ artistId: z.uuid() });

export const sequenceStatsSchema = z
  .object({
    sequenceId: z.uuid(),
    enrolled: z.number().int().describe('Every enrolment ever'),
    active: z.number().int(),
    completed: z.number().int(),
    exited: z.number().int(),
    exitedByReason: z.object(Object.fromEntries(EXIT_REASONS.map((r) => [r, z.number().int()])) as Record<(typeof EXIT_REASONS)[number], z.ZodNumber>),
    converted: z.number().int().describe('Exited as converted (bought the next offer)'),
    conversionRate: z.number().describe('converted / enrolled, 0–1'),
    messagesSent: z.number().int().describe('Messages of its enrolments that reached sent or delivered'),
    messagesByStatus: z.record(z.string(), z.number().int()),
    emailsSent: z.number().int(),
    opened: z.number().int().describe('Emails sent whose tracking pixel was loaded'),
    clicked: z.number().int().describe('Messages sent with at least one tracked click'),
    openRate: z.number().describe('opened / emailsSent, 0–1'),
    clickRate: z.number().describe('clicked / messagesSent, 0–1'),
  })
  .meta({ id: 'SequenceStats' });
export type SequenceStatsDto = z.infer<typeof sequenceStatsSchema>;
