import { and, asc, desc, eq, gte, lte, sql, type SQL } from 'drizzle-orm';
import type { Platform, PlatformMetrics } from '@mona/shared';
import type { Db } from '../../platform/db/client.ts';
import { metricSnapshots } from '../artists/artists.tables.ts';
import type { MetricSnapshotInput } from './scoring.schemas.ts';

/** A drizzle transaction or the database: what the scoring repositories run their SQL on. */
export type ScoringTx = Pick<Db, 'select' | 'selectDistinctOn' | 'insert' | 'update' | 'execute'>;

export type MetricSnapshotRow = typeof metricSnapshots.$inferSelect;

/**
 * All SQL on metric_snapshots. The table is declared beside `artists` (a
 * snapshot belongs to an artist and goes with it), but the metrics are the
 * scoring module's input: it is their only writer and reader, and every write
 * must be followed by a recompute in the same transaction. So their SQL lives
 * here, in the scoring module, not in ArtistsRepository (owned by the artists
 * module).
 */
export class MetricsRepository {
  constructor(private readonly db: Db) {}

  /**
   * Inserts the snapshots; one for the same artist, platform and instant
   * replaces the numbers of the stored one (the unique index), so re-posting
   * an import is harmless. Returns how many rows were written.
   */
  async upsert(tx: ScoringTx, artistId: string, snapshots: readonly MetricSnapshotInput[], source = 'manual'): Promise<number> {
    if (snapshots.length === 0) return 0;
    const rows = await tx
      .insert(metricSnapshots)
      .values(
        snapshots.map((s) => ({
          artistId,
          platform: s.platform,
          capturedAt: new Date(s.capturedAt),
          followers: s.followers,
          engagementRate: s.engagementRate,
          postsPerWeek: s.postsPerWeek,
          monthlyGrowth: s.monthlyGrowth,
          source,
        })),
      )
      .onConflictDoUpdate({
        target: [metricSnapshots.artistId, metricSnapshots.platform, metricSnapshots.capturedAt],
        set: {
          followers: sql`excluded.followers`,
          engagementRate: sql`excluded.engagement_rate`,
          postsPerWeek: sql`excluded.posts_per_week`,
          monthlyGrowth: sql`excluded.monthly_growth`,
          source: sql`excluded.source`,
        },
      })
      .returning({ id: metricSnapshots.id });
    return rows.length;
  }

  /** The newest snapshot of each platform: what the computed score categories read. */
  async latestPerPlatform(tx: ScoringTx, artistId: string): Promise<(PlatformMetrics & { capturedAt: Date })[]> {
    return tx
      .selectDistinctOn([metricSnapshots.platform], {
        platform: metricSnapshots.platform,
        capturedAt: metricSnapshots.capturedAt,
        followers: metricSnapshots.followers,
        engagementRate: metricSnapshots.engagementRate,
        postsPerWeek: metricSnapshots.postsPerWeek,
        monthlyGrowth: metricSnapshots.monthlyGrowth,
      })
      .from(metricSnapshots)
      .where(eq(metricSnapshots.artistId, artistId))
      .orderBy(asc(metricSnapshots.platform), desc(metricSnapshots.capturedAt));
  }

  /**
   * Snapshots for charts, oldest first. At most `limit` rows: the most recent
   * ones, so a long history cuts off its oldest end; `truncated` says so.
   */
  async series(
    artistId: string,
    filter: { platform?: Platform | undefined; from?: Date | undefined; to?: Date | undefined },
    limit: number,
  ): Promise<{ rows: MetricSnapshotRow[]; truncated: boolean }> {
    const conditions: SQL[] = [eq(metricSnapshots.artistId, artistId)];
    if (filter.platform) conditions.push(eq(metricSnapshots.platform, filter.platform));
    if (filter.from) conditions.push(gte(metricSnapshots.capturedAt, filter.from));
    if (filter.to) conditions.push(lte(metricSnapshots.capturedAt, filter.to));
    const rows = await this.db
      .select()
      .from(metricSnapshots)
      .where(and(...conditions))
      .orderBy(desc(metricSnapshots.capturedAt), desc(metricSnapshots.id))
      .limit(limit + 1);
    const truncated = rows.length > limit;
    return { rows: rows.slice(0, limit).reverse(), truncated };
  }
}
