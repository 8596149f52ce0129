'use client';

import { OPEN_OPPORTUNITY_STAGES, OPPORTUNITY_STAGES, type OpportunityStage } from '@mona/shared';
import { useState } from 'react';
import { describeError } from '../../lib/errors.ts';
import { format } from '../../lib/i18n.ts';
import { useAsync } from '../../lib/use-async.ts';
import { artistOpportunities, moveOpportunity, type Opportunity } from '../../lib/work.ts';
import { EmptyState, LoadError, Loading } from '../AsyncStates.tsx';
import { Alert } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { MenuButton } from '../MenuButton.tsx';
import { OpportunityDialog } from '../work/OpportunityDialog.tsx';
import { formatDay, formatEur, LiveMessage } from '../work/shared.tsx';

const isOpen = (stage: OpportunityStage) => (OPEN_OPPORTUNITY_STAGES as readonly string[]).includes(stage);

/** An artist's opportunities: open totals, the list, create / edit / archive and stage moves. */
export function OpportunitiesTab({ artistId }: { artistId: string }) {
  const { m, locale } = useI18n();
  const w = m.work;
  const o = w.opportunities;
  const t = w.artistOpportunities;
  const items = useAsync((signal) => artistOpportunities(artistId, signal), [artistId]);
  const [dialog, setDialog] = useState<{ opportunity: Opportunity | null } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [announce, setAnnounce] = useState('');
  const [pending, setPending] = useState<string | null>(null);

  async function move(opportunity: Opportunity, stage: OpportunityStage) {
    setPending(opportunity.id);
    setError(null);
    try {
      const saved = await moveOpportunity(opportunity.id, stage);
      items.setData((list) => (list ?? []).map((i) => (i.id === saved.id ? saved : i)));
      setAnnounce(format(o.moved, { title: saved.title, stage: w.opportunityStages[stage] }));
    } catch (caught) {
      setError(`${format(o.moveFailed, { title: opportunity.title })} ${describeError(caught, m)}`);
    } finally {
      setPending(null);
    }
  }

  const list = items.data ?? [];
  const open = list.filter((i) => isOpen(i.stage));
  const totals = open.reduce((sum, i) => ({ value: sum.value + i.valueCents, weighted: sum.weighted + i.weightedValueCents }), { value: 0, weighted: 0 });

  return (
    <section className="section" aria-labelledby={`opportunities-${artistId}`}>
      <div className="section-header">
        <h2 id={`opportunities-${artistId}`} className="section-title">
          {t.title}
        </h2>
        <button type="button" className="button button--primary" onClick={() => setDialog({ opportunity: null })}>
          {t.add}
        </button>
      </div>
      <LiveMessage message={announce} />
      {notice ? (
        <Alert tone="success">
          <p>{notice}</p>
        </Alert>
      ) : null}
      {error ? (
        <Alert tone="error">
          <p>{error}</p>
        </Alert>
      ) : null}
      {items.error ? <LoadError title={t.loadError} error={items.error} onRetry={items.reload} retrying={items.loading} /> : null}
      {items.loading && !items.data ? <Loading message={t.loading} /> : null}
      {items.data && list.length === 0 ? <EmptyState title={t.empty} /> : null}
      {list.length > 0 ? (
        <>
          <p className="meta-line">
            {format(t.totals, { count: open.length, value: formatEur(totals.value, locale), weighted: formatEur(totals.weighted, locale) })}
          </p>
          <div className="table-scroll" role="region" aria-labelledby={`opportunities-${artistId}`} tabIndex={0}>
            <table className="table">
              <caption className="visually-hidden">{t.title}</caption>
              <thead>
                <tr>
                  <th scope="col">{o.columns.title}</th>
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
                  <th scope="col">{o.columns.actions}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((item) => (
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
                    <td>{w.opportunityStages[item.stage]}</td>
                    <td className="work-money">{formatEur(item.valueCents, locale)}</td>
                    <td className="work-money">{format(o.percent, { value: item.probability })}</td>
                    <td className="work-money">{formatEur(item.weightedValueCents, locale)}</td>
                    <td>{item.expectedCloseOn ? formatDay(item.expectedCloseOn, locale) : '—'}</td>
                    <td>
                      <MenuButton
                        label={o.moveStage}
                        accessibleLabel={format(o.moveStageNamed, { title: item.title })}
                        disabled={pending === item.id}
                        items={OPPORTUNITY_STAGES.filter((s) => s !== item.stage).map((s) => ({ id: s, label: w.opportunityStages[s] }))}
                        onSelect={(stage) => void move(item, stage as OpportunityStage)}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      <OpportunityDialog
        open={dialog !== null}
        opportunity={dialog?.opportunity ?? null}
        fixedArtist={{ id: artistId, stageName: '' }}
        onClose={() => setDialog(null)}
        onSaved={(saved, created) => {
          setDialog(null);
          setNotice(format(created ? o.created : o.saved, { title: saved.title }));
          items.reload();
        }}
        onArchived={(archived) => {
          setDialog(null);
          setNotice(format(o.archived, { title: archived.title }));
          items.reload();
        }}
      />
    </section>
  );
}
