'use client';

import './commerce.css';
import { ApiError } from '@mona/sdk';
import type { MissionStatus, OrderStatus } from '@mona/shared';
import Link from 'next/link';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { describeTransitionConflict } from '../../lib/commerce.ts';
import { describeError } from '../../lib/errors.ts';
import { formatDate, formatDateTime } from '../../lib/format.ts';
import { format, type Messages } from '../../lib/i18n.ts';
import { LoadError } from '../AsyncStates.tsx';
import { Dialog } from '../Dialog.tsx';
import { Alert, TextAreaField } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';

type Tone = 'neutral' | 'info' | 'warn' | 'ok' | 'down';

const ORDER_TONES: Record<OrderStatus, Tone> = { pending: 'warn', paid: 'ok', fulfilled: 'info', refunded: 'down', cancelled: 'down' };
const MISSION_TONES: Record<MissionStatus, Tone> = {
  requested: 'neutral',
  assigned: 'info',
  in_progress: 'warn',
  delivered: 'info',
  accepted: 'ok',
  cancelled: 'down',
};

/** A status as text with a colour and a shape (never colour alone). */
export function StatusPill({ tone, label }: { tone: Tone; label: string }) {
  return (
    <span className={`status-pill status-pill--${tone}`}>
      <span className="status-pill__shape" aria-hidden="true" />
      {label}
    </span>
  );
}

export function OrderStatusPill({ status }: { status: OrderStatus }) {
  const { m } = useI18n();
  return <StatusPill tone={ORDER_TONES[status]} label={m.commerce.orderStatus[status]} />;
}

export function MissionStatusPill({ status }: { status: MissionStatus }) {
  const { m } = useI18n();
  return <StatusPill tone={MISSION_TONES[status]} label={m.commerce.missionStatus[status]} />;
}

/** A date shown short, with the full date and time on hover and in the machine-readable attribute. */
export function DateText({ iso }: { iso: string }) {
  const { locale } = useI18n();
  return (
    <time dateTime={iso} title={formatDateTime(iso, locale)}>
      {formatDate(iso, locale)}
    </time>
  );
}

export interface TimelineEntry {
  id: string;
  fromLabel: string | null;
  toLabel: string;
  toPill: ReactNode;
  reason: string;
  changedAt: string;
  changedBy: { name: string } | null;
}

/**
 * The reason of a history entry: a person's words as typed; the API's own
 * notes (creation, assignment) in the reader's language.
 */
function reasonText(entry: TimelineEntry, m: Messages): string | null {
  const c = m.commerce.common;
  const reason = entry.reason.trim();
  if (!reason) return null;
  if (entry.fromLabel === null && (reason === 'created' || reason === 'requested')) return null;
  const reassigned = /^reassigned from (.+) to (.+)$/.exec(reason);
  if (reassigned) return format(c.reassigned, { from: reassigned[1]!, to: reassigned[2]! });
  const assigned = /^assigned to (.+)$/.exec(reason);
  if (assigned) return format(c.assignedTo, { name: assigned[1]! });
  return format(c.reasonQuoted, { reason });
}

/** A status history, oldest first, as an ordered list. */
export function StatusTimeline({ entries, label }: { entries: readonly TimelineEntry[]; label: string }) {
  const { m, locale } = useI18n();
  const c = m.commerce.common;
  return (
    <ol className="timeline" aria-label={label}>
      {entries.map((entry) => (
        <li key={entry.id} className="timeline__item">
          <p className="timeline__title">
            {entry.toPill}
            {entry.fromLabel ? <span className="muted">{format(c.fromStatus, { status: entry.fromLabel })}</span> : null}
          </p>
          <p className="muted">
            <time dateTime={entry.changedAt}>{formatDateTime(entry.changedAt, locale)}</time>
            {' · '}
            {entry.changedBy ? format(c.by, { name: entry.changedBy.name }) : c.deletedAccount}
          </p>
          {reasonText(entry, m) ? <p className="prewrap">{reasonText(entry, m)}</p> : null}
        </li>
      ))}
    </ol>
  );
}

export interface BackLink {
  href: string;
  label: string;
}

/**
 * An order or mission page that could not load: "not found" (404, or 400 for
 * a malformed id) with the way back, or the error with a retry.
 */
export function DetailLoadFailure({
  error,
  back,
  onRetry,
  texts,
}: {
  error: unknown;
  back: BackLink;
  onRetry: () => void;
  texts: { title: string; loadError: string; notFoundTitle: string; notFound: string };
}) {
  if (error instanceof ApiError && (error.status === 404 || error.status === 400)) {
    return (
      <div className="page">
        <h1 className="page-title">{texts.notFoundTitle}</h1>
        <Alert tone="warning">{texts.notFound}</Alert>
        <p>
          <Link href={back.href}>{back.label}</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="page">
      <h1 className="page-title">{texts.title}</h1>
      <LoadError title={texts.loadError} error={error} onRetry={onRetry} />
    </div>
  );
}

/** An order or mission page: the way back, the heading and the status (announced when it changes), then `children`. */
export function DetailPage({
  back,
  heading,
  statusLabel,
  status,
  children,
}: {
  back: BackLink;
  heading: string;
  statusLabel: string;
  status: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="page">
      <p>
        <Link href={back.href}>{back.label}</Link>
      </p>
      <div className="page-header">
        <div>
          <h1 className="page-title">{heading}</h1>
          <p className="artist-summary" aria-live="polite">
            <span className="visually-hidden">{statusLabel} </span>
            {status}
          </p>
        </div>
      </div>
      {children}
    </div>
  );
}

/** The dates a record went through, as rows of a details list: only those that happened. */
export function StampRows({ stamps }: { stamps: readonly (readonly [string, string | null])[] }) {
  const { locale } = useI18n();
  return (
    <>
      {stamps
        .filter((s): s is readonly [string, string] => s[1] !== null)
        .map(([label, at]) => (
          <div className="details__row" key={label}>
            <dt>{label}</dt>
            <dd>{formatDateTime(at, locale)}</dd>
          </div>
        ))}
    </>
  );
}

export interface StatusChange<S extends string> {
  id: string;
  fromStatus: S | null;
  toStatus: S;
  reason: string;
  changedAt: string;
  changedBy: { name: string } | null;
}

/** The history section of an order or a mission page. */
export function StatusHistory<S extends string>({
  titleId,
  title,
  history,
  labels,
  pill,
}: {
  titleId: string;
  title: string;
  history: readonly StatusChange<S>[];
  labels: Record<S, string>;
  pill: (status: S) => ReactNode;
}) {
  return (
    <section className="card section" aria-labelledby={titleId}>
      <h2 id={titleId} className="section-title">
        {title}
      </h2>
      <StatusTimeline
        label={title}
        entries={history.map((h) => ({
          id: h.id,
          fromLabel: h.fromStatus ? labels[h.fromStatus] : null,
          toLabel: labels[h.toStatus],
          toPill: pill(h.toStatus),
          reason: h.reason,
          changedAt: h.changedAt,
          changedBy: h.changedBy,
        }))}
      />
    </section>
  );
}

/** A status change offered as a button; with `confirm`, a dialog asks first (and may want a reason). */
export interface StatusMove<S extends string> {
  to: S;
  label: string;
  confirm?: { title: string; description: string; requireReason: boolean; danger: boolean };
}

/**
 * The "what next" section of an order or a mission page: a button per allowed
 * change, the refusal or the success in an alert that takes focus, and a
 * reload when the status moved meanwhile (409). `intro` stands above the
 * buttons; `children` below them, with `notify` to report its own success.
 */
export function StatusActions<S extends string, T extends { status: S }>({
  kind,
  titleId,
  title,
  refused,
  moved,
  moves,
  transition,
  onChange,
  onReload,
  intro,
  children,
}: {
  kind: 'order' | 'mission';
  titleId: string;
  title: string;
  /** The title of the alert when a change is refused. */
  refused: string;
  /** "Now {status}." */
  moved: string;
  moves: readonly StatusMove<S>[];
  transition: (to: S, reason: string | undefined) => Promise<T>;
  onChange: (next: T) => void;
  onReload: () => void;
  intro?: ReactNode;
  children?: (notify: (message: string) => void) => ReactNode;
}) {
  const { m } = useI18n();
  const labels: Record<string, string> = kind === 'order' ? m.commerce.orderStatus : m.commerce.missionStatus;
  const [pending, setPending] = useState<S | null>(null);
  const [confirming, setConfirming] = useState<StatusMove<S> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const alertRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (error || done) alertRef.current?.focus();
  }, [error, done]);

  async function move(to: S, reason: string) {
    setPending(to);
    setError(null);
    setDone(null);
    try {
      const updated = await transition(to, reason || undefined);
      setConfirming(null);
      onChange(updated);
      setDone(format(moved, { status: labels[updated.status] ?? updated.status }));
    } catch (caught) {
      setConfirming(null);
      setError(describeTransitionConflict(caught, m, kind) ?? describeError(caught, m));
      // The status may have moved meanwhile: show what it is now.
      if (caught instanceof ApiError && caught.status === 409) onReload();
    } finally {
      setPending(null);
    }
  }

  const notify = (message: string) => {
    setError(null);
    setDone(message);
  };

  return (
    <section className="card section" aria-labelledby={titleId}>
      <h2 id={titleId} className="section-title">
        {title}
      </h2>
      {error ? (
        <Alert tone="error" alertRef={alertRef} title={refused}>
          {error}
        </Alert>
      ) : null}
      {done ? (
        <Alert tone="success" alertRef={alertRef}>
          {done}
        </Alert>
      ) : null}
      {intro}
      {moves.length > 0 ? (
        <div className="transition-actions">
          {moves.map((mv) => (
            <button
              key={mv.to}
              type="button"
              className={mv.confirm?.danger ? 'button button--secondary' : mv.confirm ? 'button button--quiet' : 'button button--primary'}
              disabled={pending !== null}
              onClick={() => (mv.confirm ? setConfirming(mv) : void move(mv.to, ''))}
            >
              {pending === mv.to ? m.commerce.common.working : mv.label}
            </button>
          ))}
        </div>
      ) : null}
      {children?.(notify)}
      <ConfirmDialog
        open={confirming !== null}
        title={confirming?.confirm?.title ?? ''}
        description={confirming?.confirm?.description ?? ''}
        confirmLabel={confirming?.label ?? ''}
        requireReason={confirming?.confirm?.requireReason ?? false}
        danger={confirming?.confirm?.danger ?? true}
        pending={pending !== null}
        onClose={() => setConfirming(null)}
        onConfirm={(reason) => {
          if (confirming) void move(confirming.to, reason);
        }}
      />
    </section>
  );
}

/**
 * Asks before a final or costly change (refund, cancel): what happens, an
 * optional reason kept in the history, then Confirm or Back.
 */
export function ConfirmDialog({
  open,
  title,
  description,
  confirmLabel,
  pending,
  onConfirm,
  onClose,
  requireReason = false,
  danger = true,
}: {
  open: boolean;
  title: string;
  description: string;
  confirmLabel: string;
  pending: boolean;
  onConfirm: (reason: string) => void;
  onClose: () => void;
  requireReason?: boolean;
  danger?: boolean;
}) {
  const { m } = useI18n();
  const c = m.commerce.common;
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const close = () => {
    setReason('');
    setError(undefined);
    onClose();
  };
  return (
    <Dialog open={open} title={title} description={description} onClose={close}>
      <form
        className="form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (requireReason && !reason.trim()) {
            setError(c.reasonRequired);
            return;
          }
          onConfirm(reason.trim());
          setReason('');
          setError(undefined);
        }}
      >
        <TextAreaField
          name="reason"
          label={requireReason ? c.reason : c.reasonOptional}
          hint={c.reasonHint}
          value={reason}
          onChange={setReason}
          maxLength={500}
          rows={3}
          error={error}
        />
        <div className="inline-actions">
          <button type="submit" className={danger ? 'button button--danger' : 'button button--primary'} disabled={pending}>
            {pending ? c.working : confirmLabel}
          </button>
          <button type="button" className="button button--quiet" onClick={close} disabled={pending}>
            {c.back}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
