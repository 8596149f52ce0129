'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import { describeError } from '../../lib/errors.ts';
import { format, plural } from '../../lib/i18n.ts';
import { isAppPath, listInbox, markAllInboxRead, markInboxRead, onInboxMessage, setUnreadCount, type InboxItem } from '../../lib/notifications.ts';
import { useAsync } from '../../lib/use-async.ts';
import { EmptyState, LoadError, Loading } from '../AsyncStates.tsx';
import { Alert } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { RelativeTime, useInboxLive } from './shared.tsx';

/** Unread first, then read; each newest first (the API's order, kept when messages arrive or are read). */
function ordered(items: InboxItem[]): InboxItem[] {
  const unread = items.filter((i) => !i.readAt);
  const read = items.filter((i) => i.readAt);
  const newest = (a: InboxItem, b: InboxItem) => Date.parse(b.at) - Date.parse(a.at);
  return [...unread.sort(newest), ...read.sort(newest)];
}

/** /inbox: the notification centre of every signed-in person, live. */
export function InboxView() {
  const { m, locale } = useI18n();
  const t = m.notifications.inbox;
  const live = useInboxLive();
  const [items, setItems] = useState<InboxItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [markingAll, setMarkingAll] = useState(false);
  const [notice, setNotice] = useState('');

  // The first page; again after a reconnection (the stream does not replay what was missed).
  const first = useAsync((signal) => listInbox(null, signal), [live.generation]);
  useEffect(() => {
    if (!first.data) return;
    setItems(first.data.items);
    setCursor(first.data.nextCursor);
    setUnreadCount(first.data.unread);
  }, [first.data]);

  useEffect(
    () =>
      onInboxMessage((item) => {
        setItems((current) => (current.some((i) => i.id === item.id) ? current : ordered([item, ...current])));
      }),
    [],
  );

  async function loadMore() {
    if (!cursor) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await listInbox(cursor);
      setItems((current) => [...current, ...page.items.filter((i) => !current.some((c) => c.id === i.id))]);
      setCursor(page.nextCursor);
    } catch (error) {
      setMoreError(error);
    } finally {
      setLoadingMore(false);
    }
  }

  async function markRead(item: InboxItem) {
    if (item.readAt) return;
    setActionError(null);
    try {
      const result = await markInboxRead(item.id);
      setItems((current) => current.map((i) => (i.id === item.id ? result.item : i)));
      setUnreadCount(result.unread);
    } catch (error) {
      setActionError(`${t.actionError} ${describeError(error, m)}`);
    }
  }

  async function markAll() {
    setMarkingAll(true);
    setActionError(null);
    try {
      const result = await markAllInboxRead();
      const now = new Date().toISOString();
      setItems((current) => ordered(current.map((i) => (i.readAt ? i : { ...i, readAt: now }))));
      setUnreadCount(result.unread);
      setNotice(t.markedAllRead);
    } catch (error) {
      setActionError(`${t.actionError} ${describeError(error, m)}`);
    } finally {
      setMarkingAll(false);
    }
  }

  const unread = live.unread ?? first.data?.unread ?? 0;
  const connection = live.connection === 'live' ? t.live : live.connection === 'retrying' ? t.retrying : t.connecting;

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 className="page-title">{t.title}</h1>
          <p className="lead">{t.intro}</p>
          <p className="meta-line">
            <span className={`live-dot live-dot--${live.connection}`} aria-hidden="true" /> {connection}
          </p>
        </div>
        <div className="page-header__actions">
          <Link href="/settings/notifications" className="button button--quiet">
            {t.preferencesLink}
          </Link>
          <button type="button" className="button button--secondary" onClick={() => void markAll()} disabled={markingAll || unread === 0}>
            {markingAll ? t.markingAllRead : t.markAllRead}
          </button>
        </div>
      </div>
      <p role="status" className="visually-hidden">
        {notice}
      </p>
      {actionError ? <Alert tone="error">{actionError}</Alert> : null}

      <section className="card section" aria-labelledby="inbox-list-title">
        <h2 id="inbox-list-title" className="section-title">
          {t.listLabel}
          <span className="section-title__count"> · {unread > 0 ? plural(locale, t.unreadCount, unread) : t.allRead}</span>
        </h2>
        {first.error && !first.data ? <LoadError title={t.loadError} error={first.error} onRetry={first.reload} retrying={first.loading} /> : null}
        {first.loading && !first.data ? <Loading message={t.loading} /> : null}
        {first.data && items.length === 0 ? <EmptyState title={t.empty}>{t.emptyHint}</EmptyState> : null}
        {items.length > 0 ? (
          <ul className="inbox-list" aria-labelledby="inbox-list-title">
            {items.map((item) => (
              <InboxRow key={item.id} item={item} onOpen={() => void markRead(item)} />
            ))}
          </ul>
        ) : null}
        {moreError ? <LoadError title={t.loadError} error={moreError} onRetry={() => void loadMore()} retrying={loadingMore} /> : null}
        {cursor ? (
          <p>
            <button type="button" className="button button--secondary" onClick={() => void loadMore()} disabled={loadingMore}>
              {loadingMore ? m.notifications.common.loadingMore : m.notifications.common.loadMore}
            </button>
          </p>
        ) : null}
      </section>
    </div>
  );
}

function InboxRow({ item, onOpen }: { item: InboxItem; onOpen: () => void }) {
  const { m } = useI18n();
  const t = m.notifications.inbox;
  const unread = !item.readAt;
  const title = (
    <>
      {unread ? <span className="visually-hidden">{t.unreadMarker} </span> : null}
      {item.title}
    </>
  );
  return (
    <li className={unread ? 'inbox-item inbox-item--unread' : 'inbox-item'} data-inbox-id={item.id}>
      <span className="inbox-item__marker" aria-hidden="true" />
      <div className="inbox-item__main">
        <h3 className="inbox-item__title">
          {item.link ? (
            isAppPath(item.link) ? (
              <Link href={item.link} onClick={onOpen}>
                {title}
              </Link>
            ) : (
              <a href={item.link} target="_blank" rel="noopener noreferrer" onClick={onOpen}>
                {title}
              </a>
            )
          ) : (
            title
          )}
        </h3>
        {item.body ? <p className="inbox-item__body prewrap">{item.body}</p> : null}
        <p className="meta-line">
          <RelativeTime iso={item.at} />
          {item.readAt ? (
            <>
              {' · '}
              {t.readAt} <RelativeTime iso={item.readAt} />
            </>
          ) : null}
        </p>
      </div>
      {unread ? (
        <div className="inbox-item__actions">
          <button type="button" className="button button--quiet button--small" onClick={onOpen} aria-label={format(t.markReadNamed, { title: item.title })}>
            {t.markRead}
          </button>
        </div>
      ) : null}
    </li>
  );
}
