import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { PIPELINE_STAGES, type PipelineStage } from '@mona/shared';
import type { Db } from '../../platform/db/client.ts';
import type { Clock } from '../../platform/clock.ts';
import { ACTIVITY_WINDOWS, type ActivityWindow, type BusinessSnapshot } from '../../platform/metrics.ts';
import type { PipelineRepository } from '../pipeline/pipeline.repository.ts';

const DAY_MS = 86_400_000;
export const WINDOW_DAYS: Record<ActivityWindow, number> = { day: 1, week: 7, month: 30 };

/** The stages a conversion starts from: every stage but the last (its target is the next stage). */
const FROM_STAGES = PIPELINE_STAGES.slice(0, -1) as Exclude<PipelineStage, 'retention'>[];
const ratio = z.number().min(0).max(1);

/**
 * Setting `monitoring`: the conversion targets of the pipeline (stage i → i+1)
 * the "conversion below target" alert compares with, over a sliding window,
 * once enough artists were in the stage for the ratio to mean something.
 */
export const monitoringSettingsSchema = z.strictObject({
  conversion: z.strictObject({
    windowDays: z.number().int().min(1).max(365),
    minArtists: z.number().int().min(1).max(100_000),
    targets: z.strictObject(Object.fromEntries(FROM_STAGES.map((s) => [s, ratio])) as Record<(typeof FROM_STAGES)[number], typeof ratio>),
  }),
});
export type MonitoringSettings = z.infer<typeof monitoringSettingsSchema>;

/** PRODUCT.md's funnel targets (25 %, 40 %, 60 %, 30 %), in order along the four moves of the pipeline. */
export const DEFAULT_MONITORING_SETTINGS: MonitoringSettings = {
  conversion: { windowDays: 30, minArtists: 10, targets: { prospect: 0.25, checkup: 0.4, prescription: 0.6, execution: 0.3 } },
};

/** The cheap, indexed reads behind the business gauges. */
export class BusinessMetricsRepository {
  constructor(private readonly db: Db) {}

  /**
   * Distinct users active in each window: a sign-in (`users.last_login_at`) or a
   * session refreshed (each refresh writes a `refresh_tokens` row). Both columns are indexed.
   */
  async activeUsers(now: Date): Promise<Record<ActivityWindow, number>> {
    const since = (w: ActivityWindow) => new Date(now.getTime() - WINDOW_DAYS[w] * DAY_MS).toISOString();
    const result = await this.db.execute<Record<ActivityWindow, number>>(sql`
      with activity as (
        select user_id, created_at as at from refresh_tokens where created_at >= ${since('month')}::timestamptz
        union all
        select id, last_login_at from users where last_login_at >= ${since('month')}::timestamptz
      )
      select count(distinct user_id) filter (where at >= ${since('day')}::timestamptz)::int as day,
             count(distinct user_id) filter (where at >= ${since('week')}::timestamptz)::int as week,
             count(distinct user_id)::int as month
      from activity`);
    const row = result.rows[0];
    return { day: row?.day ?? 0, week: row?.week ?? 0, month: row?.month ?? 0 };
  }

  /** Orders paid in each window (by `orders.paid_at`, indexed), count and amount. */
  async ordersPaid(now: Date): Promise<BusinessSnapshot['ordersPaid']> {
    const since = (w: ActivityWindow) => new Date(now.getTime() - WINDOW_DAYS[w] * DAY_MS).toISOString();
    const result = await this.db.execute<Record<string, number | string>>(sql`
      select count(*) filter (where paid_at >= ${since('day')}::timestamptz)::int as day_count,
             coalesce(sum(price_cents) filter (where paid_at >= ${since('day')}::timestamptz), 0)::bigint as day_amount,
             count(*) filter (where paid_at >= ${since('week')}::timestamptz)::int as week_count,
             coalesce(sum(price_cents) filter (where paid_at >= ${since('week')}::timestamptz), 0)::bigint as week_amount,
             count(*)::int as month_count,
             coalesce(sum(price_cents), 0)::bigint as month_amount
      from orders where paid_at >= ${since('month')}::timestamptz`);
    const row = result.rows[0] ?? {};
    return Object.fromEntries(
      ACTIVITY_WINDOWS.map((w) => [w, { count: Number(row[`${w}_count`] ?? 0), amountCents: Number(row[`${w}_amount`] ?? 0) }]),
    ) as BusinessSnapshot['ordersPaid'];
  }
}

/**
 * The business numbers of /metrics, read at scrape time and kept `ttlMs`
 * (one read per minute however many scrapers and gauges ask). A change of the
 * `monitoring` setting (one small read per scrape) reads them again at once, so
 * a target staff just changed is what the next scrape compares with.
 */
export class BusinessMetrics {
  private cached: { at: number; settings: string; value: Promise<BusinessSnapshot> } | null = null;

  constructor(
    private readonly deps: {
      repo: BusinessMetricsRepository;
      pipeline: Pick<PipelineRepository, 'artistsInStage' | 'movedBetween'>;
      settings: () => Promise<MonitoringSettings>;
      clock: Clock;
      ttlMs?: number;
    },
  ) {}

  async snapshot(): Promise<BusinessSnapshot> {
    const settings = (await this.deps.settings()).conversion;
    const key = JSON.stringify(settings);
    const now = this.deps.clock.now().getTime();
    if (this.cached && this.cached.settings === key && now - this.cached.at < (this.deps.ttlMs ?? 60_000)) return this.cached.value;
    const value = this.read(new Date(now), settings);
    const entry = { at: now, settings: key, value };
    this.cached = entry;
    // A failed read (database down) is not kept: the next scrape tries again.
    value.catch(() => {
      if (this.cached === entry) this.cached = null;
    });
    return value;
  }

  private async read(now: Date, settings: MonitoringSettings['conversion']): Promise<BusinessSnapshot> {
    const from = new Date(now.getTime() - settings.windowDays * DAY_MS);
    const [activeUsers, ordersPaid, inStage, moved] = await Promise.all([
      this.deps.repo.activeUsers(now),
      this.deps.repo.ordersPaid(now),
      this.deps.pipeline.artistsInStage(from, now),
      this.deps.pipeline.movedBetween(from, now),
    ]);
    return {
      activeUsers,
      ordersPaid,
      windowDays: settings.windowDays,
      conversions: FROM_STAGES.map((fromStage, i) => {
        const toStage = PIPELINE_STAGES[i + 1]!;
        const candidates = inStage.get(fromStage) ?? 0;
        const converted = moved.find((m) => m.fromStage === fromStage && m.toStage === toStage)?.artists ?? 0;
        return {
          fromStage,
          toStage,
          inStage: candidates,
          converted,
          rate: candidates ? converted / candidates : null,
          target: settings.targets[fromStage],
          minArtists: settings.minArtists,
        };
      }),
    };
  }
}
