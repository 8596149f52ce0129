'use client';

import { EXIT_REASONS, MESSAGE_STATUSES, type MessageStatus } from '@mona/shared';
import { useId } from 'react';
import { Bar, BarChart, CartesianGrid, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatNumber } from '../../lib/format.ts';
import { format } from '../../lib/i18n.ts';
import { getSequenceStats, type SequenceStats } from '../../lib/sequences.ts';
import { useAsync } from '../../lib/use-async.ts';
import { LoadError, Loading } from '../AsyncStates.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { formatRate } from '../notifications/shared.tsx';

/** Sequence statistics: enrolments by outcome (exits by reason) and open / click rates, as charts with the same numbers in tables. */
export function StatsPanel({ sequenceId, reloadKey }: { sequenceId: string; reloadKey: number }) {
  const { m } = useI18n();
  const t = m.notifications.sequences.stats;
  const stats = useAsync((signal) => getSequenceStats(sequenceId, signal), [sequenceId, reloadKey]);
  if (stats.error && !stats.data) return <LoadError title={t.loadError} error={stats.error} onRetry={stats.reload} retrying={stats.loading} />;
  if (!stats.data) return <Loading message={t.loading} />;
  return <StatsBody stats={stats.data} />;
}

function StatsBody({ stats }: { stats: SequenceStats }) {
  const { m, locale } = useI18n();
  const t = m.notifications.sequences.stats;
  const id = useId();
  const number = (v: number) => formatNumber(v, locale, 0);
  const rateText = (rate: number, count: number, total: number) =>
    format(t.rateValue, { rate: formatNumber(rate * 100, locale, 1), count: number(count), total: number(total) });

  const outcomes = [
    { name: t.enrolled, value: stats.enrolled },
    { name: t.active, value: stats.active },
    { name: t.completed, value: stats.completed },
    ...EXIT_REASONS.map((reason) => ({
      name: format(t.exitedBy, { reason: m.notifications.sequences.exitReasons[reason] }),
      value: stats.exitedByReason[reason],
    })),
  ];
  const rates = [
    { name: t.openRate, value: Math.round(stats.openRate * 1000) / 10 },
    { name: t.clickRate, value: Math.round(stats.clickRate * 1000) / 10 },
  ];
  const statuses = MESSAGE_STATUSES.filter((s: MessageStatus) => (stats.messagesByStatus[s] ?? 0) > 0);

  return (
    <div className="stats-panel">
      <dl className="stat-tiles">
        <StatTile label={t.enrolled} value={number(stats.enrolled)} />
        <StatTile label={t.active} value={number(stats.active)} />
        <StatTile label={t.completed} value={number(stats.completed)} />
        <StatTile label={t.exited} value={number(stats.exited)} />
        <StatTile label={t.converted} value={`${number(stats.converted)} · ${formatRate(stats.conversionRate, locale)}`} />
        <StatTile label={t.openRate} value={rateText(stats.openRate, stats.opened, stats.emailsSent)} />
        <StatTile label={t.clickRate} value={rateText(stats.clickRate, stats.clicked, stats.messagesSent)} />
      </dl>

      <div className="charts-grid" aria-hidden="true">
        <div className="card chart-card">
          <p className="chart-card__title">{t.enrolmentsChart}</p>
          <ResponsiveContainer width="100%" height={260}>
            <BarChart data={outcomes} margin={{ top: 20, right: 8, bottom: 8, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
              <XAxis dataKey="name" stroke="var(--text-muted)" interval={0} tick={{ fontSize: 10 }} height={60} angle={-20} textAnchor="end" />
              <YAxis stroke="var(--text-muted)" fontSize={11} width={40} allowDecimals={false} />
              <Tooltip formatter={(v) => number(Number(v))} contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)' }} />
              <Bar dataKey="value" fill="var(--accent)" isAnimationActive={false}>
                <LabelList dataKey="value" position="top" fontSize={11} />
              </Bar>
            </BarChart>
          </ResponsiveContainer>
        </div>
        <div className="card chart-card">
          <p className="chart-card__title">{t.ratesChart}</p>
          <ResponsiveContainer width="100%" height={260}>
            <BarChart data={rates} margin={{ top: 20, right: 8, bottom: 8, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
              <XAxis dataKey="name" stroke="var(--text-muted)" tick={{ fontSize: 11 }} />
              <YAxis stroke="var(--text-muted)" fontSize={11} width={40} domain={[0, 100]} unit="%" />
              <Tooltip
                formatter={(v) => format(m.notifications.common.percent, { value: formatNumber(Number(v), locale, 1) })}
                contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)' }}
              />
              <Bar dataKey="value" fill="#2e7d4f" isAnimationActive={false}>
                <LabelList
                  dataKey="value"
                  position="top"
                  fontSize={11}
                  formatter={(v: unknown) => format(m.notifications.common.percent, { value: formatNumber(Number(v), locale, 1) })}
                />
              </Bar>
            </BarChart>
          </ResponsiveContainer>
        </div>
      </div>

      <div className="notifications-columns">
        <div className="table-scroll" role="region" aria-labelledby={`${id}-outcomes`} tabIndex={0}>
          <table className="table">
            <caption id={`${id}-outcomes`}>{t.tableCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{t.outcome}</th>
                <th scope="col" className="num">
                  {t.count}
                </th>
              </tr>
            </thead>
            <tbody>
              {outcomes.map((row) => (
                <tr key={row.name}>
                  <th scope="row">{row.name}</th>
                  <td className="num">{number(row.value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="table-scroll" role="region" aria-labelledby={`${id}-statuses`} tabIndex={0}>
          <table className="table">
            <caption id={`${id}-statuses`}>{t.messagesByStatus}</caption>
            <thead>
              <tr>
                <th scope="col">{m.notifications.log.columns.status}</th>
                <th scope="col" className="num">
                  {t.count}
                </th>
              </tr>
            </thead>
            <tbody>
              {statuses.length === 0 ? (
                <tr>
                  <td colSpan={2}>{m.notifications.log.empty}</td>
                </tr>
              ) : (
                statuses.map((status) => (
                  <tr key={status}>
                    <th scope="row">{m.notifications.statuses[status]}</th>
                    <td className="num">{number(stats.messagesByStatus[status] ?? 0)}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      </div>
    </div>
  );
}

function StatTile({ label, value }: { label: string; value: string }) {
  return (
    <div className="stat-tile">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
