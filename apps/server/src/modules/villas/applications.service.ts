import { APPLICATION_TRANSITIONS, isTeamRole, JURY_CRITERIA, type ApplicationStatus, type Tier } from '@mona/shared';
import type { Db } from '../../platform/db/client.ts';
import { AppError, conflict, forbidden, isUniqueViolation, notFound } from '../../platform/errors.ts';
import type { Caller } from '../../platform/http/auth.ts';
import type { ArtistRow, ArtistsRepository } from '../artists/artists.repository.ts';
import type { Tx } from '../events/events.service.ts';
import type { VillasService } from './villas.service.ts';
import type { VillaTx } from './villas.repository.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import type { ApplicationRecord, ApplicationRow, ApplicationsRepository, JurorScore, VillaRow } from './applications.repository.ts';
import type { ApplicationDto, ApplicationTransitionInput, ApplyInput, JuryScoreDto, ParticipantDto, ScoreInput, VillaCallDto } from './applications.schemas.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const fieldError = (path: string, message: string) => new AppError(400, 'validation_failed', message, { issues: [{ path, message }] });

/** Tiers that may apply to an open call. */
export const ELIGIBLE_TIERS: readonly Tier[] = ['premium', 'spark_ready'];

/** Why an application cannot go from one status to another, or null when APPLICATION_TRANSITIONS allows it. */
export function applicationTransitionRefusal(from: ApplicationStatus, to: ApplicationStatus): string | null {
  const allowed = APPLICATION_TRANSITIONS[from];
  if (allowed.includes(to)) return null;
  if (from === to) return `the application is already ${to}`;
  return allowed.length ? `from ${from} an application can only become ${allowed.join(' or ')}` : `${from} is final`;
}

/** The mean of the jurors' totals, 2 decimals; null before any score. */
export function meanTotal(totals: readonly number[]): number | null {
  if (!totals.length) return null;
  return Math.round((totals.reduce((a, b) => a + b, 0) / totals.length) * 100) / 100;
}

function toJuryScoreDto(row: JurorScore): JuryScoreDto {
  return {
    juror: { id: row.jurorId, name: row.jurorName },
    scores: row.scores,
    total: row.total,
    comment: row.comment,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toApplicationDto(row: ApplicationRecord, scores: JurorScore[] | null): ApplicationDto {
  return {
    id: row.id,
    villaId: row.villaId,
    villaName: row.villaName,
    artistId: row.artistId,
    artistName: row.artistName,
    genre: row.genre,
    motivation: row.motivation,
    portfolioLinks: row.portfolioLinks,
    status: row.status,
    scoreAtApplication: row.scoreAtApplication,
    tierAtApplication: row.tierAtApplication,
    sparkReady: row.tierAtApplication === 'spark_ready',
    decisionReason: row.decisionReason,
    decidedAt: iso(row.decidedAt),
    waitlistedAt: iso(row.waitlistedAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    jury: scores ? { scores: scores.map(toJuryScoreDto), meanTotal: meanTotal(scores.map((s) => s.total)) } : null,
  };
}

function assertTeam(caller: Caller, what: string): void {
  if (!isTeamRole(caller.role)) throw forbidden(`Only the team ${what}`);
}

/**
 * SPARK open calls: artists apply to an open villa, the jury scores, the team
 * decides. Every decision that changes who is accepted runs in one transaction
 * holding the villa row lock, so capacity and the genre mix hold under
 * concurrent acceptances.
 */
export class ApplicationsService {
  constructor(
    private readonly deps: {
      db: Db;
      repo: ApplicationsRepository;
      artists: ArtistsRepository;
      settings: SettingsService;
      /** Turns the villa full or open again, with its rules and history, inside the decision's transaction. */
      villaStatus: Pick<VillasService, 'setStatusInTx'>;
    },
  ) {}

  /** An artist applies for their own linked record; the team may file one for any artist. */
  async apply(caller: Caller, villaId: string, input: ApplyInput): Promise<ApplicationDto> {
    const artist = await this.applicant(caller, input.artistId);
    const villa = await this.deps.repo.findVilla(villaId);
    if (!villa || villa.archivedAt) throw notFound('Villa not found');
    if (artist.archivedAt) throw conflict(`${artist.stageName} is archived and cannot apply`);
    if (!ELIGIBLE_TIERS.includes(artist.tier)) {
      const { tierThresholds } = await this.deps.settings.get('scoring');
      throw conflict(
        `${artist.stageName} is at tier ${artist.tier} (score ${artist.scoreTotal}): only premium artists (score ≥ ${tierThresholds.premium}) ` +
          `or SPARK-ready artists (≥ ${tierThresholds.spark_ready}) may apply`,
        { tier: artist.tier, score: artist.scoreTotal, threshold: tierThresholds.premium },
      );
    }
    if (!artist.genres.includes(input.genre)) {
      throw fieldError(
        'genre',
        artist.genres.length
          ? `Apply under one of ${artist.stageName}'s genres: ${artist.genres.join(', ')}`
          : `${artist.stageName} has no genre yet: add one to the profile first`,
      );
    }
    if (await this.deps.repo.findApplicationOf(villa.id, artist.id)) throw conflict(`${artist.stageName} has already applied to ${villa.name}`);
    let id: string;
    try {
      id = await this.deps.db.transaction(async (tx) => {
        const locked = await this.deps.repo.lockVilla(tx, villa.id);
        if (!locked) throw notFound('Villa not found');
        if (locked.status !== 'open') throw conflict(`${locked.name} is ${locked.status}: applications are taken only while the villa is open`);
        const row = await this.deps.repo.insertApplication(tx, {
          villaId: villa.id,
          artistId: artist.id,
          motivation: input.motivation,
          portfolioLinks: input.portfolioLinks,
          genre: input.genre,
          scoreAtApplication: artist.scoreTotal,
          tierAtApplication: artist.tier,
        });
        return row.id;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`${artist.stageName} has already applied to ${villa.name}`);
      throw error;
    }
    return this.detail(caller, id);
  }

  /** The committee's list of a villa's applications, with each juror's scores. */
  async listForVilla(caller: Caller, villaId: string, status?: ApplicationStatus): Promise<{ villa: VillaCallDto; items: ApplicationDto[] }> {
    assertTeam(caller, 'reads the applications of a villa');
    const villa = await this.villaOrNotFound(villaId);
    const rows = await this.deps.repo.listForVilla(villaId, status);
    const scores = await this.deps.repo.scoresOf(rows.map((r) => r.id));
    return {
      villa: await this.villaCall(villa),
      items: rows.map((r) =>
        toApplicationDto(
          r,
          scores.filter((s) => s.applicationId === r.id),
        ),
      ),
    };
  }

  /** The signed-in artist's applications, newest first; none when no artist record is linked. */
  async listOwn(caller: Caller): Promise<ApplicationDto[]> {
    if (caller.role !== 'artist') throw forbidden('Only an artist has their own applications');
    const artist = await this.deps.artists.findByUserId(caller.id);
    if (!artist) return [];
    return (await this.deps.repo.listForArtist(artist.id)).map((r) => toApplicationDto(r, null));
  }

  /** The team reads any application with the jury's scores; an artist only their own, without them (others are 404). */
  async get(caller: Caller, id: string): Promise<ApplicationDto> {
    return this.detail(caller, id);
  }

  /** A team member's scores on the jury grid: one per juror and application, scoring again replaces them. */
  async score(caller: Caller, id: string, input: ScoreInput): Promise<ApplicationDto> {
    assertTeam(caller, 'scores applications');
    const application = await this.deps.repo.findApplication(id);
    if (!application) throw notFound('Application not found');
    if (application.status === 'withdrawn' || application.status === 'rejected')
      throw conflict(`The application is ${application.status}: it is no longer scored`);
    const total = JURY_CRITERIA.reduce((sum, c) => sum + input.scores[c], 0);
    await this.deps.repo.upsertScore({ applicationId: id, jurorId: caller.id, scores: input.scores, total, comment: input.comment ?? '' });
    return this.detail(caller, id);
  }

  /** A team decision along APPLICATION_TRANSITIONS; accepting checks capacity and the genre mix under the villa lock. */
  async transition(caller: Caller, id: string, input: ApplicationTransitionInput): Promise<ApplicationDto> {
    assertTeam(caller, 'decides on applications');
    const application = await this.deps.repo.findApplication(id);
    if (!application) throw notFound('Application not found');
    await this.move(caller, application, input.to, input.reason ?? '');
    return this.detail(caller, id);
  }

  /** The artist withdraws their own application; others' are 404. */
  async withdraw(caller: Caller, id: string, reason?: string): Promise<ApplicationDto> {
    const application = await this.deps.repo.findApplication(id);
    if (!application || !(isTeamRole(caller.role) || application.artistUserId === caller.id)) throw notFound('Application not found');
    await this.move(caller, application, 'withdrawn', reason ?? 'withdrawn by the artist');
    return this.detail(caller, id);
  }

  /** Accepts the first waitlisted application (by waitlistedAt) whose genre keeps the mix rule, in one locked transaction. */
  async promoteWaitlisted(caller: Caller, villaId: string): Promise<ApplicationDto> {
    assertTeam(caller, 'promotes from the waiting list');
    await this.villaOrNotFound(villaId);
    const promoted = await this.deps.db.transaction(async (tx) => {
      const villa = (await this.deps.repo.lockVilla(tx, villaId))!;
      const accepted = await this.assertRoom(tx, villa);
      const waiting = await this.deps.repo.waitlisted(tx, villaId);
      if (!waiting.length) throw conflict(`No one is on the waiting list of ${villa.name}`);
      const refusals: string[] = [];
      for (const candidate of waiting) {
        const refusal = await this.genreRefusal(tx, villa, candidate.genre);
        if (refusal) {
          refusals.push(refusal);
          continue;
        }
        await this.accept(tx, caller, villa, candidate, accepted, 'promoted from the waiting list');
        return candidate.id;
      }
      throw conflict(`No waitlisted artist keeps the genre mix rule: ${[...new Set(refusals)].join('; ')}`);
    });
    return this.detail(caller, promoted);
  }

  /** The villa's participants: the team, and the villa's accepted artists themselves (stage names and genres only). */
  async participants(caller: Caller, villaId: string): Promise<{ villa: VillaCallDto; items: ParticipantDto[] }> {
    const villa = await this.villaOrNotFound(villaId);
    const rows = await this.deps.repo.participants(villaId);
    const team = isTeamRole(caller.role);
    if (!team) {
      const artist = caller.role === 'artist' ? await this.deps.artists.findByUserId(caller.id) : undefined;
      if (!artist || !rows.some((r) => r.artistId === artist.id)) throw forbidden("Only the team and the villa's accepted artists see its participants");
    }
    return {
      villa: await this.villaCall(villa),
      items: rows.map((r) => ({
        applicationId: r.applicationId,
        artistId: r.artistId,
        stageName: r.stageName,
        genre: r.genre,
        tier: team ? r.tier : null,
        acceptedAt: iso(r.acceptedAt),
      })),
    };
  }

  // ---- decisions ----

  /**
   * Every status change of an application. Runs in one transaction that locks
   * the villa first, re-reads the application's status under that lock and
   * changes it only if it is still the same; accepting checks the villa's room
   * and genre mix, and the villa turns full at capacity and open again when an
   * accepted artist withdraws.
   */
  private async move(caller: Caller, application: ApplicationRecord, to: ApplicationStatus, reason: string): Promise<void> {
    await this.deps.db.transaction(async (tx) => {
      const villa = await this.deps.repo.lockVilla(tx, application.villaId);
      const current = await this.deps.repo.findApplication(application.id, tx);
      if (!villa || !current) throw notFound('Application not found');
      const from = current.status;
      const refusal = applicationTransitionRefusal(from, to);
      if (refusal) throw conflict(`Cannot change the application from ${from} to ${to}: ${refusal}`, { from, to });
      if (to === 'accepted') {
        const accepted = await this.assertRoom(tx, villa);
        const genreRefusal = await this.genreRefusal(tx, villa, current.genre);
        if (genreRefusal) throw conflict(`Cannot accept ${current.artistName}: ${genreRefusal}`, { from, to, rule: 'genre_mix' });
        await this.accept(tx, caller, villa, current, accepted, reason);
        return;
      }
      const changed = await this.deps.repo.transition(tx, current.id, from, to, { reason, decidedBy: caller.id });
      if (!changed) throw conflict(`Cannot change the application from ${from} to ${to}: its status changed meanwhile; reload and try again`);
      if (from === 'accepted' && villa.status === 'full') {
        await this.deps.villaStatus.setStatusInTx(tx, villa.id, 'full', 'open', `a place freed: ${current.artistName} withdrew`, caller.id);
      }
    });
  }

  /** The villa must be open with a free place; returns how many are accepted. */
  private async assertRoom(tx: Tx, villa: VillaRow): Promise<number> {
    const accepted = await this.deps.repo.countAccepted(tx, villa.id);
    if (villa.status === 'full' || accepted >= villa.capacity) throw conflict(`The villa is full (capacity ${villa.capacity})`, { rule: 'capacity' });
    if (villa.status !== 'open') throw conflict(`${villa.name} is ${villa.status}: artists are accepted only while the villa is open`);
    return accepted;
  }

  /** Why accepting one more artist of this genre would break the mix rule, or null. */
  private async genreRefusal(tx: Tx, villa: VillaRow, genre: string): Promise<string | null> {
    const inGenre = await this.deps.repo.countAcceptedInGenre(tx, villa.id, genre);
    return inGenre >= villa.maxPerGenre ? `genre mix: already ${inGenre} artists in ${genre} (at most ${villa.maxPerGenre})` : null;
  }

  private async accept(tx: VillaTx, caller: Caller, villa: VillaRow, application: ApplicationRow, acceptedBefore: number, reason: string): Promise<void> {
    const changed = await this.deps.repo.transition(tx, application.id, application.status, 'accepted', { reason, decidedBy: caller.id });
    if (!changed) throw conflict('The application changed meanwhile; reload and try again');
    if (acceptedBefore + 1 >= villa.capacity) {
      await this.deps.villaStatus.setStatusInTx(tx, villa.id, 'open', 'full', `capacity reached (${villa.capacity})`, caller.id);
    }
  }

  // ---- reads ----

  /** The artist an application is made for: the caller's own record, or (team) the one named. */
  private async applicant(caller: Caller, artistId: string | undefined): Promise<ArtistRow> {
    if (isTeamRole(caller.role)) {
      if (!artistId) throw fieldError('artistId', 'Choose the artist to apply for');
      const artist = await this.deps.artists.findById(artistId);
      if (!artist) throw notFound('Artist not found');
      return artist;
    }
    if (caller.role !== 'artist') throw forbidden('Only artists (or the team for them) apply');
    const own = await this.deps.artists.findByUserId(caller.id);
    if (!own) throw forbidden('Your account is not linked to an artist record yet: ask the team to link it');
    if (artistId && artistId !== own.id) throw forbidden('An artist applies only for their own record');
    return own;
  }

  private async villaOrNotFound(id: string): Promise<VillaRow> {
    const villa = await this.deps.repo.findVilla(id);
    if (!villa || villa.archivedAt) throw notFound('Villa not found');
    return villa;
  }

  private async villaCall(villa: VillaRow): Promise<VillaCallDto> {
    return {
      id: villa.id,
      name: villa.name,
      status: villa.status,
      capacity: villa.capacity,
      maxPerGenre: villa.maxPerGenre,
      accepted: await this.deps.repo.countAccepted(this.deps.db, villa.id),
    };
  }

  private async detail(caller: Caller, id: string): Promise<ApplicationDto> {
    const row = await this.deps.repo.findApplication(id);
    if (!row) throw notFound('Application not found');
    if (isTeamRole(caller.role)) return toApplicationDto(row, await this.deps.repo.scoresOf([id]));
    if (caller.role === 'artist' && row.artistUserId === caller.id) return toApplicationDto(row, null);
    throw notFound('Application not found');
  }
}
