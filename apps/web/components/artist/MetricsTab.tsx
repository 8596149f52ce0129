'use client';

import { PLATFORMS, type Platform } from '@mona/shared';
import { useId, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { fetchMetrics, type MetricSeries } from '../../lib/crm.ts';
import { formatDate, formatNumber } from '../../lib/format.ts';
import { format, type Locale } from '../../lib/i18n.ts';
import { useAsync } from '../../lib/use-async.ts';
import { EmptyState, LoadError, Loading } from '../AsyncStates.tsx';
import { useI18n } from '../I18nProvider.tsx';
import type { ArtistTabProps } from './tabs.tsx';

/** One colour per platform, paired with a dash pattern so lines differ without colour too. */
export const PLATFORM_STYLE: Record<Platform, { color: string; dash: string }> = {
  instagram: { color: '#c13584', dash: '' },
  tiktok: { color: '#0b7a75', dash: '6 3' },
  youtube: { color: '#cc0000', dash: '2 3' },
  twitch: { color: '#6441a5', dash: '10 4 2 4' },
  spotify: { color: '#1d8a4a', dash: '4 4' },
  soundcloud: { color: '#e06500', dash: '1 2' },
};

type Metric = 'followers' | 'engagementRate';

type Row = { t: number } & Partial<Record<Platform, number>>;

function toRows(series: MetricSeries['series'], metric: Metric): Row[] {
  const rows = new Map<number, Row>();
  for (const s of series) {
    for (const point of s.points) {
      const t = Date.parse(point.capturedAt);
      const row = rows.get(t) ?? { t };
      row[s.platform] = point[metric];
      rows.set(t, row);
    }
  }
  return [...rows.values()].sort((a, b) => a.t - b.t);
}

export function MetricsTab({ artist }: ArtistTabProps) {
  const { m } = useI18n();
  const metrics = useAsync((signal) => fetchMetrics(artist.id, signal), [artist.id]);
  const [platform, setPlatform] = useState<Platform | 'all'>('all');

  if (metrics.error && !metrics.data) return <LoadError title={m.artist.metrics.loadError} error={metrics.error} onRetry={metrics.reload} />;
  if (!metrics.data) return <Loading message={m.artist.metrics.loading} />;

  const available = metrics.data.series.filter((s) => s.points.length > 0);
  if (available.length === 0) {
    return (
      <section className="section" aria-labelledby="metrics-title">
        <h2 id="metrics-title" className="section-title">
          {m.artist.metrics.title}
        </h2>
        <EmptyState title={m.artist.metrics.emptyTitle}>
          <p>{m.artist.metrics.emptyBody}</p>
        </EmptyState>
      </section>
    );
  }
  const shown = platform === 'all' ? available : available.filter((s) => s.platform === platform);
  const platforms = PLATFORMS.filter((p) => shown.some((s) => s.platform === p));

  return (
    <section className="section" aria-labelledby="metrics-title">
      <h2 id="metrics-title" className="section-title">
        {m.artist.metrics.title}
      </h2>
      <div className="chip-group" role="group" aria-label={m.artist.metrics.platformFilter}>
        {(['all', ...available.map((s) => s.platform)] as const).map((p) => (
          <button key={p} type="button" className="chip" aria-pressed={platform === p} onClick={() => setPlatform(p)}>
            {p === 'all' ? m.artist.metrics.allPlatforms : m.crm.platforms[p]}
          </button>
        ))}
      </div>
      {metrics.data.truncated ? <p className="meta-line">{m.artist.metrics.truncated}</p> : null}
      <div className="charts-grid">
        <MetricChart title={m.artist.metrics.followers} metric="followers" rows={toRows(shown, 'followers')} platforms={platforms} />
        <MetricChart title={m.artist.metrics.engagement} metric="engagementRate" rows={toRows(shown, 'engagementRate')} platforms={platforms} />
      </div>
    </section>
  );
}

function formatValue(value: number, metric: Metric, locale: Locale, percentTemplate: string): string {
  return metric === 'engagementRate' ? format(percentTemplate, { value: formatNumber(value, locale, 2) }) : formatNumber(value, locale, 0);
}

function MetricChart({ title, metric, rows, platforms }: { title: string; metric: Metric; rows: Row[]; platforms: Platform[] }) {
  const { m, locale } = useI18n();
  const id = useId();
  const dateTick = (t: number) => formatDate(new Date(t).toISOString(), locale);
  const valueOf = (v: number) => formatValue(v, metric, locale, m.artist.metrics.percent);
  return (
    <figure className="card chart-card" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`} className="section-title">
        {title}
      </figcaption>
      <div className="chart" aria-hidden="true">
        <ResponsiveContainer width="100%" height={260}>
          <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
            <XAxis dataKey="t" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={dateTick} stroke="var(--text-muted)" fontSize={12} />
            <YAxis tickFormatter={valueOf} stroke="var(--text-muted)" fontSize={12} width={70} />
            <Tooltip
              labelFormatter={(t) => dateTick(Number(t))}
              formatter={(v) => valueOf(Number(v))}
              contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)' }}
            />
            <Legend />
            {platforms.map((p) => (
              <Line
                key={p}
                type="monotone"
                dataKey={p}
                name={m.crm.platforms[p]}
                stroke={PLATFORM_STYLE[p].color}
                strokeDasharray={PLATFORM_STYLE[p].dash}
                strokeWidth={2}
                dot={{ r: 2 }}
                connectNulls
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <details className="chart-data">
        <summary>{format(m.artist.metrics.showData, { title })}</summary>
        <div className="table-scroll" role="region" aria-label={title} tabIndex={0}>
          <table className="table">
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{m.artist.metrics.date}</th>
                {platforms.map((p) => (
                  <th key={p} scope="col" className="num">
                    {m.crm.platforms[p]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.t}>
                  <th scope="row">{dateTick(row.t)}</th>
                  {platforms.map((p) => (
                    <td key={p} className="num">
                      {row[p] === undefined ? <span className="muted">—</span> : valueOf(row[p])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
