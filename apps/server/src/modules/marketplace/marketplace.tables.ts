import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { BLOCK_FORMATS, MISSION_STATUSES, type BlockFormat, type MissionStatus } from '@mona/shared';
import { artists, oneOf } from '../artists/artists.tables.ts';
import { users } from '../users/users.tables.ts';

/** The marketplace catalogue: service blocks, each with a diagnostic, one-shot and monthly price (cents). Admins edit it. */
export const serviceBlocks = pgTable(
  'service_blocks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    diagnosticCents: bigint('diagnostic_cents', { mode: 'number' }).notNull(),
    oneShotCents: bigint('one_shot_cents', { mode: 'number' }).notNull(),
    monthlyCents: bigint('monthly_cents', { mode: 'number' }).notNull(),
    position: integer('position').notNull().default(0),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  () => [check('service_blocks_prices_check', sql`diagnostic_cents >= 0 and one_shot_cents >= 0 and monthly_cents >= 0`)],
);

/** A request for a block for an artist; once an expert is assigned it is worked as a mission. */
export const missions = pgTable(
  'missions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    blockId: uuid('block_id')
      .notNull()
      .references(() => serviceBlocks.id, { onDelete: 'restrict' }),
    artistId: uuid('artist_id')
      .notNull()
      .references(() => artists.id, { onDelete: 'cascade' }),
    format: text('format').$type<BlockFormat>().notNull(),
    /** The block's price for the format, copied at request time. */
    priceCents: bigint('price_cents', { mode: 'number' }).notNull(),
    brief: text('brief').notNull().default(''),
    status: text('status').$type<MissionStatus>().notNull().default('requested'),
    expertId: uuid('expert_id').references(() => users.id, { onDelete: 'set null' }),
    requestedBy: uuid('requested_by').references(() => users.id, { onDelete: 'set null' }),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
    assignedAt: timestamp('assigned_at', { withTimezone: true }),
    startedAt: timestamp('started_at', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('missions_expert_idx').on(t.expertId, t.status),
    index('missions_artist_idx').on(t.artistId, t.requestedAt),
    index('missions_status_idx').on(t.status, t.requestedAt),
    check('missions_format_check', oneOf('format', BLOCK_FORMATS)),
    check('missions_status_check', oneOf('status', MISSION_STATUSES)),
    check('missions_price_check', sql`price_cents >= 0`),
  ],
);

/** What an expert hands over for a mission (a link and a note). */
export const missionDeliverables = pgTable(
  'mission_deliverables',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    missionId: uuid('mission_id')
      .notNull()
      .references(() => missions.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    url: text('url'),
    note: text('note').notNull().default(''),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('mission_deliverables_mission_idx').on(t.missionId, t.createdAt)],
);

/** Every status change of a mission: who, when, from, to, why. */
export const missionStatusChanges = pgTable(
  'mission_status_changes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    missionId: uuid('mission_id')
      .notNull()
      .references(() => missions.id, { onDelete: 'cascade' }),
    fromStatus: text('from_status').$type<MissionStatus>(),
    toStatus: text('to_status').$type<MissionStatus>().notNull(),
    reason: text('reason').notNull().default(''),
    changedBy: uuid('changed_by').references(() => users.id, { onDelete: 'set null' }),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('mission_status_changes_mission_idx').on(t.missionId, t.changedAt)],
);
