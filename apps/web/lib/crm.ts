/**
 * CRM calls (artists, pipeline, scoring) through the typed SDK client.
 * Types are derived from the calls so they follow the OpenAPI document.
 */
import { ApiError, unwrap, type paths, type Schemas } from '@mona/sdk';
import type { PipelineStage, Tier } from '@mona/shared';
import { api } from './session.ts';

export type Artist = Schemas['Artist'];
export type StageMove = Schemas['StageMove'];
export type PipelineBoard = Schemas['PipelineBoard'];
export type BoardColumn = PipelineBoard['columns'][number];
export type BoardCard = BoardColumn['artists'][number];
export type PipelineStats = Schemas['PipelineStats'];
export type MonaScore = Schemas['MonaScore'];
export type ScoringEvent = Schemas['ScoringEvent'];
export type MetricSeries = Schemas['MetricSeries'];
export type MarketFitAssessment = Schemas['MarketFitAssessment'];

export type ArtistSort = 'createdAt' | 'stageName' | 'score';
export type SortOrder = 'asc' | 'desc';
export type ArchivedFilter = 'false' | 'true' | 'all';

export interface ArtistFilters {
  stage?: PipelineStage | undefined;
  tier?: Tier | undefined;
  genre?: string | undefined;
  city?: string | undefined;
  assigneeId?: string | undefined;
  q?: string | undefined;
  archived?: ArchivedFilter | undefined;
  sort?: ArtistSort | undefined;
  order?: SortOrder | undefined;
}

/** Drops empty strings and undefined so the query string holds only real filters. */
function cleanQuery<T extends object>(query: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (typeof value === 'string' && value.trim() === '') continue;
    out[key] = typeof value === 'string' ? value.trim() : value;
  }
  return out as T;
}

export const listArtists = (filters: ArtistFilters, cursor: string | null, signal?: AbortSignal, limit = 25) =>
  unwrap(api.GET('/api/artists', { params: { query: cleanQuery({ ...filters, limit, ...(cursor ? { cursor } : {}) }) }, signal }));
export type ArtistPage = Awaited<ReturnType<typeof listArtists>>;

type JsonBody<Op> = Op extends { requestBody: { content: { 'application/json': infer B } } } ? B : never;
export type CreateArtistInput = JsonBody<paths['/api/artists']['post']>;
export const createArtist = (body: CreateArtistInput) => unwrap(api.POST('/api/artists', { body }));

export type UpdateArtistInput = JsonBody<paths['/api/artists/{id}']['patch']>;
export type ArtistLinks = NonNullable<UpdateArtistInput['links']>;
export const updateArtist = (id: string, body: UpdateArtistInput) => unwrap(api.PATCH('/api/artists/{id}', { params: { path: { id } }, body }));

export const getArtist = (id: string, signal?: AbortSignal) => unwrap(api.GET('/api/artists/{id}', { params: { path: { id } }, signal }));

export const setArchived = (id: string, archived: boolean) =>
  archived
    ? unwrap(api.POST('/api/artists/{id}/archive', { params: { path: { id } } }))
    : unwrap(api.POST('/api/artists/{id}/unarchive', { params: { path: { id } } }));

export const importArtists = (csv: string) => unwrap(api.POST('/api/artists/import', { body: { csv } }));
export type ImportReport = Awaited<ReturnType<typeof importArtists>>;

/** The CSV export as a Blob (the access token lives in memory, so a plain link would not be authorised). */
export async function exportArtists(filters: ArtistFilters): Promise<Blob> {
  const { sort: _sort, order: _order, ...rest } = filters;
  void _sort;
  void _order;
  return unwrap(api.GET('/api/artists/export.csv', { params: { query: cleanQuery(rest) }, parseAs: 'blob' }));
}

export const moveStage = (id: string, to: PipelineStage, reason?: string) =>
  unwrap(api.POST('/api/artists/{id}/stage', { params: { path: { id } }, body: { to, ...(reason?.trim() ? { reason: reason.trim() } : {}) } }));

export const stageHistory = (id: string, signal?: AbortSignal) =>
  unwrap(api.GET('/api/artists/{id}/stage-history', { params: { path: { id } }, signal })).then((r) => r.moves);

export const fetchBoard = (signal?: AbortSignal) => unwrap(api.GET('/api/pipeline/board', { params: { query: {} }, signal }));

export const fetchStats = (from: string | undefined, to: string | undefined, signal?: AbortSignal) =>
  unwrap(api.GET('/api/pipeline/stats', { params: { query: cleanQuery({ from, to }) }, signal }));

export const fetchScore = (id: string, signal?: AbortSignal) => unwrap(api.GET('/api/artists/{id}/score', { params: { path: { id } }, signal }));

export const fetchScoreHistory = (id: string, before: string | null, signal?: AbortSignal) =>
  unwrap(api.GET('/api/artists/{id}/score/history', { params: { path: { id }, query: { limit: 20, ...(before ? { before } : {}) } }, signal }));

export type RatingsInput = JsonBody<paths['/api/artists/{id}/ratings']['put']>;
export const rateArtist = (id: string, body: RatingsInput) => unwrap(api.PUT('/api/artists/{id}/ratings', { params: { path: { id } }, body }));

export type MetricSnapshotInput = JsonBody<paths['/api/artists/{id}/metrics']['post']>['snapshots'][number];
/** Adds readings; the answer carries the recomputed score and whether it changed. */
export const recordMetrics = (id: string, snapshots: MetricSnapshotInput[]) =>
  unwrap(api.POST('/api/artists/{id}/metrics', { params: { path: { id } }, body: { snapshots } }));

export const fetchMetrics = (id: string, signal?: AbortSignal) => unwrap(api.GET('/api/artists/{id}/metrics', { params: { path: { id }, query: {} }, signal }));

export const fetchMarketFit = (id: string, signal?: AbortSignal) =>
  unwrap(api.GET('/api/artists/{id}/market-fit', { params: { path: { id }, query: { limit: 10 } }, signal }));

export type MarketFitInput = JsonBody<paths['/api/artists/{id}/market-fit']['post']>;
export const assessMarketFit = (id: string, body: MarketFitInput) => unwrap(api.POST('/api/artists/{id}/market-fit', { params: { path: { id } }, body }));

export const isNotFound = (error: unknown) => error instanceof ApiError && error.status === 404;
