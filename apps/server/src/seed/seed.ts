import { count, inArray, sql } from 'drizzle-orm';
import { TIERS, type Tier } from '@mona/shared';
import type { AppContext } from '../context.ts';
import { artists, metricSnapshots } from '../modules/artists/artists.tables.ts';
import { pipelineMoves } from '../modules/pipeline/pipeline.tables.ts';
import { scoringEvents } from '../modules/scoring/scoring.tables.ts';
import { generatePassword } from '../modules/users/users.service.ts';
import { DEFAULT_SEED_SIZE } from './data.ts';
import { SEED_STEPS } from './steps/index.ts';
import type { DemoAccount, Seed, SeedOptions, SeedState, SeedStep } from './types.ts';

/** The demo accounts' password in development: known, so that anyone trying the demo can sign in. Production gets a generated one. */
export const DEMO_PASSWORD = 'Mona-Demo-Villa-2026';

export interface SeedReport {
  created: Record<string, number>;
  /** Totals over the demo artists, whoever made them. */
  totals: { artists: number; snapshots: number; moves: number; scoringEvents: number; tiers: Record<Tier, number> };
  accounts: DemoAccount[];
  ms: number;
}

export class SeedRefused extends Error {}

/** Demo data never lands in production by accident: NODE_ENV=production needs `force`. */
export function assertSeedAllowed(nodeEnv: string, force: boolean): void {
  if (nodeEnv === 'production' && !force)
    throw new SeedRefused('Refusing to seed demo data into a production database (NODE_ENV=production); pass --force to do it anyway.');
}

/**
 * Seeds the demo dataset through the real services, step by step; running it
 * again creates nothing. Refuses a production database unless `force`.
 */
export async function runSeed(ctx: AppContext, options: Partial<SeedOptions> = {}, steps: readonly SeedStep[] = SEED_STEPS): Promise<SeedReport> {
  const production = ctx.platform.config.NODE_ENV === 'production';
  assertSeedAllowed(ctx.platform.config.NODE_ENV, options.force ?? false);
  const opts: SeedOptions = {
    size: options.size ?? DEFAULT_SEED_SIZE,
    force: options.force ?? false,
    password: options.password ?? (production ? generatePassword() : DEMO_PASSWORD),
    log: options.log ?? (() => undefined),
  };
  if (!Number.isInteger(opts.size) || opts.size < 1 || opts.size > 10_000) throw new Error('The seed size must be a whole number from 1 to 10000');
  const state: SeedState = { anchor: new Date(), staff: [], artistAccount: null, artists: [], created: {} };
  const seed: Seed = {
    ctx,
    options: opts,
    state,
    caller(staffIndex) {
      const account = state.staff[staffIndex ?? 0] ?? state.staff[0];
      if (!account) throw new Error('The staff accounts step must run first');
      return { id: account.id, role: 'staff' };
    },
    count(kind, n = 1) {
      state.created[kind] = (state.created[kind] ?? 0) + n;
    },
  };
  const started = performance.now();
  for (const step of steps) {
    const stepStarted = performance.now();
    await step.run(seed);
    opts.log(`  ${step.name}: done in ${((performance.now() - stepStarted) / 1000).toFixed(1)} s`);
  }
  return {
    created: state.created,
    totals: await totals(ctx, state),
    accounts: [...state.staff.slice(0, 1), ...(state.artistAccount ? [state.artistAccount] : [])],
    ms: Math.round(performance.now() - started),
  };
}

async function totals(ctx: AppContext, state: SeedState): Promise<SeedReport['totals']> {
  const { db } = ctx.platform.database;
  const ids = state.artists.map((a) => a.id);
  const tiers = Object.fromEntries(TIERS.map((t) => [t, 0])) as Record<Tier, number>;
  if (ids.length === 0) return { artists: 0, snapshots: 0, moves: 0, scoringEvents: 0, tiers };
  const byTier = await db
    .select({ tier: artists.tier, n: sql<number>`count(*)::int` })
    .from(artists)
    .where(inArray(artists.id, ids))
    .groupBy(artists.tier);
  for (const row of byTier) tiers[row.tier] = row.n;
  const countOf = async (table: typeof metricSnapshots | typeof pipelineMoves | typeof scoringEvents) =>
    (await db.select({ n: count() }).from(table).where(inArray(table.artistId, ids)))[0]!.n;
  return {
    artists: byTier.reduce((s, r) => s + r.n, 0),
    snapshots: await countOf(metricSnapshots),
    moves: await countOf(pipelineMoves),
    scoringEvents: await countOf(scoringEvents),
    tiers,
  };
}

/** The summary printed by `npm run seed` and `npm start -- --demo`. */
export function formatSeedReport(report: SeedReport): string {
  const created = Object.entries(report.created);
  const t = report.totals;
  const lines = [
    `Demo data ready in ${(report.ms / 1000).toFixed(1)} s: ${created.length ? created.map(([k, n]) => `${n} ${k}`).join(', ') + ' created' : 'nothing new (already seeded)'}.`,
    `  ${t.artists} demo artists, ${t.snapshots} metric snapshots, ${t.moves} pipeline moves, ${t.scoringEvents} scoring events`,
    `  tiers: ${TIERS.map((tier) => `${tier} ${t.tiers[tier]}`).join(', ')}`,
    '',
    '  Demo accounts:',
    ...report.accounts.map(
      (a) => `    ${a.role.padEnd(6)} ${a.email.padEnd(28)} ${a.password ? `password: ${a.password}` : 'already existed (password unchanged)'}`,
    ),
  ];
  return lines.join('\n') + '\n';
}
