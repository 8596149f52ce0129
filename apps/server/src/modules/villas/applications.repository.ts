import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { ApplicationStatus, JuryCriterion, Tier } from '@mona/shared';
import type { Db } from '../../platform/db/client.ts';
import { artists } from '../artists/artists.tables.ts';
import type { Tx } from '../events/events.service.ts';
import { users } from '../users/users.tables.ts';
import { applicationScores, villaApplications, villas } from './villas.tables.ts';

export type ApplicationRow = typeof villaApplications.$inferSelect;
export type ApplicationScoreRow = typeof applicationScores.$inferSelect;
export type VillaRow = typeof villas.$inferSelect;

/** An application with what its pages show: the artist's stage name and the villa's name. */
export interface ApplicationRecord extends ApplicationRow {
  artistName: string;
  artistUserId: string | null;
  villaName: string;
}

export interface JurorScore extends ApplicationScoreRow {
  jurorName: string;
}

export interface ParticipantRecord {
  applicationId: string;
  artistId: string;
  stageName: string;
  genre: string;
  tier: Tier;
  acceptedAt: Date | null;
}

const recordColumns = {
  application: villaApplications,
  artistName: artists.stageName,
  artistUserId: artists.userId,
  villaName: villas.name,
};

const toRecord = (r: { application: ApplicationRow; artistName: string; artistUserId: string | null; villaName: string }): ApplicationRecord => ({
  ...r.application,
  artistName: r.artistName,
  artistUserId: r.artistUserId,
  villaName: r.villaName,
});

/** Genres are compared without case, so "Rap" and "rap" count as one genre for the mix rule. */
const sameGenre = (genre: string) => sql`lower(${villaApplications.genre}) = lower(${genre})`;

/** All SQL on villa_applications and application_scores, plus the minimal villa reads and status change the decisions need. */
export class ApplicationsRepository {
  constructor(private readonly db: Db) {}

  async findVilla(id: string): Promise<VillaRow | undefined> {
    const [row] = await this.db.select().from(villas).where(eq(villas.id, id)).limit(1);
    return row;
  }

  /**
   * Locks the villa row for the rest of the transaction. Every decision that
   * changes who is accepted takes this lock first, so concurrent acceptances
   * of one villa run one after the other and see each other's result.
   */
  async lockVilla(tx: Tx, id: string): Promise<VillaRow | undefined> {
    const [row] = await tx.select().from(villas).where(eq(villas.id, id)).for('update');
    return row;
  }

  async insertApplication(
    tx: Tx,
    values: Pick<ApplicationRow, 'villaId' | 'artistId' | 'motivation' | 'portfolioLinks' | 'genre' | 'scoreAtApplication' | 'tierAtApplication'>,
  ): Promise<ApplicationRow> {
    const [row] = await tx.insert(villaApplications).values(values).returning();
    return row!;
  }

  async findApplicationOf(villaId: string, artistId: string): Promise<ApplicationRow | undefined> {
    const [row] = await this.db
      .select()
      .from(villaApplications)
      .where(and(eq(villaApplications.villaId, villaId), eq(villaApplications.artistId, artistId)))
      .limit(1);
    return row;
  }

  async findApplication(id: string, tx: Pick<Db, 'select'> = this.db): Promise<ApplicationRecord | undefined> {
    const [row] = await tx
      .select(recordColumns)
      .from(villaApplications)
      .innerJoin(artists, eq(artists.id, villaApplications.artistId))
      .innerJoin(villas, eq(villas.id, villaApplications.villaId))
      .where(eq(villaApplications.id, id))
      .limit(1);
    return row && toRecord(row);
  }

  /**
   * The committee's order: SPARK-ready (at application) first, then by the
   * MONA score at application, highest first, then the oldest application first.
   */
  async listForVilla(villaId: string, status?: ApplicationStatus): Promise<ApplicationRecord[]> {
    const conditions: SQL[] = [eq(villaApplications.villaId, villaId)];
    if (status) conditions.push(eq(villaApplications.status, status));
    const rows = await this.db
      .select(recordColumns)
      .from(villaApplications)
      .innerJoin(artists, eq(artists.id, villaApplications.artistId))
      .innerJoin(villas, eq(villas.id, villaApplications.villaId))
      .where(and(...conditions))
      .orderBy(
        desc(sql`(${villaApplications.tierAtApplication} = 'spark_ready')`),
        desc(villaApplications.scoreAtApplication),
        asc(villaApplications.createdAt),
        asc(villaApplications.id),
      );
    return rows.map(toRecord);
  }

  /** An artist's applications, newest first. */
  async listForArtist(artistId: string): Promise<ApplicationRecord[]> {
    const rows = await this.db
      .select(recordColumns)
      .from(villaApplications)
      .innerJoin(artists, eq(artists.id, villaApplications.artistId))
      .innerJoin(villas, eq(villas.id, villaApplications.villaId))
      .where(eq(villaApplications.artistId, artistId))
      .orderBy(desc(villaApplications.createdAt), desc(villaApplications.id));
    return rows.map(toRecord);
  }

  /** Every juror's scores of these applications, with the juror's name, oldest first. */
  async scoresOf(applicationIds: string[]): Promise<JurorScore[]> {
    if (!applicationIds.length) return [];
    const rows = await this.db
      .select({ score: applicationScores, jurorName: users.name })
      .from(applicationScores)
      .innerJoin(users, eq(users.id, applicationScores.jurorId))
      .where(inArray(applicationScores.applicationId, applicationIds))
      .orderBy(asc(applicationScores.createdAt), asc(applicationScores.id));
    return rows.map((r) => ({ ...r.score, jurorName: r.jurorName }));
  }

  /** One score per juror and application: a juror scoring again replaces their scores. */
  async upsertScore(values: { applicationId: string; jurorId: string; scores: Record<JuryCriterion, number>; total: number; comment: string }): Promise<void> {
    await this.db
      .insert(applicationScores)
      .values(values)
      .onConflictDoUpdate({
        target: [applicationScores.applicationId, applicationScores.jurorId],
        set: { scores: values.scores, total: values.total, comment: values.comment, updatedAt: sql`now()` },
      });
  }

  async countAccepted(tx: Tx, villaId: string): Promise<number> {
    const [row] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(villaApplications)
      .where(and(eq(villaApplications.villaId, villaId), eq(villaApplications.status, 'accepted')));
    return row?.n ?? 0;
  }

  async countAcceptedInGenre(tx: Tx, villaId: string, genre: string): Promise<number> {
    const [row] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(villaApplications)
      .where(and(eq(villaApplications.villaId, villaId), eq(villaApplications.status, 'accepted'), sameGenre(genre)));
    return row?.n ?? 0;
  }

  /** The waiting list: the first waitlisted first. */
  async waitlisted(tx: Tx, villaId: string): Promise<ApplicationRow[]> {
    return tx
      .select()
      .from(villaApplications)
      .where(and(eq(villaApplications.villaId, villaId), eq(villaApplications.status, 'waitlisted')))
      .orderBy(asc(villaApplications.waitlistedAt), asc(villaApplications.createdAt), asc(villaApplications.id));
  }

  /**
   * Changes the status only if the application is still at `from`; entering
   * `waitlisted` stamps waitlistedAt, a staff decision stamps decidedBy/At.
   */
  async transition(
    tx: Tx,
    id: string,
    from: ApplicationStatus,
    to: ApplicationStatus,
    decision: { reason: string; decidedBy: string },
  ): Promise<ApplicationRow | undefined> {
    const [row] = await tx
      .update(villaApplications)
      .set({
        status: to,
        decisionReason: decision.reason,
        decidedBy: decision.decidedBy,
        decidedAt: sql`now()`,
        updatedAt: sql`now()`,
        ...(to === 'waitlisted' ? { waitlistedAt: sql`now()` } : {}),
      })
      .where(and(eq(villaApplications.id, id), eq(villaApplications.status, from)))
      .returning();
    return row;
  }

  /** Accepted applications of a villa with the artist's current tier, first accepted first. */
  async participants(villaId: string): Promise<ParticipantRecord[]> {
    return this.db
      .select({
        applicationId: villaApplications.id,
        artistId: villaApplications.artistId,
        stageName: artists.stageName,
        genre: villaApplications.genre,
        tier: artists.tier,
        acceptedAt: villaApplications.decidedAt,
      })
      .from(villaApplications)
      .innerJoin(artists, eq(artists.id, villaApplications.artistId))
      .where(and(eq(villaApplications.villaId, villaId), eq(villaApplications.status, 'accepted')))
      .orderBy(asc(villaApplications.decidedAt), asc(artists.stageName));
  }
}
