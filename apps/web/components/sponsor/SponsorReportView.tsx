'use client';

import '../commerce/commerce.css';
import './sponsor.css';
import { ApiError } from '@mona/sdk';
import type { DeliverableMetric } from '@mona/shared';
import Link from 'next/link';
import { useState } from 'react';
import { Area, AreaChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatCents } from '../../lib/commerce.ts';
import { describeError } from '../../lib/errors.ts';
import { formatDateTime, formatNumber } from '../../lib/format.ts';
import { format } from '../../lib/i18n.ts';
import { fetchReport, fetchReportPdf, formatDay, pdfAvailableFrom, saveBlob, type SponsorReport } from '../../lib/sponsor.ts';
import { useAsync } from '../../lib/use-async.ts';
import { EmptyState, LoadError, Loading } from '../AsyncStates.tsx';
import { Alert } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { RequireRole } from '../RequireRole.tsx';
import { StatusPill } from '../commerce/shared.tsx';

const COLORS = ['#1f5fbf', '#b3541e', '#2e7d32', '#7b1fa2', '#c62828', '#00838f', '#6d4c41'];

/** /sponsor/sponsorships/[id]: promised vs delivered, progress per villa day, live or final, and the PDF. */
export function SponsorReportView({ id }: { id: string }) {
  return (
    <RequireRole roles={['sponsor', 'admin', 'staff']}>
      <Report id={id} />
    </RequireRole>
  );
}

function Report({ id }: { id: string }) {
  const { m } = useI18n();
  const r = m.sponsor.report;
  const report = useAsync((signal) => fetchReport(id, signal), [id]);
  const back = (
    <p>
      <Link href="/sponsor">{r.back}</Link>
    </p>
  );
  if (report.error && !report.data) {
    const missing = report.error instanceof ApiError && (report.error.status === 404 || report.error.status === 400);
    return (
      <div className="page">
        {back}
        <h1 className="page-title">{missing ? r.notFoundTitle : r.title}</h1>
        {missing ? <EmptyState title={r.notFound} /> : <LoadError title={r.loadError} error={report.error} onRetry={report.reload} />}
      </div>
    );
  }
  if (!report.data) return <Loading message={r.loading} />;
  return (
    <div className="page">
      {back}
      <ReportBody report={report.data} />
    </div>
  );
}

function ReportBody({ report }: { report: SponsorReport }) {
  const { m, locale } = useI18n();
  const r = m.sponsor.report;
  const deal = report.sponsorship;
  const dayLabel = (day: number) => (day === 0 ? 'J-1' : day <= 7 ? `J${day}` : r.afterDays);
  const metrics = deal.deliverables.map((d) => d.metric);
  const promisedOf = Object.fromEntries(deal.deliverables.map((d) => [d.metric, d.promised])) as Partial<Record<DeliverableMetric, number>>;
  const chartData = report.days.map((day) => {
    const row: Record<string, string | number> = { label: dayLabel(day.day) };
    for (const metric of metrics) {
      const promised = promisedOf[metric] ?? 0;
      const delivered = day.delivered[metric] ?? 0;
      row[metric] = promised > 0 ? Math.round((delivered / promised) * 1000) / 10 : 0;
    }
    return row;
  });
  const finalDate = formatDay(report.finalFrom, locale, report.timeZone);

  return (
    <>
      <div className="page-header">
        <div>
          <h1 className="page-title">
            {r.title} — {deal.villa.name}
          </h1>
          <p className="lead">
            {deal.sponsor.companyName} · {m.sponsor.packages[deal.packageCode]} · {formatCents(deal.priceCents, locale)} · {deal.villa.place} ·{' '}
            {format(m.sponsor.common.dates, { from: formatDay(deal.villa.arrivalOn, locale), to: formatDay(deal.villa.endsOn, locale) })}
          </p>
          <p className="artist-summary">
            <StatusPill tone={report.final ? 'ok' : 'info'} label={report.final ? r.final : r.live} />
            <span className="muted">
              {report.final ? format(r.finalNote, { date: finalDate }) : format(r.liveNote, { date: finalDate })}{' '}
              {format(r.generatedAt, { date: formatDateTime(report.generatedAt, locale) })}
            </span>
          </p>
        </div>
      </div>

      <PdfSection id={deal.id} final={report.final} finalDate={finalDate} timeZone={report.timeZone} />

      <section className="card section" aria-labelledby="report-deliverables-title">
        <h2 id="report-deliverables-title" className="section-title">
          {r.deliverablesTitle}
        </h2>
        {deal.deliverables.length === 0 ? (
          <EmptyState title={r.deliverablesEmpty} />
        ) : (
          <ul className="report-deliverables">
            {deal.deliverables.map((d) => {
              const label = m.sponsor.metrics[d.metric];
              const numbers = format(r.deliveredOf, { delivered: formatNumber(d.delivered, locale), promised: formatNumber(d.promised, locale) });
              const percent = d.percent === null ? r.noPercent : format(r.percent, { percent: formatNumber(d.percent, locale) });
              return (
                <li key={d.metric} className="report-deliverable">
                  <div className="report-deliverable__head">
                    <span className="report-deliverable__name">{label}</span>
                    <span>
                      {numbers} · {percent}
                    </span>
                  </div>
                  <progress
                    className="report-progress"
                    max={100}
                    value={Math.min(100, d.percent ?? 0)}
                    aria-label={label}
                    aria-valuetext={`${numbers} (${percent})`}
                  />
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <section className="card section" aria-labelledby="report-progress-title">
        <h2 id="report-progress-title" className="section-title">
          {r.progressTitle}
        </h2>
        <p className="muted">{r.progressIntro}</p>
        {metrics.length > 0 ? (
          <figure className="chart" aria-label={r.chartLabel}>
            <div aria-hidden="true" style={{ width: '100%', height: 300 }}>
              <ResponsiveContainer width="100%" height="100%">
                <AreaChart data={chartData} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="label" />
                  <YAxis unit="%" />
                  <Tooltip />
                  <Legend />
                  {metrics.map((metric, i) => (
                    <Area
                      key={metric}
                      type="monotone"
                      dataKey={metric}
                      name={m.sponsor.metrics[metric]}
                      stroke={COLORS[i % COLORS.length]}
                      fill={COLORS[i % COLORS.length]}
                      fillOpacity={0.12}
                      isAnimationActive={false}
                    />
                  ))}
                </AreaChart>
              </ResponsiveContainer>
            </div>
          </figure>
        ) : null}
        <div className="table-scroll" role="region" aria-labelledby="report-progress-title" tabIndex={0}>
          <table className="table">
            <caption className="visually-hidden">{r.tableCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{r.day}</th>
                <th scope="col">{r.date}</th>
                {metrics.map((metric) => (
                  <th key={metric} scope="col" className="amount">
                    {m.sponsor.metrics[metric]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {report.days.map((day) => (
                <tr key={day.day}>
                  <th scope="row">{dayLabel(day.day)}</th>
                  <td className="nowrap">{day.date ? formatDay(day.date, locale) : '—'}</td>
                  {metrics.map((metric) => {
                    const promised = promisedOf[metric] ?? 0;
                    const delivered = day.delivered[metric] ?? 0;
                    return (
                      <td key={metric} className="amount">
                        {format(r.deliveredOf, { delivered: formatNumber(delivered, locale), promised: formatNumber(promised, locale) })}
                        {promised > 0 ? ` (${format(r.percent, { percent: formatNumber((delivered / promised) * 100, locale) })})` : ''}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

function PdfSection({ id, final, finalDate, timeZone }: { id: string; final: boolean; finalDate: string; timeZone: string }) {
  const { m, locale } = useI18n();
  const r = m.sponsor.report;
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<{ tone: 'error' | 'info'; text: string } | null>(null);

  async function onDownload() {
    setPending(true);
    setMessage(null);
    try {
      const blob = await fetchReportPdf(id);
      saveBlob(blob, `sponsor-report-${id}.pdf`);
    } catch (error) {
      const from = pdfAvailableFrom(error);
      setMessage(
        from
          ? { tone: 'info', text: format(r.pdfAvailableFrom, { date: formatDay(from, locale, timeZone) }) }
          : { tone: 'error', text: describeError(error, m) },
      );
    } finally {
      setPending(false);
    }
  }

  return (
    <section className="card section" aria-labelledby="report-pdf-title">
      <h2 id="report-pdf-title" className="section-title">
        {r.pdfTitle}
      </h2>
      <p className="muted">{final ? r.pdfFinal : format(r.pdfAvailableFrom, { date: finalDate })}</p>
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      <button type="button" className="button button--secondary" disabled={pending} onClick={() => void onDownload()}>
        {pending ? r.downloading : r.download}
      </button>
    </section>
  );
}
