import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { PIPELINE_STAGES, TIERS, type PipelineStage } from '@mona/shared';
import { createContext, type AppContext } from '../context.ts';
import { createLogger } from '../platform/logger.ts';
import { createPlatform } from '../platform/platform.ts';
import { migrate } from '../runtime.ts';
import { freshDatabaseUrl, testConfig } from '../test/harness.ts';
import { ARTIST_ACCOUNT_EMAIL, planArtist, PORTAL_ARTIST, STAFF_ACCOUNTS, weekStart } from './data.ts';
import { DEMO_PASSWORD, runSeed, SeedRefused, type SeedReport } from './seed.ts';

// A reduced dataset keeps the file fast; its first artists are planned to cover every tier.
// The full demo (64 artists) is what `npm run seed` loads.
const SIZE = 12;

const TABLES = [
  'users',
  'artists',
  'metric_snapshots',
  'pipeline_moves',
  'scoring_events',
  'artist_ratings',
  'domain_events',
  'interactions',
  'tasks',
  'opportunities',
  'orders',
  'order_status_changes',
] as const;

/** A migrated system on a fresh database: in-memory PGlite, or a new database on the server of DATABASE_URL. */
async function openSystem(mode: 'embedded' | 'postgresql') {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mona-seed-'));
  const config = testConfig({ DATA_DIR: dataDir });
  const database = mode === 'postgresql' ? await freshDatabaseUrl() : { url: undefined, drop: async () => undefined };
  const platform = await createPlatform(config, createLogger({ level: config.LOG_LEVEL, name: 'test' }), {
    name: 'test',
    embedded: 'own',
    inMemory: true,
    ...(database.url ? { databaseUrl: database.url } : {}),
  });
  const ctx = createContext(platform);
  await migrate(ctx);
  return {
    ctx,
    async close() {
      await ctx.queue.close();
      await platform.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function tableCounts(ctx: AppContext): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    const result = await ctx.platform.database.db.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`));
    counts[table] = result.rows[0]!.n;
  }
  return counts;
}

const modes = [{ mode: 'embedded' as const }, { mode: 'postgresql' as const, skip: process.env.DATABASE_URL ? false : 'DATABASE_URL is not set' }];

for (const { mode, skip } of modes) {
  describe(`demo seed (${mode})`, { skip }, () => {
    let system: Awaited<ReturnType<typeof openSystem>>;
    let first: SeedReport;
    let afterFirst: Record<string, number>;

    before(async () => {
      system = await openSystem(mode);
    });
    after(async () => {
      await system?.close();
    });

    test('the first run creates the demo team, artists, moves, metrics and scores through the services', async () => {
      first = await runSeed(system.ctx, { size: SIZE });
      afterFirst = await tableCounts(system.ctx);
      const plans = Array.from({ length: SIZE }, (_, i) => planArtist(i + 1, weekStart(new Date())));
      const plannedMoves = plans.reduce((s, p) => s + 1 + p.moves.length, 0);
      const plannedSnapshots = plans.reduce((s, p) => s + p.snapshots.length, 0);

      assert.equal(first.created.artists, SIZE);
      assert.equal(first.created.users, STAFF_ACCOUNTS.length + 1);
      assert.equal(first.totals.artists, SIZE);
      assert.equal(afterFirst.artists, SIZE);
      assert.equal(first.totals.moves, plannedMoves);
      assert.equal(first.totals.snapshots, plannedSnapshots);
      assert.equal(afterFirst.users, STAFF_ACCOUNTS.length + 1);
      // Every artist has at least the score of its metrics; the history shows the growth month by month.
      assert.ok(first.totals.scoringEvents >= SIZE, `scoring events: ${first.totals.scoringEvents}`);
      assert.equal(first.created['scoring events'], first.totals.scoringEvents);
      // Every stage change is recorded with its event, as the API records them.
      assert.ok((afterFirst.domain_events ?? 0) >= plannedMoves, `domain events: ${afterFirst.domain_events}`);
      for (const tier of TIERS) assert.ok(first.totals.tiers[tier] > 0, `no ${tier} artist: ${JSON.stringify(first.totals.tiers)}`);
      // The demo accounts, printed with the development password.
      assert.deepEqual(
        first.accounts.map((a) => [a.role, a.email, a.password]),
        [
          ['staff', STAFF_ACCOUNTS[0].email, DEMO_PASSWORD],
          ['artist', ARTIST_ACCOUNT_EMAIL, DEMO_PASSWORD],
        ],
      );
    });

    test('scores and tiers are the scoring service’s, and the cached copy on each artist matches its latest event', async () => {
      const { rows } = await system.ctx.platform.database.db.execute<{
        email: string;
        score_total: number;
        tier: string;
        latest_total: number;
        latest_tier: string;
      }>(
        sql`select a.email, a.score_total, a.tier,
                   (select new_total from scoring_events e where e.artist_id = a.id order by created_at desc, id desc limit 1) as latest_total,
                   (select new_tier from scoring_events e where e.artist_id = a.id order by created_at desc, id desc limit 1) as latest_tier
            from artists a where a.email like 'demo+%'`,
      );
      assert.equal(rows.length, SIZE);
      for (const row of rows) {
        assert.equal(row.score_total, row.latest_total, row.email);
        assert.equal(row.tier, row.latest_tier, row.email);
      }
    });

    test('the history is spread over the past months, in order', async () => {
      const { rows } = await system.ctx.platform.database.db.execute<{ ordered: boolean; oldest: string; stage_ok: boolean }>(sql`
        select bool_and(m.moved_at >= a.created_at) as ordered,
               min(m.moved_at)::text as oldest,
               bool_and(a.stage_changed_at = (select max(moved_at) from pipeline_moves x where x.artist_id = a.id)) as stage_ok
        from artists a join pipeline_moves m on m.artist_id = a.id`);
      assert.equal(rows[0]!.ordered, true);
      assert.equal(rows[0]!.stage_ok, true);
      assert.ok(Date.now() - Date.parse(rows[0]!.oldest) > 30 * 86_400_000, `oldest move ${rows[0]!.oldest}`);
    });

    test('the team work: a timeline past prospect, follow-up tasks due soon, deals from prescription on, paid orders from execution on', async () => {
      const { rows } = await system.ctx.platform.database.db.execute<{
        stage: string;
        artists: number;
        with_interactions: number;
        with_open_task: number;
        with_opportunity: number;
        with_paid_order: number;
      }>(sql`
        select a.stage, count(*)::int as artists,
               count(*) filter (where exists (select 1 from interactions i where i.artist_id = a.id))::int as with_interactions,
               count(*) filter (where exists (select 1 from tasks t join interactions i on i.task_id = t.id
                                              where t.artist_id = a.id and t.status = 'todo' and t.due_at > now()))::int as with_open_task,
               count(*) filter (where exists (select 1 from opportunities o where o.artist_id = a.id))::int as with_opportunity,
               count(*) filter (where exists (select 1 from orders o where o.artist_id = a.id and o.paid_at is not null)) ::int as with_paid_order
        from artists a group by a.stage`);
      const byStage = new Map(rows.map((r) => [r.stage, r]));
      for (const [stage, row] of byStage) {
        const index = PIPELINE_STAGES.indexOf(stage as PipelineStage);
        assert.equal(row.with_interactions, index >= 1 ? row.artists : 0, `interactions in ${stage}`);
        assert.equal(row.with_open_task, index >= 1 && stage !== 'retention' ? row.artists : 0, `follow-up tasks in ${stage}`);
        assert.equal(row.with_opportunity, index >= 2 ? row.artists : 0, `opportunities in ${stage}`);
        assert.equal(row.with_paid_order, index >= 3 ? row.artists : 0, `paid orders in ${stage}`);
      }
      assert.ok((byStage.get('execution')?.artists ?? 0) > 0 && (byStage.get('checkup')?.artists ?? 0) > 0, 'the small demo spans the stages');
    });

    test('the demo artist account is linked to its artist and signs in', async () => {
      const user = await system.ctx.repos.users.findByEmail(ARTIST_ACCOUNT_EMAIL);
      assert.equal(user?.role, 'artist');
      const linked = await system.ctx.repos.artists.findByUserId(user.id);
      assert.equal(linked?.email, `demo+${PORTAL_ARTIST}@mona.example`);
      const session = await system.ctx.services.auth.login({ email: ARTIST_ACCOUNT_EMAIL, password: DEMO_PASSWORD }, { ip: '127.0.0.1', userAgent: null });
      assert.ok(session.accessToken);
    });

    test('a second run creates nothing and changes no count', async () => {
      const second = await runSeed(system.ctx, { size: SIZE });
      assert.deepEqual(second.created, {});
      assert.deepEqual(second.totals, first.totals);
      assert.deepEqual(
        second.accounts.map((a) => a.password),
        [null, null],
      );
      // Logins of the test above add a refresh token, not counted here.
      assert.deepEqual(await tableCounts(system.ctx), afterFirst);
    });

    test('production is refused unless forced', async () => {
      const production = { ...system.ctx, platform: { ...system.ctx.platform, config: { ...system.ctx.platform.config, NODE_ENV: 'production' as const } } };
      await assert.rejects(runSeed(production, { size: SIZE }), SeedRefused);
      const forced = await runSeed(production, { size: SIZE, force: true }, []);
      assert.deepEqual(forced.created, {});
    });
  });
}
