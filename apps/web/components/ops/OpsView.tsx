'use client';

import { useEffect, useId, type ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { fetchStatus, type StatusReport } from '../../lib/api.ts';
import { formatDate, formatDateTime, formatNumber, formatRelative } from '../../lib/format.ts';
import { format } from '../../lib/i18n.ts';
import { fetchAlerts, fetchBackups, formatBytes, type BackupsOverview, type OpsAlert, type OpsAlerts } from '../../lib/ops.ts';
import { useAsync, type AsyncState } from '../../lib/use-async.ts';
import { EmptyState, LoadError, Loading } from '../AsyncStates.tsx';
import { Alert } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { RequireRole } from '../RequireRole.tsx';
import { StatusBadge, type BadgeTone } from '../StatusBadge.tsx';
import './ops.css';

/** Alerts and service health change by the minute: read again this often while the tab is visible. */
const REFRESH_MS = 30_000;

/** /ops: what an admin checks first when something is wrong, or every morning. */
export function OpsView() {
  return (
    <RequireRole roles={['admin']}>
      <Ops />
    </RequireRole>
  );
}

function Ops() {
  const { m } = useI18n();
  const t = m.ops;
  const alerts = useAsync((signal) => fetchAlerts(signal), []);
  const status = useAsync((signal) => fetchStatus(signal), []);
  const backups = useAsync((signal) => fetchBackups(signal), []);
  const reloadAll = () => {
    alerts.reload();
    status.reload();
    backups.reload();
  };
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState !== 'visible') return;
      alerts.reload();
      status.reload();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [alerts.reload, status.reload]);
  const busy = alerts.loading || status.loading || backups.loading;

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 className="page-title">{t.title}</h1>
          <p className="lead">{t.intro}</p>
        </div>
        <div className="page-header__actions">
          <button type="button" className="button button--secondary" onClick={reloadAll} disabled={busy}>
            {busy ? t.refreshing : t.refresh}
          </button>
        </div>
      </div>
      <AlertsSection state={alerts} />
      <ServicesSection state={status} />
      <BackupsSection state={backups} />
    </div>
  );
}

/** A table in a focusable region (keyboard users scroll it sideways on small screens), named for screen readers. */
function ScrollTable({ label, columns, children }: { label: string; columns: { label: string; num?: boolean }[]; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      <table className="table">
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.label} scope="col" className={c.num ? 'num' : undefined}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** Loading, error (with retry) or the content of one section. */
function SectionBody<T>({ state, children }: { state: AsyncState<T>; children: (data: T) => ReactNode }) {
  const { m } = useI18n();
  if (state.error && !state.data) return <LoadError title={m.ops.loadError} error={state.error} onRetry={state.reload} />;
  if (!state.data) return <Loading message={m.ops.loading} />;
  return <>{children(state.data)}</>;
}

function severityTone(severity: string): BadgeTone {
  return severity === 'critical' ? 'down' : 'warning';
}

function AlertsSection({ state }: { state: AsyncState<OpsAlerts> }) {
  const { m, locale } = useI18n();
  const t = m.ops.alerts;
  const id = useId();
  const severity = (s: string) => (s in t.severity ? t.severity[s as keyof typeof t.severity] : s);
  return (
    <section className="card section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="section-title">
        {t.title}
      </h2>
      <SectionBody state={state}>
        {(data) => (
          <>
            <p className="meta-line">{data.evaluation.inProcess ? t.evaluationInProcess : t.evaluationPrometheus}</p>
            {!data.evaluation.inProcess && !data.evaluation.webhookConfigured ? <Alert tone="warning">{t.webhookMissing}</Alert> : null}
            <h3 className="subsection-title">{t.firing}</h3>
            {data.firing.length === 0 ? (
              <p className="summary summary--ok" role="status">
                <span className="badge__shape badge__shape--ok" aria-hidden="true" />
                <span>{t.noneFiring}</span>
              </p>
            ) : (
              <ul className="ops-alerts" aria-label={t.firing}>
                {data.firing.map((alert) => (
                  <FiringAlert key={alert.id} alert={alert} label={severity(alert.severity)} />
                ))}
              </ul>
            )}
            <h3 className="subsection-title">{t.resolved}</h3>
            {data.resolved.length === 0 ? (
              <p className="meta-line">{t.noneResolved}</p>
            ) : (
              <ScrollTable
                label={t.resolved}
                columns={[
                  { label: t.columns.alert },
                  { label: t.columns.severity },
                  { label: t.columns.started },
                  { label: t.columns.ended },
                  { label: t.columns.source },
                ]}
              >
                {data.resolved.map((alert) => (
                  <tr key={alert.id}>
                    <th scope="row">
                      {alert.summary}
                      <span className="tech-name">{alert.alertname}</span>
                    </th>
                    <td>{severity(alert.severity)}</td>
                    <td>{formatDateTime(alert.startsAt, locale)}</td>
                    <td>{alert.endsAt ? formatDateTime(alert.endsAt, locale) : '—'}</td>
                    <td>{t.source[alert.source]}</td>
                  </tr>
                ))}
              </ScrollTable>
            )}
          </>
        )}
      </SectionBody>
    </section>
  );
}

function FiringAlert({ alert, label }: { alert: OpsAlert; label: string }) {
  const { m, locale } = useI18n();
  const t = m.ops.alerts;
  return (
    <li className={`ops-alert ops-alert--${alert.severity === 'critical' ? 'critical' : 'warning'}`}>
      <p className="ops-alert__head">
        <StatusBadge tone={severityTone(alert.severity)} label={label} />
        <strong>{alert.summary}</strong>
        <span className="tech-name">{alert.alertname}</span>
      </p>
      {alert.description ? <p>{alert.description}</p> : null}
      <p className="meta-line">
        <time dateTime={alert.startsAt} title={formatDateTime(alert.startsAt, locale)}>
          {format(t.since, { time: formatRelative(alert.startsAt, Date.now(), locale) })}
        </time>
        <span aria-hidden="true"> · </span>
        {t.sourceLabel} : {t.source[alert.source]}
      </p>
    </li>
  );
}

function ServicesSection({ state }: { state: AsyncState<StatusReport> }) {
  const { m, locale } = useI18n();
  const t = m.ops.services;
  const id = useId();
  return (
    <section className="card section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="section-title">
        {t.title}
      </h2>
      <SectionBody state={state}>
        {(report) => (
          <>
            <p className="meta-line">
              <strong>{format(t.version, { version: report.version })}</strong>
              <span aria-hidden="true"> · </span>
              {format(t.checked, { time: formatRelative(report.checkedAt, Date.now(), locale) })}
            </p>
            <ul className="ops-dependencies" aria-label={t.dependencies}>
              {report.dependencies.map((d) => (
                <li key={d.name}>
                  <span className="ops-dependency__name">{d.name}</span> <StatusBadge tone={d.ok ? 'ok' : 'down'} label={d.ok ? t.ok : t.unavailable} />
                  {d.error ? <span className="detail"> {d.error}</span> : null}
                </li>
              ))}
            </ul>
            <ScrollTable
              label={t.title}
              columns={[{ label: t.columns.name }, { label: t.columns.state }, { label: t.columns.instances, num: true }, { label: t.columns.lastSeen }]}
            >
              {report.services.map((s) => {
                const tone: BadgeTone = s.status !== 'up' ? 'down' : s.ready ? 'ok' : 'warning';
                return (
                  <tr key={s.name}>
                    <th scope="row">{s.name}</th>
                    <td>
                      <StatusBadge tone={tone} label={tone === 'ok' ? t.up : tone === 'warning' ? t.notReady : t.down} />
                    </td>
                    <td className="num">{formatNumber(s.instances, locale, 0)}</td>
                    <td>{s.lastSeenAt ? formatRelative(s.lastSeenAt, Date.now(), locale) : '—'}</td>
                  </tr>
                );
              })}
            </ScrollTable>
          </>
        )}
      </SectionBody>
    </section>
  );
}

function runTone(status: string): BadgeTone {
  return status === 'succeeded' ? 'ok' : status === 'running' ? 'warning' : 'down';
}

function BackupsSection({ state }: { state: AsyncState<BackupsOverview> }) {
  const { m, locale } = useI18n();
  const t = m.ops.backups;
  const id = useId();
  return (
    <section className="card section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="section-title">
        {t.title}
      </h2>
      <SectionBody state={state}>
        {(data) => (
          <>
            <ul className="ops-facts">
              <li>{data.enabled ? format(t.enabled, { schedule: data.schedule }) : t.disabled}</li>
              <li>{format(t.retention, { daily: data.retention.daily, weekly: data.retention.weekly })}</li>
              <li>{format(t.directory, { directory: data.directory })}</li>
              <li>{data.bucket ? format(t.bucket, { bucket: data.bucket }) : t.noBucket}</li>
            </ul>
            {data.bucketError ? <Alert tone="warning">{format(t.bucketError, { error: data.bucketError })}</Alert> : null}
            <h3 className="subsection-title">{t.lastRun}</h3>
            {data.lastRun ? (
              <p className="meta-line">
                <StatusBadge tone={runTone(data.lastRun.status)} label={t.status[data.lastRun.status]} /> {formatDateTime(data.lastRun.startedAt, locale)} ·{' '}
                {t.trigger[data.lastRun.trigger]}
                {data.lastRun.name ? ` · ${data.lastRun.name}` : ''}
                {data.lastRun.sizeBytes !== null ? ` · ${formatBytes(data.lastRun.sizeBytes, locale)}` : ''}
                {data.lastRun.error ? <span className="detail"> · {data.lastRun.error}</span> : null}
              </p>
            ) : (
              <EmptyState title={t.never} />
            )}
            <h3 className="subsection-title">{t.listTitle}</h3>
            {data.backups.length === 0 ? (
              <p className="meta-line">{t.noBackups}</p>
            ) : (
              <>
                {data.backups.length > 1 ? <BackupSizeChart backups={data.backups} /> : null}
                <ScrollTable
                  label={t.listTitle}
                  columns={[
                    { label: t.columns.name },
                    { label: t.columns.created },
                    { label: t.columns.size, num: true },
                    { label: t.columns.rows, num: true },
                    { label: t.columns.where },
                  ]}
                >
                  {data.backups.map((b) => (
                    <tr key={b.name}>
                      <th scope="row">
                        <code>{b.name}</code>
                      </th>
                      <td>{formatDateTime(b.createdAt, locale)}</td>
                      <td className="num">{formatBytes(b.sizeBytes, locale)}</td>
                      <td className="num">{formatNumber(b.rows, locale, 0)}</td>
                      <td>{[b.inDirectory ? t.local : null, b.inBucket ? t.inBucket : null].filter(Boolean).join(' + ')}</td>
                    </tr>
                  ))}
                </ScrollTable>
                <p className="meta-line">{t.restoreHint}</p>
              </>
            )}
            {data.runs.length > 0 ? (
              <>
                <h3 className="subsection-title">{t.runsTitle}</h3>
                <ScrollTable
                  label={t.runsTitle}
                  columns={[{ label: t.columns.created }, { label: t.columns.status }, { label: t.columns.trigger }, { label: t.columns.error }]}
                >
                  {data.runs.map((r) => (
                    <tr key={r.id}>
                      <th scope="row">{formatDateTime(r.startedAt, locale)}</th>
                      <td>
                        <StatusBadge tone={runTone(r.status)} label={t.status[r.status]} />
                      </td>
                      <td>{t.trigger[r.trigger]}</td>
                      <td className="detail">{r.error ?? '—'}</td>
                    </tr>
                  ))}
                </ScrollTable>
              </>
            ) : null}
          </>
        )}
      </SectionBody>
    </section>
  );
}

/** Sizes of the backups, oldest to newest: a sudden drop or jump shows at a glance (the table below has the numbers). */
function BackupSizeChart({ backups }: { backups: BackupsOverview['backups'] }) {
  const { m, locale } = useI18n();
  const data = [...backups].reverse().map((b) => ({ name: formatDate(b.createdAt, locale), value: b.sizeBytes }));
  return (
    <div className="card chart-card" aria-hidden="true">
      <p className="chart-card__title">{m.ops.backups.chartTitle}</p>
      <ResponsiveContainer width="100%" height={180}>
        <BarChart data={data} margin={{ top: 12, right: 8, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
          <XAxis dataKey="name" stroke="var(--text-muted)" fontSize={11} />
          <YAxis stroke="var(--text-muted)" fontSize={11} width={64} tickFormatter={(v: number) => formatBytes(v, locale)} />
          <Tooltip formatter={(v) => formatBytes(Number(v), locale)} contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)' }} />
          <Bar dataKey="value" fill="#2f6f5e" maxBarSize={48} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
