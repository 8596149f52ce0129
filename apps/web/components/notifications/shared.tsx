'use client';

import './notifications.css';
import type { Channel, MessageStatus } from '@mona/shared';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { getInboxServerSnapshot, getInboxSnapshot, safeEmailDocument, subscribeInbox, type InboxLiveSnapshot } from '../../lib/notifications.ts';
import { StatusPill } from '../commerce/shared.tsx';
import { useI18n } from '../I18nProvider.tsx';

type Tone = 'neutral' | 'info' | 'warn' | 'ok' | 'down';

const MESSAGE_TONES: Record<MessageStatus, Tone> = {
  pending: 'neutral',
  sending: 'info',
  sent: 'info',
  delivered: 'ok',
  failed: 'down',
  bounced: 'down',
  cancelled: 'neutral',
  skipped: 'warn',
};

/** A message status as text, colour and shape. */
export function MessageStatusPill({ status }: { status: MessageStatus }) {
  const { m } = useI18n();
  return <StatusPill tone={MESSAGE_TONES[status]} label={m.notifications.statuses[status]} />;
}

const CHANNEL_GLYPH: Record<Channel, string> = { email: '✉', sms: '✆', push: '◉', inapp: '◧' };

/** A channel with a glyph (decorative) and its name. */
export function ChannelLabel({ channel }: { channel: Channel }) {
  const { m } = useI18n();
  return (
    <span className={`channel-label channel-label--${channel}`}>
      <span aria-hidden="true" className="channel-label__glyph">
        {CHANNEL_GLYPH[channel]}
      </span>
      {m.notifications.channels[channel]}
    </span>
  );
}

/** "il y a 5 minutes", with the full date on hover and in the machine-readable attribute; refreshed every 30 s. */
export function RelativeTime({ iso }: { iso: string }) {
  const { locale } = useI18n();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <time dateTime={iso} title={formatDateTime(iso, locale)}>
      {formatRelative(iso, now, locale)}
    </time>
  );
}

/** A date and time, or a dash. */
export function DateTimeText({ iso }: { iso: string | null | undefined }) {
  const { m, locale } = useI18n();
  if (!iso) return <>{m.notifications.common.none}</>;
  return <time dateTime={iso}>{formatDateTime(iso, locale)}</time>;
}

/**
 * An email's HTML in a sandboxed iframe: no scripts, no outside requests (so
 * reading it never counts as an open), links inert. Sized to its content when
 * the browser lets the parent read it; otherwise scrollable.
 */
export function EmailFrame({ html, title }: { html: string; title: string }) {
  return <iframe className="email-frame" title={title} sandbox="" srcDoc={safeEmailDocument(html)} referrerPolicy="no-referrer" loading="lazy" />;
}

/** The live inbox state (unread count, connection) shared by the bell and the inbox page. */
export function useInboxLive(): InboxLiveSnapshot {
  return useSyncExternalStore(subscribeInbox, getInboxSnapshot, getInboxServerSnapshot);
}

/** Rate 0–1 → "42,5 %". */
export function formatRate(rate: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(rate);
}
