'use client';

import { useId, useState } from 'react';
import { Bar, BarChart, CartesianGrid, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { fetchStats, type PipelineStats } from '../../lib/crm.ts';
import { formatDate, formatNumber } from '../../lib/format.ts';
import { format } from '../../lib/i18n.ts';
import { useAsync } from '../../lib/use-async.ts';
import { LoadError, Loading } from '../AsyncStates.tsx';
import { SelectField, TextField } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';

const PRESETS = ['30', '90', '180', '365', 'custom'] as const;
type Preset = (typeof PRESETS)[number];
const DAY_MS = 86_400_000;

function periodOf(preset: Preset, from: string, to: string): { from?: string; to?: string } | null {
  if (preset !== 'custom') {
    const end = Date.now();
    return { from: new Date(end - Number(preset) * DAY_MS).toISOString(), to: new Date(end).toISOString() };
  }
  if (!from || !to) return null;
  const start = Date.parse(`${from}T00:00:00Z`);
  // The end date is included: the period ends at the next midnight.
  const end = Date.parse(`${to}T00:00:00Z`) + DAY_MS;
  if (!(start < end)) return null;
  return { from: new Date(start).toISOString(), to: new Date(end).toISOString() };
}

export function FunnelStats({ reloadKey }: { reloadKey: number }) {
  const { m, locale } = useI18n();
  const [preset, setPreset] = useState<Preset>('90');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const period = periodOf(preset, from, to);
  // Presets are recomputed per load; the key only changes with the choice.
  const key = preset === 'custom' ? `custom:${from}:${to}` : preset;
  const stats = useAsync(
    async (signal) => {
      const p = periodOf(preset, from, to);
      return p ? fetchStats(p.from, p.to, signal) : null;
    },
    [key, reloadKey],
  );
  const customInvalid = preset === 'custom' && from !== '' && to !== '' && !period;

  return (
    <section className="section" aria-labelledby="funnel-title">
      <div className="section-header">
        <h2 id="funnel-title" className="section-title">
          {m.pipeline.stats.title}
        </h2>
      </div>
      <div className="filters__grid filters__grid--compact">
        <SelectField
          name="period"
          label={m.pipeline.stats.period}
          value={preset}
          onChange={(v) => setPreset(v as Preset)}
          options={PRESETS.map((p) => ({ value: p, label: m.pipeline.stats.presets[p] }))}
        />
        {preset === 'custom' ? (
          <>
            <TextField
              name="from"
              type="date"
              label={m.pipeline.stats.from}
              value={from}
              onChange={setFrom}
              error={customInvalid ? m.pipeline.stats.invalidPeriod : undefined}
            />
            <TextField name="to" type="date" label={m.pipeline.stats.to} value={to} onChange={setTo} />
          </>
        ) : null}
      </div>
      {preset === 'custom' && !period && !customInvalid ? <p className="muted">{m.pipeline.stats.chooseDates}</p> : null}
      {stats.error ? <LoadError title={m.pipeline.stats.loadError} error={stats.error} onRetry={stats.reload} /> : null}
      {stats.loading && !stats.data && !stats.error && period ? <Loading message={m.pipeline.stats.loading} /> : null}
      {stats.data ? (
        <>
          <p className="meta-line">
            {format(m.pipeline.stats.range, {
              from: formatDate(stats.data.from, locale),
              to: formatDate(new Date(Date.parse(stats.data.to) - 1).toISOString(), locale),
            })}
          </p>
          <StatsCharts stats={stats.data} />
          <StatsTable stats={stats.data} />
          <p className="meta-line">{m.pipeline.stats.method}</p>
        </>
      ) : null}
      {stats.loading && stats.data ? <Loading message={m.pipeline.stats.loading} /> : null}
    </section>
  );
}

function StatsCharts({ stats }: { stats: PipelineStats }) {
  const { m, locale } = useI18n();
  const counts = stats.counts.map((c) => ({ name: m.crm.stages[c.stage], value: c.count }));
  const conversions = stats.conversions.map((c) => ({
    name: `${m.crm.stages[c.fromStage]} →`,
    value: c.rate === null ? 0 : Math.round(c.rate * 1000) / 10,
  }));
  const medians = stats.timeInStage.map((t) => ({
    name: m.crm.stages[t.stage],
    value: t.medianHours === null ? 0 : Math.round((t.medianHours / 24) * 10) / 10,
  }));
  return (
    <div className="charts-grid charts-grid--three" aria-hidden="true">
      <MiniBarChart title={m.pipeline.stats.countsChart} data={counts} color="var(--accent)" unit={(v) => formatNumber(v, locale, 0)} />
      <MiniBarChart
        title={m.pipeline.stats.conversionChart}
        data={conversions}
        color="#2e7d4f"
        unit={(v) => format(m.pipeline.stats.percent, { value: formatNumber(v, locale, 1) })}
      />
      <MiniBarChart
        title={m.pipeline.stats.medianChart}
        data={medians}
        color="#8a5a00"
        unit={(v) => format(m.pipeline.stats.days, { value: formatNumber(v, locale, 1) })}
      />
    </div>
  );
}

function MiniBarChart({ title, data, color, unit }: { title: string; data: { name: string; value: number }[]; color: string; unit: (v: number) => string }) {
  return (
    <div className="card chart-card">
      <p className="chart-card__title">{title}</p>
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={data} margin={{ top: 20, right: 8, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
          <XAxis dataKey="name" stroke="var(--text-muted)" fontSize={11} interval={0} tick={{ fontSize: 10 }} />
          <YAxis stroke="var(--text-muted)" fontSize={11} width={40} allowDecimals={false} />
          <Tooltip formatter={(v) => unit(Number(v))} contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)' }} />
          <Bar dataKey="value" fill={color} isAnimationActive={false}>
            <LabelList dataKey="value" position="top" formatter={(v: unknown) => unit(Number(v))} fontSize={11} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

function StatsTable({ stats }: { stats: PipelineStats }) {
  const { m, locale } = useI18n();
  const id = useId();
  return (
    <div className="table-scroll" role="region" aria-labelledby={`${id}-caption`} tabIndex={0}>
      <table className="table">
        <caption id={`${id}-caption`} className="visually-hidden">
          {m.pipeline.stats.tableCaption}
        </caption>
        <thead>
          <tr>
            <th scope="col">{m.pipeline.stats.stage}</th>
            <th scope="col" className="num">
              {m.pipeline.stats.count}
            </th>
            <th scope="col" className="num">
              {m.pipeline.stats.conversion}
            </th>
            <th scope="col" className="num">
              {m.pipeline.stats.median}
            </th>
          </tr>
        </thead>
        <tbody>
          {stats.counts.map((c) => {
            const conversion = stats.conversions.find((x) => x.fromStage === c.stage);
            const time = stats.timeInStage.find((x) => x.stage === c.stage);
            return (
              <tr key={c.stage}>
                <th scope="row">{m.crm.stages[c.stage]}</th>
                <td className="num">{formatNumber(c.count, locale, 0)}</td>
                <td className="num">
                  {conversion
                    ? conversion.rate === null
                      ? m.pipeline.stats.noData
                      : format(m.pipeline.stats.conversionValue, {
                          rate: formatNumber(conversion.rate * 100, locale, 1),
                          converted: conversion.converted,
                          inStage: conversion.inStage,
                          to: m.crm.stages[conversion.toStage],
                        })
                    : '—'}
                </td>
                <td className="num">
                  {time && time.medianHours !== null
                    ? format(m.pipeline.stats.medianValue, { days: formatNumber(time.medianHours / 24, locale, 1), samples: time.samples })
                    : m.pipeline.stats.noData}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
