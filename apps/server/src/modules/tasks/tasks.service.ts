import { TASK_STATUSES, type TaskStatus } from '@mona/shared';
import type { Db } from '../../platform/db/client.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import type { Caller } from '../../platform/http/auth.ts';
import { decodeCursor, pageOf } from '../../platform/http/keyset-cursor.ts';
import { assertArtistOpenForWork } from '../artists/artists.access.ts';
import type { ArtistsRepository, SqlTx } from '../artists/artists.repository.ts';
import { assertActiveTeamMember, assertTeam, fieldError } from '../users/team.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import { POSITION_STEP, type TaskChanges, type TaskLabels, type TaskFilters, type TaskRow, type TasksRepository } from './tasks.repository.ts';
import {
  FOLLOW_UP_TAG,
  type BoardQuery,
  type CreateTaskInput,
  type ListTasksQuery,
  type MoveTaskInput,
  type TaskDto,
  type UpdateTaskInput,
} from './tasks.schemas.ts';

export function toTaskDto(row: TaskRow, labels?: TaskLabels): TaskDto {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    status: row.status,
    priority: row.priority,
    position: row.position,
    assigneeId: row.assigneeId,
    dueAt: iso(row.dueAt),
    tags: row.tags,
    artistId: row.artistId,
    artistName: row.artistId ? (labels?.artists.get(row.artistId) ?? null) : null,
    assigneeName: row.assigneeId ? (labels?.users.get(row.assigneeId) ?? null) : null,
    interactionId: row.interactionId,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    completedAt: iso(row.completedAt),
    archivedAt: iso(row.archivedAt),
  };
}

/**
 * The position of a card dropped between a card at `above` and one at `below`
 * (null: no card on that side): the midpoint, or one step past the only
 * neighbour. Returns null when the two leave no room a double can express
 * (or are out of order), and the column must be renumbered first.
 */
export function positionBetween(above: number | null, below: number | null): number | null {
  if (above === null && below === null) return POSITION_STEP;
  if (above === null) return below! - POSITION_STEP;
  if (below === null) return above + POSITION_STEP;
  const mid = above + (below - above) / 2;
  return above < mid && mid < below ? mid : null;
}

/** Fields of the follow-up task an interaction's next action creates or updates. */
export interface FollowUp {
  title: string;
  dueAt: Date;
  assigneeId: string | null;
}

/** The team's kanban of tasks. Only the team reads or writes them. */
export class TasksService {
  constructor(
    private readonly deps: {
      db: Db;
      repo: TasksRepository;
      artists: ArtistsRepository;
      users: UsersRepository;
    },
  ) {}

  async create(caller: Caller, input: CreateTaskInput): Promise<TaskDto> {
    assertTeam(caller, 'Only the team manages tasks');
    if (input.assigneeId) await assertActiveTeamMember(this.deps.users, input.assigneeId, 'assigneeId');
    if (input.artistId) await this.assertArtist(input.artistId);
    const status = input.status ?? 'todo';
    const row = await this.deps.db.transaction(async (tx) => {
      await this.deps.repo.lockColumn(tx, status);
      const last = await this.deps.repo.lastPosition(tx, status);
      return this.deps.repo.insert(tx, {
        title: input.title,
        description: input.description ?? '',
        status,
        priority: input.priority ?? 'normal',
        position: positionBetween(last, null)!,
        assigneeId: input.assigneeId ?? null,
        dueAt: input.dueAt ? new Date(input.dueAt) : null,
        tags: input.tags ?? [],
        artistId: input.artistId ?? null,
        createdBy: caller.id,
        completedAt: status === 'done' ? new Date() : null,
      });
    });
    return this.dto(row);
  }

  async get(caller: Caller, id: string): Promise<TaskDto> {
    assertTeam(caller, 'Only the team reads tasks');
    const row = await this.deps.repo.findById(id);
    if (!row) throw notFound('Task not found');
    return this.dto(row);
  }

  async update(caller: Caller, id: string, input: UpdateTaskInput): Promise<TaskDto> {
    assertTeam(caller, 'Only the team manages tasks');
    const current = await this.deps.repo.findById(id);
    if (!current) throw notFound('Task not found');
    if (current.archivedAt) throw conflict('This task is archived: it cannot be changed');
    if (input.assigneeId) await assertActiveTeamMember(this.deps.users, input.assigneeId, 'assigneeId');
    if (input.artistId && input.artistId !== current.artistId) await this.assertArtist(input.artistId);
    const { dueAt, ...fields } = input;
    const changes: TaskChanges = { ...fields, ...(dueAt !== undefined ? { dueAt: dueAt === null ? null : new Date(dueAt) } : {}) };
    const row = await this.deps.repo.update(this.deps.db, id, changes);
    if (!row) throw notFound('Task not found');
    return this.dto(row);
  }

  /** Deleting a task archives it: it leaves the board and the calendar, and is still listed with `archived=true`. */
  async archive(caller: Caller, id: string): Promise<TaskDto> {
    assertTeam(caller, 'Only the team manages tasks');
    const row = await this.deps.repo.setArchived(id);
    if (!row) throw notFound('Task not found');
    return this.dto(row);
  }

  /**
   * A drag on the board: into `status`, just below `afterId` (or, given only
   * `beforeId`, just above it; both must be cards of that column), at an explicit `position`, or at the
   * bottom. Only the moved row is written, at the midpoint of its new
   * neighbours; the whole column is renumbered only in the rare case where the
   * neighbours leave no room between them. The target column is locked for
   * the transaction and the card's row too, so concurrent drops take turns and
   * each one sees the order the previous one left.
   */
  async move(caller: Caller, id: string, input: MoveTaskInput): Promise<TaskDto> {
    assertTeam(caller, 'Only the team moves tasks');
    if (input.afterId === id) throw fieldError('afterId', 'A card cannot be placed next to itself');
    if (input.beforeId === id) throw fieldError('beforeId', 'A card cannot be placed next to itself');
    const row = await this.deps.db.transaction(async (tx) => {
      await this.deps.repo.lockColumn(tx, input.status);
      const task = await this.deps.repo.lockRow(tx, id);
      if (!task) throw notFound('Task not found');
      if (task.archivedAt) throw conflict('This task is archived: it cannot be moved');
      let position = input.position ?? (await this.dropPosition(tx, task, input));
      if (position === null) {
        await this.deps.repo.renumberColumn(tx, input.status);
        position = await this.dropPosition(tx, task, input);
        if (position === null) throw conflict('The cards around the drop place changed meanwhile; reload the board and try again');
      }
      const completedAt = input.status === 'done' ? (task.status === 'done' ? task.completedAt : new Date()) : null;
      return (await this.deps.repo.update(tx, id, { status: input.status, position, completedAt }))!;
    });
    return this.dto(row);
  }

  private async anchor(tx: SqlTx, anchorId: string, field: 'afterId' | 'beforeId', status: TaskStatus): Promise<TaskRow> {
    const anchor = await this.deps.repo.findById(anchorId, tx);
    if (!anchor) throw fieldError(field, 'No such task');
    if (anchor.archivedAt || anchor.status !== status) {
      throw conflict(`The card given as ${field} is no longer in ${status}; reload the board and try again`, {
        issues: [{ path: field, message: `Not in ${status}` }],
      });
    }
    return anchor;
  }

  private async dropPosition(tx: SqlTx, task: TaskRow, input: MoveTaskInput): Promise<number | null> {
    const { repo } = this.deps;
    if (input.afterId) {
      const above = await this.anchor(tx, input.afterId, 'afterId', input.status);
      // With both neighbours, the card goes just below afterId, above whatever is there now: a card
      // dropped into the same slot meanwhile sits between the two, and the two drops must not collide.
      if (input.beforeId) await this.anchor(tx, input.beforeId, 'beforeId', input.status);
      const below = await repo.neighbour(tx, above, 'below', task.id);
      return positionBetween(above.position, below?.position ?? null);
    }
    if (input.beforeId) {
      const below = await this.anchor(tx, input.beforeId, 'beforeId', input.status);
      const above = await repo.neighbour(tx, below, 'above', task.id);
      return positionBetween(above?.position ?? null, below.position);
    }
    return positionBetween(await repo.lastPosition(tx, input.status, task.id), null);
  }

  async board(caller: Caller, query: BoardQuery) {
    assertTeam(caller, 'Only the team sees the task board');
    const filters = this.filters(caller, query);
    const columns = await Promise.all(TASK_STATUSES.map((status) => this.deps.repo.column(status, filters, query.perColumn)));
    const labels = await this.deps.repo.labels(columns.flatMap((c) => c.rows));
    return {
      columns: TASK_STATUSES.map((status, i) => ({ status, total: columns[i]!.total, tasks: columns[i]!.rows.map((row) => toTaskDto(row, labels)) })),
    };
  }

  async list(caller: Caller, query: ListTasksQuery): Promise<{ items: TaskDto[]; nextCursor: string | null }> {
    assertTeam(caller, 'Only the team reads tasks');
    const cursor = query.cursor ? decodeCursor(query.cursor) : null;
    const rows = await this.deps.repo.list({ ...this.filters(caller, query), status: query.status, archived: query.archived }, cursor, query.limit);
    const page = pageOf(rows, query.limit);
    return { items: await this.dtos(page.rows), nextCursor: page.nextCursor };
  }

  async forArtist(caller: Caller, artistId: string, status?: TaskStatus): Promise<TaskDto[]> {
    assertTeam(caller, 'Only the team reads tasks');
    if (!(await this.deps.artists.findById(artistId))) throw notFound('Artist not found');
    return this.dtos(await this.deps.repo.forArtist(artistId, status));
  }

  /** DTOs with the artist's stage name and the assignee's name (one lookup for all the rows). */
  private async dtos(rows: TaskRow[]): Promise<TaskDto[]> {
    const labels = await this.deps.repo.labels(rows);
    return rows.map((row) => toTaskDto(row, labels));
  }

  private async dto(row: TaskRow): Promise<TaskDto> {
    return (await this.dtos([row]))[0]!;
  }

  private filters(caller: Caller, query: Omit<BoardQuery, 'perColumn'>): TaskFilters {
    if (query.mine && query.assigneeId && query.assigneeId !== caller.id) throw fieldError('mine', 'mine=true and another assigneeId contradict each other');
    return {
      assigneeId: query.mine ? caller.id : query.assigneeId,
      artistId: query.artistId,
      tag: query.tag,
      priority: query.priority,
      dueBefore: query.dueBefore,
    };
  }

  private async assertArtist(artistId: string): Promise<void> {
    const artist = await this.deps.artists.findById(artistId);
    if (!artist) throw fieldError('artistId', 'No such artist');
    assertArtistOpenForWork(artist, 'a task');
  }

  // Follow-up tasks of interactions: called by the interactions service inside its transaction.

  /** A new task at the bottom of todo, tagged follow-up, linked to the interaction. */
  async createFollowUp(tx: SqlTx, input: FollowUp & { artistId: string; interactionId: string; createdBy: string }): Promise<TaskRow> {
    await this.deps.repo.lockColumn(tx, 'todo');
    const last = await this.deps.repo.lastPosition(tx, 'todo');
    return this.deps.repo.insert(tx, {
      title: input.title,
      status: 'todo',
      position: positionBetween(last, null)!,
      assigneeId: input.assigneeId,
      dueAt: input.dueAt,
      tags: [FOLLOW_UP_TAG],
      artistId: input.artistId,
      interactionId: input.interactionId,
      createdBy: input.createdBy,
    });
  }

  async findForUpdate(tx: SqlTx, id: string): Promise<TaskRow | undefined> {
    return this.deps.repo.lockRow(tx, id);
  }

  async syncFollowUp(tx: SqlTx, id: string, fields: FollowUp): Promise<TaskRow | undefined> {
    return this.deps.repo.update(tx, id, fields);
  }

  async archiveInTransaction(tx: SqlTx, id: string): Promise<TaskRow | undefined> {
    return this.deps.repo.setArchived(id, tx);
  }
}
