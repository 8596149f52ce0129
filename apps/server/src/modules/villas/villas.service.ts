import {
  APPLICATION_STATUSES,
  CONTENT_KINDS,
  COST_CATEGORIES,
  isTeamRole,
  REVENUE_CATEGORIES,
  VILLA_TRANSITIONS,
  type ContentKind,
  type VillaStatus,
} from '@mona/shared';
import type { Db } from '../../platform/db/client.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import type { Caller } from '../../platform/http/auth.ts';
import type { ArtistsRepository } from '../artists/artists.repository.ts';
import type { CalendarService } from '../calendar/calendar.service.ts';
import type { StreamsRepository } from '../streams/streams.repository.ts';
import { assertActiveTeamMember, assertTeam, fieldError } from '../users/team.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import { budgetTotals, isOverBudget } from './budget.ts';
import { addDays, defaultPlan, findClash, reanchor, stayRange, STREAMED_KINDS, villaDayOf, LAST_DAY, FIRST_DAY } from './schedule.ts';
import type { BudgetLineRow, SlotRow, SlotValues, StatusChangeWithName, VillaChanges, VillaRow, VillasRepository, VillaTx } from './villas.repository.ts';
import type {
  BudgetDto,
  BudgetLineDto,
  ContentTargetDto,
  CreateBudgetLineInput,
  CreateSlotInput,
  CreateVillaInput,
  ListVillasQuery,
  PutContentTargetInput,
  ScheduleDto,
  SlotDto,
  UpdateBudgetLineInput,
  UpdateSlotInput,
  UpdateVillaInput,
  VillaDetailDto,
  VillaDto,
  VillaStatusChangeDto,
  VillaTransitionInput,
} from './villas.schemas.ts';

/** What a new villa is expected to produce (staff change them per villa). */
export const DEFAULT_CONTENT_TARGETS: Record<ContentKind, number> = {
  capsules: 14,
  stories_per_day: 10,
  duets: 4,
  interviews: 8,
  documentary_episode: 1,
  aftermovie: 1,
  photos: 300,
};

/** Statuses an artist, sponsor or expert may see a villa in: everything but planning. */
const PUBLIC_STATUSES: readonly VillaStatus[] = ['open', 'full', 'in_progress', 'completed'];

export const villaSource = (villaId: string) => `villa:${villaId}`;
export const slotSource = (slotId: string) => `villa-slot:${slotId}`;
export const dayLabel = (day: number) => (day === 0 ? 'J-1' : `J${day}`);

/** Why a villa cannot go from one status to another, or null when VILLA_TRANSITIONS allows it. */
export function villaTransitionRefusal(from: VillaStatus, to: VillaStatus): string | null {
  const allowed = VILLA_TRANSITIONS[from];
  if (allowed.includes(to)) return null;
  if (from === to) return `the villa is already ${to}`;
  return allowed.length ? `from ${from} a villa can only become ${allowed.join(' or ')}` : `${from} is final`;
}

export function toVillaDto(row: VillaRow): VillaDto {
  return {
    id: row.id,
    name: row.name,
    place: row.place,
    description: row.description,
    arrivalOn: row.arrivalOn,
    departureOn: addDays(row.arrivalOn, LAST_DAY),
    timeZone: row.timeZone,
    capacity: row.capacity,
    maxPerGenre: row.maxPerGenre,
    status: row.status,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    archivedAt: row.archivedAt ? row.archivedAt.toISOString() : null,
  };
}

function toChangeDto(row: StatusChangeWithName): VillaStatusChangeDto {
  return {
    id: row.id,
    fromStatus: row.fromStatus,
    toStatus: row.toStatus,
    reason: row.reason,
    changedAt: row.changedAt.toISOString(),
    changedBy: row.changedBy && row.changerName !== null ? { id: row.changedBy, name: row.changerName } : null,
  };
}

function toSlotDto(row: SlotRow, streamId: string | null): SlotDto {
  return {
    id: row.id,
    villaId: row.villaId,
    day: row.day,
    title: row.title,
    kind: row.kind,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    room: row.room,
    artistIds: row.artistIds,
    staffIds: row.staffIds,
    notes: row.notes,
    streamId,
    updatedAt: row.updatedAt.toISOString(),
  };
}

function toBudgetLineDto(row: BudgetLineRow): BudgetLineDto {
  return {
    id: row.id,
    kind: row.kind,
    category: row.category,
    label: row.label,
    plannedCents: row.plannedCents,
    actualCents: row.actualCents,
    notes: row.notes,
    position: row.position,
    overBudget: isOverBudget(row),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const categoriesOf = (kind: 'cost' | 'revenue'): readonly string[] => (kind === 'cost' ? COST_CATEGORIES : REVENUE_CATEGORIES);

/**
 * SPARK villas: their status (with history), the day-by-day schedule (whose live
 * and showcase slots are scheduled streams and calendar events), the budget and
 * the content targets. Applications and sponsors are their own modules.
 */
export class VillasService {
  constructor(
    private readonly deps: {
      db: Db;
      repo: VillasRepository;
      streams: StreamsRepository;
      calendar: CalendarService;
      artists: ArtistsRepository;
      users: UsersRepository;
    },
  ) {}

  // Villas

  async create(caller: Caller, input: CreateVillaInput): Promise<VillaDetailDto> {
    assertTeam(caller, 'Only the team creates villas');
    const id = await this.deps.db.transaction(async (tx) => {
      const villa = await this.deps.repo.insert(tx, {
        name: input.name,
        place: input.place,
        description: input.description ?? '',
        arrivalOn: input.arrivalOn,
        capacity: input.capacity,
        maxPerGenre: input.maxPerGenre,
        timeZone: input.timeZone,
        createdBy: caller.id,
      });
      await this.deps.repo.insertStatusChange(tx, {
        villaId: villa.id,
        fromStatus: null,
        toStatus: villa.status,
        reason: 'created',
        changedBy: caller.id,
        changedAt: villa.createdAt,
      });
      const slots = await this.deps.repo.insertSlots(
        tx,
        villa.id,
        defaultPlan(villa.arrivalOn, villa.timeZone).map((s) => ({ ...s, artistIds: [], staffIds: [], notes: '' })),
      );
      for (const slot of slots) await this.syncSlot(tx, villa, slot);
      await this.deps.repo.insertBudgetLines(
        tx,
        villa.id,
        COST_CATEGORIES.map((category, position) => ({ kind: 'cost', category, label: '', plannedCents: 0, actualCents: 0, notes: '', position })),
      );
      await this.deps.repo.insertContentTargets(
        tx,
        villa.id,
        CONTENT_KINDS.map((kind) => ({ kind, target: DEFAULT_CONTENT_TARGETS[kind] })),
      );
      await this.syncStay(tx, villa);
      return villa.id;
    });
    return this.detail(id);
  }

  /** The team sees every villa; anyone else only those past planning and not archived. */
  async list(caller: Caller, query: ListVillasQuery): Promise<VillaDto[]> {
    const team = isTeamRole(caller.role);
    if (query.includeArchived === 'true') assertTeam(caller, 'Only the team sees archived villas');
    const asked = query.status === undefined ? undefined : Array.isArray(query.status) ? query.status : [query.status];
    const statuses = team ? asked : (asked ?? PUBLIC_STATUSES).filter((s) => PUBLIC_STATUSES.includes(s));
    if (statuses && !statuses.length) return [];
    const rows = await this.deps.repo.list({
      statuses,
      endingOnOrAfter: query.upcoming === 'true' ? new Date().toISOString().slice(0, 10) : undefined,
      includeArchived: query.includeArchived === 'true',
    });
    return rows.map(toVillaDto);
  }

  async get(caller: Caller, id: string): Promise<VillaDetailDto> {
    const villa = await this.visible(caller, id);
    return this.detail(villa.id, villa);
  }

  async update(caller: Caller, id: string, input: UpdateVillaInput): Promise<VillaDetailDto> {
    assertTeam(caller, 'Only the team edits villas');
    const changes: VillaChanges = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
    await this.deps.db.transaction(async (tx) => {
      const villa = await this.lockEditable(tx, id);
      if (changes.capacity !== undefined && changes.capacity < villa.capacity) {
        const accepted = await this.deps.repo.acceptedCount(id, tx);
        if (changes.capacity < accepted)
          throw conflict(`Capacity cannot go below the ${accepted} accepted participants`, { issues: [{ path: 'capacity', message: `At least ${accepted}` }] });
      }
      const updated = (await this.deps.repo.update(tx, id, changes))!;
      const moved = updated.arrivalOn !== villa.arrivalOn || updated.timeZone !== villa.timeZone;
      for (const slot of await this.deps.repo.listSlots(id, tx)) {
        let current = slot;
        if (moved) {
          current = (await this.deps.repo.updateSlot(tx, slot.id, {
            startsAt: reanchor(slot.startsAt, villa, updated),
            endsAt: reanchor(slot.endsAt, villa, updated),
          }))!;
        }
        if (moved || updated.name !== villa.name || updated.place !== villa.place) await this.syncSlot(tx, updated, current);
      }
      await this.syncStay(tx, updated);
    });
    return this.detail(id);
  }

  /** Archived villas leave the lists; their stay and stream events leave the calendar and their streams are cancelled. */
  async archive(caller: Caller, id: string): Promise<VillaDetailDto> {
    assertTeam(caller, 'Only the team archives villas');
    await this.deps.db.transaction(async (tx) => {
      const villa = await this.deps.repo.lock(tx, id);
      if (!villa) throw notFound('Villa not found');
      if (villa.archivedAt) return;
      if (villa.status === 'in_progress') throw conflict('The villa is in progress: complete it before archiving it');
      await this.deps.repo.setArchived(tx, id, true);
      for (const slot of await this.deps.repo.listSlots(id, tx)) await this.unsyncSlot(tx, slot.id);
      await this.deps.calendar.cancelBySource(villaSource(id), tx);
    });
    return this.detail(id);
  }

  async transition(caller: Caller, id: string, input: VillaTransitionInput): Promise<VillaDetailDto> {
    assertTeam(caller, 'Only the team changes villa statuses');
    const villa = await this.deps.repo.findById(id);
    if (!villa) throw notFound('Villa not found');
    if (villa.archivedAt) throw conflict('The villa is archived');
    await this.deps.db.transaction(async (tx) => this.setStatusInTx(tx, id, villa.status, input.to, input.reason ?? '', caller.id));
    return this.detail(id);
  }

  /**
   * For the applications module (turning a villa full or open again) and the
   * status route: moves the villa from `from` to `to` inside the caller's
   * transaction, if VILLA_TRANSITIONS allows it and the villa is still at
   * `from` (else 409 with the reason), and records the change in the history.
   */
  async setStatusInTx(tx: VillaTx, villaId: string, from: VillaStatus, to: VillaStatus, reason: string, by: string | null): Promise<VillaRow> {
    const refusal = villaTransitionRefusal(from, to);
    if (refusal) throw conflict(`Cannot change the villa from ${from} to ${to}: ${refusal}`, { from, to });
    const changed = await this.deps.repo.transition(tx, villaId, from, to);
    if (!changed) throw conflict(`Cannot change the villa from ${from} to ${to}: its status changed meanwhile; reload and try again`, { from, to });
    await this.deps.repo.insertStatusChange(tx, { villaId, fromStatus: from, toStatus: to, reason, changedBy: by, changedAt: changed.updatedAt });
    return changed;
  }

  // Schedule

  async schedule(caller: Caller, id: string): Promise<ScheduleDto> {
    const villa = await this.visible(caller, id);
    const [slots, streams] = await Promise.all([this.deps.repo.listSlots(id), this.deps.streams.listForVilla(id)]);
    const streamOf = new Map(streams.map((s) => [s.slotId, s.id]));
    const days: ScheduleDto['days'] = [];
    for (let day = FIRST_DAY; day <= LAST_DAY; day++) {
      days.push({
        day,
        label: dayLabel(day),
        date: addDays(villa.arrivalOn, day),
        slots: slots.filter((s) => s.day === day).map((s) => toSlotDto(s, streamOf.get(s.id) ?? null)),
      });
    }
    return { timeZone: villa.timeZone, days };
  }

  async createSlot(caller: Caller, villaId: string, input: CreateSlotInput): Promise<SlotDto> {
    assertTeam(caller, 'Only the team edits the schedule');
    const values = {
      title: input.title,
      kind: input.kind,
      startsAt: new Date(input.startsAt),
      endsAt: new Date(input.endsAt),
      room: input.room ?? '',
      artistIds: [...new Set(input.artistIds ?? [])],
      staffIds: [...new Set(input.staffIds ?? [])],
      notes: input.notes ?? '',
    };
    await this.assertPeople(values.artistIds, values.staffIds);
    const slot = await this.deps.db.transaction(async (tx) => {
      const villa = await this.lockEditable(tx, villaId);
      const full: SlotValues = { ...values, day: this.dayOf(villa, values.startsAt, values.endsAt) };
      await this.assertNoClash(tx, villaId, full);
      const [row] = await this.deps.repo.insertSlots(tx, villaId, [full]);
      await this.syncSlot(tx, villa, row!);
      return row!;
    });
    return this.slotDto(slot);
  }

  async updateSlot(caller: Caller, villaId: string, slotId: string, input: UpdateSlotInput): Promise<SlotDto> {
    assertTeam(caller, 'Only the team edits the schedule');
    if (input.artistIds || input.staffIds) await this.assertPeople(input.artistIds ?? [], input.staffIds ?? []);
    const slot = await this.deps.db.transaction(async (tx) => {
      const villa = await this.lockEditable(tx, villaId);
      const current = await this.deps.repo.findSlot(villaId, slotId, tx);
      if (!current) throw notFound('Slot not found');
      const next: SlotValues = {
        title: input.title ?? current.title,
        kind: input.kind ?? current.kind,
        startsAt: input.startsAt ? new Date(input.startsAt) : current.startsAt,
        endsAt: input.endsAt ? new Date(input.endsAt) : current.endsAt,
        room: input.room ?? current.room,
        artistIds: input.artistIds ? [...new Set(input.artistIds)] : current.artistIds,
        staffIds: input.staffIds ? [...new Set(input.staffIds)] : current.staffIds,
        notes: input.notes ?? current.notes,
        day: current.day,
      };
      next.day = this.dayOf(villa, next.startsAt, next.endsAt);
      await this.assertNoClash(tx, villaId, next, slotId);
      const row = (await this.deps.repo.updateSlot(tx, slotId, next))!;
      await this.syncSlot(tx, villa, row);
      return row;
    });
    return this.slotDto(slot);
  }

  /** Deleting a slot cancels its stream and its calendar event. */
  async deleteSlot(caller: Caller, villaId: string, slotId: string): Promise<void> {
    assertTeam(caller, 'Only the team edits the schedule');
    await this.deps.db.transaction(async (tx) => {
      await this.lockEditable(tx, villaId);
      const current = await this.deps.repo.findSlot(villaId, slotId, tx);
      if (!current) throw notFound('Slot not found');
      await this.unsyncSlot(tx, slotId);
      await this.deps.repo.deleteSlot(tx, slotId);
    });
  }

  // Budget

  async budget(caller: Caller, villaId: string): Promise<BudgetDto> {
    assertTeam(caller, 'Only the team reads villa budgets');
    await this.find(villaId);
    const lines = await this.deps.repo.listBudgetLines(villaId);
    const { overBudgetLineIds: _ids, overBudget, ...totals } = budgetTotals(lines);
    return {
      costs: lines.filter((l) => l.kind === 'cost').map(toBudgetLineDto),
      revenues: lines.filter((l) => l.kind === 'revenue').map(toBudgetLineDto),
      totals,
      overBudget,
    };
  }

  async createBudgetLine(caller: Caller, villaId: string, input: CreateBudgetLineInput): Promise<BudgetLineDto> {
    assertTeam(caller, 'Only the team edits villa budgets');
    await this.find(villaId);
    if (!categoriesOf(input.kind).includes(input.category))
      throw fieldError('category', `A ${input.kind} line is one of: ${categoriesOf(input.kind).join(', ')}`);
    const position = await this.deps.repo.nextBudgetPosition(villaId, input.kind);
    const [row] = await this.deps.repo.insertBudgetLines(this.deps.db, villaId, [
      {
        kind: input.kind,
        category: input.category,
        label: input.label ?? '',
        plannedCents: input.plannedCents ?? 0,
        actualCents: input.actualCents ?? 0,
        notes: input.notes ?? '',
        position,
      },
    ]);
    return toBudgetLineDto(row!);
  }

  async updateBudgetLine(caller: Caller, villaId: string, lineId: string, input: UpdateBudgetLineInput): Promise<BudgetLineDto> {
    assertTeam(caller, 'Only the team edits villa budgets');
    const line = await this.deps.repo.findBudgetLine(villaId, lineId);
    if (!line) throw notFound('Budget line not found');
    if (input.category !== undefined && !categoriesOf(line.kind).includes(input.category))
      throw fieldError('category', `A ${line.kind} line is one of: ${categoriesOf(line.kind).join(', ')}`);
    const changes = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
    const row = Object.keys(changes).length ? await this.deps.repo.updateBudgetLine(villaId, lineId, changes) : line;
    if (!row) throw notFound('Budget line not found');
    return toBudgetLineDto(row);
  }

  async deleteBudgetLine(caller: Caller, villaId: string, lineId: string): Promise<void> {
    assertTeam(caller, 'Only the team edits villa budgets');
    if (!(await this.deps.repo.deleteBudgetLine(villaId, lineId))) throw notFound('Budget line not found');
  }

  // Content targets

  async contentTargets(caller: Caller, villaId: string): Promise<ContentTargetDto[]> {
    assertTeam(caller, 'Only the team reads content targets');
    await this.find(villaId);
    const rows = new Map((await this.deps.repo.listContentTargets(villaId)).map((r) => [r.kind, r]));
    return CONTENT_KINDS.map((kind) => ({ kind, target: rows.get(kind)?.target ?? 0, delivered: rows.get(kind)?.delivered ?? 0 }));
  }

  async putContentTarget(caller: Caller, villaId: string, kind: ContentKind, input: PutContentTargetInput): Promise<ContentTargetDto> {
    assertTeam(caller, 'Only the team edits content targets');
    await this.find(villaId);
    const row = await this.deps.repo.upsertContentTarget(villaId, kind, input);
    return { kind: row.kind, target: row.target, delivered: row.delivered };
  }

  // Internals

  private async find(id: string): Promise<VillaRow> {
    const villa = await this.deps.repo.findById(id);
    if (!villa) throw notFound('Villa not found');
    return villa;
  }

  /** A villa the caller may read; others are 404, like a missing id. */
  private async visible(caller: Caller, id: string): Promise<VillaRow> {
    const villa = await this.find(id);
    if (!isTeamRole(caller.role) && (villa.archivedAt || !PUBLIC_STATUSES.includes(villa.status))) throw notFound('Villa not found');
    return villa;
  }

  /** Locks the villa for the transaction; an archived or completed villa is not edited any more. */
  private async lockEditable(tx: VillaTx, id: string): Promise<VillaRow> {
    const villa = await this.deps.repo.lock(tx, id);
    if (!villa) throw notFound('Villa not found');
    if (villa.archivedAt) throw conflict('The villa is archived: it cannot be changed');
    if (villa.status === 'completed') throw conflict('The villa is completed: it cannot be changed');
    return villa;
  }

  /** The villa day of a slot, or a 400: it must start on J-1…J7 and end by the end of J7, in the villa's zone. */
  private dayOf(villa: VillaRow, startsAt: Date, endsAt: Date): number {
    if (endsAt <= startsAt) throw fieldError('endsAt', 'The end must be after the start');
    const day = villaDayOf(villa.arrivalOn, startsAt, villa.timeZone);
    if (day === null)
      throw fieldError('startsAt', `A slot starts between J-1 (${villa.arrivalOn}) and J7 (${addDays(villa.arrivalOn, LAST_DAY)}), ${villa.timeZone} time`);
    if (endsAt > stayRange(villa.arrivalOn, villa.timeZone).endsAt) throw fieldError('endsAt', 'A slot ends by the end of J7');
    return day;
  }

  private async assertPeople(artistIds: readonly string[], staffIds: readonly string[]): Promise<void> {
    for (const id of artistIds) {
      const artist = await this.deps.artists.findById(id);
      if (!artist || artist.archivedAt) throw fieldError('artistIds', `No such artist: ${id}`);
    }
    for (const id of staffIds) await assertActiveTeamMember(this.deps.users, id, 'staffIds');
  }

  /** Runs under the villa lock, so two concurrent slots cannot both pass. */
  private async assertNoClash(tx: VillaTx, villaId: string, slot: SlotValues, slotId?: string): Promise<void> {
    const others = await this.deps.repo.listSlots(villaId, tx);
    const clash = findClash({ ...slot, ...(slotId ? { id: slotId } : {}) }, others);
    if (!clash) return;
    const who = clash.by === 'room' ? `the room ${clash.who}` : clash.by === 'artist' ? `artist ${clash.who}` : `team member ${clash.who}`;
    throw conflict(`Schedule overlap: ${who} is already in "${clash.title}" (${clash.startsAt.toISOString()} – ${clash.endsAt.toISOString()})`, {
      clash: {
        slotId: clash.slotId,
        title: clash.title,
        by: clash.by,
        who: clash.who,
        startsAt: clash.startsAt.toISOString(),
        endsAt: clash.endsAt.toISOString(),
      },
    });
  }

  /** A live or showcase slot is a scheduled stream and a stream event of the calendar; any other kind has neither. */
  private async syncSlot(tx: VillaTx, villa: VillaRow, slot: SlotRow): Promise<void> {
    if (!STREAMED_KINDS.includes(slot.kind)) return this.unsyncSlot(tx, slot.id);
    const title = `${villa.name}: ${slot.title}`;
    await this.deps.streams.upsertForSlot(tx, { slotId: slot.id, villaId: villa.id, title, scheduledStart: slot.startsAt, scheduledEnd: slot.endsAt });
    await this.deps.calendar.upsertFromSource(
      slotSource(slot.id),
      {
        kind: 'stream',
        title,
        description: slot.notes,
        startsAt: slot.startsAt,
        endsAt: slot.endsAt,
        location: slot.room ? `${villa.place} · ${slot.room}` : villa.place,
      },
      tx,
    );
  }

  private async unsyncSlot(tx: VillaTx, slotId: string): Promise<void> {
    await this.deps.streams.cancelForSlot(tx, slotId);
    await this.deps.calendar.cancelBySource(slotSource(slotId), tx);
  }

  /** The villa's whole stay in the calendar. */
  private async syncStay(tx: VillaTx, villa: VillaRow): Promise<void> {
    const { startsAt, endsAt } = stayRange(villa.arrivalOn, villa.timeZone);
    await this.deps.calendar.upsertFromSource(
      villaSource(villa.id),
      { kind: 'villa', title: `Villa ${villa.name}`, description: villa.description, startsAt, endsAt, allDay: true, location: villa.place },
      tx,
    );
  }

  private async slotDto(slot: SlotRow): Promise<SlotDto> {
    const stream = STREAMED_KINDS.includes(slot.kind) ? await this.deps.streams.findBySlot(slot.id) : undefined;
    return toSlotDto(slot, stream && stream.status !== 'cancelled' ? stream.id : null);
  }

  private async detail(id: string, known?: VillaRow): Promise<VillaDetailDto> {
    const villa = known ?? (await this.find(id));
    const [history, counts, sponsorsCount] = await Promise.all([
      this.deps.repo.history(id),
      this.deps.repo.applicationCounts(id),
      this.deps.repo.activeSponsorsCount(id),
    ]);
    const applicationsByStatus = Object.fromEntries(APPLICATION_STATUSES.map((s) => [s, counts[s] ?? 0])) as VillaDetailDto['applicationsByStatus'];
    return {
      ...toVillaDto(villa),
      participantsCount: applicationsByStatus.accepted,
      applicationsByStatus,
      sponsorsCount,
      allowedTransitions: [...VILLA_TRANSITIONS[villa.status]],
      history: history.map(toChangeDto),
    };
  }
}
