import { isTeamRole, type PipelineStage } from '@mona/shared';
import type { Db } from '../../platform/db/client.ts';
import { AppError, conflict, forbidden, isUniqueViolation, notFound } from '../../platform/errors.ts';
import type { Caller } from '../../platform/http/auth.ts';
import type { DomainEvents } from '../events/events.service.ts';
import type { PipelineService } from '../pipeline/pipeline.service.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import { assertCanReadArtist } from './artists.access.ts';
import { artistToCsvRow, parseArtistsCsv } from './artists.csv.ts';
import type { ArtistCursor, CursorCodec } from './artists.cursor.ts';
import type { ArtistChanges, ArtistRecord, ArtistsRepository, SqlTx } from './artists.repository.ts';
import {
  createArtistBody,
  IMPORT_MAX_ROWS,
  type ArtistDto,
  type ArtistFilters,
  type CreateArtistInput,
  type ListArtistsQuery,
  type UpdateArtistInput,
  type UpdateOwnArtistInput,
} from './artists.schemas.ts';

export function toArtistDto(row: ArtistRecord): ArtistDto {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: row.id,
    stageName: row.stageName,
    genres: row.genres,
    city: row.city,
    bio: row.bio,
    email: row.email,
    phone: row.phone,
    links: row.links,
    consentMarketing: row.consentMarketing,
    consentAnalytics: row.consentAnalytics,
    consentUpdatedAt: iso(row.consentUpdatedAt),
    ndaSignedAt: iso(row.ndaSignedAt),
    stage: row.stage,
    stageChangedAt: row.stageChangedAt.toISOString(),
    assigneeId: row.assigneeId,
    userId: row.userId,
    scoreTotal: row.scoreTotal,
    tier: row.tier,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    archivedAt: iso(row.archivedAt),
  };
}

const fieldError = (path: string, message: string) => new AppError(400, 'validation_failed', message, { issues: [{ path, message }] });

const emailTaken = (stageName: string) => {
  const message = `Another artist (${stageName}) already has this email`;
  return conflict(message, { issues: [{ path: 'email', message, code: 'email_taken' }] });
};

function assertTeam(caller: Caller): void {
  if (!isTeamRole(caller.role)) throw forbidden('Only the team can do this');
}

/** The artist records of the CRM: the team manages them; an artist reads theirs and sets their links and consents. */
export class ArtistsService {
  constructor(
    private readonly deps: {
      db: Db;
      repo: ArtistsRepository;
      /** The list's reads: on a read replica when DATABASE_READ_URL is set. */
      readRepo?: ArtistsRepository;
      users: UsersRepository;
      pipeline: PipelineService;
      events: DomainEvents;
      cursors: CursorCodec;
    },
  ) {}

  async create(caller: Caller, input: CreateArtistInput): Promise<ArtistDto> {
    assertTeam(caller);
    return toArtistDto(await this.insert(caller, input, 'created'));
  }

  /**
   * One artist in its own transaction: the row, its entry move into the pipeline
   * and the `artist.stage_changed` event commit together; the event is dispatched after.
   */
  private async insert(caller: Caller, input: CreateArtistInput, reason: string): Promise<ArtistRecord> {
    if (input.assigneeId) await this.assertAssignee(input.assigneeId);
    const stage: PipelineStage = input.stage ?? 'prospect';
    const consentGiven = input.consentMarketing === true || input.consentAnalytics === true;
    const eventIds: string[] = [];
    const row = await this.deps.db.transaction(async (tx) => {
      if (input.email) await this.assertEmailFree(tx, input.email);
      const created = await this.deps.repo.insert(tx, {
        stageName: input.stageName,
        genres: input.genres ?? [],
        city: input.city ?? null,
        bio: input.bio ?? '',
        email: input.email ?? null,
        phone: input.phone ?? null,
        links: input.links ?? {},
        consentMarketing: input.consentMarketing ?? false,
        consentAnalytics: input.consentAnalytics ?? false,
        consentUpdatedAt: consentGiven ? new Date() : null,
        ndaSignedAt: input.ndaSignedAt ? new Date(input.ndaSignedAt) : null,
        assigneeId: input.assigneeId ?? null,
        stage,
      });
      eventIds.push(await this.deps.pipeline.recordEntry(tx, created.id, stage, caller.id, reason));
      return created;
    });
    await this.deps.events.dispatch(eventIds);
    return row;
  }

  async get(caller: Caller, id: string): Promise<ArtistDto> {
    const row = await this.deps.repo.findById(id);
    assertCanReadArtist(caller, row);
    return toArtistDto(row);
  }

  async update(caller: Caller, id: string, input: UpdateArtistInput): Promise<ArtistDto> {
    assertTeam(caller);
    if (input.assigneeId) await this.assertAssignee(input.assigneeId);
    const row = await this.deps.db.transaction(async (tx) => {
      const current = await this.deps.repo.findById(id, tx);
      if (!current) throw notFound('Artist not found');
      if (input.email && input.email !== current.email) await this.assertEmailFree(tx, input.email, id);
      const { ndaSignedAt, ...fields } = input;
      const changes: ArtistChanges = {
        ...fields,
        ...(ndaSignedAt !== undefined ? { ndaSignedAt: ndaSignedAt === null ? null : new Date(ndaSignedAt) } : {}),
        ...(consentChanged(current, input) ? { consentUpdatedAt: new Date() } : {}),
      };
      return (await this.deps.repo.update(tx, id, changes))!;
    });
    return toArtistDto(row);
  }

  async setArchived(caller: Caller, id: string, archived: boolean): Promise<ArtistDto> {
    assertTeam(caller);
    const row = await this.deps.repo.setArchived(id, archived);
    if (!row) throw notFound('Artist not found');
    return toArtistDto(row);
  }

  async list(caller: Caller, query: ListArtistsQuery): Promise<{ items: ArtistDto[]; nextCursor: string | null }> {
    assertTeam(caller);
    const { limit, cursor: cursorText, ...filters } = query;
    const cursor = cursorText ? this.deps.cursors.decode(cursorText, filters.sort, filters.order) : null;
    const rows = await (this.deps.readRepo ?? this.deps.repo).list(filters, cursor, limit);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const nextCursor =
      rows.length > limit && last ? this.deps.cursors.encode({ sort: filters.sort, order: filters.order, key: last.key, id: last.row.id }) : null;
    return { items: page.map((r) => toArtistDto(r.row)), nextCursor };
  }

  /** Every artist matching the filters as CSV rows, read page by page (keyset) while the response streams. */
  exportRows(caller: Caller, filters: ArtistFilters): AsyncGenerator<Record<string, string>> {
    // Checked now, not when the generator first runs, which is after the response has started.
    assertTeam(caller);
    return this.exportPages(filters);
  }

  private async *exportPages(filters: ArtistFilters): AsyncGenerator<Record<string, string>> {
    const pageSize = 500;
    let cursor: ArtistCursor | null = null;
    for (;;) {
      const rows = await this.deps.repo.list(filters, cursor, pageSize);
      for (const { row } of rows.slice(0, pageSize)) yield artistToCsvRow(toArtistDto(row));
      const last = rows[pageSize - 1];
      if (rows.length <= pageSize || !last) return;
      cursor = { sort: filters.sort, order: filters.order, key: last.key, id: last.row.id };
    }
  }

  /**
   * Each row is validated by the create schema and inserted in its own
   * transaction (with its pipeline move), so one bad row costs only itself.
   */
  async importCsv(caller: Caller, csv: string): Promise<{ imported: number; errors: { line: number; reason: string }[] }> {
    assertTeam(caller);
    const records = parseArtistsCsv(csv, IMPORT_MAX_ROWS);
    const errors: { line: number; reason: string }[] = [];
    let imported = 0;
    for (const record of records) {
      if ('error' in record) {
        errors.push({ line: record.line, reason: record.error });
        continue;
      }
      const parsed = createArtistBody.safeParse(record.values);
      if (!parsed.success) {
        errors.push({ line: record.line, reason: parsed.error.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`).join('; ') });
        continue;
      }
      try {
        await this.insert(caller, parsed.data, 'imported from CSV');
        imported += 1;
      } catch (error) {
        if (!(error instanceof AppError) || error.status >= 500) throw error;
        const issue = error.details?.issues?.[0];
        errors.push({ line: record.line, reason: issue ? `${issue.path}: ${issue.message}` : error.message });
      }
    }
    return { imported, errors };
  }

  async getOwn(caller: Caller): Promise<ArtistDto> {
    return toArtistDto(await this.ownRecord(caller));
  }

  async updateOwn(caller: Caller, input: UpdateOwnArtistInput): Promise<ArtistDto> {
    const current = await this.ownRecord(caller);
    const row = await this.deps.db.transaction(async (tx) =>
      this.deps.repo.update(tx, current.id, { ...input, ...(consentChanged(current, input) ? { consentUpdatedAt: new Date() } : {}) }),
    );
    if (!row) throw notFound('No artist record is linked to your account');
    return toArtistDto(row);
  }

  /**
   * Links an artist account to a record, so the artist sees it in their
   * portal. An account is linked to one record at most. The prospect record
   * an artist's own sign-up opened (created with the account, see
   * AuthService.register) gives way: the account moves to the record the team
   * chose (an artist they knew under another email) and the sign-up record is
   * archived. Any other existing link is a 409.
   */
  async linkUser(caller: Caller, id: string, userId: string): Promise<ArtistDto> {
    assertTeam(caller);
    const artist = await this.deps.repo.findById(id);
    if (!artist) throw notFound('Artist not found');
    const user = await this.deps.users.findById(userId);
    if (!user || user.role !== 'artist') throw fieldError('userId', 'Choose an account with the artist role');
    const linked = await this.deps.repo.findByUserId(userId);
    if (linked?.id === id) return toArtistDto(linked);
    if (artist.userId) throw conflict('This artist is already linked to another account');
    if (linked && linked.createdAt.getTime() === user.createdAt.getTime()) {
      // Opened by this account's sign-up (same transaction, same timestamp): the team's record replaces it.
      const moved = await this.deps.repo.moveUser(linked.id, id, userId);
      if (!moved) throw conflict('This account or this artist was linked meanwhile; reload and try again');
      return toArtistDto(moved);
    }
    if (linked)
      throw conflict(`This account is already linked to ${linked.stageName}`, { issues: [{ path: 'userId', message: 'Already linked to another artist' }] });
    try {
      return toArtistDto((await this.deps.repo.linkUser(id, userId))!);
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('This account was linked to another artist meanwhile');
      throw error;
    }
  }

  private async ownRecord(caller: Caller): Promise<ArtistRecord> {
    if (caller.role !== 'artist') throw forbidden('Only an artist has their own record');
    const row = await this.deps.repo.findByUserId(caller.id);
    if (!row) throw notFound('No artist record is linked to your account');
    return row;
  }

  private async assertAssignee(userId: string): Promise<void> {
    const user = await this.deps.users.findById(userId);
    if (!user || !isTeamRole(user.role) || user.disabledAt) throw fieldError('assigneeId', 'Assign a staff or admin account');
  }

  private async assertEmailFree(tx: SqlTx, email: string, exceptId?: string): Promise<void> {
    await this.deps.repo.lockEmail(tx, email);
    const other = await this.deps.repo.findOtherByEmail(tx, email, exceptId);
    if (other) throw emailTaken(other.stageName);
  }
}

function consentChanged(current: ArtistRecord, input: { consentMarketing?: boolean | undefined; consentAnalytics?: boolean | undefined }): boolean {
  return (
    (input.consentMarketing !== undefined && input.consentMarketing !== current.consentMarketing) ||
    (input.consentAnalytics !== undefined && input.consentAnalytics !== current.consentAnalytics)
  );
}
