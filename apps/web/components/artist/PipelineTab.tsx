'use client';

import { PIPELINE_STAGES, type PipelineStage } from '@mona/shared';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { moveStage, stageHistory } from '../../lib/crm.ts';
import { formatDateTime } from '../../lib/format.ts';
import { format } from '../../lib/i18n.ts';
import { describeMoveError } from '../../lib/pipeline.ts';
import { useAsync } from '../../lib/use-async.ts';
import { EmptyState, LoadError, Loading } from '../AsyncStates.tsx';
import { StageBadge } from '../crm/CrmBadges.tsx';
import { Alert, SelectField, SubmitButton, TextAreaField } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import type { ArtistTabProps } from './tabs.tsx';

export function PipelineTab({ artist, onArtistChange }: ArtistTabProps) {
  const { m, locale } = useI18n();
  const history = useAsync((signal) => stageHistory(artist.id, signal), [artist.id]);
  const index = PIPELINE_STAGES.indexOf(artist.stage);
  const next = PIPELINE_STAGES[index + 1];
  const [to, setTo] = useState<PipelineStage | ''>(next ?? '');
  const [reason, setReason] = useState('');
  const [pending, setPending] = useState(false);
  const [refusal, setRefusal] = useState<{ title: string; reason: string } | null>(null);
  const [moved, setMoved] = useState<string | null>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  const movedRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    setTo(PIPELINE_STAGES[PIPELINE_STAGES.indexOf(artist.stage) + 1] ?? '');
  }, [artist.stage]);
  useEffect(() => {
    if (refusal) alertRef.current?.focus();
  }, [refusal]);
  useEffect(() => {
    if (moved) movedRef.current?.focus();
  }, [moved]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending || !to) return;
    setPending(true);
    setRefusal(null);
    setMoved(null);
    try {
      const result = await moveStage(artist.id, to, reason);
      onArtistChange(result.artist);
      history.setData((list) => [result.move, ...(list ?? [])]);
      setReason('');
      setMoved(format(m.pipeline.moved, { name: result.artist.stageName, stage: m.crm.stages[result.move.toStage] }));
    } catch (error) {
      setRefusal(describeMoveError(error, m));
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="section">
      <section className="card section" aria-labelledby="stage-title">
        <h2 id="stage-title" className="section-title">
          {m.artist.pipeline.stageTitle}
        </h2>
        <ol className="stepper">
          {PIPELINE_STAGES.map((stage, i) => (
            <li
              key={stage}
              className={i < index ? 'stepper__step stepper__step--done' : i === index ? 'stepper__step stepper__step--current' : 'stepper__step'}
              aria-current={i === index ? 'step' : undefined}
            >
              <span className="stepper__marker" aria-hidden="true">
                {i < index ? '✓' : i + 1}
              </span>
              {m.crm.stages[stage]}
              {i === index ? <span className="visually-hidden"> ({m.artist.pipeline.current})</span> : null}
            </li>
          ))}
        </ol>
        {moved ? (
          <div ref={movedRef} tabIndex={-1} role="status" className="alert alert--success">
            <span className="alert__icon" aria-hidden="true">
              ✓
            </span>
            <div className="alert__body">{moved}</div>
          </div>
        ) : null}
        {refusal ? (
          <Alert alertRef={alertRef} tone="error" title={refusal.title}>
            <p>{refusal.reason}</p>
          </Alert>
        ) : null}
        {artist.archivedAt ? (
          <p className="muted">{m.artist.pipeline.archivedNoMove}</p>
        ) : (
          <form className="form move-form" noValidate onSubmit={onSubmit} aria-busy={pending}>
            <SelectField
              name="to"
              label={m.artist.pipeline.moveTo}
              hint={m.artist.pipeline.moveHint}
              value={to}
              onChange={(value) => setTo(value as PipelineStage)}
              options={[
                ...(to === '' ? [{ value: '', label: m.artist.pipeline.chooseStage }] : []),
                ...PIPELINE_STAGES.filter((s) => s !== artist.stage).map((s) => ({ value: s, label: m.crm.stages[s] })),
              ]}
            />
            <TextAreaField name="reason" label={m.artist.pipeline.reason} value={reason} onChange={setReason} rows={2} maxLength={500} />
            <SubmitButton pending={pending} label={m.artist.pipeline.move} pendingLabel={m.artist.pipeline.moving} />
          </form>
        )}
      </section>

      <section className="section" aria-labelledby="stage-history-title">
        <h2 id="stage-history-title" className="section-title">
          {m.artist.pipeline.historyTitle}
        </h2>
        {history.error ? <LoadError title={m.artist.pipeline.historyError} error={history.error} onRetry={history.reload} /> : null}
        {!history.data && !history.error ? <Loading message={m.artist.pipeline.historyLoading} /> : null}
        {history.data && history.data.length === 0 ? <EmptyState title={m.artist.pipeline.historyEmpty} /> : null}
        {history.data && history.data.length > 0 ? (
          <div className="table-scroll" role="region" aria-labelledby="stage-history-title" tabIndex={0}>
            <table className="table stage-history">
              <caption className="visually-hidden">{m.artist.pipeline.historyTitle}</caption>
              <thead>
                <tr>
                  <th scope="col">{m.artist.history.when}</th>
                  <th scope="col">{m.artist.history.who}</th>
                  <th scope="col">{m.artist.history.from}</th>
                  <th scope="col">{m.artist.history.to}</th>
                  <th scope="col">{m.artist.history.reason}</th>
                </tr>
              </thead>
              <tbody>
                {history.data.map((move) => (
                  <tr key={move.id}>
                    <td>
                      <time dateTime={move.movedAt}>{formatDateTime(move.movedAt, locale)}</time>
                    </td>
                    <td>{move.movedBy?.name ?? <span className="muted">{m.artist.pipeline.deletedAccount}</span>}</td>
                    <td>{move.fromStage ? <StageBadge stage={move.fromStage} /> : <span className="muted">{m.artist.pipeline.entry}</span>}</td>
                    <td>
                      <StageBadge stage={move.toStage} />
                    </td>
                    <td>{move.reason || <span className="muted">—</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </div>
  );
}
