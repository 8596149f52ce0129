'use client';

import { APPLICATION_STATUSES, APPLICATION_TRANSITIONS, JURY_CRITERIA, JURY_CRITERION_MAX, type ApplicationStatus, type JuryCriterion } from '@mona/shared';
import { useRef, useState, type FormEvent } from 'react';
import { describeError, splitErrors } from '../../lib/errors.ts';
import { formatNumber } from '../../lib/format.ts';
import { format, plural } from '../../lib/i18n.ts';
import { useAsync } from '../../lib/use-async.ts';
import { decideApplication, describeVillaConflict, listApplications, promoteWaitlisted, scoreApplication, type VillaApplication } from '../../lib/villas.ts';
import { EmptyState, LoadError, Loading } from '../AsyncStates.tsx';
import { useAuth } from '../AuthProvider.tsx';
import { TierBadge } from '../crm/CrmBadges.tsx';
import { Dialog } from '../Dialog.tsx';
import { Alert, SelectField, SubmitButton, TextAreaField, TextField } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { ApplicationStatusPill } from './shared.tsx';
import type { VillaTabProps } from './tabs.tsx';

const DECISIONS = ['shortlisted', 'accepted', 'waitlisted', 'rejected'] as const satisfies readonly ApplicationStatus[];

/** The committee's list: SPARK-ready first; each application opens its jury panel. */
export function ApplicationsTab({ villa, onVillaChange }: VillaTabProps) {
  const { m, locale } = useI18n();
  const a = m.spark.applications;
  const [status, setStatus] = useState<ApplicationStatus | ''>('');
  const [openId, setOpenId] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [promoting, setPromoting] = useState(false);
  const list = useAsync((signal) => listApplications(villa.id, status, signal), [villa.id, status]);
  const items = list.data?.items ?? [];
  const opened = items.find((x) => x.id === openId) ?? null;
  const waitlisted = villa.applicationsByStatus.waitlisted ?? 0;

  function replace(next: VillaApplication) {
    list.setData((current) => (current ? { ...current, items: current.items.map((x) => (x.id === next.id ? next : x)) } : current));
  }

  async function promote() {
    setPromoting(true);
    setNotice(null);
    setProblem(null);
    try {
      const promoted = await promoteWaitlisted(villa.id);
      setNotice(format(a.promoted, { name: promoted.artistName }));
      list.reload();
      onVillaChange();
    } catch (error) {
      setProblem(describeVillaConflict(error, m, 'application') ?? describeError(error, m));
    } finally {
      setPromoting(false);
    }
  }

  return (
    <section className="section" aria-labelledby="applications-title">
      <div className="section-header">
        <h2 id="applications-title" className="section-title">
          {a.title}
          {list.data ? <span className="section-title__count"> · {plural(locale, a.count, items.length)}</span> : null}
        </h2>
        <button type="button" className="button button--secondary" disabled={promoting || waitlisted === 0} onClick={() => void promote()}>
          {a.promote}
        </button>
      </div>
      <p className="muted">{a.intro}</p>
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {problem ? <Alert tone="error">{problem}</Alert> : null}
      <div className="filters__grid filters__grid--compact">
        <SelectField
          name="applicationStatus"
          label={a.statusFilter}
          value={status}
          onChange={(value) => setStatus(value as ApplicationStatus | '')}
          options={[{ value: '', label: a.allStatuses }, ...APPLICATION_STATUSES.map((s) => ({ value: s, label: m.spark.applicationStatus[s] }))]}
        />
      </div>
      {list.error ? <LoadError title={a.loadError} error={list.error} onRetry={list.reload} retrying={list.loading} /> : null}
      {list.loading && !list.data ? <Loading message={a.loading} /> : null}
      {list.data && items.length === 0 ? <EmptyState title={status ? a.emptyFiltered : a.empty} /> : null}
      {items.length > 0 ? (
        <div className="table-scroll" role="region" aria-labelledby="applications-title" tabIndex={0}>
          <table className="table">
            <caption className="visually-hidden">{a.caption}</caption>
            <thead>
              <tr>
                <th scope="col">{a.columns.artist}</th>
                <th scope="col">{a.columns.genre}</th>
                <th scope="col">{a.columns.tier}</th>
                <th scope="col" className="amount">
                  {a.columns.score}
                </th>
                <th scope="col" className="amount">
                  {a.columns.jury}
                </th>
                <th scope="col">{a.columns.status}</th>
                <th scope="col">{a.columns.actions}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((app) => (
                <tr key={app.id} data-application={app.artistName}>
                  <th scope="row">
                    {app.artistName}
                    {app.sparkReady ? <span className="spark-chip">{a.sparkReady}</span> : null}
                  </th>
                  <td>{app.genre}</td>
                  <td>
                    <TierBadge tier={app.tierAtApplication} />
                  </td>
                  <td className="amount">{app.scoreAtApplication}</td>
                  <td className="amount">
                    {app.jury?.meanTotal != null ? format(a.meanOf, { mean: formatNumber(app.jury.meanTotal, locale, 2) }) : a.noJuryYet}
                  </td>
                  <td>
                    <ApplicationStatusPill status={app.status} />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="button button--quiet button--small"
                      aria-label={format(a.openFor, { name: app.artistName })}
                      onClick={() => setOpenId(app.id)}
                    >
                      {a.open}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Dialog open={opened !== null} onClose={() => setOpenId(null)} title={opened ? format(m.spark.application.title, { name: opened.artistName }) : ''} wide>
        {opened ? (
          <ApplicationPanel
            application={opened}
            onChange={(next) => {
              replace(next);
            }}
            onDecided={(next) => {
              replace(next);
              onVillaChange();
            }}
          />
        ) : null}
      </Dialog>
    </section>
  );
}

type Scores = Record<JuryCriterion, string>;

function ApplicationPanel({
  application,
  onChange,
  onDecided,
}: {
  application: VillaApplication;
  onChange: (next: VillaApplication) => void;
  onDecided: (next: VillaApplication) => void;
}) {
  const { m, locale } = useI18n();
  const p = m.spark.application;
  const { user } = useAuth();
  const mine = application.jury?.scores.find((s) => s.juror.id === user?.id);
  const [scores, setScores] = useState<Scores>(() => Object.fromEntries(JURY_CRITERIA.map((c) => [c, mine ? String(mine.scores[c]) : ''])) as Scores);
  const [comment, setComment] = useState(mine?.comment ?? '');
  const [errors, setErrors] = useState<Partial<Record<JuryCriterion, string>>>({});
  const [scoreBanner, setScoreBanner] = useState<string | null>(null);
  const [scoreNotice, setScoreNotice] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [deciding, setDeciding] = useState(false);
  const [decisionError, setDecisionError] = useState<string | null>(null);
  const [decisionNotice, setDecisionNotice] = useState<string | null>(null);
  const firstError = useRef<HTMLInputElement | null>(null);
  const refs = useRef<Partial<Record<JuryCriterion, HTMLInputElement | null>>>({});
  const allowed = DECISIONS.filter((d) => APPLICATION_TRANSITIONS[application.status].includes(d));
  const scorable = application.status !== 'rejected' && application.status !== 'withdrawn';

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving) return;
    const found: Partial<Record<JuryCriterion, string>> = {};
    const values = {} as Record<JuryCriterion, number>;
    for (const c of JURY_CRITERIA) {
      const text = scores[c].trim();
      const n = Number(text);
      if (!/^\d{1,2}$/.test(text) || n > JURY_CRITERION_MAX) found[c] = p.criterionError;
      else values[c] = n;
    }
    setErrors(found);
    setScoreBanner(null);
    setScoreNotice(null);
    const first = JURY_CRITERIA.find((c) => found[c]);
    if (first) {
      firstError.current = refs.current[first] ?? null;
      firstError.current?.focus();
      return;
    }
    setSaving(true);
    try {
      const next = await scoreApplication(application.id, values, comment);
      onChange(next);
      setScoreNotice(p.scoreSaved);
    } catch (error) {
      const split = splitErrors(error, JURY_CRITERIA.map((c) => `scores.${c}`) as `scores.${JuryCriterion}`[], m);
      const fieldErrors: Partial<Record<JuryCriterion, string>> = {};
      for (const [k, v] of Object.entries(split.fieldErrors)) fieldErrors[k.slice('scores.'.length) as JuryCriterion] = v;
      setErrors(fieldErrors);
      setScoreBanner(describeVillaConflict(error, m, 'application') ?? split.banner);
    } finally {
      setSaving(false);
    }
  }

  async function decide(to: (typeof DECISIONS)[number]) {
    setDeciding(true);
    setDecisionError(null);
    setDecisionNotice(null);
    try {
      const next = await decideApplication(application.id, to);
      onDecided(next);
      setDecisionNotice(format(p.decided, { status: m.spark.applicationStatus[next.status] }));
    } catch (error) {
      setDecisionError(describeVillaConflict(error, m, 'application') ?? describeError(error, m));
    } finally {
      setDeciding(false);
    }
  }

  const jury = application.jury;
  return (
    <div className="form villa-panel">
      <p className="artist-summary">
        <ApplicationStatusPill status={application.status} />
        <TierBadge tier={application.tierAtApplication} visibleLabel />
        {application.sparkReady ? <span className="spark-chip">{m.spark.applications.sparkReady}</span> : null}
      </p>
      <p className="meta-line">{format(p.facts, { genre: application.genre, score: application.scoreAtApplication })}</p>
      {application.decisionReason ? <p className="muted">{format(p.reasonQuoted, { reason: application.decisionReason })}</p> : null}
      <section aria-labelledby="app-motivation-title">
        <h3 id="app-motivation-title" className="section-title">
          {p.motivation}
        </h3>
        <p className="prewrap">{application.motivation}</p>
        <h3 className="section-title">{p.portfolio}</h3>
        {application.portfolioLinks.length === 0 ? (
          <p className="muted">{p.noLinks}</p>
        ) : (
          <ul className="plain-list">
            {application.portfolioLinks.map((link) => (
              <li key={link}>
                <a href={link} target="_blank" rel="noreferrer noopener">
                  {link}
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="app-jury-title">
        <h3 id="app-jury-title" className="section-title">
          {p.juryTitle}
        </h3>
        {jury && jury.meanTotal !== null ? (
          <p className="score-chip" role="status">
            {format(p.mean, { mean: formatNumber(jury.meanTotal, locale, 2) })}
          </p>
        ) : null}
        {!jury || jury.scores.length === 0 ? (
          <p className="muted">{p.noScores}</p>
        ) : (
          <div className="table-scroll" role="region" aria-labelledby="app-jury-title" tabIndex={0}>
            <table className="table">
              <caption className="visually-hidden">{p.juryCaption}</caption>
              <thead>
                <tr>
                  <th scope="col">{p.juror}</th>
                  {JURY_CRITERIA.map((c) => (
                    <th key={c} scope="col" className="amount">
                      {m.spark.criteria[c]}
                    </th>
                  ))}
                  <th scope="col" className="amount">
                    {p.total}
                  </th>
                  <th scope="col">{p.comment}</th>
                </tr>
              </thead>
              <tbody>
                {jury.scores.map((s) => (
                  <tr key={s.juror.id}>
                    <th scope="row">{s.juror.name}</th>
                    {JURY_CRITERIA.map((c) => (
                      <td key={c} className="amount">
                        {s.scores[c]}
                      </td>
                    ))}
                    <td className="amount">{formatNumber(s.total, locale, 2)}</td>
                    <td>{s.comment}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {scorable ? (
        <form className="form card" noValidate onSubmit={onSubmit} aria-busy={saving} aria-labelledby="app-your-score-title">
          <h3 id="app-your-score-title" className="section-title">
            {p.yourScoreTitle}
          </h3>
          <p className="muted">{p.yourScoreHint}</p>
          {scoreBanner ? <Alert tone="error">{scoreBanner}</Alert> : null}
          {scoreNotice ? <Alert tone="success">{scoreNotice}</Alert> : null}
          <div className="criteria-grid">
            {JURY_CRITERIA.map((c) => (
              <TextField
                key={c}
                name={`score-${c}`}
                type="number"
                inputMode="numeric"
                min={0}
                max={JURY_CRITERION_MAX}
                step={1}
                label={m.spark.criteria[c]}
                value={scores[c]}
                onChange={(value) => setScores((s) => ({ ...s, [c]: value }))}
                error={errors[c]}
                required
                inputRef={(el) => {
                  refs.current[c] = el;
                }}
              />
            ))}
          </div>
          <TextAreaField name="comment" label={p.commentLabel} value={comment} onChange={setComment} rows={3} maxLength={2000} />
          <SubmitButton pending={saving} label={p.saveScore} pendingLabel={p.savingScore} />
        </form>
      ) : null}

      <section aria-labelledby="app-decision-title">
        <h3 id="app-decision-title" className="section-title">
          {p.decisionTitle}
        </h3>
        {decisionError ? <Alert tone="error">{decisionError}</Alert> : null}
        {decisionNotice ? <Alert tone="success">{decisionNotice}</Alert> : null}
        {allowed.length === 0 ? (
          <p className="muted">{p.decisionNone}</p>
        ) : (
          <div className="decision-actions">
            {allowed.map((to) => (
              <button
                key={to}
                type="button"
                className={to === 'accepted' ? 'button button--primary' : 'button button--secondary'}
                disabled={deciding}
                onClick={() => void decide(to)}
              >
                {m.spark.decision[to]}
              </button>
            ))}
          </div>
        )}
      </section>
    </div>
  );
}
