'use client';

import { useEffect, useState, type ReactNode } from 'react';
import { fetchStatus, type DependencyStatus, type ServiceStatus, type StatusReport } from '../lib/api.ts';
import { describeError, isUnreachable } from '../lib/errors.ts';
import { formatDateTime, formatNumber, formatRelative, formatTime } from '../lib/format.ts';
import { format, plural, type Locale, type Messages } from '../lib/i18n.ts';
import { Alert } from './Form.tsx';
import { useI18n } from './I18nProvider.tsx';
import { StatusBadge, type BadgeTone } from './StatusBadge.tsx';

const POLL_INTERVAL_MS = 10_000;

function dependencyTone(dependency: DependencyStatus): BadgeTone {
  return dependency.ok ? 'ok' : 'down';
}

function serviceTone(service: ServiceStatus): BadgeTone {
  if (service.status !== 'up') return 'down';
  return service.ready ? 'ok' : 'warning';
}

function toneLabel(tone: BadgeTone, m: Messages): string {
  return tone === 'ok' ? m.status.badge.ok : tone === 'warning' ? m.status.badge.notReady : m.status.badge.down;
}

function nameOf<K extends string>(names: Record<K, string>, name: string): string {
  return name in names ? names[name as K] : name;
}

/** Polls GET /api/status every 10 s (paused while the tab is hidden). */
function useStatusPolling() {
  const [report, setReport] = useState<StatusReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [fetching, setFetching] = useState(true);
  const [run, setRun] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      if (document.visibilityState === 'hidden') {
        timer = setTimeout(() => void poll(), POLL_INTERVAL_MS);
        return;
      }
      setFetching(true);
      try {
        const next = await fetchStatus(controller.signal);
        if (controller.signal.aborted) return;
        setReport(next);
        setError(null);
      } catch (caught) {
        if (controller.signal.aborted) return;
        setError(caught);
      }
      setFetching(false);
      timer = setTimeout(() => void poll(), POLL_INTERVAL_MS);
    };
    void poll();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [run]);

  // Back on the tab: check at once rather than waiting for the next tick.
  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === 'visible') setRun((n) => n + 1);
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, []);

  return { report, error, fetching, refresh: () => setRun((n) => n + 1) };
}

export function StatusView() {
  const { m, locale } = useI18n();
  const { report, error, fetching, refresh } = useStatusPolling();
  const now = Date.now();

  const issues = report
    ? report.dependencies.filter((d) => dependencyTone(d) !== 'ok').length + report.services.filter((s) => serviceTone(s) !== 'ok').length
    : 0;

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 className="page-title">{m.status.title}</h1>
          <p className="lead">{m.status.intro}</p>
        </div>
        <div className="page-header__actions">
          <button type="button" className="button button--secondary" onClick={refresh} disabled={fetching}>
            {fetching && report ? m.status.refreshing : m.status.refreshNow}
          </button>
        </div>
      </div>

      <p className="meta-line">
        {report ? (
          <>
            <span>
              {format(m.status.lastChecked, { time: '' })}
              <time dateTime={report.checkedAt} title={formatDateTime(report.checkedAt, locale)}>
                {formatTime(report.checkedAt, locale)}
              </time>
            </span>
            <span aria-hidden="true"> · </span>
            <span>{format(m.status.version, { version: report.version })}</span>
            <span aria-hidden="true"> · </span>
          </>
        ) : null}
        <span>{m.status.autoRefresh}</span>
      </p>

      {error ? (
        <Alert tone="error" title={m.status.errorTitle}>
          <p>{isUnreachable(error) ? m.status.errorMessage : describeError(error, m)}</p>
          {report ? <p>{m.status.staleNotice}</p> : null}
          <button type="button" className="button button--secondary alert__action" onClick={refresh} disabled={fetching}>
            {fetching ? m.status.refreshing : m.common.retry}
          </button>
        </Alert>
      ) : null}

      {!report && !error ? (
        <p role="status" className="loading-line">
          <span className="spinner" aria-hidden="true" />
          {m.status.loading}
        </p>
      ) : null}

      {report ? (
        <>
          <p className={issues === 0 ? 'summary summary--ok' : 'summary summary--issues'} role="status">
            <span className={`badge__shape badge__shape--${issues === 0 ? 'ok' : 'down'}`} aria-hidden="true" />
            <span>{issues === 0 ? m.status.summaryOk : plural(locale, m.status.summaryIssues, issues)}</span>
          </p>
          <DependenciesTable dependencies={report.dependencies} m={m} locale={locale} />
          <ServicesTable services={report.services} m={m} locale={locale} now={now} />
        </>
      ) : null}
    </div>
  );
}

function TableRegion({ labelId, children }: { labelId: string; children: ReactNode }) {
  // Focusable so keyboard users can scroll it horizontally on small screens.
  return (
    <div className="table-scroll" role="region" aria-labelledby={labelId} tabIndex={0}>
      {children}
    </div>
  );
}

function DependenciesTable({ dependencies, m, locale }: { dependencies: DependencyStatus[]; m: Messages; locale: Locale }) {
  return (
    <section className="section" aria-labelledby="dependencies-title">
      <h2 id="dependencies-title" className="section-title">
        {m.status.dependencies}
      </h2>
      <TableRegion labelId="dependencies-title">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{m.status.columns.name}</th>
              <th scope="col">{m.status.columns.state}</th>
              <th scope="col">{m.status.columns.mode}</th>
              <th scope="col" className="num">
                {m.status.columns.latency}
              </th>
              <th scope="col">{m.status.columns.detail}</th>
            </tr>
          </thead>
          <tbody>
            {dependencies.map((dependency) => {
              const tone = dependencyTone(dependency);
              return (
                <tr key={dependency.name}>
                  <th scope="row">
                    {nameOf(m.status.dependencyNames, dependency.name)}
                    <span className="tech-name">{dependency.name}</span>
                  </th>
                  <td>
                    <StatusBadge tone={tone} label={toneLabel(tone, m)} />
                  </td>
                  <td>
                    <code className="mode">{dependency.mode}</code>
                  </td>
                  <td className="num">
                    {dependency.latencyMs === null ? <NotAvailable m={m} /> : format(m.status.latencyValue, { ms: formatNumber(dependency.latencyMs, locale) })}
                  </td>
                  <td className="detail">{dependency.error ?? <NotAvailable m={m} />}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableRegion>
    </section>
  );
}

function ServicesTable({ services, m, locale, now }: { services: ServiceStatus[]; m: Messages; locale: Locale; now: number }) {
  return (
    <section className="section" aria-labelledby="services-title">
      <h2 id="services-title" className="section-title">
        {m.status.services}
      </h2>
      <TableRegion labelId="services-title">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{m.status.columns.name}</th>
              <th scope="col">{m.status.columns.state}</th>
              <th scope="col" className="num">
                {m.status.columns.instances}
              </th>
              <th scope="col">{m.status.columns.lastSeen}</th>
            </tr>
          </thead>
          <tbody>
            {services.map((service) => {
              const tone = serviceTone(service);
              return (
                <tr key={service.name}>
                  <th scope="row">
                    {nameOf(m.status.serviceNames, service.name)}
                    <span className="tech-name">{service.name}</span>
                  </th>
                  <td>
                    <StatusBadge tone={tone} label={toneLabel(tone, m)} />
                  </td>
                  <td className="num">{service.instances === 0 ? m.status.noInstances : formatNumber(service.instances, locale, 0)}</td>
                  <td>
                    {service.lastSeenAt ? (
                      <time dateTime={service.lastSeenAt} title={formatDateTime(service.lastSeenAt, locale)}>
                        {formatRelative(service.lastSeenAt, now, locale)}
                      </time>
                    ) : (
                      m.status.never
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableRegion>
    </section>
  );
}

function NotAvailable({ m }: { m: Messages }) {
  return (
    <>
      <span aria-hidden="true">—</span>
      <span className="visually-hidden">{m.common.notAvailable}</span>
    </>
  );
}
