'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useEffect, useState } from 'react';
import { format, plural } from '../../lib/i18n.ts';
import { onInboxMessage } from '../../lib/notifications.ts';
import { useI18n } from '../I18nProvider.tsx';
import { useInboxLive } from './shared.tsx';

/**
 * The header bell: a link to the notification centre with the live unread
 * count in its name, and a polite live region announcing each new message.
 */
export function NotificationBell() {
  const { m, locale } = useI18n();
  const b = m.notifications.bell;
  const { unread } = useInboxLive();
  const pathname = usePathname();
  const [announcement, setAnnouncement] = useState('');

  useEffect(
    () =>
      onInboxMessage((item) => {
        // Cleared first so that two messages with the same title are both read out.
        setAnnouncement('');
        requestAnimationFrame(() => setAnnouncement(format(b.announce, { title: item.title })));
      }),
    [b.announce],
  );

  const count = unread ?? 0;
  const label = count > 0 ? plural(locale, b.unread, count) : b.noneUnread;
  const current = pathname === '/inbox';
  return (
    <>
      <Link href="/inbox" className="bell" aria-label={label} aria-current={current ? 'page' : undefined} data-unread={count}>
        <svg className="bell__icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
          <path
            d="M12 2a6 6 0 0 0-6 6v3.6l-1.7 3.1A1 1 0 0 0 5.2 16h13.6a1 1 0 0 0 .9-1.3L18 11.6V8a6 6 0 0 0-6-6Zm0 20a3 3 0 0 0 3-3H9a3 3 0 0 0 3 3Z"
            fill="currentColor"
          />
        </svg>
        {count > 0 ? (
          <span className="bell__count" aria-hidden="true">
            {count > 99 ? '99+' : count}
          </span>
        ) : null}
      </Link>
      <p className="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
        {announcement}
      </p>
    </>
  );
}
