'use client';

import './commerce.css';
import Link from 'next/link';
import { useState } from 'react';
import { fetchCommission, formatCents, formatMonth, parisMonth, recentMonths } from '../../lib/commerce.ts';
import { formatNumber } from '../../lib/format.ts';
import { format, plural } from '../../lib/i18n.ts';
import { useAsync } from '../../lib/use-async.ts';
import { EmptyState, LoadError, Loading } from '../AsyncStates.tsx';
import { useAuth } from '../AuthProvider.tsx';
import { SelectField } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { RequireRole } from '../RequireRole.tsx';
import { MissionsSection } from './MarketplaceView.tsx';
import { DateText, MissionStatusPill } from './shared.tsx';

/** /missions: the expert's own missions and their commission statement for a month. */
export function ExpertMissionsView() {
  return (
    <RequireRole roles={['expert']}>
      <ExpertSpace />
    </RequireRole>
  );
}

function ExpertSpace() {
  const { m } = useI18n();
  const { user } = useAuth();
  const e = m.commerce.expert;
  if (!user) return null;
  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 className="page-title">{e.title}</h1>
          <p className="lead">{e.intro}</p>
        </div>
      </div>
      <MissionsSection titleId="expert-missions-title" title={e.missionsTitle} showArtist showExpert={false} emptyText={e.missionsEmpty} />
      <CommissionStatement expertId={user.id} />
    </div>
  );
}

function CommissionStatement({ expertId }: { expertId: string }) {
  const { m, locale } = useI18n();
  const e = m.commerce.expert;
  const [months] = useState(() => recentMonths(new Date(), 12));
  const [month, setMonth] = useState(() => parisMonth(new Date()));
  const statement = useAsync((signal) => fetchCommission(expertId, month, signal), [expertId, month]);
  const data = statement.data && statement.data.month === month ? statement.data : null;

  return (
    <section className="card section" aria-labelledby="commission-title">
      <h2 id="commission-title" className="section-title">
        {e.commissionTitle}
      </h2>
      <p className="muted">{e.commissionIntro}</p>
      <div className="filters__grid filters__grid--compact">
        <SelectField
          name="month"
          label={e.monthLabel}
          value={month}
          onChange={setMonth}
          options={months.map((value) => ({ value, label: formatMonth(value, locale) }))}
        />
      </div>
      {statement.error ? <LoadError title={e.commissionLoadError} error={statement.error} onRetry={statement.reload} /> : null}
      {statement.loading && !data ? <Loading message={e.commissionLoading} /> : null}
      {data ? (
        <div aria-live="polite" className="section">
          <h3 className="section-title">{format(e.statementFor, { month: formatMonth(data.month, locale) })}</h3>
          <dl className="stat-grid">
            <div className="stat">
              <dt>{e.count}</dt>
              <dd>{formatNumber(data.count, locale)}</dd>
            </div>
            <div className="stat">
              <dt>{e.rate}</dt>
              <dd>{formatNumber(data.ratePercent, locale, 2)} %</dd>
            </div>
            <div className="stat">
              <dt>{e.gross}</dt>
              <dd>{formatCents(data.grossCents, locale)}</dd>
            </div>
            <div className="stat">
              <dt>{e.commission}</dt>
              <dd>{formatCents(data.commissionCents, locale)}</dd>
            </div>
            <div className="stat">
              <dt>{e.payout}</dt>
              <dd>{formatCents(data.payoutCents, locale)}</dd>
            </div>
          </dl>
          <p className="muted">
            {e.tiersIntro}{' '}
            {data.tiers
              .map((t) => format(e.tier, { rate: formatNumber(t.ratePercent, locale, 2), from: plural(locale, e.missionsFrom, t.fromMissions) }))
              .join(' ; ')}
          </p>
          {data.missions.length === 0 ? (
            <EmptyState title={e.noneDelivered} />
          ) : (
            <div className="table-scroll" role="region" aria-label={e.missionsCaption} tabIndex={0}>
              <table className="table">
                <caption className="visually-hidden">{e.missionsCaption}</caption>
                <thead>
                  <tr>
                    <th scope="col">{m.commerce.marketplace.columns.block}</th>
                    <th scope="col">{m.commerce.marketplace.columns.artist}</th>
                    <th scope="col">{m.commerce.marketplace.columns.format}</th>
                    <th scope="col">{m.commerce.marketplace.columns.status}</th>
                    <th scope="col">{e.deliveredAt}</th>
                    <th scope="col" className="amount">
                      {e.price}
                    </th>
                    <th scope="col" className="amount">
                      {e.commission}
                    </th>
                    <th scope="col" className="amount">
                      {e.payout}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.missions.map((row) => (
                    <tr key={row.id}>
                      <th scope="row">
                        <Link href={`/marketplace/missions/${row.id}`}>{row.blockName}</Link>
                      </th>
                      <td>{row.artistName}</td>
                      <td>{m.commerce.formats[row.format]}</td>
                      <td>
                        <MissionStatusPill status={row.status} />
                      </td>
                      <td>
                        <DateText iso={row.deliveredAt} />
                      </td>
                      <td className="amount">{formatCents(row.priceCents, locale)}</td>
                      <td className="amount">{formatCents(row.commissionCents, locale)}</td>
                      <td className="amount">{formatCents(row.payoutCents, locale)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      ) : null}
    </section>
  );
}
