import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import {
  CHANNELS,
  ENROLMENT_STATUSES,
  EXIT_REASONS,
  SEQUENCE_STATUSES,
  SEQUENCE_TRIGGERS,
  WINDOW_RULES,
  type Channel,
  type EnrolmentStatus,
  type ExitCondition,
  type ExitReason,
  type SequenceStatus,
  type SequenceTrigger,
  type WindowRule,
} from '@mona/shared';
import { artists, oneOf } from '../artists/artists.tables.ts';
import { users } from '../users/users.tables.ts';
import { notificationTemplates } from '../notifications/notifications.tables.ts';

/** Parameters of a trigger: the offer of order_paid, the tier of tier_changed, the days of inactivity. */
export interface TriggerConfig {
  offerCode?: string;
  tier?: string;
  days?: number;
}
/** An exit condition and its parameter: order_paid of an offer, stage_changed to a stage, tier_changed to a tier. */
export interface ExitRule {
  type: ExitCondition;
  offerCode?: string;
  stage?: string;
  tier?: string;
}

/** An automated sequence: data, editable by staff. */
export const sequences = pgTable(
  'sequences',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Set on the default sequences installed by the system (e.g. "welcome"); null on staff-made ones. */
    code: text('code').unique(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    trigger: text('trigger').$type<SequenceTrigger>().notNull(),
    triggerConfig: jsonb('trigger_config').$type<TriggerConfig>().notNull().default({}),
    exitRules: jsonb('exit_rules').$type<ExitRule[]>().notNull().default([]),
    status: text('status').$type<SequenceStatus>().notNull().default('draft'),
    /** While paused: since when, so that resuming shifts the enrolments by the pause. */
    pausedAt: timestamp('paused_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('sequences_trigger_idx').on(t.trigger, t.status),
    check('sequences_trigger_check', oneOf('trigger', SEQUENCE_TRIGGERS)),
    check('sequences_status_check', oneOf('status', SEQUENCE_STATUSES)),
  ],
);

/** One step: a message on a channel, due `delayMinutes` after the start of the enrolment, sent within its window. */
export const sequenceSteps = pgTable(
  'sequence_steps',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sequenceId: uuid('sequence_id')
      .notNull()
      .references(() => sequences.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    channel: text('channel').$type<Channel>().notNull(),
    templateId: uuid('template_id')
      .notNull()
      .references(() => notificationTemplates.id, { onDelete: 'restrict' }),
    delayMinutes: integer('delay_minutes').notNull(),
    windowRule: text('window_rule').$type<WindowRule>().notNull().default('marketing'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('sequence_steps_position_idx').on(t.sequenceId, t.position),
    check('sequence_steps_channel_check', oneOf('channel', CHANNELS)),
    check('sequence_steps_window_check', oneOf('window_rule', WINDOW_RULES)),
    check('sequence_steps_delay_check', sql`delay_minutes >= 0`),
  ],
);

/**
 * An artist going through a sequence. At most one active enrolment per artist
 * and sequence; `nextRunAt` is stored so delays survive restarts, and the
 * messages it creates carry `enrolment:<id>:<position>` as idempotency key.
 */
export const sequenceEnrolments = pgTable(
  'sequence_enrolments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sequenceId: uuid('sequence_id')
      .notNull()
      .references(() => sequences.id, { onDelete: 'cascade' }),
    artistId: uuid('artist_id')
      .notNull()
      .references(() => artists.id, { onDelete: 'cascade' }),
    status: text('status').$type<EnrolmentStatus>().notNull().default('active'),
    /** The instant delays count from (moved forward by the length of a pause). */
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    nextPosition: integer('next_position').notNull().default(0),
    nextRunAt: timestamp('next_run_at', { withTimezone: true }),
    exitReason: text('exit_reason').$type<ExitReason>(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    /** The domain event that enrolled the artist (null: staff or inactivity), so the same event never enrols twice. */
    triggerEventId: uuid('trigger_event_id'),
    enrolledBy: uuid('enrolled_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('sequence_enrolments_active_idx')
      .on(t.sequenceId, t.artistId)
      .where(sql`status = 'active'`),
    uniqueIndex('sequence_enrolments_event_idx')
      .on(t.sequenceId, t.triggerEventId)
      .where(sql`trigger_event_id is not null`),
    index('sequence_enrolments_due_idx')
      .on(t.nextRunAt)
      .where(sql`status = 'active'`),
    index('sequence_enrolments_artist_idx').on(t.artistId, t.status),
    index('sequence_enrolments_sequence_idx').on(t.sequenceId, t.status),
    check('sequence_enrolments_status_check', oneOf('status', ENROLMENT_STATUSES)),
    check('sequence_enrolments_exit_check', sql`exit_reason is null or ${sql.raw(`exit_reason in (${EXIT_REASONS.map((r) => `'${r}'`).join(', ')})`)}`),
  ],
);
