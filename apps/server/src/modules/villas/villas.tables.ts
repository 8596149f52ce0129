import { sql } from 'drizzle-orm';
import { bigint, check, date, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import {
  APPLICATION_STATUSES,
  BUDGET_KINDS,
  CONTENT_KINDS,
  SLOT_KINDS,
  VILLA_CAPACITY_MAX,
  VILLA_CAPACITY_MIN,
  VILLA_STATUSES,
  type ApplicationStatus,
  type BudgetKind,
  type ContentKind,
  type JuryCriterion,
  type SlotKind,
  type Tier,
  type VillaStatus,
} from '@mona/shared';
import { artists, oneOf } from '../artists/artists.tables.ts';
import { users } from '../users/users.tables.ts';

/** A SPARK villa: eight days (J-1 arrival, then J1–J7) in a place, for 8–12 artists. */
export const villas = pgTable(
  'villas',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    place: text('place').notNull(),
    description: text('description').notNull().default(''),
    /** J-1, the arrival day (local date); J1 is the next day, J7 the day of departure. */
    arrivalOn: date('arrival_on', { mode: 'string' }).notNull(),
    /** IANA zone the slot times are planned in. */
    timeZone: text('time_zone').notNull().default('Europe/Paris'),
    capacity: integer('capacity').notNull(),
    /** Genre mix rule: at most this many accepted artists per genre. */
    maxPerGenre: integer('max_per_genre').notNull().default(2),
    status: text('status').$type<VillaStatus>().notNull().default('planning'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
  },
  (t) => [
    index('villas_arrival_idx').on(t.arrivalOn),
    index('villas_status_idx').on(t.status),
    check('villas_status_check', oneOf('status', VILLA_STATUSES)),
    check('villas_capacity_check', sql.raw(`capacity between ${VILLA_CAPACITY_MIN} and ${VILLA_CAPACITY_MAX}`)),
    check('villas_max_per_genre_check', sql`max_per_genre between 1 and 12`),
    check('villas_name_check', sql`length(name) between 1 and 200`),
  ],
);

/** Every status change of a villa. */
export const villaStatusChanges = pgTable(
  'villa_status_changes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    villaId: uuid('villa_id')
      .notNull()
      .references(() => villas.id, { onDelete: 'cascade' }),
    fromStatus: text('from_status').$type<VillaStatus>(),
    toStatus: text('to_status').$type<VillaStatus>().notNull(),
    reason: text('reason').notNull().default(''),
    changedBy: uuid('changed_by').references(() => users.id, { onDelete: 'set null' }),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('villa_status_changes_villa_idx').on(t.villaId, t.changedAt)],
);

/** An artist's application to a villa's open call. Accepted applications are the villa's participants. */
export const villaApplications = pgTable(
  'villa_applications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    villaId: uuid('villa_id')
      .notNull()
      .references(() => villas.id, { onDelete: 'cascade' }),
    artistId: uuid('artist_id')
      .notNull()
      .references(() => artists.id, { onDelete: 'cascade' }),
    status: text('status').$type<ApplicationStatus>().notNull().default('pending'),
    motivation: text('motivation').notNull(),
    portfolioLinks: text('portfolio_links').array().notNull().default([]),
    /** The genre the artist applies under, counted by the genre mix rule (one of the artist's genres). */
    genre: text('genre').notNull(),
    /** Score and tier when applying (SPARK-ready artists are listed first). */
    scoreAtApplication: integer('score_at_application').notNull(),
    tierAtApplication: text('tier_at_application').$type<Tier>().notNull(),
    decisionReason: text('decision_reason').notNull().default(''),
    decidedBy: uuid('decided_by').references(() => users.id, { onDelete: 'set null' }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    /** When it joined the waiting list: the first waitlisted is promoted first. */
    waitlistedAt: timestamp('waitlisted_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('villa_applications_unique_idx').on(t.villaId, t.artistId),
    index('villa_applications_villa_idx').on(t.villaId, t.status),
    index('villa_applications_artist_idx').on(t.artistId),
    check('villa_applications_status_check', oneOf('status', APPLICATION_STATUSES)),
  ],
);

/** One juror's scores of one application on the shared grid. */
export const applicationScores = pgTable(
  'application_scores',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => villaApplications.id, { onDelete: 'cascade' }),
    jurorId: uuid('juror_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    scores: jsonb('scores').$type<Record<JuryCriterion, number>>().notNull(),
    /** Sum of the criteria. */
    total: doublePrecision('total').notNull(),
    comment: text('comment').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('application_scores_unique_idx').on(t.applicationId, t.jurorId)],
);

/** A slot of a villa's schedule. `day` 0 is J-1; times are absolute instants. */
export const villaSlots = pgTable(
  'villa_slots',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    villaId: uuid('villa_id')
      .notNull()
      .references(() => villas.id, { onDelete: 'cascade' }),
    day: integer('day').notNull(),
    title: text('title').notNull(),
    kind: text('kind').$type<SlotKind>().notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    room: text('room').notNull().default(''),
    /** Participating artists and team members: one of them cannot be in two slots at once. */
    artistIds: uuid('artist_ids').array().notNull().default([]),
    staffIds: uuid('staff_ids').array().notNull().default([]),
    notes: text('notes').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('villa_slots_villa_idx').on(t.villaId, t.startsAt),
    check('villa_slots_kind_check', oneOf('kind', SLOT_KINDS)),
    check('villa_slots_day_check', sql`day between 0 and 7`),
    check('villa_slots_range_check', sql`ends_at > starts_at`),
  ],
);

/** Planned and actual amounts (cents) per cost or revenue line of a villa. */
export const villaBudgetLines = pgTable(
  'villa_budget_lines',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    villaId: uuid('villa_id')
      .notNull()
      .references(() => villas.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<BudgetKind>().notNull(),
    /** One of COST_CATEGORIES or REVENUE_CATEGORIES, by kind. */
    category: text('category').notNull(),
    label: text('label').notNull().default(''),
    plannedCents: bigint('planned_cents', { mode: 'number' }).notNull().default(0),
    actualCents: bigint('actual_cents', { mode: 'number' }).notNull().default(0),
    notes: text('notes').notNull().default(''),
    position: integer('position').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('villa_budget_lines_villa_idx').on(t.villaId, t.kind, t.position),
    check('villa_budget_lines_kind_check', oneOf('kind', BUDGET_KINDS)),
    check('villa_budget_lines_amounts_check', sql`planned_cents >= 0 and actual_cents >= 0`),
  ],
);

/** What a villa is expected to produce, and how much of it is delivered. */
export const villaContentTargets = pgTable(
  'villa_content_targets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    villaId: uuid('villa_id')
      .notNull()
      .references(() => villas.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<ContentKind>().notNull(),
    target: integer('target').notNull(),
    delivered: integer('delivered').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('villa_content_targets_unique_idx').on(t.villaId, t.kind),
    check('villa_content_targets_kind_check', oneOf('kind', CONTENT_KINDS)),
    check('villa_content_targets_counts_check', sql`target >= 0 and delivered >= 0`),
  ],
);
