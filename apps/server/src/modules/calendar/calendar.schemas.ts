import { z } from 'zod';
import { CALENDAR_KINDS, TASK_STATUSES } from '@mona/shared';

export const eventParams = z.strictObject({ id: z.uuid() });

const isoDateTime = z.iso.datetime({ offset: true });
const kind = z.enum(CALENDAR_KINDS);

/** The longest range GET /api/calendar answers (a month view with its overflow weeks fits). */
export const MAX_RANGE_DAYS = 62;
const DAY_MS = 86_400_000;

const editableFields = {
  kind,
  title: z.string().trim().min(1, 'Title is required').max(300),
  description: z.string().trim().max(5000),
  startsAt: isoDateTime,
  endsAt: isoDateTime.describe('Not before startsAt'),
  allDay: z.boolean(),
  location: z.string().trim().max(300),
  artistId: z.uuid().nullable().describe('The artist the event concerns, if any'),
  ownerId: z.uuid().nullable().describe('An active staff or admin account'),
};

export const createEventBody = z
  .strictObject({
    kind: editableFields.kind,
    title: editableFields.title,
    description: editableFields.description.optional(),
    startsAt: editableFields.startsAt,
    endsAt: editableFields.endsAt.optional().describe('startsAt when left out (a moment: deadline, reminder)'),
    allDay: editableFields.allDay.optional(),
    location: editableFields.location.optional(),
    artistId: editableFields.artistId.optional(),
    ownerId: editableFields.ownerId.optional().describe('The caller when left out'),
  })
  .refine((b) => !b.endsAt || Date.parse(b.endsAt) >= Date.parse(b.startsAt), { message: 'The end cannot be before the start', path: ['endsAt'] });
export type CreateEventInput = z.infer<typeof createEventBody>;

export const updateEventBody = z.strictObject(editableFields).partial().describe('Only the fields given change; null clears a field');
export type UpdateEventInput = z.infer<typeof updateEventBody>;

export const calendarQuery = z
  .strictObject({
    from: isoDateTime.describe('Start of the range, inclusive'),
    to: isoDateTime.describe(`End of the range, exclusive; at most ${MAX_RANGE_DAYS} days after from`),
    artistId: z.uuid().optional(),
    ownerId: z.uuid().optional().describe('Events of this owner and tasks of this assignee'),
    kinds: z
      .string()
      .max(200)
      .transform((text, ctx) => {
        const kinds = [
          ...new Set(
            text
              .split(',')
              .map((k) => k.trim())
              .filter(Boolean),
          ),
        ];
        const unknown = kinds.filter((k) => !(CALENDAR_KINDS as readonly string[]).includes(k));
        if (unknown.length) ctx.addIssue({ code: 'custom', message: `Unknown kind ${unknown.join(', ')}; use ${CALENDAR_KINDS.join(', ')}` });
        return kinds as (typeof CALENDAR_KINDS)[number][];
      })
      .optional()
      .describe('Comma-separated kinds; task deadlines come with deadline'),
    includeCancelled: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
  })
  .refine((q) => Date.parse(q.to) > Date.parse(q.from), { message: 'to must be after from', path: ['to'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= MAX_RANGE_DAYS * DAY_MS, {
    message: `The range is at most ${MAX_RANGE_DAYS} days`,
    path: ['to'],
  });
export type CalendarQuery = z.infer<typeof calendarQuery>;

export const eventSchema = z
  .object({
    id: z.uuid(),
    kind,
    title: z.string(),
    description: z.string(),
    startsAt: z.string(),
    endsAt: z.string(),
    allDay: z.boolean(),
    location: z.string(),
    artistId: z.uuid().nullable(),
    ownerId: z.uuid().nullable(),
    source: z.string().nullable().describe('Set on events another module manages (villa days, streams): read-only here'),
    createdBy: z.uuid().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    cancelledAt: z.string().nullable(),
  })
  .meta({ id: 'CalendarEvent' });
export type EventDto = z.infer<typeof eventSchema>;

export const calendarEntrySchema = z
  .object({
    origin: z.enum(['event', 'task']).describe('task: an open task due in the range, shown as a deadline'),
    id: z.uuid().describe('The event id, or the task id'),
    eventId: z.uuid().nullable(),
    taskId: z.uuid().nullable(),
    kind,
    title: z.string(),
    startsAt: z.string(),
    endsAt: z.string(),
    allDay: z.boolean(),
    location: z.string(),
    artistId: z.uuid().nullable(),
    artistName: z.string().nullable().describe("The artist's stage name, when the entry concerns one"),
    ownerId: z.uuid().nullable().describe("The event's owner, or the task's assignee"),
    ownerName: z.string().nullable().describe("The owner's (or assignee's) name"),
    source: z.string().nullable(),
    taskStatus: z.enum(TASK_STATUSES).nullable(),
    readOnly: z.boolean().describe('Task deadlines and events other modules manage are changed where they come from'),
    cancelledAt: z.string().nullable(),
  })
  .meta({ id: 'CalendarEntry' });
export type CalendarEntryDto = z.infer<typeof calendarEntrySchema>;

export const calendarResponse = z
  .object({
    from: z.string(),
    to: z.string(),
    entries: z.array(calendarEntrySchema).describe('Events overlapping the range and open tasks due in it, by start'),
  })
  .meta({ id: 'Calendar' });
