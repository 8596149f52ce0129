'use client';

import { PIPELINE_STAGES, TIERS, type PipelineStage, type Tier } from '@mona/shared';
import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import {
  exportArtists,
  listArtists,
  setArchived,
  type Artist,
  type ArtistFilters,
  type ArtistSort,
  type ArchivedFilter,
  type SortOrder,
} from '../../lib/crm.ts';
import { describeError } from '../../lib/errors.ts';
import { formatDate, formatDateTime } from '../../lib/format.ts';
import { format, plural } from '../../lib/i18n.ts';
import { EmptyState, LoadError, Loading } from '../AsyncStates.tsx';
import { useAuth } from '../AuthProvider.tsx';
import { ArchivedBadge, StageBadge, TierBadge } from '../crm/CrmBadges.tsx';
import { useTeamMembers } from '../crm/useTeamMembers.ts';
import { Alert, SelectField, TextField } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { CreateArtistDialog } from './CreateArtistDialog.tsx';
import { ImportArtistsDialog } from './ImportArtistsDialog.tsx';

const PAGE_SIZE = 25;
const TEXT_DEBOUNCE_MS = 350;

interface FilterState {
  q: string;
  stage: PipelineStage | '';
  tier: Tier | '';
  genre: string;
  city: string;
  assigneeId: string;
  archived: ArchivedFilter;
  sort: `${ArtistSort}:${SortOrder}`;
}

const DEFAULT_FILTERS: FilterState = { q: '', stage: '', tier: '', genre: '', city: '', assigneeId: '', archived: 'false', sort: 'createdAt:desc' };
const SORTS = ['createdAt:desc', 'createdAt:asc', 'stageName:asc', 'stageName:desc', 'score:desc', 'score:asc'] as const;

/** Filters live in the URL so a reload or the back button keeps them. */
function readFilters(): FilterState {
  if (typeof window === 'undefined') return DEFAULT_FILTERS;
  const params = new URLSearchParams(window.location.search);
  const pick = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
    const value = params.get(key);
    return value && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
  };
  return {
    q: params.get('q') ?? '',
    stage: pick<PipelineStage | ''>('stage', PIPELINE_STAGES, ''),
    tier: pick<Tier | ''>('tier', TIERS, ''),
    genre: params.get('genre') ?? '',
    city: params.get('city') ?? '',
    assigneeId: params.get('assignee') ?? '',
    archived: pick<ArchivedFilter>('archived', ['false', 'true', 'all'], 'false'),
    sort: pick('sort', SORTS, 'createdAt:desc'),
  };
}

function writeFilters(filters: FilterState): void {
  const params = new URLSearchParams();
  if (filters.q.trim()) params.set('q', filters.q.trim());
  if (filters.stage) params.set('stage', filters.stage);
  if (filters.tier) params.set('tier', filters.tier);
  if (filters.genre.trim()) params.set('genre', filters.genre.trim());
  if (filters.city.trim()) params.set('city', filters.city.trim());
  if (filters.assigneeId) params.set('assignee', filters.assigneeId);
  if (filters.archived !== 'false') params.set('archived', filters.archived);
  if (filters.sort !== DEFAULT_FILTERS.sort) params.set('sort', filters.sort);
  const query = params.toString();
  window.history.replaceState(window.history.state, '', `${window.location.pathname}${query ? `?${query}` : ''}`);
}

function toQuery(filters: FilterState): ArtistFilters {
  const [sort, order] = filters.sort.split(':') as [ArtistSort, SortOrder];
  return {
    q: filters.q,
    stage: filters.stage || undefined,
    tier: filters.tier || undefined,
    genre: filters.genre,
    city: filters.city,
    assigneeId: filters.assigneeId || undefined,
    archived: filters.archived,
    sort,
    order,
  };
}

const isFiltered = (f: FilterState) => Boolean(f.q.trim() || f.stage || f.tier || f.genre.trim() || f.city.trim() || f.assigneeId || f.archived !== 'false');

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export function ArtistsView() {
  const { m, locale } = useI18n();
  const { user } = useAuth();
  const teamState = useTeamMembers();
  const team = teamState.members;
  const [filters, setFilters] = useState<FilterState>(readFilters);
  // Text fields wait for a pause in typing; selects apply at once.
  const textKey = useDebounced(`${filters.q}\u0000${filters.genre}\u0000${filters.city}`, TEXT_DEBOUNCE_MS);
  const [items, setItems] = useState<Artist[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
  const [reload, setReload] = useState(0);
  const [notice, setNotice] = useState<{ text: string; undo?: { id: string; archived: boolean }; link?: { href: string; label: string } } | null>(null);
  const [rowError, setRowError] = useState<string | null>(null);
  const [busyRow, setBusyRow] = useState<string | null>(null);
  const [createOpen, setCreateOpen] = useState(false);
  const [importOpen, setImportOpen] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  const filtersRef = useRef(filters);
  filtersRef.current = filters;

  const [q, genre, city] = textKey.split('\u0000') as [string, string, string];
  const queryKey = JSON.stringify({ ...filters, q, genre, city });

  useEffect(() => {
    const current: FilterState = JSON.parse(queryKey) as FilterState;
    writeFilters(current);
    const controller = new AbortController();
    setLoading(true);
    setMoreError(null);
    listArtists(toQuery(current), null, controller.signal, PAGE_SIZE).then(
      (page) => {
        if (controller.signal.aborted) return;
        setItems(page.items);
        setNextCursor(page.nextCursor);
        setError(null);
        setLoading(false);
      },
      (caught: unknown) => {
        if (controller.signal.aborted) return;
        setError(caught);
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [queryKey, reload]);

  async function loadMore() {
    if (!nextCursor) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const current: FilterState = JSON.parse(queryKey) as FilterState;
      const page = await listArtists(toQuery(current), nextCursor, undefined, PAGE_SIZE);
      setItems((list) => [...(list ?? []), ...page.items.filter((a) => !list?.some((b) => b.id === a.id))]);
      setNextCursor(page.nextCursor);
    } catch (caught) {
      setMoreError(caught);
    } finally {
      setLoadingMore(false);
    }
  }

  async function toggleArchive(artist: Artist, archived: boolean) {
    setBusyRow(artist.id);
    setRowError(null);
    try {
      const updated = await setArchived(artist.id, archived);
      const visible = filters.archived === 'all' || (filters.archived === 'true') === archived;
      setItems((list) => (list ?? []).flatMap((a) => (a.id !== artist.id ? [a] : visible ? [updated] : [])));
      setNotice({
        text: format(archived ? m.artists.archivedNotice : m.artists.unarchivedNotice, { name: artist.stageName }),
        undo: { id: artist.id, archived: !archived },
      });
    } catch (caught) {
      setRowError(describeError(caught, m));
    } finally {
      setBusyRow(null);
    }
  }

  async function undo(target: { id: string; archived: boolean }) {
    setNotice(null);
    try {
      await setArchived(target.id, target.archived);
    } catch (caught) {
      setRowError(describeError(caught, m));
    }
    setReload((n) => n + 1);
  }

  async function onExport() {
    setExporting(true);
    setExportError(null);
    try {
      const blob = await exportArtists(toQuery(filtersRef.current));
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `artists-${new Date().toISOString().slice(0, 10)}.csv`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (caught) {
      setExportError(describeError(caught, m));
    } finally {
      setExporting(false);
    }
  }

  const update = (patch: Partial<FilterState>) => setFilters((f) => ({ ...f, ...patch }));
  const filtered = isFiltered(filters);
  const assigneeOptions = [
    { value: '', label: m.artists.filters.anyAssignee },
    ...(user ? [{ value: user.id, label: m.artists.filters.assignedToMe }] : []),
    ...team.filter((t) => t.id !== user?.id).map((t) => ({ value: t.id, label: t.name })),
  ];

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 className="page-title">{m.artists.title}</h1>
          <p className="lead">{m.artists.intro}</p>
        </div>
        <div className="page-header__actions">
          <button type="button" className="button button--primary" onClick={() => setCreateOpen(true)}>
            {m.artists.create}
          </button>
          <button type="button" className="button button--secondary" onClick={() => setImportOpen(true)}>
            {m.artists.import}
          </button>
          <button type="button" className="button button--secondary" onClick={() => void onExport()} disabled={exporting} aria-describedby="export-hint">
            {exporting ? m.artists.exporting : m.artists.export}
          </button>
          <span id="export-hint" className="visually-hidden">
            {m.artists.exportHint}
          </span>
        </div>
      </div>

      {exportError ? (
        <Alert tone="error" title={m.artists.exportError}>
          {exportError}
        </Alert>
      ) : null}
      {notice ? (
        <div role="status" className="alert alert--success">
          <span className="alert__icon" aria-hidden="true">
            ✓
          </span>
          <div className="alert__body">
            <p>{notice.text}</p>
            <div className="inline-actions">
              {notice.link ? (
                <Link href={notice.link.href} className="button button--secondary button--small">
                  {notice.link.label}
                </Link>
              ) : null}
              {notice.undo ? (
                <button type="button" className="button button--quiet button--small" onClick={() => void undo(notice.undo!)}>
                  {m.artists.undo}
                </button>
              ) : null}
              <button type="button" className="button button--quiet button--small" onClick={() => setNotice(null)}>
                {m.common.close}
              </button>
            </div>
          </div>
        </div>
      ) : null}

      <section className="card filters" aria-labelledby="artist-filters-title">
        <h2 id="artist-filters-title" className="visually-hidden">
          {m.artists.filters.title}
        </h2>
        <form role="search" aria-label={m.artists.filters.title} className="filters__grid" onSubmit={(event) => event.preventDefault()}>
          <TextField
            name="q"
            type="search"
            label={m.artists.filters.search}
            hint={m.artists.filters.searchHint}
            value={filters.q}
            onChange={(q) => update({ q })}
            className="filters__search"
          />
          <SelectField
            name="stage"
            label={m.artists.filters.stage}
            value={filters.stage}
            onChange={(stage) => update({ stage: stage as PipelineStage | '' })}
            options={[{ value: '', label: m.artists.filters.anyStage }, ...PIPELINE_STAGES.map((s) => ({ value: s, label: m.crm.stages[s] }))]}
          />
          <SelectField
            name="tier"
            label={m.artists.filters.tier}
            value={filters.tier}
            onChange={(tier) => update({ tier: tier as Tier | '' })}
            options={[{ value: '', label: m.artists.filters.anyTier }, ...TIERS.map((t) => ({ value: t, label: m.crm.tiers[t] }))]}
          />
          <TextField name="genre" label={m.artists.filters.genre} value={filters.genre} onChange={(genre) => update({ genre })} />
          <TextField name="city" label={m.artists.filters.city} value={filters.city} onChange={(city) => update({ city })} />
          <SelectField
            name="assignee"
            label={m.artists.filters.assignee}
            value={filters.assigneeId}
            onChange={(assigneeId) => update({ assigneeId })}
            options={assigneeOptions}
            hint={teamState.failed ? m.artists.filters.teamError : undefined}
          />
          <SelectField
            name="archived"
            label={m.artists.filters.archived}
            value={filters.archived}
            onChange={(archived) => update({ archived: archived as ArchivedFilter })}
            options={[
              { value: 'false', label: m.artists.filters.activeOnly },
              { value: 'true', label: m.artists.filters.archivedOnly },
              { value: 'all', label: m.artists.filters.allArtists },
            ]}
          />
          <SelectField
            name="sort"
            label={m.artists.filters.sort}
            value={filters.sort}
            onChange={(sort) => update({ sort: sort as FilterState['sort'] })}
            options={SORTS.map((s) => ({ value: s, label: m.artists.sorts[s] }))}
          />
          <div className="filters__reset">
            <button
              type="button"
              className="button button--quiet"
              onClick={() => setFilters(DEFAULT_FILTERS)}
              disabled={!filtered && filters.sort === DEFAULT_FILTERS.sort}
            >
              {m.artists.filters.reset}
            </button>
          </div>
        </form>
      </section>

      <section className="section" aria-labelledby="artist-list-title" aria-busy={loading}>
        <h2 id="artist-list-title" className="section-title">
          {m.artists.listTitle}
          {items && !error ? (
            <span className="section-title__count" role="status">
              {' · '}
              {plural(locale, nextCursor ? m.artists.countShownMore : m.artists.countShown, items.length)}
            </span>
          ) : null}
        </h2>
        {rowError ? <Alert tone="error">{rowError}</Alert> : null}
        {error ? <LoadError title={m.artists.loadError} error={error} onRetry={() => setReload((n) => n + 1)} /> : null}
        {loading && !items ? <Loading message={m.artists.loading} /> : null}
        {loading && items ? <Loading message={m.artists.updating} /> : null}
        {items && items.length === 0 && !error ? (
          filtered ? (
            <EmptyState
              title={m.artists.emptyFilteredTitle}
              actions={
                <button type="button" className="button button--secondary" onClick={() => setFilters(DEFAULT_FILTERS)}>
                  {m.artists.filters.reset}
                </button>
              }
            >
              <p>{m.artists.emptyFilteredBody}</p>
            </EmptyState>
          ) : (
            <EmptyState
              title={m.artists.emptyTitle}
              actions={
                <>
                  <button type="button" className="button button--primary" onClick={() => setCreateOpen(true)}>
                    {m.artists.create}
                  </button>
                  <button type="button" className="button button--secondary" onClick={() => setImportOpen(true)}>
                    {m.artists.import}
                  </button>
                </>
              }
            >
              <p>{m.artists.emptyBody}</p>
            </EmptyState>
          )
        ) : null}
        {items && items.length > 0 ? (
          <div className="table-scroll" role="region" aria-labelledby="artist-list-title" tabIndex={0}>
            <table className="table">
              <caption className="visually-hidden">{m.artists.caption}</caption>
              <thead>
                <tr>
                  <th scope="col">{m.artists.columns.name}</th>
                  <th scope="col">{m.artists.columns.stage}</th>
                  <th scope="col">{m.artists.columns.tier}</th>
                  <th scope="col" className="num">
                    {m.artists.columns.score}
                  </th>
                  <th scope="col">{m.artists.columns.genres}</th>
                  <th scope="col">{m.artists.columns.city}</th>
                  <th scope="col">{m.artists.columns.createdAt}</th>
                  <th scope="col">
                    <span className="visually-hidden">{m.artists.columns.actions}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((artist) => (
                  <tr key={artist.id}>
                    <th scope="row">
                      <Link href={`/artists/${artist.id}`}>{artist.stageName}</Link> {artist.archivedAt ? <ArchivedBadge /> : null}
                    </th>
                    <td>
                      <StageBadge stage={artist.stage} />
                    </td>
                    <td>
                      <TierBadge tier={artist.tier} />
                    </td>
                    <td className="num">{artist.scoreTotal}</td>
                    <td>{artist.genres.length ? artist.genres.join(', ') : <span className="muted">—</span>}</td>
                    <td>{artist.city ?? <span className="muted">—</span>}</td>
                    <td>
                      <time dateTime={artist.createdAt} title={formatDateTime(artist.createdAt, locale)}>
                        {formatDate(artist.createdAt, locale)}
                      </time>
                    </td>
                    <td>
                      <button
                        type="button"
                        className="button button--quiet button--small"
                        disabled={busyRow === artist.id}
                        aria-label={format(artist.archivedAt ? m.artists.unarchiveNamed : m.artists.archiveNamed, { name: artist.stageName })}
                        onClick={() => void toggleArchive(artist, !artist.archivedAt)}
                      >
                        {artist.archivedAt ? m.artists.unarchive : m.artists.archive}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {moreError ? <LoadError title={m.artists.loadMoreError} error={moreError} onRetry={() => void loadMore()} /> : null}
        {items && nextCursor && !error ? (
          <div>
            <button type="button" className="button button--secondary" onClick={() => void loadMore()} disabled={loadingMore}>
              {loadingMore ? m.artists.loadingMore : m.artists.loadMore}
            </button>
          </div>
        ) : null}
      </section>

      <CreateArtistDialog
        open={createOpen}
        onClose={() => setCreateOpen(false)}
        team={team}
        teamFailed={teamState.failed}
        onCreated={(artist) => {
          setCreateOpen(false);
          setItems((list) => [artist, ...(list ?? []).filter((a) => a.id !== artist.id)]);
          setNotice({
            text: format(m.artists.createdNotice, { name: artist.stageName }),
            link: { href: `/artists/${artist.id}`, label: m.artists.openProfile },
          });
        }}
      />
      <ImportArtistsDialog
        open={importOpen}
        onClose={() => setImportOpen(false)}
        onImported={(count) => {
          if (count > 0) setReload((n) => n + 1);
        }}
      />
    </div>
  );
}
