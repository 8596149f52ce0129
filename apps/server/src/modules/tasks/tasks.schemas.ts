import { z } from 'zod';
import { TASK_PRIORITIES, TASK_STATUSES } from '@mona/shared';

export const taskParams = z.strictObject({ id: z.uuid() });

const isoDateTime = z.iso.datetime({ offset: true });
const status = z.enum(TASK_STATUSES);
const priority = z.enum(TASK_PRIORITIES);

export const MAX_TAGS = 10;
/** The tag of the tasks an interaction's next action creates. */
export const FOLLOW_UP_TAG = 'follow-up';

/** Tags are matched exactly by the `tag` filter, so they are stored trimmed and lower-cased, without repeats. */
export const tagsSchema = z
  .array(z.string().trim().min(1, 'A tag cannot be empty').max(40))
  .max(MAX_TAGS, `At most ${MAX_TAGS} tags`)
  .transform((tags) => [...new Set(tags.map((t) => t.toLowerCase()))]);

const tagFilter = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .transform((t) => t.toLowerCase());

const editableFields = {
  title: z.string().trim().min(1, 'Title is required').max(300),
  description: z.string().trim().max(5000),
  priority,
  assigneeId: z.uuid().nullable().describe('An active staff or admin account'),
  dueAt: isoDateTime.nullable(),
  tags: tagsSchema,
  artistId: z.uuid().nullable().describe('The artist the task concerns, if any'),
};

export const createTaskBody = z.strictObject({
  title: editableFields.title,
  description: editableFields.description.optional(),
  status: status.optional().describe('Column; todo when left out. The task goes to the bottom of it'),
  priority: priority.optional().describe('normal when left out'),
  assigneeId: editableFields.assigneeId.optional(),
  dueAt: editableFields.dueAt.optional(),
  tags: editableFields.tags.optional(),
  artistId: editableFields.artistId.optional(),
});
export type CreateTaskInput = z.infer<typeof createTaskBody>;

// The status and position are not here: they change through POST /api/tasks/:id/move.
export const updateTaskBody = z
  .strictObject(editableFields)
  .partial()
  .describe('Only the fields given change; null clears a field; the column changes through POST /api/tasks/:id/move');
export type UpdateTaskInput = z.infer<typeof updateTaskBody>;

export const moveTaskBody = z
  .strictObject({
    status: status.describe('The column the card is dropped in (may be its own)'),
    afterId: z.uuid().optional().describe('The card that will be just above this one'),
    beforeId: z.uuid().optional().describe('The card that will be just below this one'),
    position: z.number().finite().optional().describe('An explicit position instead of neighbours'),
  })
  .refine((b) => b.position === undefined || (b.afterId === undefined && b.beforeId === undefined), {
    message: 'Give neighbours (afterId / beforeId) or a position, not both',
    path: ['position'],
  })
  .describe('Without afterId, beforeId or position the card goes to the bottom of the column');
export type MoveTaskInput = z.infer<typeof moveTaskBody>;

const filterFields = {
  assigneeId: z.uuid().optional(),
  mine: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true')
    .describe('true: tasks assigned to me'),
  artistId: z.uuid().optional(),
  tag: tagFilter.optional(),
  priority: priority.optional(),
  dueBefore: isoDateTime.optional().describe('Tasks due strictly before this instant'),
};

export const boardQuery = z.strictObject({
  ...filterFields,
  perColumn: z.coerce.number().int().min(1).max(500).default(200).describe('Cards per column; `total` gives the full count'),
});
export type BoardQuery = z.infer<typeof boardQuery>;

export const listTasksQuery = z.strictObject({
  ...filterFields,
  status: status.optional(),
  archived: z.enum(['false', 'true', 'all']).default('false').describe('false (default): active tasks only'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional().describe('nextCursor of the previous page, with the same filters'),
});
export type ListTasksQuery = z.infer<typeof listTasksQuery>;

export const artistTasksQuery = z.strictObject({
  status: status.optional(),
});

export const taskSchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    description: z.string(),
    status,
    priority,
    position: z.number().describe('Order inside the column, ascending'),
    assigneeId: z.uuid().nullable(),
    dueAt: z.string().nullable(),
    tags: z.array(z.string()),
    artistId: z.uuid().nullable(),
    artistName: z.string().nullable().describe("The artist's stage name, when the task concerns one"),
    assigneeName: z.string().nullable().describe("The assignee's name, when there is one"),
    interactionId: z.uuid().nullable().describe('The interaction whose next action created this task'),
    createdBy: z.uuid().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    completedAt: z.string().nullable().describe('When it was moved to done; cleared when moved out'),
    archivedAt: z.string().nullable(),
  })
  .meta({ id: 'Task' });
export type TaskDto = z.infer<typeof taskSchema>;

export const taskListResponse = z.object({
  items: z.array(taskSchema).describe('By due date (soonest first, tasks without one last)'),
  nextCursor: z.string().nullable().describe('Pass as cursor for the next page; null on the last page'),
});

export const artistTasksResponse = z.object({ items: z.array(taskSchema).describe('Active tasks, by column then position') });

export const taskBoardResponse = z
  .object({
    columns: z.array(
      z.object({
        status,
        total: z.number().int().describe('Active tasks in the column matching the filters, beyond the cards shown too'),
        tasks: z.array(taskSchema).describe('By position'),
      }),
    ),
  })
  .meta({ id: 'TaskBoard' });
