'use client';

import { OPPORTUNITY_STAGES, type OpportunityStage } from '@mona/shared';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { describeError } from '../../lib/errors.ts';
import { format, plural } from '../../lib/i18n.ts';
import { useAsync } from '../../lib/use-async.ts';
import {
  artistName,
  fetchOpportunityPipeline,
  listOpportunities,
  moveOpportunity,
  type Opportunity,
  type OpportunityFilters,
  type OpportunityPipeline,
} from '../../lib/work.ts';
import { EmptyState, LoadError, Loading } from '../AsyncStates.tsx';
import { Alert, SelectField } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { MenuButton } from '../MenuButton.tsx';
import { RequireRole, TEAM_ROLES } from '../RequireRole.tsx';
import { OpportunityDialog } from './OpportunityDialog.tsx';
import { formatDay, formatEur, formatEurCompact, LiveMessage, useTeam } from './shared.tsx';

const nameCache = new Map<string, Promise<string>>();

/** Stage names of the artists `ids` point to, one request per artist (cached for the page's life). */
export function useArtistNames(ids: readonly string[]): Map<string, string> {
  const [names, setNames] = useState(() => new Map<string, string>());
  const key = [...new Set(ids)].sort().join(',');
  useEffect(() => {
    let live = true;
    for (const id of key ? key.split(',') : []) {
      if (!nameCache.has(id)) {
        nameCache.set(
          id,
          artistName(id).catch((error: unknown) => {
            nameCache.delete(id);
            throw error;
          }),
        );
      }
      nameCache.get(id)!.then(
        (name) => live && setNames((current) => (current.get(id) === name ? current : new Map(current).set(id, name))),
        () => undefined,
      );
    }
    return () => {
      live = false;
    };
  }, [key]);
  return names;
}

export function OpportunitiesView() {
  return (
    <RequireRole roles={TEAM_ROLES}>
      <OpportunitiesPage />
    </RequireRole>
  );
}

function OpportunitiesPage() {
  const { m, locale } = useI18n();
  const o = m.work.opportunities;
  const team = useTeam();
  const [filters, setFilters] = useState<OpportunityFilters>({});
  const [run, setRun] = useState(0);
  const pipeline = useAsync((signal) => fetchOpportunityPipeline(filters.ownerId, signal), [filters.ownerId, run]);
  const list = useAsync((signal) => listOpportunities(filters, null, signal), [filters.stage, filters.open, filters.ownerId, run]);
  const [items, setItems] = useState<Opportunity[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
  const [dialog, setDialog] = useState<{ opportunity: Opportunity | null } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [announce, setAnnounce] = useState('');
  const [pending, setPending] = useState<string | null>(null);
  const names = useArtistNames(items.map((i) => i.artistId));

  useEffect(() => {
    if (!list.data) return;
    setItems(list.data.items);
    setNextCursor(list.data.nextCursor);
  }, [list.data]);

  const refresh = () => setRun((n) => n + 1);

  async function loadMore() {
    if (!nextCursor) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await listOpportunities(filters, nextCursor);
      setItems((current) => [...current, ...page.items]);
      setNextCursor(page.nextCursor);
    } catch (error) {
      setMoreError(error);
    } finally {
      setLoadingMore(false);
    }
  }

  async function move(opportunity: Opportunity, stage: OpportunityStage) {
    setPending(opportunity.id);
    setActionError(null);
    try {
      const saved = await moveOpportunity(opportunity.id, stage);
      setItems((current) => current.map((i) => (i.id === saved.id ? saved : i)));
      setAnnounce(format(o.moved, { title: saved.title, stage: m.work.opportunityStages[stage] }));
      refresh();
    } catch (error) {
      setActionError(`${format(o.moveFailed, { title: opportunity.title })} ${describeError(error, m)}`);
    } finally {
      setPending(null);
    }
  }

  const filtered = Boolean(filters.stage || filters.open || filters.ownerId);

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 className="page-title">{o.title}</h1>
          <p className="lead">{o.intro}</p>
        </div>
        <div className="page-header__actions">
          <button type="button" className="button button--primary" onClick={() => setDialog({ opportunity: null })}>
            {o.newOpportunity}
          </button>
        </div>
      </div>

      <LiveMessage message={announce} />
      {notice ? (
        <Alert tone="success">
          <p>{notice}</p>
        </Alert>
      ) : null}
      {actionError ? (
        <Alert tone="error">
          <p>{actionError}</p>
        </Alert>
      ) : null}

      <section className="card section" aria-labelledby="pipeline-chart-title">
        <h2 id="pipeline-chart-title" className="section-title">
          {o.chartTitle}
        </h2>
        {pipeline.error ? <LoadError title={o.pipelineError} error={pipeline.error} onRetry={pipeline.reload} /> : null}
        {pipeline.loading && !pipeline.data ? <Loading message={o.loading} /> : null}
        {pipeline.data ? <PipelineChart pipeline={pipeline.data} /> : null}
      </section>

      <section className="card section" aria-labelledby="opportunity-list-title">
        <h2 id="opportunity-list-title" className="section-title">
          {o.listTitle}
          {list.data ? <span className="section-title__count"> · {plural(locale, o.listCount, items.length)}</span> : null}
        </h2>
        <div className="work-filters__row" role="search" aria-label={m.work.common.filters}>
          <SelectField
            name="stage"
            label={o.filterStage}
            value={filters.stage ?? ''}
            onChange={(v) => setFilters((f) => ({ ...f, stage: (v || undefined) as OpportunityStage | undefined }))}
            options={[{ value: '', label: o.anyStage }, ...OPPORTUNITY_STAGES.map((s) => ({ value: s, label: m.work.opportunityStages[s] }))]}
          />
          <SelectField
            name="open"
            label={o.filterOpen}
            value={filters.open ?? ''}
            onChange={(v) => setFilters((f) => ({ ...f, open: (v || undefined) as 'true' | 'false' | undefined }))}
            options={[
              { value: '', label: o.anyState },
              { value: 'true', label: o.openOnly },
              { value: 'false', label: o.closedOnly },
            ]}
          />
          <SelectField
            name="owner"
            label={o.filterOwner}
            value={filters.ownerId ?? ''}
            onChange={(v) => setFilters((f) => ({ ...f, ownerId: v || undefined }))}
            options={[{ value: '', label: o.anyOwner }, ...team.map((u) => ({ value: u.id, label: u.name }))]}
          />
          {filtered ? (
            <button type="button" className="button button--quiet" onClick={() => setFilters({})}>
              {m.work.common.resetFilters}
            </button>
          ) : null}
        </div>
        {list.error ? <LoadError title={o.loadError} error={list.error} onRetry={list.reload} retrying={list.loading} /> : null}
        {list.loading && !list.data ? <Loading message={o.loading} /> : null}
        {list.data && items.length === 0 ? <EmptyState title={filtered ? o.emptyFiltered : o.empty} /> : null}
        {items.length > 0 ? (
          <div className="table-scroll" role="region" aria-labelledby="opportunity-list-title" tabIndex={0}>
            <table className="table">
              <caption className="visually-hidden">{o.listTitle}</caption>
              <thead>
                <tr>
                  <th scope="col">{o.columns.title}</th>
                  <th scope="col">{o.columns.artist}</th>
                  <th scope="col">{o.columns.stage}</th>
                  <th scope="col" className="work-money">
                    {o.columns.value}
                  </th>
                  <th scope="col" className="work-money">
                    {o.columns.probability}
                  </th>
                  <th scope="col" className="work-money">
                    {o.columns.weighted}
                  </th>
                  <th scope="col">{o.columns.expectedClose}</th>
                  <th scope="col">{o.columns.owner}</th>
                  <th scope="col">{o.columns.actions}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((item) => (
                  <tr key={item.id} aria-busy={pending === item.id}>
                    <th scope="row">
                      <button
                        type="button"
                        className="work-entry__button"
                        aria-label={format(o.openOpportunity, { title: item.title })}
                        onClick={() => setDialog({ opportunity: item })}
                      >
                        {item.title}
                      </button>
                    </th>
                    <td>
                      <Link href={`/artists/${item.artistId}`}>{names.get(item.artistId) ?? m.work.common.artist}</Link>
                    </td>
                    <td>{m.work.opportunityStages[item.stage]}</td>
                    <td className="work-money">{formatEur(item.valueCents, locale)}</td>
                    <td className="work-money">{format(o.percent, { value: item.probability })}</td>
                    <td className="work-money">{formatEur(item.weightedValueCents, locale)}</td>
                    <td>{item.expectedCloseOn ? formatDay(item.expectedCloseOn, locale) : '—'}</td>
                    <td>{team.find((u) => u.id === item.ownerId)?.name ?? (item.ownerId ? '…' : m.work.common.nobody)}</td>
                    <td>
                      <MenuButton
                        label={o.moveStage}
                        accessibleLabel={format(o.moveStageNamed, { title: item.title })}
                        disabled={pending === item.id}
                        items={OPPORTUNITY_STAGES.filter((s) => s !== item.stage).map((s) => ({ id: s, label: m.work.opportunityStages[s] }))}
                        onSelect={(stage) => void move(item, stage as OpportunityStage)}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {moreError ? (
          <Alert tone="error">
            <p>{describeError(moreError, m)}</p>
          </Alert>
        ) : null}
        {nextCursor ? (
          <button type="button" className="button button--secondary" onClick={() => void loadMore()} disabled={loadingMore}>
            {loadingMore ? m.work.common.loadingMore : m.work.common.loadMore}
          </button>
        ) : null}
      </section>

      <OpportunityDialog
        open={dialog !== null}
        opportunity={dialog?.opportunity ?? null}
        onClose={() => setDialog(null)}
        onSaved={(saved, created) => {
          setDialog(null);
          setNotice(format(created ? o.created : o.saved, { title: saved.title }));
          refresh();
        }}
        onArchived={(archived) => {
          setDialog(null);
          setNotice(format(o.archived, { title: archived.title }));
          refresh();
        }}
      />
    </div>
  );
}

/** The weighted pipeline as bars (hidden from assistive technology) and the same figures as a table. */
export function PipelineChart({ pipeline }: { pipeline: OpportunityPipeline }) {
  const { m, locale } = useI18n();
  const o = m.work.opportunities;
  const data = pipeline.stages.map((s) => ({
    stage: m.work.opportunityStages[s.stage],
    value: s.valueCents,
    weighted: s.weightedValueCents,
  }));
  return (
    <figure className="work-figure">
      <figcaption className="muted">{o.chartDescription}</figcaption>
      <div className="work-chart" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 12, right: 12, bottom: 4, left: 12 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="stage" />
            <YAxis tickFormatter={(v: number) => formatEurCompact(v, locale)} width={72} />
            <Tooltip formatter={(v) => formatEur(Number(v), locale)} />
            <Legend />
            <Bar dataKey="value" name={o.chartValue} fill="#8fb2bb" />
            <Bar dataKey="weighted" name={o.chartWeighted} fill="#1f4e5f" />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <div className="table-scroll">
        <table className="table">
          <caption className="visually-hidden">{o.tableCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{o.stage}</th>
              <th scope="col" className="work-money">
                {o.count}
              </th>
              <th scope="col" className="work-money">
                {o.value}
              </th>
              <th scope="col" className="work-money">
                {o.weighted}
              </th>
            </tr>
          </thead>
          <tbody>
            {pipeline.stages.map((s) => (
              <tr key={s.stage}>
                <th scope="row">{m.work.opportunityStages[s.stage]}</th>
                <td className="work-money">{s.count}</td>
                <td className="work-money">{formatEur(s.valueCents, locale)}</td>
                <td className="work-money">{formatEur(s.weightedValueCents, locale)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{o.openTotal}</th>
              <td className="work-money">{pipeline.open.count}</td>
              <td className="work-money">{formatEur(pipeline.open.valueCents, locale)}</td>
              <td className="work-money">{formatEur(pipeline.open.weightedValueCents, locale)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
    </figure>
  );
}
