import { OPEN_OPPORTUNITY_STAGES, OPPORTUNITY_STAGES, type OpportunityStage } from '@mona/shared';
import { conflict, notFound } from '../../platform/errors.ts';
import type { Caller } from '../../platform/http/auth.ts';
import { decodeCursor, pageOf } from '../../platform/http/keyset-cursor.ts';
import { assertArtistOpenForWork } from '../artists/artists.access.ts';
import type { ArtistsRepository } from '../artists/artists.repository.ts';
import { assertActiveTeamMember, assertTeam, fieldError } from '../users/team.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import type { OpportunitiesRepository, OpportunityChanges, OpportunityRow } from './opportunities.repository.ts';
import {
  DEFAULT_PROBABILITY,
  type CreateOpportunityInput,
  type ListOpportunitiesQuery,
  type MoveOpportunityInput,
  type OpportunityDto,
  type OpportunityPipelineDto,
  type UpdateOpportunityInput,
} from './opportunities.schemas.ts';

export const isOpenStage = (stage: OpportunityStage) => (OPEN_OPPORTUNITY_STAGES as readonly OpportunityStage[]).includes(stage);

/** round(value × probability / 100), as the pipeline sums it. */
export const weightedCents = (valueCents: number, probability: number) => Math.round((valueCents * probability) / 100);

/**
 * The stage rule. An open opportunity (discovery, proposal, negotiation) may go
 * to any other open stage (deals skip and slip back) or be closed as won or
 * lost. A closed one moves only by being re-opened, i.e. moved back to an open
 * stage; won ↔ lost directly is refused. Returns why a move is refused, or null.
 */
export function stageMoveRefusal(from: OpportunityStage, to: OpportunityStage): string | null {
  if (from === to) return `the opportunity is already ${to}`;
  if (!isOpenStage(from) && !isOpenStage(to)) return `a ${from} opportunity is closed; re-open it (move it to an open stage) before marking it ${to}`;
  return null;
}

/** The probability a stage imposes (won 100, lost 0), or null for an open stage. */
const forcedProbability = (stage: OpportunityStage): number | null => (stage === 'won' ? 100 : stage === 'lost' ? 0 : null);

export function toOpportunityDto(row: OpportunityRow): OpportunityDto {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: row.id,
    artistId: row.artistId,
    title: row.title,
    valueCents: row.valueCents,
    probability: row.probability,
    weightedValueCents: weightedCents(row.valueCents, row.probability),
    stage: row.stage,
    expectedCloseOn: row.expectedCloseOn,
    ownerId: row.ownerId,
    notes: row.notes,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    closedAt: iso(row.closedAt),
    archivedAt: iso(row.archivedAt),
  };
}

/** Deals in the making with artists, and the pipeline numbers. Team only. */
export class OpportunitiesService {
  constructor(private readonly deps: { repo: OpportunitiesRepository; artists: ArtistsRepository; users: UsersRepository }) {}

  async create(caller: Caller, artistId: string, input: CreateOpportunityInput): Promise<OpportunityDto> {
    assertTeam(caller, 'Only the team manages opportunities');
    assertArtistOpenForWork(await this.deps.artists.findById(artistId), 'an opportunity');
    if (input.ownerId) await assertActiveTeamMember(this.deps.users, input.ownerId, 'ownerId');
    const stage = input.stage ?? 'discovery';
    const row = await this.deps.repo.insert({
      artistId,
      title: input.title,
      valueCents: input.valueCents,
      probability: this.probabilityFor(stage, input.probability, DEFAULT_PROBABILITY[stage]),
      stage,
      expectedCloseOn: input.expectedCloseOn ?? null,
      ownerId: input.ownerId === undefined ? caller.id : input.ownerId,
      notes: input.notes ?? '',
      createdBy: caller.id,
      closedAt: isOpenStage(stage) ? null : new Date(),
    });
    return toOpportunityDto(row);
  }

  async get(caller: Caller, id: string): Promise<OpportunityDto> {
    assertTeam(caller, 'Only the team reads opportunities');
    return toOpportunityDto(await this.find(id));
  }

  async update(caller: Caller, id: string, input: UpdateOpportunityInput): Promise<OpportunityDto> {
    assertTeam(caller, 'Only the team manages opportunities');
    const current = await this.find(id);
    if (current.archivedAt) throw conflict('This opportunity is archived: it cannot be changed');
    if (!isOpenStage(current.stage)) {
      const frozen = Object.keys(input).filter((k) => k !== 'notes' && k !== 'ownerId');
      if (frozen.length) throw conflict(`This opportunity is ${current.stage}: re-open it before changing ${frozen.join(', ')}`, { fields: frozen });
    }
    if (input.ownerId) await assertActiveTeamMember(this.deps.users, input.ownerId, 'ownerId');
    const row = await this.deps.repo.updateIf(id, current.stage, input satisfies OpportunityChanges);
    if (!row) throw conflict('This opportunity was moved or archived meanwhile; reload and try again');
    return toOpportunityDto(row);
  }

  /** See stageMoveRefusal. Closing sets closedAt (and probability 100 or 0); re-opening clears it. */
  async move(caller: Caller, id: string, input: MoveOpportunityInput): Promise<OpportunityDto> {
    assertTeam(caller, 'Only the team moves opportunities');
    const current = await this.find(id);
    const { stage: from } = current;
    const to = input.stage;
    if (current.archivedAt) throw conflict(`Cannot move from ${from} to ${to}: the opportunity is archived`, { from, to });
    const refusal = stageMoveRefusal(from, to);
    if (refusal) throw conflict(`Cannot move from ${from} to ${to}: ${refusal}`, { from, to });
    const reopening = !isOpenStage(from) && isOpenStage(to);
    const probability = this.probabilityFor(to, input.probability, reopening ? DEFAULT_PROBABILITY[to] : current.probability);
    const closedAt = isOpenStage(to) ? null : new Date();
    const row = await this.deps.repo.updateIf(id, from, { stage: to, probability, closedAt });
    if (!row) throw conflict(`Cannot move from ${from} to ${to}: the opportunity was moved or archived meanwhile; reload and try again`, { from, to });
    return toOpportunityDto(row);
  }

  async archive(caller: Caller, id: string): Promise<OpportunityDto> {
    assertTeam(caller, 'Only the team manages opportunities');
    const row = await this.deps.repo.setArchived(id);
    if (!row) throw notFound('Opportunity not found');
    return toOpportunityDto(row);
  }

  async list(caller: Caller, query: ListOpportunitiesQuery): Promise<{ items: OpportunityDto[]; nextCursor: string | null }> {
    assertTeam(caller, 'Only the team reads opportunities');
    const { limit, cursor: cursorText, ...filters } = query;
    const cursor = cursorText ? decodeCursor(cursorText) : null;
    const page = pageOf(await this.deps.repo.list(filters, cursor, limit), limit);
    return { items: page.rows.map(toOpportunityDto), nextCursor: page.nextCursor };
  }

  async forArtist(caller: Caller, artistId: string): Promise<OpportunityDto[]> {
    assertTeam(caller, 'Only the team reads opportunities');
    if (!(await this.deps.artists.findById(artistId))) throw notFound('Artist not found');
    return (await this.deps.repo.list({ artistId, archived: 'false' }, null, 500)).slice(0, 500).map((r) => toOpportunityDto(r.row));
  }

  /** Count, value and weighted value per stage, and over the open stages, of active opportunities. */
  async pipeline(caller: Caller, filters: { ownerId?: string | undefined; artistId?: string | undefined }): Promise<OpportunityPipelineDto> {
    assertTeam(caller, 'Only the team sees the opportunity pipeline');
    const totals = await this.deps.repo.totalsByStage(filters);
    const stages = OPPORTUNITY_STAGES.map((stage) => totals.find((t) => t.stage === stage) ?? { stage, count: 0, valueCents: 0, weightedValueCents: 0 });
    const open = stages
      .filter((s) => isOpenStage(s.stage))
      .reduce(
        (sum, s) => ({
          count: sum.count + s.count,
          valueCents: sum.valueCents + s.valueCents,
          weightedValueCents: sum.weightedValueCents + s.weightedValueCents,
        }),
        {
          count: 0,
          valueCents: 0,
          weightedValueCents: 0,
        },
      );
    return { stages, open };
  }

  private async find(id: string): Promise<OpportunityRow> {
    const row = await this.deps.repo.findById(id);
    if (!row) throw notFound('Opportunity not found');
    return row;
  }

  private probabilityFor(stage: OpportunityStage, given: number | undefined, fallback: number): number {
    const forced = forcedProbability(stage);
    if (forced === null) return given ?? fallback;
    if (given !== undefined && given !== forced) throw fieldError('probability', `A ${stage} opportunity has probability ${forced}`);
    return forced;
  }
}
