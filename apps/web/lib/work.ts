/**
 * The team's work: tasks, calendar, interactions, opportunities, through the
 * typed SDK client. Types are derived from the OpenAPI document.
 */
import { ApiError, unwrap, type paths, type Schemas } from '@mona/sdk';
import type { CalendarKind, OpportunityStage, TaskPriority, TaskStatus } from '@mona/shared';
import { api } from './session.ts';

type JsonBody<Op> = Op extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

/** Drops undefined, null and blank strings so the query string holds only real filters. */
function cleanQuery<T extends object>(query: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (typeof value === 'string' && value.trim() === '') continue;
    out[key] = typeof value === 'string' ? value.trim() : value;
  }
  return out as T;
}

// ---- Team members (assignee pickers) -------------------------------------

export const listTeam = (signal?: AbortSignal) => unwrap(api.GET('/api/users/team', { signal })).then((r) => r.members);
export type TeamMember = Schemas['TeamMember'];

// ---- Tasks ---------------------------------------------------------------

export type Task = Schemas['Task'];
export type TaskBoard = Schemas['TaskBoard'];
export type TaskColumn = TaskBoard['columns'][number];

export interface TaskFilters {
  mine?: boolean | undefined;
  assigneeId?: string | undefined;
  tag?: string | undefined;
  priority?: TaskPriority | undefined;
  artistId?: string | undefined;
}

export const fetchTaskBoard = (filters: TaskFilters, signal?: AbortSignal) =>
  unwrap(
    api.GET('/api/tasks/board', {
      params: {
        query: cleanQuery({
          assigneeId: filters.mine ? undefined : filters.assigneeId,
          mine: filters.mine ? ('true' as const) : undefined,
          tag: filters.tag,
          priority: filters.priority,
          artistId: filters.artistId,
        }),
      },
      signal,
    }),
  );

export type CreateTaskInput = JsonBody<paths['/api/tasks']['post']>;
export type UpdateTaskInput = JsonBody<paths['/api/tasks/{id}']['patch']>;
export const createTask = (body: CreateTaskInput) => unwrap(api.POST('/api/tasks', { body }));
export const updateTask = (id: string, body: UpdateTaskInput) => unwrap(api.PATCH('/api/tasks/{id}', { params: { path: { id } }, body }));
export const archiveTask = (id: string) => unwrap(api.POST('/api/tasks/{id}/archive', { params: { path: { id } } }));
export const moveTask = (id: string, status: TaskStatus, neighbours: { afterId?: string | undefined; beforeId?: string | undefined } = {}) =>
  unwrap(
    api.POST('/api/tasks/{id}/move', { params: { path: { id } }, body: cleanQuery({ status, afterId: neighbours.afterId, beforeId: neighbours.beforeId }) }),
  );
export const artistTasks = (artistId: string, signal?: AbortSignal) =>
  unwrap(api.GET('/api/artists/{id}/tasks', { params: { path: { id: artistId }, query: {} }, signal })).then((r) => r.items);

// ---- Calendar ------------------------------------------------------------

export type CalendarEntry = Schemas['CalendarEntry'];
export type CalendarEvent = Schemas['CalendarEvent'];
export const fetchCalendar = (from: Date, to: Date, signal?: AbortSignal) =>
  unwrap(api.GET('/api/calendar', { params: { query: { from: from.toISOString(), to: to.toISOString() } }, signal }));
export type CreateEventInput = JsonBody<paths['/api/calendar/events']['post']>;
export type UpdateEventInput = JsonBody<paths['/api/calendar/events/{id}']['patch']>;
export const getEvent = (id: string, signal?: AbortSignal) => unwrap(api.GET('/api/calendar/events/{id}', { params: { path: { id } }, signal }));
export const createEvent = (body: CreateEventInput) => unwrap(api.POST('/api/calendar/events', { body }));
export const updateEvent = (id: string, body: UpdateEventInput) => unwrap(api.PATCH('/api/calendar/events/{id}', { params: { path: { id } }, body }));
export const cancelEvent = (id: string) => unwrap(api.POST('/api/calendar/events/{id}/cancel', { params: { path: { id } } }));
export type { CalendarKind };

// ---- Interactions --------------------------------------------------------

export type Interaction = Schemas['Interaction'];
export const fetchTimeline = (artistId: string, cursor: string | null, signal?: AbortSignal) =>
  unwrap(
    api.GET('/api/artists/{id}/interactions', { params: { path: { id: artistId }, query: cleanQuery({ limit: 20, cursor: cursor ?? undefined }) }, signal }),
  );
export type CreateInteractionInput = JsonBody<paths['/api/artists/{id}/interactions']['post']>;
export type UpdateInteractionInput = JsonBody<paths['/api/interactions/{id}']['patch']>;
export const createInteraction = (artistId: string, body: CreateInteractionInput) =>
  unwrap(api.POST('/api/artists/{id}/interactions', { params: { path: { id: artistId } }, body }));
export const updateInteraction = (id: string, body: UpdateInteractionInput) => unwrap(api.PATCH('/api/interactions/{id}', { params: { path: { id } }, body }));
export const archiveInteraction = (id: string) => unwrap(api.POST('/api/interactions/{id}/archive', { params: { path: { id } } }));

// ---- Opportunities -------------------------------------------------------

export type Opportunity = Schemas['Opportunity'];
export type OpportunityPipeline = Schemas['OpportunityPipeline'];
export interface OpportunityFilters {
  stage?: OpportunityStage | undefined;
  open?: 'true' | 'false' | undefined;
  ownerId?: string | undefined;
}
export const listOpportunities = (filters: OpportunityFilters, cursor: string | null, signal?: AbortSignal) =>
  unwrap(api.GET('/api/opportunities', { params: { query: cleanQuery({ ...filters, limit: 50, cursor: cursor ?? undefined }) }, signal }));
export const fetchOpportunityPipeline = (ownerId: string | undefined, signal?: AbortSignal) =>
  unwrap(api.GET('/api/opportunities/pipeline', { params: { query: cleanQuery({ ownerId }) }, signal }));
export const artistOpportunities = (artistId: string, signal?: AbortSignal) =>
  unwrap(api.GET('/api/artists/{id}/opportunities', { params: { path: { id: artistId } }, signal })).then((r) => r.items);
export type CreateOpportunityInput = JsonBody<paths['/api/artists/{id}/opportunities']['post']>;
export type UpdateOpportunityInput = JsonBody<paths['/api/opportunities/{id}']['patch']>;
export const createOpportunity = (artistId: string, body: CreateOpportunityInput) =>
  unwrap(api.POST('/api/artists/{id}/opportunities', { params: { path: { id: artistId } }, body }));
export const updateOpportunity = (id: string, body: UpdateOpportunityInput) => unwrap(api.PATCH('/api/opportunities/{id}', { params: { path: { id } }, body }));
export const moveOpportunity = (id: string, stage: OpportunityStage) =>
  unwrap(api.POST('/api/opportunities/{id}/stage', { params: { path: { id } }, body: { stage } }));
export const archiveOpportunity = (id: string) => unwrap(api.POST('/api/opportunities/{id}/archive', { params: { path: { id } } }));

// ---- Artists (names and pickers) -----------------------------------------

export const searchArtists = (q: string, signal?: AbortSignal) =>
  unwrap(api.GET('/api/artists', { params: { query: cleanQuery({ q, limit: 20, sort: 'stageName' as const, order: 'asc' as const }) }, signal })).then((r) =>
    r.items.map((a) => ({ id: a.id, stageName: a.stageName })),
  );
export const artistName = (id: string, signal?: AbortSignal) =>
  unwrap(api.GET('/api/artists/{id}', { params: { path: { id } }, signal })).then((a) => a.stageName);

export const isConflict = (error: unknown) => error instanceof ApiError && error.status === 409;
