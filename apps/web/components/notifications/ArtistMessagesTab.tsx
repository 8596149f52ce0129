'use client';

import Link from 'next/link';
import { useId, useState, type FormEvent } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatDate, formatDateTime } from '../../lib/format.ts';
import { format } from '../../lib/i18n.ts';
import { describeSkip, getEngagement, recordReply, sendToArtist, type ComposeResult, type EngagementEvent } from '../../lib/notifications.ts';
import { delayLabel, listArtistEnrolments, listTemplates } from '../../lib/sequences.ts';
import { useAsync } from '../../lib/use-async.ts';
import { useForm } from '../../lib/use-form.ts';
import type { ArtistTabProps } from '../artist/tabs.tsx';
import { EmptyState, LoadError, Loading } from '../AsyncStates.tsx';
import { Alert, FormBanner, SelectField, SubmitButton, TextAreaField } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { EnrolmentStatusPill } from '../sequences/shared.tsx';
import { MessageTable } from './MessagesView.tsx';
import { ChannelLabel, DateTimeText } from './shared.tsx';

/** The artist page's "Messages" tab (team): send from a template, the artist's messages, sequences and engagement score. */
export function ArtistMessagesTab({ artist }: ArtistTabProps) {
  const { m } = useI18n();
  const t = m.notifications.artistTab;
  const id = useId();
  const [reloadKey, setReloadKey] = useState(0);
  return (
    <div className="artist-messages">
      <section className="section" aria-labelledby={`${id}-send`}>
        <h2 id={`${id}-send`} className="section-title">
          {t.sendTitle}
        </h2>
        <p className="muted">{t.sendHint}</p>
        <SendForm artistId={artist.id} onSent={() => setReloadKey((k) => k + 1)} />
      </section>
      <section className="section" aria-labelledby={`${id}-messages`}>
        <MessageTable key={reloadKey} filters={{ artistId: artist.id }} titleId={`${id}-messages`} title={t.messagesTitle} showRecipient={false} />
      </section>
      <Enrolments artistId={artist.id} reloadKey={reloadKey} />
      <Engagement artistId={artist.id} reloadKey={reloadKey} onRecorded={() => setReloadKey((k) => k + 1)} />
    </div>
  );
}

const SEND_FIELDS = ['templateCode'] as const;

function SendForm({ artistId, onSent }: { artistId: string; onSent: () => void }) {
  const { m, locale } = useI18n();
  const t = m.notifications.artistTab;
  const templates = useAsync((signal) => listTemplates('', signal), []);
  const [templateCode, setTemplateCode] = useState('');
  const [result, setResult] = useState<ComposeResult | null>(null);
  const form = useForm(SEND_FIELDS, m);
  const { errors, pending } = form;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setResult(null);
    await form.submit(templateCode ? {} : { templateCode: t.templateRequired }, async () => {
      // One click, one message: a double submit reuses the key and gets the same message back.
      const sent = await sendToArtist(artistId, { templateCode, idempotencyKey: `web:${artistId}:${templateCode}:${Date.now()}` });
      setResult(sent);
      onSent();
    });
  }

  const channel = (c: ComposeResult['channel']) => m.notifications.channels[c];
  let outcome: { tone: 'success' | 'warning'; text: string } | null = null;
  if (result) {
    if (result.status === 'skipped') outcome = { tone: 'warning', text: format(t.skipped, { reason: describeSkip(result.reason, m) }) };
    else if (result.status === 'pending' && Date.parse(result.sendAfter) > Date.now() + 60_000)
      outcome = { tone: 'success', text: format(t.scheduled, { date: formatDateTime(result.sendAfter, locale), channel: channel(result.channel) }) };
    else outcome = { tone: 'success', text: format(t.sent, { channel: channel(result.channel), status: m.notifications.statuses[result.status] }) };
  }

  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-busy={pending}>
      <FormBanner form={form} />
      {templates.error ? <LoadError title={m.notifications.templates.loadError} error={templates.error} onRetry={templates.reload} /> : null}
      <div className="send-form">
        <SelectField
          name="templateCode"
          label={t.template}
          value={templateCode}
          options={[
            { value: '', label: t.chooseTemplate },
            ...(templates.data ?? []).map((template) => ({
              value: template.code,
              label: `${template.name} · ${m.notifications.channels[template.channel]} · ${m.notifications.kinds[template.kind]}`,
            })),
          ]}
          onChange={(v) => {
            setResult(null);
            setTemplateCode(v);
          }}
          error={errors.templateCode}
          selectRef={form.field('templateCode')}
        />
        <SubmitButton pending={pending} label={t.send} pendingLabel={t.sending} />
      </div>
      <div role="status">
        {outcome && result ? (
          <Alert tone={outcome.tone}>
            <p>{outcome.text}</p>
            <p>
              <Link href={`/messages/${result.id}`}>{t.openMessage}</Link>
            </p>
          </Alert>
        ) : null}
      </div>
    </form>
  );
}

function Enrolments({ artistId, reloadKey }: { artistId: string; reloadKey: number }) {
  const { m } = useI18n();
  const t = m.notifications.artistTab;
  const e = m.notifications.sequences.enrolments;
  const id = useId();
  const enrolments = useAsync((signal) => listArtistEnrolments(artistId, signal), [artistId, reloadKey]);
  return (
    <section className="section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="section-title">
        {t.enrolmentsTitle}
      </h2>
      {enrolments.error ? <LoadError title={e.loadError} error={enrolments.error} onRetry={enrolments.reload} retrying={enrolments.loading} /> : null}
      {enrolments.loading && !enrolments.data ? <Loading message={e.loading} /> : null}
      {enrolments.data && enrolments.data.length === 0 ? <p className="muted">{t.noEnrolments}</p> : null}
      {enrolments.data && enrolments.data.length > 0 ? (
        <ul className="plain-list enrolment-list">
          {enrolments.data.map((enrolment) => (
            <li key={enrolment.id}>
              <Link href={`/sequences/${enrolment.sequenceId}?tab=enrolments`}>{enrolment.sequenceName}</Link> <EnrolmentStatusPill status={enrolment.status} />{' '}
              <span className="muted">
                {format(e.progress, { done: enrolment.stepsDone, total: enrolment.stepsTotal })}
                {enrolment.nextStep && enrolment.nextRunAt ? (
                  <>
                    {' · '}
                    {delayLabel(enrolment.nextStep.delayMinutes, m)} <ChannelLabel channel={enrolment.nextStep.channel} />{' '}
                    <DateTimeText iso={enrolment.nextRunAt} />
                  </>
                ) : null}
                {enrolment.exitReason ? ` · ${m.notifications.sequences.exitReasons[enrolment.exitReason]}` : null}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function Engagement({ artistId, reloadKey, onRecorded }: { artistId: string; reloadKey: number; onRecorded: () => void }) {
  const { m, locale } = useI18n();
  const t = m.notifications.artistTab;
  const id = useId();
  const engagement = useAsync((signal) => getEngagement(artistId, signal), [artistId, reloadKey]);
  const [replying, setReplying] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <section className="section" aria-labelledby={`${id}-title`}>
      <div className="section-header">
        <h2 id={`${id}-title`} className="section-title">
          {t.engagementTitle}
        </h2>
        <button
          type="button"
          className="button button--secondary button--small"
          aria-expanded={replying}
          onClick={() => {
            setNotice(null);
            setReplying((r) => !r);
          }}
        >
          {t.reply}
        </button>
      </div>
      {replying ? (
        <ReplyForm
          artistId={artistId}
          onDone={(text) => {
            setReplying(false);
            setNotice(text);
            onRecorded();
          }}
        />
      ) : null}
      <div role="status">{notice ? <Alert tone="success">{notice}</Alert> : null}</div>
      {engagement.error ? <LoadError title={t.loadError} error={engagement.error} onRetry={engagement.reload} retrying={engagement.loading} /> : null}
      {engagement.loading && !engagement.data ? <Loading message={t.loading} /> : null}
      {engagement.data ? (
        <>
          <p>
            <span className="score-chip engagement-score">{format(t.score, { score: new Intl.NumberFormat(locale).format(engagement.data.score) })}</span>
          </p>
          <p className="meta-line">{t.scoreHint}</p>
          {engagement.data.items.length > 0 ? <ScoreHistory score={engagement.data.score} events={engagement.data.items} /> : null}
          {engagement.data.items.length === 0 ? (
            <EmptyState title={t.noEvents} />
          ) : (
            <div className="table-scroll" role="region" aria-labelledby={`${id}-title`} tabIndex={0}>
              <table className="table">
                <caption className="visually-hidden">{t.eventsCaption}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t.date}</th>
                    <th scope="col">{t.event}</th>
                    <th scope="col" className="num">
                      {t.points}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {engagement.data.items.map((event) => (
                    <tr key={event.id}>
                      <td>
                        <DateTimeText iso={event.occurredAt} />
                      </td>
                      <th scope="row">
                        {event.messageId ? <Link href={`/messages/${event.messageId}`}>{t.eventKinds[event.kind]}</Link> : t.eventKinds[event.kind]}
                      </th>
                      <td className="num">{event.points > 0 ? `+${event.points}` : `−${Math.abs(event.points)}`}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      ) : null}
    </section>
  );
}

/**
 * The score after each event, oldest first: computed back from the current
 * score (the list holds the latest events only). A line; the table below
 * holds the same facts.
 */
function ScoreHistory({ score, events }: { score: number; events: readonly EngagementEvent[] }) {
  const { m, locale } = useI18n();
  const t = m.notifications.artistTab;
  let after = score;
  const points = events
    .map((event) => {
      const point = { at: formatDate(event.occurredAt, locale), score: after, kind: t.eventKinds[event.kind] };
      after -= event.points;
      return point;
    })
    .reverse();
  return (
    <div className="card chart-card" aria-hidden="true">
      <p className="chart-card__title">{t.historyChart}</p>
      <ResponsiveContainer width="100%" height={200}>
        <LineChart data={points} margin={{ top: 12, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
          <XAxis dataKey="at" stroke="var(--text-muted)" tick={{ fontSize: 11 }} />
          <YAxis stroke="var(--text-muted)" fontSize={11} width={40} allowDecimals={false} />
          <Tooltip
            formatter={(value, _name, item) => [String(value), String((item.payload as { kind: string }).kind)]}
            contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)' }}
          />
          <Line type="stepAfter" dataKey="score" stroke="var(--accent)" strokeWidth={2} dot isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

const NOTE_FIELDS = ['note'] as const;

function ReplyForm({ artistId, onDone }: { artistId: string; onDone: (result: string) => void }) {
  const { m } = useI18n();
  const t = m.notifications.artistTab;
  const [note, setNote] = useState('');
  const form = useForm(NOTE_FIELDS, m);
  const { errors, pending } = form;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    await form.submit({}, async () => {
      const recorded = await recordReply(artistId, note.trim() ? { note: note.trim() } : {});
      onDone(recorded.recorded ? format(t.replyRecorded, { score: recorded.score }) : t.replyAlready);
    });
  }

  return (
    <form className="form card section" noValidate onSubmit={onSubmit} aria-busy={pending} aria-label={t.replyTitle}>
      <FormBanner form={form} />
      <TextAreaField
        name="note"
        label={t.replyNote}
        hint={t.replyNoteHint}
        value={note}
        onChange={setNote}
        error={errors.note}
        rows={3}
        maxLength={5000}
        textareaRef={form.field('note')}
      />
      <SubmitButton pending={pending} label={t.replySubmit} pendingLabel={t.replyPending} />
    </form>
  );
}
