import { and, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { refreshTokens } from './auth.tables.ts';

export type RefreshTokenRow = typeof refreshTokens.$inferSelect;

export class RefreshTokensRepository {
  constructor(private readonly db: Db) {}

  async insert(input: { userId: string; familyId: string; tokenHash: string; expiresAt: Date; userAgent: string | null; ip: string | null }): Promise<void> {
    await this.db.insert(refreshTokens).values(input);
  }

  /**
   * Marks a live token used, atomically: of two concurrent uses of the same
   * token exactly one gets the row back.
   */
  async consume(tokenHash: string): Promise<RefreshTokenRow | undefined> {
    const [row] = await this.db
      .update(refreshTokens)
      .set({ usedAt: new Date() })
      .where(
        and(eq(refreshTokens.tokenHash, tokenHash), isNull(refreshTokens.usedAt), isNull(refreshTokens.revokedAt), gt(refreshTokens.expiresAt, sql`now()`)),
      )
      .returning();
    return row;
  }

  async findByHash(tokenHash: string): Promise<RefreshTokenRow | undefined> {
    const [row] = await this.db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash)).limit(1);
    return row;
  }

  async revokeFamily(familyId: string): Promise<number> {
    const rows = await this.db
      .update(refreshTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)))
      .returning({ id: refreshTokens.id });
    return rows.length;
  }

  /** Deletes tokens expired (or revoked) more than `graceDays` ago; returns how many. */
  async purge(graceDays: number): Promise<number> {
    const cutoff = sql`now() - make_interval(days => ${graceDays})`;
    const rows = await this.db
      .delete(refreshTokens)
      .where(or(lt(refreshTokens.expiresAt, cutoff), lt(refreshTokens.revokedAt, cutoff)))
      .returning({ id: refreshTokens.id });
    return rows.length;
  }
}
