import { sql } from 'drizzle-orm';
import { check, doublePrecision, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { TASK_PRIORITIES, TASK_STATUSES, type TaskPriority, type TaskStatus } from '@mona/shared';
import { artists, oneOf } from '../artists/artists.tables.ts';
import { users } from '../users/users.tables.ts';

/** The team's tasks (kanban). A task may come from an interaction's next action and may concern an artist. */
export const tasks = pgTable(
  'tasks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    status: text('status').$type<TaskStatus>().notNull().default('todo'),
    priority: text('priority').$type<TaskPriority>().notNull().default('normal'),
    /** Order inside its column (fractional, so a drop between two cards writes one row). */
    position: doublePrecision('position').notNull().default(0),
    assigneeId: uuid('assignee_id').references(() => users.id, { onDelete: 'set null' }),
    dueAt: timestamp('due_at', { withTimezone: true }),
    tags: text('tags').array().notNull().default([]),
    artistId: uuid('artist_id').references(() => artists.id, { onDelete: 'cascade' }),
    /** The interaction whose next action created this task, if any. */
    interactionId: uuid('interaction_id'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
  },
  (t) => [
    index('tasks_board_idx').on(t.status, t.position),
    index('tasks_assignee_idx').on(t.assigneeId, t.status),
    index('tasks_artist_idx').on(t.artistId),
    index('tasks_due_idx').on(t.dueAt),
    index('tasks_interaction_idx').on(t.interactionId),
    index('tasks_tags_idx').using('gin', t.tags),
    check('tasks_status_check', oneOf('status', TASK_STATUSES)),
    check('tasks_priority_check', oneOf('priority', TASK_PRIORITIES)),
    check('tasks_title_check', sql`length(title) between 1 and 300`),
  ],
);
