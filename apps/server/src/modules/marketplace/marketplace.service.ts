import { isTeamRole, MISSION_TRANSITIONS, type MissionStatus } from '@mona/shared';
import type { Db } from '../../platform/db/client.ts';
import { conflict, forbidden, notFound } from '../../platform/errors.ts';
import type { Caller } from '../../platform/http/auth.ts';
import type { ArtistRow, ArtistsRepository } from '../artists/artists.repository.ts';
import { fieldError } from '../offers/offers.service.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import { commissionStatement, currentMonth, monthRange } from './marketplace.commission.ts';
import type { BlockRow, DeliverableRow, MarketplaceRepository, MissionRecord, MissionStatusChangeRow, WithName } from './marketplace.repository.ts';
import type {
  AssignInput,
  BlockDto,
  CommissionDto,
  CreateOwnRequestInput,
  CreateRequestInput,
  DeliverableDto,
  DeliverableInput,
  ListMissionsQuery,
  MissionDetailDto,
  MissionDto,
  MissionStatusChangeDto,
  MissionTransitionInput,
  UpdateBlockInput,
} from './marketplace.schemas.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const named = (id: string | null, name: string | null) => (id && name !== null ? { id, name } : null);

export function toBlockDto(row: BlockRow): BlockDto {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    description: row.description,
    diagnosticCents: row.diagnosticCents,
    oneShotCents: row.oneShotCents,
    monthlyCents: row.monthlyCents,
    position: row.position,
    active: row.active,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toMissionDto(row: MissionRecord): MissionDto {
  return {
    id: row.id,
    blockId: row.blockId,
    blockCode: row.blockCode,
    blockName: row.blockName,
    artistId: row.artistId,
    artistName: row.artistName,
    format: row.format,
    priceCents: row.priceCents,
    brief: row.brief,
    status: row.status,
    expert: named(row.expertId, row.expertName),
    requestedBy: row.requestedBy,
    requestedAt: row.requestedAt.toISOString(),
    assignedAt: iso(row.assignedAt),
    startedAt: iso(row.startedAt),
    deliveredAt: iso(row.deliveredAt),
    acceptedAt: iso(row.acceptedAt),
    cancelledAt: iso(row.cancelledAt),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function toDeliverableDto({ row, name }: WithName<DeliverableRow>): DeliverableDto {
  return {
    id: row.id,
    missionId: row.missionId,
    title: row.title,
    url: row.url,
    note: row.note,
    createdBy: named(row.createdBy, name),
    createdAt: row.createdAt.toISOString(),
  };
}

function toChangeDto({ row, name }: WithName<MissionStatusChangeRow>): MissionStatusChangeDto {
  return {
    id: row.id,
    fromStatus: row.fromStatus,
    toStatus: row.toStatus,
    reason: row.reason,
    changedAt: row.changedAt.toISOString(),
    changedBy: named(row.changedBy, name),
  };
}

/** Why a mission cannot go from one status to another, or null when MISSION_TRANSITIONS allows it. */
export function missionTransitionRefusal(from: MissionStatus, to: MissionStatus): string | null {
  const allowed = MISSION_TRANSITIONS[from];
  if (allowed.includes(to)) return null;
  if (from === to) return `the mission is already ${to}`;
  return allowed.length ? `from ${from} a mission can only become ${allowed.join(' or ')}` : `${from} is final`;
}

/** Who may make a (legal) transition: the assigned expert works the mission, the team or the artist accept it or ask changes, the team cancels. */
export type MissionActor = 'expert' | 'team' | 'artist';
export function missionTransitionActors(from: MissionStatus, to: MissionStatus): readonly MissionActor[] {
  if (to === 'cancelled') return ['team'];
  if (from === 'delivered') return ['team', 'artist'];
  if (to === 'in_progress' || to === 'delivered') return ['expert'];
  return ['team'];
}

const PRICE_OF_FORMAT = { diagnostic: 'diagnosticCents', one_shot: 'oneShotCents', monthly: 'monthlyCents' } as const;

/**
 * The marketplace: the block catalogue, requests that become missions, their
 * deliverables and the experts' commission. Every mission status change goes through here.
 */
export class MarketplaceService {
  constructor(
    private readonly deps: {
      db: Db;
      repo: MarketplaceRepository;
      artists: ArtistsRepository;
      users: UsersRepository;
      settings: SettingsService;
    },
  ) {}

  async listBlocks(caller: Caller, includeInactive: boolean): Promise<BlockDto[]> {
    if (includeInactive && !isTeamRole(caller.role)) throw forbidden('Only the team sees inactive blocks');
    return (await this.deps.repo.listBlocks(includeInactive)).map(toBlockDto);
  }

  async updateBlock(caller: Caller, id: string, input: UpdateBlockInput): Promise<BlockDto> {
    if (caller.role !== 'admin') throw forbidden('Only an admin changes the catalogue');
    const changes = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
    const row = Object.keys(changes).length ? await this.deps.repo.updateBlock(id, changes) : await this.deps.repo.findBlock(id);
    if (!row) throw notFound('Service block not found');
    return toBlockDto(row);
  }

  /** A request for a block: by the team for any artist, by an artist for their own record only (another id is 404, like a missing one). */
  async request(caller: Caller, input: CreateRequestInput): Promise<MissionDetailDto> {
    let artist: ArtistRow | undefined;
    if (isTeamRole(caller.role)) {
      artist = await this.deps.artists.findById(input.artistId);
    } else if (caller.role === 'artist') {
      const own = await this.deps.artists.findByUserId(caller.id);
      artist = own?.id === input.artistId ? own : undefined;
    } else {
      throw forbidden('Only the team or an artist requests a block');
    }
    if (!artist) throw notFound('Artist not found');
    return this.createMission(caller, artist, input);
  }

  /** The signed-in artist's own request; 404 when no artist record is linked to the account. */
  async requestOwn(caller: Caller, input: CreateOwnRequestInput): Promise<MissionDetailDto> {
    if (caller.role !== 'artist') throw forbidden('Only an artist requests a block for themself');
    const artist = await this.deps.artists.findByUserId(caller.id);
    if (!artist) throw notFound('No artist record is linked to your account');
    return this.createMission(caller, artist, input);
  }

  private async createMission(caller: Caller, artist: ArtistRow, input: CreateOwnRequestInput): Promise<MissionDetailDto> {
    const block = await this.deps.repo.findBlock(input.blockId);
    if (!block) throw notFound('Service block not found');
    if (artist.archivedAt) throw conflict(`${artist.stageName} is archived: unarchive the artist before requesting a block for them`);
    if (!block.active) throw conflict(`${block.name} is not offered any more`, { issues: [{ path: 'blockId', message: 'This block is inactive' }] });
    const id = await this.deps.db.transaction(async (tx) => {
      const mission = await this.deps.repo.insertMission(tx, {
        blockId: block.id,
        artistId: artist.id,
        format: input.format,
        priceCents: block[PRICE_OF_FORMAT[input.format]],
        brief: input.brief ?? '',
        requestedBy: caller.id,
      });
      await this.deps.repo.insertStatusChange(tx, {
        missionId: mission.id,
        fromStatus: null,
        toStatus: 'requested',
        reason: 'requested',
        changedBy: caller.id,
        changedAt: mission.requestedAt,
      });
      return mission.id;
    });
    return this.detail(id);
  }

  /**
   * Assigns an active expert: requested → assigned, or a new expert while
   * assigned (reassign). Conditional on the status and expert read, so of two
   * concurrent assignments one wins.
   */
  async assign(caller: Caller, id: string, input: AssignInput): Promise<MissionDetailDto> {
    if (!isTeamRole(caller.role)) throw forbidden('Only the team assigns experts');
    const mission = await this.deps.repo.findMission(id);
    if (!mission) throw notFound('Mission not found');
    const expert = await this.deps.users.findById(input.expertId);
    if (!expert || expert.role !== 'expert' || expert.disabledAt) throw fieldError('expertId', 'Choose an active account with the expert role');
    const from = mission.status;
    if (from !== 'requested' && from !== 'assigned') {
      throw conflict(`Cannot change the mission from ${from} to assigned: an expert is assigned only while the mission is requested or assigned`, {
        from,
        to: 'assigned',
      });
    }
    if (mission.expertId === expert.id) throw conflict(`The mission is already assigned to ${expert.name}`, { from, to: 'assigned' });
    const reason =
      input.reason ??
      (mission.expertId && mission.expertName !== null ? `reassigned from ${mission.expertName} to ${expert.name}` : `assigned to ${expert.name}`);
    await this.deps.db.transaction(async (tx) => {
      const changed = await this.deps.repo.transition(tx, id, from, 'assigned', { expectedExpertId: mission.expertId, expertId: expert.id });
      if (!changed) throw conflict(`Cannot change the mission from ${from} to assigned: it changed meanwhile; reload and try again`, { from, to: 'assigned' });
      await this.deps.repo.insertStatusChange(tx, {
        missionId: id,
        fromStatus: from,
        toStatus: 'assigned',
        reason,
        changedBy: caller.id,
        changedAt: changed.updatedAt,
      });
    });
    return this.detail(id);
  }

  /**
   * Moves a mission along MISSION_TRANSITIONS (assignment has its own route).
   * Refused moves are 409 naming from and to; a legal move by the wrong person
   * is 403. Conditional on the status read, so of two concurrent moves one wins.
   */
  async transition(caller: Caller, id: string, input: MissionTransitionInput): Promise<MissionDetailDto> {
    const mission = await this.visibleMission(caller, id);
    const from = mission.status;
    const to = input.to;
    if (to === 'assigned') {
      throw conflict(`Cannot change the mission from ${from} to assigned here: assign an expert with POST /api/marketplace/missions/${id}/assign`, {
        from,
        to,
      });
    }
    const refusal = missionTransitionRefusal(from, to);
    if (refusal) throw conflict(`Cannot change the mission from ${from} to ${to}: ${refusal}`, { from, to });
    const actor = this.actorOf(caller, mission);
    const actors = missionTransitionActors(from, to);
    if (!actor || !actors.includes(actor)) {
      const who = actors.map((a) => (a === 'expert' ? 'the assigned expert' : a === 'team' ? 'the team' : 'the artist')).join(' or ');
      throw forbidden(`Only ${who} can change the mission from ${from} to ${to}`);
    }
    await this.deps.db.transaction(async (tx) => {
      const changed = await this.deps.repo.transition(tx, id, from, to, actor === 'expert' ? { expectedExpertId: caller.id } : {});
      if (!changed) throw conflict(`Cannot change the mission from ${from} to ${to}: it changed meanwhile; reload and try again`, { from, to });
      if (to === 'delivered' && (await this.deps.repo.countDeliverables(tx, id)) === 0) {
        throw conflict(`Cannot change the mission from ${from} to ${to}: add at least one deliverable first`, { from, to });
      }
      await this.deps.repo.insertStatusChange(tx, {
        missionId: id,
        fromStatus: from,
        toStatus: to,
        reason: input.reason ?? '',
        changedBy: caller.id,
        changedAt: changed.updatedAt,
      });
    });
    return this.detail(id);
  }

  /** The assigned expert hands over a deliverable while the mission is in progress. */
  async addDeliverable(caller: Caller, id: string, input: DeliverableInput): Promise<DeliverableDto> {
    const mission = await this.visibleMission(caller, id);
    if (this.actorOf(caller, mission) !== 'expert') throw forbidden('Only the assigned expert adds deliverables');
    const row = await this.deps.db.transaction(async (tx) => {
      const locked = await this.deps.repo.lockMission(tx, id);
      if (!locked || locked.expertId !== caller.id) throw notFound('Mission not found');
      if (locked.status !== 'in_progress') {
        throw conflict(`Deliverables are added while the mission is in_progress; it is ${locked.status}`, { status: locked.status });
      }
      return this.deps.repo.insertDeliverable(tx, { missionId: id, title: input.title, url: input.url ?? null, note: input.note ?? '', createdBy: caller.id });
    });
    const author = await this.deps.users.findById(caller.id);
    return toDeliverableDto({ row, name: author?.name ?? null });
  }

  /** The team sees every mission; an expert only theirs; an artist only their own record's. Filters narrow within that. */
  async list(caller: Caller, query: ListMissionsQuery): Promise<MissionDto[]> {
    const { limit, ...filters } = query;
    if (caller.role === 'expert') {
      if (filters.expertId && filters.expertId !== caller.id) return [];
      filters.expertId = caller.id;
    } else if (caller.role === 'artist') {
      const own = await this.deps.artists.findByUserId(caller.id);
      if (!own || (filters.artistId && filters.artistId !== own.id)) return [];
      filters.artistId = own.id;
    } else if (!isTeamRole(caller.role)) {
      throw forbidden('Only the team, experts and artists see missions');
    }
    return (await this.deps.repo.listMissions(filters, limit)).map(toMissionDto);
  }

  async get(caller: Caller, id: string): Promise<MissionDetailDto> {
    const mission = await this.visibleMission(caller, id);
    return this.detail(id, mission);
  }

  /**
   * The expert's statement for a calendar month (Europe/Paris): the missions
   * with deliveredAt in the month and not cancelled; the commission rate from
   * the `marketplace` setting's tiers by their count applies to all of them.
   */
  async commission(caller: Caller, expertId: string, month: string | undefined): Promise<CommissionDto> {
    if (!isTeamRole(caller.role) && !(caller.role === 'expert' && caller.id === expertId)) {
      if (caller.role === 'expert') throw notFound('Expert not found');
      throw forbidden('Only the team or the expert themself reads a commission statement');
    }
    const expert = await this.deps.users.findById(expertId);
    if (!expert || expert.role !== 'expert') throw notFound('Expert not found');
    const theMonth = month ?? currentMonth();
    const { from, to } = monthRange(theMonth);
    const { commissionTiers } = await this.deps.settings.get('marketplace');
    const delivered = await this.deps.repo.deliveredBy(expertId, from, to);
    const statement = commissionStatement(commissionTiers, delivered);
    return {
      expert: { id: expert.id, name: expert.name },
      month: theMonth,
      from: from.toISOString(),
      to: to.toISOString(),
      count: statement.count,
      ratePercent: statement.ratePercent,
      grossCents: statement.grossCents,
      commissionCents: statement.commissionCents,
      payoutCents: statement.payoutCents,
      tiers: commissionTiers,
      missions: statement.lines.map((m) => ({
        id: m.id,
        blockName: m.blockName,
        artistName: m.artistName,
        format: m.format,
        status: m.status,
        deliveredAt: m.deliveredAt!.toISOString(),
        priceCents: m.priceCents,
        commissionCents: m.commissionCents,
        payoutCents: m.payoutCents,
      })),
    };
  }

  /** The caller's part in a mission, or null when they have none. */
  private actorOf(caller: Caller, mission: MissionRecord): MissionActor | null {
    if (isTeamRole(caller.role)) return 'team';
    if (caller.role === 'expert' && mission.expertId === caller.id) return 'expert';
    if (caller.role === 'artist' && mission.artistUserId === caller.id) return 'artist';
    return null;
  }

  /** The mission if the caller may see it; otherwise the same 404 as a missing id. */
  private async visibleMission(caller: Caller, id: string): Promise<MissionRecord> {
    const mission = await this.deps.repo.findMission(id);
    if (!mission || !this.actorOf(caller, mission)) throw notFound('Mission not found');
    return mission;
  }

  private async detail(id: string, known?: MissionRecord): Promise<MissionDetailDto> {
    const mission = known ?? (await this.deps.repo.findMission(id));
    if (!mission) throw notFound('Mission not found');
    const deliverables = await this.deps.repo.deliverables(id);
    const history = await this.deps.repo.history(id);
    return { ...toMissionDto(mission), deliverables: deliverables.map(toDeliverableDto), history: history.map(toChangeDto) };
  }
}
