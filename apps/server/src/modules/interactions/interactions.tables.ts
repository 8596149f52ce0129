import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { INTERACTION_KINDS, type InteractionKind } from '@mona/shared';
import { artists, oneOf } from '../artists/artists.tables.ts';
import { users } from '../users/users.tables.ts';
import { tasks } from '../tasks/tasks.tables.ts';

/** A contact with an artist on their timeline. A next action with a due date is mirrored by a task. */
export const interactions = pgTable(
  'interactions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    artistId: uuid('artist_id')
      .notNull()
      .references(() => artists.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<InteractionKind>().notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    summary: text('summary').notNull(),
    outcome: text('outcome').notNull().default(''),
    nextAction: text('next_action'),
    nextActionDueAt: timestamp('next_action_due_at', { withTimezone: true }),
    assigneeId: uuid('assignee_id').references(() => users.id, { onDelete: 'set null' }),
    taskId: uuid('task_id').references(() => tasks.id, { onDelete: 'set null' }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
  },
  (t) => [
    index('interactions_artist_idx').on(t.artistId, t.occurredAt),
    index('interactions_assignee_idx').on(t.assigneeId),
    check('interactions_kind_check', oneOf('kind', INTERACTION_KINDS)),
    check('interactions_summary_check', sql`length(summary) between 1 and 5000`),
  ],
);
