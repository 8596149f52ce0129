'use client';

import { ApiError } from '@mona/sdk';
import { ENROLMENT_STATUSES, type EnrolmentStatus } from '@mona/shared';
import Link from 'next/link';
import { useId, useState, type FormEvent } from 'react';
import { describeError, splitErrors } from '../../lib/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { format } from '../../lib/i18n.ts';
import {
  delayLabel,
  describeSequenceConflict,
  enrolArtist,
  listEnrolments,
  removeEnrolment,
  type Sequence,
  type SequenceEnrolment,
} from '../../lib/sequences.ts';
import { useAsync } from '../../lib/use-async.ts';
import { useForm, type ErrorSplitter } from '../../lib/use-form.ts';
import { EmptyState, LoadError, Loading } from '../AsyncStates.tsx';
import { Alert, FormBanner, SelectField, SubmitButton } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { ChannelLabel, DateTimeText } from '../notifications/shared.tsx';
import { ArtistPicker, type ArtistChoice } from '../work/shared.tsx';
import { EnrolmentStatusPill } from './shared.tsx';

/** The enrolments of a sequence with their progress; enrol an artist by hand; take one out. */
export function EnrolmentsPanel({ sequence, onChanged }: { sequence: Sequence; onChanged: () => void }) {
  const { m } = useI18n();
  const e = m.notifications.sequences.enrolments;
  const id = useId();
  const [status, setStatus] = useState<EnrolmentStatus | ''>('');
  const enrolments = useAsync((signal) => listEnrolments(sequence.id, status, signal), [sequence.id, status]);
  const [notice, setNotice] = useState('');
  const [rowError, setRowError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);

  async function remove(enrolment: SequenceEnrolment) {
    setRemoving(enrolment.id);
    setRowError(null);
    try {
      await removeEnrolment(sequence.id, enrolment.id);
      setNotice(format(e.removed, { artist: enrolment.artistName }));
      setConfirming(null);
      enrolments.reload();
      onChanged();
    } catch (error) {
      setRowError(describeSequenceConflict(error, m) ?? describeError(error, m));
    } finally {
      setRemoving(null);
    }
  }

  return (
    <div className="enrolments-panel">
      <section className="card section" aria-labelledby={`${id}-enrol`}>
        <h2 id={`${id}-enrol`} className="section-title">
          {e.enrolTitle}
        </h2>
        <p className="muted">{e.enrolHint}</p>
        <EnrolForm
          sequence={sequence}
          onEnrolled={(artist) => {
            setNotice(format(e.enrolled, { artist }));
            enrolments.reload();
            onChanged();
          }}
        />
      </section>
      <section className="card section" aria-labelledby={`${id}-list`}>
        <div className="section-header">
          <h2 id={`${id}-list`} className="section-title">
            {e.title}
          </h2>
          <SelectField
            name="status"
            label={e.filter}
            value={status}
            onChange={(v) => setStatus(v as EnrolmentStatus | '')}
            options={[
              { value: '', label: m.notifications.common.allStatuses },
              ...ENROLMENT_STATUSES.map((s) => ({ value: s, label: m.notifications.sequences.enrolmentStatuses[s] })),
            ]}
          />
        </div>
        <p role="status" className="visually-hidden">
          {notice}
        </p>
        {rowError ? <Alert tone="error">{rowError}</Alert> : null}
        {enrolments.error ? <LoadError title={e.loadError} error={enrolments.error} onRetry={enrolments.reload} retrying={enrolments.loading} /> : null}
        {enrolments.loading && !enrolments.data ? <Loading message={e.loading} /> : null}
        {enrolments.data && enrolments.data.length === 0 ? <EmptyState title={status ? e.emptyFiltered : e.empty} /> : null}
        {enrolments.data && enrolments.data.length > 0 ? (
          <div className="table-scroll" role="region" aria-labelledby={`${id}-list`} tabIndex={0}>
            <table className="table">
              <caption className="visually-hidden">{e.caption}</caption>
              <thead>
                <tr>
                  <th scope="col">{e.columns.artist}</th>
                  <th scope="col">{e.columns.status}</th>
                  <th scope="col">{e.columns.progress}</th>
                  <th scope="col">{e.columns.next}</th>
                  <th scope="col">{e.columns.started}</th>
                  <th scope="col">{e.columns.exit}</th>
                  <th scope="col">{e.columns.actions}</th>
                </tr>
              </thead>
              <tbody>
                {enrolments.data.map((enrolment) => (
                  <EnrolmentRow
                    key={enrolment.id}
                    enrolment={enrolment}
                    confirming={confirming === enrolment.id}
                    removing={removing === enrolment.id}
                    onAsk={() => setConfirming(enrolment.id)}
                    onCancel={() => setConfirming(null)}
                    onConfirm={() => void remove(enrolment)}
                  />
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </div>
  );
}

function EnrolmentRow({
  enrolment,
  confirming,
  removing,
  onAsk,
  onCancel,
  onConfirm,
}: {
  enrolment: SequenceEnrolment;
  confirming: boolean;
  removing: boolean;
  onAsk: () => void;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const { m, locale } = useI18n();
  const e = m.notifications.sequences.enrolments;
  const progressLabel = format(e.progressLabel, { artist: enrolment.artistName, done: enrolment.stepsDone, total: enrolment.stepsTotal });
  const next = enrolment.nextStep;
  return (
    <tr data-enrolment-id={enrolment.id}>
      <th scope="row">
        <Link href={`/artists/${enrolment.artistId}?tab=messages`}>{enrolment.artistName}</Link>
        {enrolment.enrolledBy ? <span className="muted message-address">{e.byHand}</span> : null}
      </th>
      <td>
        <EnrolmentStatusPill status={enrolment.status} />
      </td>
      <td>
        <span className="progress-cell">
          <progress max={Math.max(1, enrolment.stepsTotal)} value={enrolment.stepsDone} aria-label={progressLabel} />
          <span>{format(e.progress, { done: enrolment.stepsDone, total: enrolment.stepsTotal })}</span>
        </span>
      </td>
      <td>
        {next && enrolment.nextRunAt ? (
          <span className="next-step">
            <span>{delayLabel(next.delayMinutes, m)}</span> <ChannelLabel channel={next.channel} />
            <span className="muted message-address">{formatDateTime(enrolment.nextRunAt, locale)}</span>
          </span>
        ) : (
          e.noNext
        )}
      </td>
      <td>
        <DateTimeText iso={enrolment.startedAt} />
      </td>
      <td>
        {enrolment.exitReason ? m.notifications.sequences.exitReasons[enrolment.exitReason] : m.notifications.common.none}
        {enrolment.endedAt ? (
          <span className="muted message-address">
            <DateTimeText iso={enrolment.endedAt} />
          </span>
        ) : null}
      </td>
      <td>
        {enrolment.status === 'active' ? (
          confirming ? (
            <span className="inline-actions">
              <button type="button" className="button button--primary button--small" onClick={onConfirm} disabled={removing}>
                {removing ? m.notifications.sequences.actions.working : format(e.removeLabel, { artist: enrolment.artistName })}
              </button>
              <button type="button" className="button button--quiet button--small" onClick={onCancel} disabled={removing}>
                {m.notifications.common.cancel}
              </button>
            </span>
          ) : (
            <button
              type="button"
              className="button button--quiet button--small"
              onClick={onAsk}
              aria-label={format(e.removeLabel, { artist: enrolment.artistName })}
            >
              {e.remove}
            </button>
          )
        ) : null}
      </td>
    </tr>
  );
}

const ENROL_FIELDS = ['artistId'] as const;

/** A refusal about the artist (already enrolled, archived) goes next to the picker; other refusals to the banner; both translated. */
const splitEnrolErrors: ErrorSplitter<'artistId'> = (error, fields, m) => {
  const reason = describeSequenceConflict(error, m);
  if (reason && error instanceof ApiError && /already going through|is archived/.test(error.message))
    return { fieldErrors: { artistId: reason }, banner: null };
  if (reason) return { fieldErrors: {}, banner: reason };
  return splitErrors(error, fields, m);
};

function EnrolForm({ sequence, onEnrolled }: { sequence: Sequence; onEnrolled: (artistName: string) => void }) {
  const { m } = useI18n();
  const e = m.notifications.sequences.enrolments;
  const [artist, setArtist] = useState<ArtistChoice | null>(null);
  const form = useForm(ENROL_FIELDS, m, splitEnrolErrors);
  const { errors, pending } = form;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    await form.submit(artist ? {} : { artistId: e.artistRequired }, async () => {
      await enrolArtist(sequence.id, artist!.id);
      onEnrolled(artist!.stageName);
      setArtist(null);
    });
  }

  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-busy={pending}>
      <FormBanner form={form} />
      <ArtistPicker value={artist} onChange={setArtist} error={errors.artistId} selectRef={form.field('artistId')} />
      <div className="inline-actions">
        <SubmitButton pending={pending} label={e.enrol} pendingLabel={e.enrolling} />
      </div>
    </form>
  );
}
