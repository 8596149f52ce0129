import { randomUUID } from 'node:crypto';
import type { Db } from '../../platform/db/client.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import type { Caller } from '../../platform/http/auth.ts';
import { decodeCursor, pageOf } from '../../platform/http/keyset-cursor.ts';
import { assertArtistOpenForWork } from '../artists/artists.access.ts';
import type { ArtistsRepository } from '../artists/artists.repository.ts';
import type { TasksService } from '../tasks/tasks.service.ts';
import { assertActiveTeamMember, assertTeam, fieldError } from '../users/team.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import type { InteractionChanges, InteractionsRepository, InteractionWithTask } from './interactions.repository.ts';
import type { CreateInteractionInput, InteractionDto, TimelineQuery, UpdateInteractionInput } from './interactions.schemas.ts';

export function toInteractionDto(row: InteractionWithTask): InteractionDto {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: row.id,
    artistId: row.artistId,
    kind: row.kind,
    occurredAt: row.occurredAt.toISOString(),
    summary: row.summary,
    outcome: row.outcome,
    nextAction: row.nextAction,
    nextActionDueAt: iso(row.nextActionDueAt),
    assigneeId: row.assigneeId,
    taskId: row.taskId,
    task: row.task
      ? { id: row.task.id, status: row.task.status, dueAt: iso(row.task.dueAt), completedAt: iso(row.task.completedAt), archivedAt: iso(row.task.archivedAt) }
      : null,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    archivedAt: iso(row.archivedAt),
  };
}

/**
 * The contact timeline of each artist. A next action with a due date is
 * mirrored by a follow-up task (tag follow-up) created in the same
 * transaction and kept in step while it is not done:
 * - changing the next action, its due date or the assignee updates the task;
 * - clearing the next action (which also clears its due date) or the due date archives the task and unlinks it;
 * - a task that is done is history: edits leave it as it is and create no other;
 * - a task deleted (archived) from the board is recreated only when the next action, due date or assignee changes;
 * - archiving the interaction archives its follow-up task unless it is done.
 * Team only: an artist never reads the team's notes about them.
 */
export class InteractionsService {
  constructor(
    private readonly deps: {
      db: Db;
      repo: InteractionsRepository;
      artists: ArtistsRepository;
      users: UsersRepository;
      tasks: TasksService;
    },
  ) {}

  async create(caller: Caller, artistId: string, input: CreateInteractionInput): Promise<InteractionDto> {
    assertTeam(caller, 'Only the team records interactions');
    assertArtistOpenForWork(await this.deps.artists.findById(artistId), 'an interaction');
    if (input.assigneeId) await assertActiveTeamMember(this.deps.users, input.assigneeId, 'assigneeId');
    const id = randomUUID();
    const nextAction = input.nextAction ?? null;
    const dueAt = input.nextActionDueAt ? new Date(input.nextActionDueAt) : null;
    const assigneeId = input.assigneeId ?? null;
    await this.deps.db.transaction(async (tx) => {
      const task =
        nextAction && dueAt
          ? await this.deps.tasks.createFollowUp(tx, { title: nextAction, dueAt, assigneeId, artistId, interactionId: id, createdBy: caller.id })
          : null;
      await this.deps.repo.insert(tx, {
        id,
        artistId,
        kind: input.kind,
        ...(input.occurredAt ? { occurredAt: new Date(input.occurredAt) } : {}),
        summary: input.summary,
        outcome: input.outcome ?? '',
        nextAction,
        nextActionDueAt: dueAt,
        assigneeId,
        taskId: task?.id ?? null,
        createdBy: caller.id,
      });
    });
    return this.load(id);
  }

  async get(caller: Caller, id: string): Promise<InteractionDto> {
    assertTeam(caller, 'Only the team reads interactions');
    return this.load(id);
  }

  async update(caller: Caller, id: string, input: UpdateInteractionInput): Promise<InteractionDto> {
    assertTeam(caller, 'Only the team edits interactions');
    if (input.assigneeId) await assertActiveTeamMember(this.deps.users, input.assigneeId, 'assigneeId');
    await this.deps.db.transaction(async (tx) => {
      const current = await this.deps.repo.lockRow(tx, id);
      if (!current) throw notFound('Interaction not found');
      if (current.archivedAt) throw conflict('This interaction is archived: it cannot be changed');

      const nextAction = input.nextAction !== undefined ? input.nextAction : current.nextAction;
      // Clearing the next action clears its due date unless one is given (which is then an error below).
      const dueText = input.nextActionDueAt !== undefined ? input.nextActionDueAt : input.nextAction === null ? null : undefined;
      const dueAt = dueText !== undefined ? (dueText === null ? null : new Date(dueText)) : current.nextActionDueAt;
      const assigneeId = input.assigneeId !== undefined ? input.assigneeId : current.assigneeId;
      if (dueAt && !nextAction) throw fieldError('nextActionDueAt', 'A due date needs a next action');
      const followUpChanged = nextAction !== current.nextAction || dueAt?.getTime() !== current.nextActionDueAt?.getTime() || assigneeId !== current.assigneeId;

      const linked = current.taskId ? await this.deps.tasks.findForUpdate(tx, current.taskId) : undefined;
      let taskId = linked ? linked.id : null;
      if (nextAction && dueAt) {
        if (linked && !linked.archivedAt) {
          if (linked.status !== 'done' && followUpChanged) await this.deps.tasks.syncFollowUp(tx, linked.id, { title: nextAction, dueAt, assigneeId });
        } else if (!linked || followUpChanged) {
          assertArtistOpenForWork(await this.deps.artists.findById(current.artistId, tx), 'a follow-up task');
          const task = await this.deps.tasks.createFollowUp(tx, {
            title: nextAction,
            dueAt,
            assigneeId,
            artistId: current.artistId,
            interactionId: id,
            createdBy: caller.id,
          });
          taskId = task.id;
        }
      } else if (linked && !linked.archivedAt && linked.status !== 'done') {
        await this.deps.tasks.archiveInTransaction(tx, linked.id);
        taskId = null;
      }

      const { occurredAt, nextActionDueAt: _due, nextAction: _action, assigneeId: _assignee, ...fields } = input;
      const changes: InteractionChanges = {
        ...fields,
        ...(occurredAt !== undefined ? { occurredAt: new Date(occurredAt) } : {}),
        nextAction,
        nextActionDueAt: dueAt,
        assigneeId,
        taskId,
      };
      await this.deps.repo.update(tx, id, changes);
    });
    return this.load(id);
  }

  /** Archived interactions leave the default timeline; their follow-up task is archived too unless it is done. */
  async archive(caller: Caller, id: string): Promise<InteractionDto> {
    assertTeam(caller, 'Only the team archives interactions');
    await this.deps.db.transaction(async (tx) => {
      const current = await this.deps.repo.lockRow(tx, id);
      if (!current) throw notFound('Interaction not found');
      await this.deps.repo.setArchived(tx, id);
      const task = current.taskId ? await this.deps.tasks.findForUpdate(tx, current.taskId) : undefined;
      if (task && !task.archivedAt && task.status !== 'done') await this.deps.tasks.archiveInTransaction(tx, task.id);
    });
    return this.load(id);
  }

  async timeline(caller: Caller, artistId: string, query: TimelineQuery): Promise<{ items: InteractionDto[]; nextCursor: string | null }> {
    assertTeam(caller, 'Only the team reads interactions');
    if (!(await this.deps.artists.findById(artistId))) throw notFound('Artist not found');
    const cursor = query.cursor ? decodeCursor(query.cursor) : null;
    const page = pageOf(await this.deps.repo.timeline(artistId, query.archived, cursor, query.limit), query.limit);
    return { items: page.rows.map(toInteractionDto), nextCursor: page.nextCursor };
  }

  private async load(id: string): Promise<InteractionDto> {
    const row = await this.deps.repo.findWithTask(id);
    if (!row) throw notFound('Interaction not found');
    return toInteractionDto(row);
  }
}
