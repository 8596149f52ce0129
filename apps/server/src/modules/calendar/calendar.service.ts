import type { CalendarKind } from '@mona/shared';
import type { Db } from '../../platform/db/client.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import type { Caller } from '../../platform/http/auth.ts';
import { assertArtistOpenForWork } from '../artists/artists.access.ts';
import type { ArtistsRepository } from '../artists/artists.repository.ts';
import type { TaskLabels, TaskRow, TasksRepository } from '../tasks/tasks.repository.ts';
import { assertActiveTeamMember, assertTeam, fieldError } from '../users/team.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import type { CalendarRepository, EventChanges, EventRow } from './calendar.repository.ts';
import type { CalendarEntryDto, CalendarQuery, CreateEventInput, EventDto, UpdateEventInput } from './calendar.schemas.ts';

export function toEventDto(row: EventRow): EventDto {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    description: row.description,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    allDay: row.allDay,
    location: row.location,
    artistId: row.artistId,
    ownerId: row.ownerId,
    source: row.source,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    cancelledAt: row.cancelledAt ? row.cancelledAt.toISOString() : null,
  };
}

function eventEntry(row: EventRow, labels: TaskLabels): CalendarEntryDto {
  return {
    origin: 'event',
    id: row.id,
    eventId: row.id,
    taskId: null,
    kind: row.kind,
    title: row.title,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    allDay: row.allDay,
    location: row.location,
    artistId: row.artistId,
    artistName: row.artistId ? (labels.artists.get(row.artistId) ?? null) : null,
    ownerId: row.ownerId,
    ownerName: row.ownerId ? (labels.users.get(row.ownerId) ?? null) : null,
    source: row.source,
    taskStatus: null,
    readOnly: row.source !== null,
    cancelledAt: row.cancelledAt ? row.cancelledAt.toISOString() : null,
  };
}

function taskEntry(task: TaskRow, labels: TaskLabels): CalendarEntryDto {
  const due = task.dueAt!.toISOString();
  return {
    origin: 'task',
    id: task.id,
    eventId: null,
    taskId: task.id,
    kind: 'deadline',
    title: task.title,
    startsAt: due,
    endsAt: due,
    allDay: false,
    location: '',
    artistId: task.artistId,
    artistName: task.artistId ? (labels.artists.get(task.artistId) ?? null) : null,
    ownerId: task.assigneeId,
    ownerName: task.assigneeId ? (labels.users.get(task.assigneeId) ?? null) : null,
    source: null,
    taskStatus: task.status,
    readOnly: true,
    cancelledAt: null,
  };
}

/** What a module gives for the event it keeps in the calendar (see CalendarService.upsertFromSource). */
export interface SourceEventFields {
  kind: CalendarKind;
  title: string;
  description?: string;
  startsAt: Date;
  endsAt: Date;
  allDay?: boolean;
  location?: string;
  artistId?: string | null;
  ownerId?: string | null;
}

type Writer = Pick<Db, 'insert' | 'update' | 'select'>;

/**
 * The team calendar: events the team creates, events other modules keep in it
 * through a source key (read-only through the API: changed where they come
 * from), and, when read, the open tasks due in the range as deadlines.
 */
export class CalendarService {
  constructor(private readonly deps: { db: Db; repo: CalendarRepository; tasks: TasksRepository; artists: ArtistsRepository; users: UsersRepository }) {}

  async create(caller: Caller, input: CreateEventInput): Promise<EventDto> {
    assertTeam(caller, 'Only the team manages the calendar');
    if (input.artistId) await this.assertArtist(input.artistId);
    if (input.ownerId) await assertActiveTeamMember(this.deps.users, input.ownerId, 'ownerId');
    const startsAt = new Date(input.startsAt);
    const row = await this.deps.repo.insert({
      kind: input.kind,
      title: input.title,
      description: input.description ?? '',
      startsAt,
      endsAt: input.endsAt ? new Date(input.endsAt) : startsAt,
      allDay: input.allDay ?? false,
      location: input.location ?? '',
      artistId: input.artistId ?? null,
      ownerId: input.ownerId === undefined ? caller.id : input.ownerId,
      createdBy: caller.id,
    });
    return toEventDto(row);
  }

  async get(caller: Caller, id: string): Promise<EventDto> {
    assertTeam(caller, 'Only the team reads the calendar');
    return toEventDto(await this.find(id));
  }

  async update(caller: Caller, id: string, input: UpdateEventInput): Promise<EventDto> {
    assertTeam(caller, 'Only the team manages the calendar');
    const current = await this.find(id);
    this.assertEditable(current);
    const startsAt = input.startsAt ? new Date(input.startsAt) : current.startsAt;
    const endsAt = input.endsAt ? new Date(input.endsAt) : current.endsAt;
    if (endsAt < startsAt) throw fieldError('endsAt', 'The end cannot be before the start');
    if (input.artistId && input.artistId !== current.artistId) await this.assertArtist(input.artistId);
    if (input.ownerId) await assertActiveTeamMember(this.deps.users, input.ownerId, 'ownerId');
    const changes: EventChanges = { ...input, startsAt, endsAt };
    const row = await this.deps.repo.updateActive(id, changes);
    if (!row) throw conflict('This event was cancelled meanwhile');
    return toEventDto(row);
  }

  /** Cancelled events leave the calendar (still read with includeCancelled=true); cancelling twice is harmless. */
  async cancel(caller: Caller, id: string): Promise<EventDto> {
    assertTeam(caller, 'Only the team manages the calendar');
    const current = await this.find(id);
    if (current.source) throw conflict(`This event is managed elsewhere (${current.source}); cancel it there`);
    return toEventDto((await this.deps.repo.cancel(id))!);
  }

  /** Events overlapping [from, to) and the open (not done, not archived) tasks due in it, by start. */
  async range(caller: Caller, query: CalendarQuery): Promise<{ from: string; to: string; entries: CalendarEntryDto[] }> {
    assertTeam(caller, 'Only the team reads the calendar');
    const from = new Date(query.from);
    const to = new Date(query.to);
    const kinds = query.kinds?.length ? query.kinds : undefined;
    const withTasks = !kinds || kinds.includes('deadline');
    const [events, tasks] = await Promise.all([
      this.deps.repo.overlapping(from, to, { artistId: query.artistId, ownerId: query.ownerId, kinds, includeCancelled: query.includeCancelled }),
      withTasks ? this.deps.tasks.openDueBetween(from, to, { artistId: query.artistId, assigneeId: query.ownerId }) : Promise.resolve([]),
    ]);
    const labels = await this.deps.tasks.labels([...events.map((e) => ({ artistId: e.artistId, assigneeId: e.ownerId })), ...tasks]);
    const entries = [...events.map((e) => eventEntry(e, labels)), ...tasks.map((t) => taskEntry(t, labels))].sort(
      (a, b) => a.startsAt.localeCompare(b.startsAt) || a.id.localeCompare(b.id),
    );
    return { from: from.toISOString(), to: to.toISOString(), entries };
  }

  /**
   * For other modules (villa days, streams): creates the event of `source` (a key
   * such as `villa-slot:<uuid>`) or updates it, reviving it if it was cancelled.
   * Pass the caller's transaction to commit the event with the change it mirrors.
   */
  async upsertFromSource(source: string, fields: SourceEventFields, tx: Writer = this.deps.db): Promise<EventDto> {
    if (!source.trim()) throw new Error('upsertFromSource needs a source key');
    const title = fields.title.trim();
    if (!title || title.length > 300) throw fieldError('title', 'A title of 1 to 300 characters is required');
    if (fields.endsAt < fields.startsAt) throw fieldError('endsAt', 'The end cannot be before the start');
    const row = await this.deps.repo.upsertBySource(tx, source, {
      kind: fields.kind,
      title,
      description: fields.description ?? '',
      startsAt: fields.startsAt,
      endsAt: fields.endsAt,
      allDay: fields.allDay ?? false,
      location: fields.location ?? '',
      artistId: fields.artistId ?? null,
      ownerId: fields.ownerId ?? null,
    });
    return toEventDto(row);
  }

  /** For other modules: cancels the event of `source`; returns it, or null when there is none. Harmless to repeat. */
  async cancelBySource(source: string, tx: Writer = this.deps.db): Promise<EventDto | null> {
    const row = await this.deps.repo.cancelBySource(tx, source);
    return row ? toEventDto(row) : null;
  }

  private async find(id: string): Promise<EventRow> {
    const row = await this.deps.repo.findById(id);
    if (!row) throw notFound('Event not found');
    return row;
  }

  private assertEditable(row: EventRow): void {
    if (row.source) throw conflict(`This event is managed elsewhere (${row.source}); change it there`);
    if (row.cancelledAt) throw conflict('This event is cancelled: it cannot be changed');
  }

  private async assertArtist(artistId: string): Promise<void> {
    const artist = await this.deps.artists.findById(artistId);
    if (!artist) throw fieldError('artistId', 'No such artist');
    assertArtistOpenForWork(artist, 'an event');
  }
}
