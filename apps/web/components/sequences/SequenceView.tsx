'use client';

import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import { describeError } from '../../lib/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { format, plural } from '../../lib/i18n.ts';
import { isMissing } from '../../lib/notifications.ts';
import { describeSequenceConflict, getSequence, listTemplates, statusActions, updateSequence, type Sequence } from '../../lib/sequences.ts';
import { useAsync } from '../../lib/use-async.ts';
import { LoadError, Loading } from '../AsyncStates.tsx';
import { Alert } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { RequireRole, TEAM_ROLES } from '../RequireRole.tsx';
import { Tabs } from '../Tabs.tsx';
import { EnrolmentsPanel } from './EnrolmentsPanel.tsx';
import { RulesForm } from './RulesForm.tsx';
import { SequenceStatusPill, TriggerText, useOfferChoices } from './shared.tsx';
import { StatsPanel } from './StatsPanel.tsx';
import { StepsEditor } from './StepsEditor.tsx';

const TABS = ['steps', 'rules', 'enrolments', 'stats'] as const;
type Tab = (typeof TABS)[number];

function readTab(): Tab {
  if (typeof window === 'undefined') return 'steps';
  const tab = new URLSearchParams(window.location.search).get('tab');
  return (TABS as readonly string[]).includes(tab ?? '') ? (tab as Tab) : 'steps';
}

/** /sequences/[id]: a sequence's steps, trigger and exits, enrolments and statistics; activate, pause, resume. */
export function SequenceView({ id }: { id: string }) {
  return (
    <RequireRole roles={TEAM_ROLES}>
      <SequencePage id={id} />
    </RequireRole>
  );
}

function SequencePage({ id }: { id: string }) {
  const { m } = useI18n();
  const s = m.notifications.sequences;
  const sequence = useAsync((signal) => getSequence(id, signal), [id]);

  useEffect(() => {
    if (sequence.data) document.title = `${sequence.data.name} · ${m.common.productName}`;
  }, [sequence.data, m]);

  const back = (
    <nav aria-label={m.notifications.nav.sequences}>
      <Link href="/sequences">{s.back}</Link>
    </nav>
  );
  if (sequence.error && !sequence.data) {
    const missing = isMissing(sequence.error);
    return (
      <div className="page">
        {back}
        <h1 className="page-title">{missing ? s.notFoundTitle : s.title}</h1>
        {missing ? (
          <Alert tone="warning">{s.notFound}</Alert>
        ) : (
          <LoadError title={s.loadError} error={sequence.error} onRetry={sequence.reload} retrying={sequence.loading} />
        )}
      </div>
    );
  }
  if (!sequence.data) return <Loading message={s.loading} />;
  return (
    <div className="page">
      {back}
      <SequenceBody sequence={sequence.data} onChange={(next) => sequence.setData(next)} onReload={sequence.reload} />
    </div>
  );
}

function SequenceBody({ sequence, onChange, onReload }: { sequence: Sequence; onChange: (next: Sequence) => void; onReload: () => void }) {
  const { m, locale } = useI18n();
  const s = m.notifications.sequences;
  const offers = useOfferChoices();
  const templates = useAsync((signal) => listTemplates('', signal), []);
  const [tab, setTab] = useState<Tab>(readTab);
  const [working, setWorking] = useState(false);
  const [statusError, setStatusError] = useState<string | null>(null);
  const [statusNotice, setStatusNotice] = useState('');
  const [statsKey, setStatsKey] = useState(0);
  const errorRef = useRef<HTMLDivElement>(null);
  const conflict = (error: unknown) => describeSequenceConflict(error, m);

  useEffect(() => {
    if (statusError) errorRef.current?.focus();
  }, [statusError]);

  async function changeStatus(to: Sequence['status']) {
    setWorking(true);
    setStatusError(null);
    setStatusNotice('');
    try {
      const next = await updateSequence(sequence.id, { status: to });
      onChange(next);
      setStatusNotice(format(s.actions.done, { status: s.statuses[next.status] }));
    } catch (error) {
      setStatusError(conflict(error) ?? describeError(error, m));
    } finally {
      setWorking(false);
    }
  }

  return (
    <>
      <div className="page-header">
        <div>
          <h1 className="page-title">{sequence.name}</h1>
          <p className="artist-summary">
            <SequenceStatusPill status={sequence.status} />
            <span>
              <TriggerText sequence={sequence} offers={offers} />
            </span>
            <span className="muted">{plural(locale, s.stepsSummary, sequence.steps.length)}</span>
          </p>
          {sequence.description ? <p className="lead">{sequence.description}</p> : null}
        </div>
        <div className="page-header__actions" role="group" aria-label={s.actions.label}>
          {statusActions(sequence.status).map(({ to, action }) => (
            <button key={action} type="button" className="button button--primary" onClick={() => void changeStatus(to)} disabled={working}>
              {working ? s.actions.working : s.actions[action]}
            </button>
          ))}
        </div>
      </div>
      {sequence.status === 'paused' && sequence.pausedAt ? (
        <Alert tone="info">{format(s.actions.pausedSince, { date: formatDateTime(sequence.pausedAt, locale) })}</Alert>
      ) : null}
      {statusError ? (
        <Alert tone="error" alertRef={errorRef}>
          {statusError}
        </Alert>
      ) : null}
      <p role="status" className="visually-hidden">
        {statusNotice}
      </p>
      <Tabs
        label={s.tabsLabel}
        tabs={TABS.map((t) => ({ id: t, label: s.tabs[t] }))}
        selected={tab}
        onSelect={(next) => {
          setTab(next as Tab);
          const params = new URLSearchParams(window.location.search);
          params.set('tab', next);
          window.history.replaceState(window.history.state, '', `${window.location.pathname}?${params.toString()}`);
        }}
      >
        {tab === 'steps' ? (
          <div className="card section">
            {templates.error && !templates.data ? (
              <LoadError title={m.notifications.templates.loadError} error={templates.error} onRetry={templates.reload} retrying={templates.loading} />
            ) : null}
            {templates.loading && !templates.data ? <Loading message={m.notifications.templates.loading} /> : null}
            {templates.data ? <StepsEditor key={sequence.id} sequence={sequence} templates={templates.data} onSaved={onChange} conflict={conflict} /> : null}
          </div>
        ) : null}
        {tab === 'rules' ? (
          <div className="card section">
            <RulesForm key={sequence.id} sequence={sequence} offers={offers} onSaved={onChange} conflict={conflict} />
          </div>
        ) : null}
        {tab === 'enrolments' ? (
          <EnrolmentsPanel
            sequence={sequence}
            onChanged={() => {
              setStatsKey((k) => k + 1);
              onReload();
            }}
          />
        ) : null}
        {tab === 'stats' ? (
          <div className="card section">
            <h2 className="section-title">{s.stats.title}</h2>
            <StatsPanel sequenceId={sequence.id} reloadKey={statsKey} />
          </div>
        ) : null}
      </Tabs>
    </>
  );
}
