import { z } from 'zod';
import { APPLICATION_STATUSES, BUDGET_KINDS, CONTENT_KINDS, SLOT_KINDS, VILLA_CAPACITY_MAX, VILLA_CAPACITY_MIN, VILLA_STATUSES } from '@mona/shared';
import { isTimeZone } from './schedule.ts';

export const villaIdParams = z.strictObject({ id: z.uuid() });
export const slotParams = z.strictObject({ id: z.uuid(), slotId: z.uuid() });
export const budgetLineParams = z.strictObject({ id: z.uuid(), lineId: z.uuid() });
export const contentKindParams = z.strictObject({ id: z.uuid(), kind: z.enum(CONTENT_KINDS) });

const status = z.enum(VILLA_STATUSES);
const isoDateTime = z.iso.datetime({ offset: true });
const isoDate = z.iso.date('Give a date as YYYY-MM-DD');
/** Money is always integer cents (EUR). */
const cents = z.number().int('Give an amount in integer cents').min(0, 'An amount cannot be negative').max(10_000_000_000);

const villaFields = {
  name: z.string().trim().min(1, 'Name is required').max(200),
  place: z.string().trim().min(1, 'Place is required').max(200),
  description: z.string().trim().max(5000),
  arrivalOn: isoDate.describe('J-1, the arrival day (local date in timeZone); J1 is the next day, J7 the day of departure'),
  capacity: z
    .number()
    .int()
    .min(VILLA_CAPACITY_MIN, `Capacity is ${VILLA_CAPACITY_MIN} to ${VILLA_CAPACITY_MAX} artists`)
    .max(VILLA_CAPACITY_MAX, `Capacity is ${VILLA_CAPACITY_MIN} to ${VILLA_CAPACITY_MAX} artists`),
  maxPerGenre: z.number().int().min(1).max(12).describe('Genre mix rule: at most this many accepted artists per genre'),
  timeZone: z.string().trim().refine(isTimeZone, 'Give an IANA time zone such as Europe/Paris').describe('IANA zone the schedule is planned in'),
};

export const createVillaBody = z.strictObject({
  ...villaFields,
  description: villaFields.description.optional(),
  maxPerGenre: villaFields.maxPerGenre.default(2),
  timeZone: villaFields.timeZone.default('Europe/Paris'),
});
export type CreateVillaInput = z.infer<typeof createVillaBody>;

export const updateVillaBody = z
  .strictObject(villaFields)
  .partial()
  .describe('Only the fields given change. Moving arrivalOn or timeZone moves every slot with it, keeping its day and local time.');
export type UpdateVillaInput = z.infer<typeof updateVillaBody>;

export const listVillasQuery = z.strictObject({
  status: z
    .union([status, z.array(status)])
    .optional()
    .describe('One or more statuses (repeat the parameter)'),
  upcoming: z.enum(['true', 'false']).default('false').describe('true: only villas whose stay has not ended yet'),
  includeArchived: z.enum(['true', 'false']).default('false').describe('true lists archived villas too (team only)'),
});
export type ListVillasQuery = z.infer<typeof listVillasQuery>;

export const villaTransitionBody = z.strictObject({
  to: status.describe('planning → open; open → planning | full | in_progress; full → open | in_progress; in_progress → completed'),
  reason: z.string().trim().max(500).optional().describe('Kept in the status history'),
});
export type VillaTransitionInput = z.infer<typeof villaTransitionBody>;

const person = z.object({ id: z.uuid(), name: z.string() }).nullable().describe('null when the account was deleted');

export const villaStatusChangeSchema = z
  .object({
    id: z.uuid(),
    fromStatus: status.nullable().describe('null for the creation'),
    toStatus: status,
    reason: z.string(),
    changedAt: z.string(),
    changedBy: person,
  })
  .meta({ id: 'VillaStatusChange' });
export type VillaStatusChangeDto = z.infer<typeof villaStatusChangeSchema>;

export const villaSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    place: z.string(),
    description: z.string(),
    arrivalOn: z.string().describe('J-1 (YYYY-MM-DD)'),
    departureOn: z.string().describe('J7 (YYYY-MM-DD)'),
    timeZone: z.string(),
    capacity: z.number().int(),
    maxPerGenre: z.number().int(),
    status,
    createdBy: z.uuid().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    archivedAt: z.string().nullable(),
  })
  .meta({ id: 'Villa' });
export type VillaDto = z.infer<typeof villaSchema>;

export const villaDetailSchema = villaSchema
  .extend({
    participantsCount: z.number().int().describe('Accepted applications'),
    applicationsByStatus: z.record(z.enum(APPLICATION_STATUSES), z.number().int()).describe('Every status, 0 when none'),
    sponsorsCount: z.number().int().describe('Active sponsorships'),
    allowedTransitions: z.array(status).describe('Statuses the villa can go to from its current one'),
    history: z.array(villaStatusChangeSchema).describe('Every status change, oldest first'),
  })
  .meta({ id: 'VillaDetail' });
export type VillaDetailDto = z.infer<typeof villaDetailSchema>;

export const villaListResponse = z.object({ items: z.array(villaSchema).describe('By arrival day, soonest first') });

// Schedule

const slotKind = z.enum(SLOT_KINDS);
const uuids = z.array(z.uuid()).max(50);

const slotFields = {
  title: z.string().trim().min(1, 'Title is required').max(200),
  kind: slotKind.describe('live and showcase slots become scheduled streams and stream events of the calendar'),
  startsAt: isoDateTime,
  endsAt: isoDateTime,
  room: z.string().trim().max(100),
  artistIds: uuids.describe('Participating artists: one cannot be in two overlapping slots'),
  staffIds: uuids.describe('Team members: one cannot be in two overlapping slots'),
  notes: z.string().trim().max(2000),
};

export const createSlotBody = z.strictObject({
  ...slotFields,
  room: slotFields.room.optional(),
  artistIds: slotFields.artistIds.optional(),
  staffIds: slotFields.staffIds.optional(),
  notes: slotFields.notes.optional(),
});
export type CreateSlotInput = z.infer<typeof createSlotBody>;

export const updateSlotBody = z.strictObject(slotFields).partial().describe('Only the fields given change.');
export type UpdateSlotInput = z.infer<typeof updateSlotBody>;

export const slotSchema = z
  .object({
    id: z.uuid(),
    villaId: z.uuid(),
    day: z.number().int().describe('0 is J-1, then 1…7 for J1…J7, in the villa time zone'),
    title: z.string(),
    kind: slotKind,
    startsAt: z.string(),
    endsAt: z.string(),
    room: z.string(),
    artistIds: z.array(z.uuid()),
    staffIds: z.array(z.uuid()),
    notes: z.string(),
    streamId: z.uuid().nullable().describe('The scheduled stream of a live or showcase slot'),
    updatedAt: z.string(),
  })
  .meta({ id: 'VillaSlot' });
export type SlotDto = z.infer<typeof slotSchema>;

export const scheduleResponse = z
  .object({
    timeZone: z.string(),
    days: z
      .array(
        z.object({ day: z.number().int(), label: z.string().describe('J-1, J1 … J7'), date: z.string().describe('Local date'), slots: z.array(slotSchema) }),
      )
      .describe('The eight days J-1…J7, each with its slots by start'),
  })
  .meta({ id: 'VillaSchedule' });
export type ScheduleDto = z.infer<typeof scheduleResponse>;

// Budget

export const createBudgetLineBody = z.strictObject({
  kind: z.enum(BUDGET_KINDS),
  category: z.string().describe('One of COST_CATEGORIES for a cost, REVENUE_CATEGORIES for a revenue'),
  label: z.string().trim().max(200).optional(),
  plannedCents: cents.optional(),
  actualCents: cents.optional(),
  notes: z.string().trim().max(2000).optional(),
});
export type CreateBudgetLineInput = z.infer<typeof createBudgetLineBody>;

export const updateBudgetLineBody = z
  .strictObject({
    category: z.string(),
    label: z.string().trim().max(200),
    plannedCents: cents,
    actualCents: cents,
    notes: z.string().trim().max(2000),
    position: z.number().int().min(0).max(10_000),
  })
  .partial()
  .describe('Only the fields given change; the kind of a line does not.');
export type UpdateBudgetLineInput = z.infer<typeof updateBudgetLineBody>;

const plannedActual = z.object({ plannedCents: z.number().int(), actualCents: z.number().int() });

export const budgetLineSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(BUDGET_KINDS),
    category: z.string(),
    label: z.string(),
    plannedCents: z.number().int(),
    actualCents: z.number().int(),
    notes: z.string(),
    position: z.number().int(),
    overBudget: z.boolean().describe('A cost line whose actual amount passed the planned one'),
    updatedAt: z.string(),
  })
  .meta({ id: 'VillaBudgetLine' });
export type BudgetLineDto = z.infer<typeof budgetLineSchema>;

export const budgetResponse = z
  .object({
    costs: z.array(budgetLineSchema),
    revenues: z.array(budgetLineSchema),
    totals: z.object({
      costs: plannedActual,
      revenues: plannedActual,
      margin: plannedActual.describe('Revenue − cost; negative is a loss'),
      breakEven: z.object({
        revenueNeeded: plannedActual.describe('The revenue that covers the costs'),
        revenueMissing: plannedActual.describe('Revenue still missing to break even, 0 once reached'),
        reached: z.object({ planned: z.boolean(), actual: z.boolean() }),
      }),
    }),
    overBudget: z.boolean().describe('The alert: at least one cost line over budget'),
  })
  .meta({ id: 'VillaBudget' });
export type BudgetDto = z.infer<typeof budgetResponse>;

// Content targets

export const contentTargetSchema = z
  .object({ kind: z.enum(CONTENT_KINDS), target: z.number().int(), delivered: z.number().int() })
  .meta({ id: 'VillaContentTarget' });
export type ContentTargetDto = z.infer<typeof contentTargetSchema>;
export const contentTargetsResponse = z.object({ items: z.array(contentTargetSchema).describe('One per kind, in CONTENT_KINDS order') });

export const putContentTargetBody = z
  .strictObject({
    target: z.number().int().min(0).max(100_000),
    delivered: z.number().int().min(0).max(100_000),
  })
  .partial()
  .describe('Only the counts given change.');
export type PutContentTargetInput = z.infer<typeof putContentTargetBody>;
