import { z } from 'zod';
import { INTERACTION_KINDS, TASK_STATUSES } from '@mona/shared';

export const interactionParams = z.strictObject({ id: z.uuid() });

const isoDateTime = z.iso.datetime({ offset: true });

const editableFields = {
  kind: z.enum(INTERACTION_KINDS),
  occurredAt: isoDateTime.describe('When the contact took place; now when left out'),
  summary: z.string().trim().min(1, 'Summary is required').max(5000),
  outcome: z.string().trim().max(2000),
  nextAction: z.string().trim().min(1, 'Describe the next action, or send null').max(300).nullable().describe('With nextActionDueAt, becomes a follow-up task'),
  nextActionDueAt: isoDateTime.nullable(),
  assigneeId: z.uuid().nullable().describe('An active staff or admin account; also the assignee of the follow-up task'),
};

export const createInteractionBody = z
  .strictObject({
    kind: editableFields.kind,
    occurredAt: editableFields.occurredAt.optional(),
    summary: editableFields.summary,
    outcome: editableFields.outcome.optional(),
    nextAction: editableFields.nextAction.optional(),
    nextActionDueAt: editableFields.nextActionDueAt.optional(),
    assigneeId: editableFields.assigneeId.optional(),
  })
  .refine((b) => !b.nextActionDueAt || b.nextAction, { message: 'A due date needs a next action', path: ['nextActionDueAt'] });
export type CreateInteractionInput = z.infer<typeof createInteractionBody>;

export const updateInteractionBody = z
  .strictObject(editableFields)
  .partial()
  .describe(
    'Only the fields given change; null clears a field. Changing the next action, its due date or the assignee updates the follow-up task ' +
      '(unless it is done); clearing the next action or its due date archives it (unless it is done).',
  );
export type UpdateInteractionInput = z.infer<typeof updateInteractionBody>;

export const timelineQuery = z.strictObject({
  archived: z.enum(['false', 'true', 'all']).default('false').describe('false (default): active interactions only'),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(500).optional().describe('nextCursor of the previous page'),
});
export type TimelineQuery = z.infer<typeof timelineQuery>;

export const interactionSchema = z
  .object({
    id: z.uuid(),
    artistId: z.uuid(),
    kind: z.enum(INTERACTION_KINDS),
    occurredAt: z.string(),
    summary: z.string(),
    outcome: z.string(),
    nextAction: z.string().nullable(),
    nextActionDueAt: z.string().nullable(),
    assigneeId: z.uuid().nullable(),
    taskId: z.uuid().nullable().describe('The follow-up task of the next action, if any'),
    task: z
      .object({
        id: z.uuid(),
        status: z.enum(TASK_STATUSES),
        dueAt: z.string().nullable(),
        completedAt: z.string().nullable(),
        archivedAt: z.string().nullable(),
      })
      .nullable()
      .describe('The follow-up task as it is now'),
    createdBy: z.uuid().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    archivedAt: z.string().nullable(),
  })
  .meta({ id: 'Interaction' });
export type InteractionDto = z.infer<typeof interactionSchema>;

export const timelineResponse = z.object({
  items: z.array(interactionSchema).describe('Newest first (by occurredAt)'),
  nextCursor: z.string().nullable().describe('Pass as cursor for the next page; null on the last page'),
});
