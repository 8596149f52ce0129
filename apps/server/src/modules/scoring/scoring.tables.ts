import { boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { Tier } from '@mona/shared';
import { artists } from '../artists/artists.tables.ts';
import { users } from '../users/users.tables.ts';

/** Staff ratings of the categories that are not computed from metrics, and the bonuses. */
export const artistRatings = pgTable('artist_ratings', {
  artistId: uuid('artist_id')
    .primaryKey()
    .references(() => artists.id, { onDelete: 'cascade' }),
  artisticQuality: integer('artistic_quality').notNull().default(0),
  motivation: integer('motivation').notNull().default(0),
  collaboration: integer('collaboration').notNull().default(0),
  businessVision: integer('business_vision').notNull().default(0),
  mediaPersonality: integer('media_personality').notNull().default(0),
  viralPotential: boolean('viral_potential').notNull().default(false),
  versatility: boolean('versatility').notNull().default(false),
  diversity: boolean('diversity').notNull().default(false),
  updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export interface ScoreBreakdownJson {
  categories: Record<string, number>;
  bonuses: Record<string, number>;
  total: number;
  tier: Tier;
}

/** Every change of an artist's MONA score: old, new, why, by whom or what. */
export const scoringEvents = pgTable(
  'scoring_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    artistId: uuid('artist_id')
      .notNull()
      .references(() => artists.id, { onDelete: 'cascade' }),
    oldTotal: integer('old_total').notNull(),
    newTotal: integer('new_total').notNull(),
    oldTier: text('old_tier').$type<Tier>().notNull(),
    newTier: text('new_tier').$type<Tier>().notNull(),
    breakdown: jsonb('breakdown').$type<ScoreBreakdownJson>().notNull(),
    reason: text('reason').notNull(),
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
    /** 'user' when a person rated, 'system' for metrics and the weekly recompute. */
    actorKind: text('actor_kind').$type<'user' | 'system'>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('scoring_events_artist_idx').on(t.artistId, t.createdAt)],
);

/** A market-fit assessment with the inputs it was computed from. */
export const marketFitAssessments = pgTable(
  'market_fit_assessments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    artistId: uuid('artist_id')
      .notNull()
      .references(() => artists.id, { onDelete: 'cascade' }),
    inputs: jsonb('inputs').$type<Record<string, Record<string, number | null>>>().notNull(),
    dimensions: jsonb('dimensions').$type<Record<string, number>>().notNull(),
    overall: integer('overall').notNull(),
    category: text('category').notNull(),
    confidence: integer('confidence').notNull(),
    assessedBy: uuid('assessed_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('market_fit_artist_idx').on(t.artistId, t.createdAt)],
);
