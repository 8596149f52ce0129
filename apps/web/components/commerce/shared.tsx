'use client';

import './commerce.css';
import type { MissionStatus, OrderStatus } from '@mona/shared';
import { useState, type ReactNode } from 'react';
import { formatDate, formatDateTime } from '../../lib/format.ts';
import { format, type Messages } from '../../lib/i18n.ts';
import { Dialog } from '../Dialog.tsx';
import { TextAreaField } from '../Form.tsx';
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
