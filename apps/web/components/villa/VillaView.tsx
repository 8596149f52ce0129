'use client';

import { ApiError } from '@mona/sdk';
import type { VillaStatus } from '@mona/shared';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { format } from '../../lib/i18n.ts';
import { describeError } from '../../lib/errors.ts';
import { useAsync } from '../../lib/use-async.ts';
import { describeVillaConflict, formatDay, getVilla, transitionVilla } from '../../lib/villas.ts';
import { LoadError, Loading } from '../AsyncStates.tsx';
import { Alert } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { RequireRole, TEAM_ROLES } from '../RequireRole.tsx';
import { Tabs } from '../Tabs.tsx';
import { VillaStatusPill } from './shared.tsx';
import { VILLA_TABS } from './tabs.tsx';

function readTab(): string {
  if (typeof window === 'undefined') return VILLA_TABS[0]!.id;
  return new URLSearchParams(window.location.search).get('tab') ?? VILLA_TABS[0]!.id;
}

/** /villas/[id]: the villa's header with its status changes, and its tabs. */
export function VillaView({ id }: { id: string }) {
  return (
    <RequireRole roles={TEAM_ROLES}>
      <Villa id={id} />
    </RequireRole>
  );
}

function Villa({ id }: { id: string }) {
  const { m, locale } = useI18n();
  const v = m.spark.villa;
  const { data: villa, error, loading, reload, setData } = useAsync((signal) => getVilla(id, signal), [id]);
  const [tab, setTab] = useState(readTab);
  const [moving, setMoving] = useState(false);
  const [statusError, setStatusError] = useState<string | null>(null);
  const [statusNotice, setStatusNotice] = useState<string | null>(null);

  useEffect(() => {
    if (villa) document.title = `${villa.name} · ${m.common.productName}`;
  }, [villa, m]);

  if (error && error instanceof ApiError && error.status === 404) {
    return (
      <div className="page">
        <h1 className="page-title">{v.notFoundTitle}</h1>
        <Alert tone="warning">
          <p>{v.notFoundMessage}</p>
        </Alert>
        <p>
          <Link href="/villas">{v.backToList}</Link>
        </p>
      </div>
    );
  }
  if (error && !villa) {
    return (
      <div className="page">
        <h1 className="page-title">{m.spark.list.title}</h1>
        <LoadError title={v.loadError} error={error} onRetry={reload} retrying={loading} />
      </div>
    );
  }
  if (!villa) return <Loading message={v.loading} />;

  const current = VILLA_TABS.find((t) => t.id === tab) ?? VILLA_TABS[0]!;
  const Current = current.Component;

  async function move(to: VillaStatus) {
    setMoving(true);
    setStatusError(null);
    setStatusNotice(null);
    try {
      const next = await transitionVilla(id, to);
      setData(next);
      setStatusNotice(format(v.statusChanged, { status: m.spark.status[next.status] }));
    } catch (caught) {
      setStatusError(describeVillaConflict(caught, m, 'villa') ?? describeError(caught, m));
      reload();
    } finally {
      setMoving(false);
    }
  }

  return (
    <div className="page">
      <nav aria-label={v.breadcrumb}>
        <Link href="/villas">{v.backToList}</Link>
      </nav>
      <div className="page-header">
        <div>
          <h1 className="page-title">{villa.name}</h1>
          <p className="artist-summary">
            <span className="visually-hidden">{v.statusLabel} </span>
            <VillaStatusPill status={villa.status} />
          </p>
          <p className="meta-line">
            {villa.place} · {format(v.dates, { from: formatDay(villa.arrivalOn, locale), to: formatDay(villa.departureOn, locale) })}
          </p>
        </div>
        {villa.allowedTransitions.length > 0 ? (
          <div className="page-header__actions villa-status-actions" role="group" aria-label={v.statusActions}>
            {villa.allowedTransitions.map((to) => (
              <button key={to} type="button" className="button button--secondary" disabled={moving} onClick={() => void move(to)}>
                {m.spark.statusAction[to]}
              </button>
            ))}
          </div>
        ) : null}
      </div>
      {statusError ? <Alert tone="error">{statusError}</Alert> : null}
      {statusNotice ? <Alert tone="success">{statusNotice}</Alert> : null}
      <Tabs
        label={v.tabsLabel}
        tabs={VILLA_TABS.map((t) => ({ id: t.id, label: t.label(m) }))}
        selected={current.id}
        onSelect={(next) => {
          setTab(next);
          const params = new URLSearchParams(window.location.search);
          params.set('tab', next);
          window.history.replaceState(window.history.state, '', `${window.location.pathname}?${params.toString()}`);
        }}
      >
        <Current key={current.id} villa={villa} onVillaChange={reload} />
      </Tabs>
    </div>
  );
}
