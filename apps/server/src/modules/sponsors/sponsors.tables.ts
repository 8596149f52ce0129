import { sql } from 'drizzle-orm';
import { bigint, boolean, check, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import {
  DELIVERABLE_METRICS,
  DELIVERY_SOURCES,
  SPONSORSHIP_STATUSES,
  SPONSOR_PACKAGES,
  type DeliverableMetric,
  type DeliverySource,
  type SponsorPackage,
  type SponsorshipStatus,
} from '@mona/shared';
import { oneOf } from '../artists/artists.tables.ts';
import { users } from '../users/users.tables.ts';
import { villas } from '../villas/villas.tables.ts';
import { streams } from '../streams/streams.tables.ts';

/** A sponsoring company; its account (role sponsor) signs in to the sponsor portal. */
export const sponsors = pgTable(
  'sponsors',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .unique()
      .references(() => users.id, { onDelete: 'set null' }),
    companyName: text('company_name').notNull(),
    /** Business sector, e.g. "beverages", "telecom": a category package is exclusive per sector. */
    sector: text('sector').notNull(),
    contactName: text('contact_name').notNull().default(''),
    contactEmail: text('contact_email'),
    website: text('website'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('sponsors_sector_idx').on(t.sector)],
);

/** The sponsor packages as catalogue data: price and what each promises by default. */
export const sponsorPackages = pgTable(
  'sponsor_packages',
  {
    code: text('code').$type<SponsorPackage>().primaryKey(),
    name: text('name').notNull(),
    priceCents: bigint('price_cents', { mode: 'number' }).notNull(),
    /** The category package: exclusive in its sector for a villa. */
    sectorExclusive: boolean('sector_exclusive').notNull().default(false),
    /** Default promised deliverables, copied into each deal (editable per deal). */
    deliverables: jsonb('deliverables').$type<Partial<Record<DeliverableMetric, number>>>().notNull().default({}),
    position: integer('position').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  () => [check('sponsor_packages_code_check', oneOf('code', SPONSOR_PACKAGES)), check('sponsor_packages_price_check', sql`price_cents >= 0`)],
);

/** A sponsor's package for a villa (a deal). */
export const sponsorships = pgTable(
  'sponsorships',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    villaId: uuid('villa_id')
      .notNull()
      .references(() => villas.id, { onDelete: 'cascade' }),
    sponsorId: uuid('sponsor_id')
      .notNull()
      .references(() => sponsors.id, { onDelete: 'cascade' }),
    packageCode: text('package_code').$type<SponsorPackage>().notNull(),
    priceCents: bigint('price_cents', { mode: 'number' }).notNull(),
    /** The sector the deal is exclusive in (category package), else null. */
    exclusiveSector: text('exclusive_sector'),
    status: text('status').$type<SponsorshipStatus>().notNull().default('active'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
  },
  (t) => [
    index('sponsorships_villa_idx').on(t.villaId, t.status),
    index('sponsorships_sponsor_idx').on(t.sponsorId),
    // The database's own guard for the sector rule, behind the service's checks.
    uniqueIndex('sponsorships_sector_idx')
      .on(t.villaId, t.exclusiveSector)
      .where(sql`status = 'active' and exclusive_sector is not null`),
    // One principal sponsor a villa.
    uniqueIndex('sponsorships_principal_idx')
      .on(t.villaId)
      .where(sql`status = 'active' and package_code = 'principal'`),
    check('sponsorships_package_check', oneOf('package_code', SPONSOR_PACKAGES)),
    check('sponsorships_status_check', oneOf('status', SPONSORSHIP_STATUSES)),
    check('sponsorships_price_check', sql`price_cents >= 0`),
  ],
);

/** One promised deliverable of a deal; delivered = the sum of its records. */
export const sponsorshipDeliverables = pgTable(
  'sponsorship_deliverables',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sponsorshipId: uuid('sponsorship_id')
      .notNull()
      .references(() => sponsorships.id, { onDelete: 'cascade' }),
    metric: text('metric').$type<DeliverableMetric>().notNull(),
    promised: doublePrecision('promised').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('sponsorship_deliverables_unique_idx').on(t.sponsorshipId, t.metric),
    check('sponsorship_deliverables_metric_check', oneOf('metric', DELIVERABLE_METRICS)),
    check('sponsorship_deliverables_promised_check', sql`promised >= 0`),
  ],
);

/**
 * A delivered amount of a deliverable at a time: typed by staff now, written by
 * the streaming bridge later (source 'stream', with the stream and an external
 * key so a re-sent measurement is not counted twice).
 */
export const deliveryRecords = pgTable(
  'delivery_records',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    deliverableId: uuid('deliverable_id')
      .notNull()
      .references(() => sponsorshipDeliverables.id, { onDelete: 'cascade' }),
    amount: doublePrecision('amount').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    source: text('source').$type<DeliverySource>().notNull().default('manual'),
    streamId: uuid('stream_id').references(() => streams.id, { onDelete: 'set null' }),
    externalKey: text('external_key'),
    note: text('note').notNull().default(''),
    recordedBy: uuid('recorded_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('delivery_records_deliverable_idx').on(t.deliverableId, t.occurredAt),
    uniqueIndex('delivery_records_external_idx').on(t.deliverableId, t.externalKey),
    check('delivery_records_source_check', oneOf('source', DELIVERY_SOURCES)),
    check('delivery_records_amount_check', sql`amount >= 0`),
  ],
);
