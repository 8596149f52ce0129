import { eq } from 'drizzle-orm';
import type { Tier } from '@mona/shared';
import type { Db } from '../../platform/db/client.ts';
import type { Tx } from '../events/events.service.ts';
import { artists } from './artists.tables.ts';

export type ArtistRow = typeof artists.$inferSelect;

/** All SQL on the artists and metric_snapshots tables. */
export class ArtistsRepository {
  constructor(private readonly db: Db) {}

  async findById(id: string, tx: Pick<Db, 'select'> = this.db): Promise<ArtistRow | undefined> {
    const [row] = await tx.select().from(artists).where(eq(artists.id, id)).limit(1);
    return row;
  }

  async findByUserId(userId: string): Promise<ArtistRow | undefined> {
    const [row] = await this.db.select().from(artists).where(eq(artists.userId, userId)).limit(1);
    return row;
  }

  /** Caches the score on the artist row (filters, sorting); the history lives in scoring_events. */
  async setScore(tx: Tx, id: string, total: number, tier: Tier): Promise<void> {
    await tx.update(artists).set({ scoreTotal: total, tier }).where(eq(artists.id, id));
  }
}
