'use client';

import { CHANNELS, MESSAGE_STATUSES, type Channel, type MessageStatus } from '@mona/shared';
import Link from 'next/link';
import { useEffect, useState, type FormEvent } from 'react';
import { plural } from '../../lib/i18n.ts';
import { listMessages, type MessageFilters, type NotificationMessage } from '../../lib/notifications.ts';
import { useAsync } from '../../lib/use-async.ts';
import { EmptyState, LoadError, Loading } from '../AsyncStates.tsx';
import { SelectField, TextField } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { RequireRole, TEAM_ROLES } from '../RequireRole.tsx';
import { ChannelLabel, DateTimeText, MessageStatusPill } from './shared.tsx';

/** /messages: the team's searchable message log. */
export function MessagesView() {
  return (
    <RequireRole roles={TEAM_ROLES}>
      <MessageLog />
    </RequireRole>
  );
}

function readFilters(): MessageFilters {
  if (typeof window === 'undefined') return {};
  const params = new URLSearchParams(window.location.search);
  const channel = params.get('channel');
  const status = params.get('status');
  return {
    search: params.get('q') ?? '',
    channel: (CHANNELS as readonly string[]).includes(channel ?? '') ? (channel as Channel) : '',
    status: (MESSAGE_STATUSES as readonly string[]).includes(status ?? '') ? (status as MessageStatus) : '',
  };
}

function MessageLog() {
  const { m } = useI18n();
  const t = m.notifications.log;
  const [filters, setFilters] = useState<MessageFilters>(readFilters);
  const [query, setQuery] = useState(filters.search ?? '');

  useEffect(() => {
    const params = new URLSearchParams();
    if (filters.search) params.set('q', filters.search);
    if (filters.channel) params.set('channel', filters.channel);
    if (filters.status) params.set('status', filters.status);
    const search = params.toString();
    window.history.replaceState(window.history.state, '', `${window.location.pathname}${search ? `?${search}` : ''}`);
  }, [filters]);

  function onSearch(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFilters((f) => ({ ...f, search: query.trim() }));
  }

  const filtered = Boolean(filters.search || filters.channel || filters.status);
  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 className="page-title">{t.title}</h1>
          <p className="lead">{t.intro}</p>
        </div>
        <div className="page-header__actions">
          <Link href="/outbox" className="button button--quiet">
            {m.notifications.nav.outbox}
          </Link>
        </div>
      </div>
      <section className="card section" aria-labelledby="messages-filters-title">
        <h2 id="messages-filters-title" className="section-title">
          {t.filtersTitle}
        </h2>
        <form className="filters__grid" role="search" onSubmit={onSearch} aria-label={t.filtersTitle}>
          <div className="filters__search notifications-search">
            <TextField name="q" type="search" label={t.search} hint={t.searchHint} value={query} onChange={setQuery} />
            <button type="submit" className="button button--secondary">
              {t.searchButton}
            </button>
          </div>
          <SelectField
            name="channel"
            label={t.channel}
            value={filters.channel ?? ''}
            onChange={(v) => setFilters((f) => ({ ...f, channel: v as Channel | '' }))}
            options={[{ value: '', label: m.notifications.common.allChannels }, ...CHANNELS.map((c) => ({ value: c, label: m.notifications.channels[c] }))]}
          />
          <SelectField
            name="status"
            label={t.status}
            value={filters.status ?? ''}
            onChange={(v) => setFilters((f) => ({ ...f, status: v as MessageStatus | '' }))}
            options={[
              { value: '', label: m.notifications.common.allStatuses },
              ...MESSAGE_STATUSES.map((s) => ({ value: s, label: m.notifications.statuses[s] })),
            ]}
          />
        </form>
        {filtered ? (
          <p>
            <button
              type="button"
              className="button button--quiet button--small"
              onClick={() => {
                setQuery('');
                setFilters({ search: '', channel: '', status: '' });
              }}
            >
              {t.clearFilters}
            </button>
          </p>
        ) : null}
      </section>
      <section className="card section" aria-labelledby="messages-list-title">
        <MessageTable filters={filters} titleId="messages-list-title" title={t.listTitle} />
      </section>
    </div>
  );
}

/** A paginated table of messages (the log, or one artist's messages). */
export function MessageTable({
  filters,
  titleId,
  title,
  showRecipient = true,
  headingLevel = 2,
}: {
  filters: MessageFilters;
  titleId: string;
  title: string;
  showRecipient?: boolean;
  headingLevel?: 2 | 3;
}) {
  const { m, locale } = useI18n();
  const t = m.notifications.log;
  const key = JSON.stringify(filters);
  const first = useAsync((signal) => listMessages(filters, null, signal), [key]);
  const [extra, setExtra] = useState<{ key: string; items: NotificationMessage[]; cursor: string | null } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
  const more = extra?.key === key ? extra : null;
  const items = first.data ? [...first.data.items, ...(more?.items ?? [])] : [];
  const cursor = more ? more.cursor : (first.data?.nextCursor ?? null);
  const filtered = Boolean(filters.search || filters.channel || filters.status);
  const Heading = headingLevel === 2 ? 'h2' : 'h3';

  async function loadMore() {
    if (!cursor) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await listMessages(filters, cursor);
      setExtra({ key, items: [...(more?.items ?? []), ...page.items], cursor: page.nextCursor });
    } catch (error) {
      setMoreError(error);
    } finally {
      setLoadingMore(false);
    }
  }

  return (
    <>
      <Heading id={titleId} className="section-title">
        {title}
        {first.data ? <span className="section-title__count"> · {plural(locale, t.resultsCount, items.length)}</span> : null}
      </Heading>
      {first.error ? <LoadError title={t.loadError} error={first.error} onRetry={first.reload} retrying={first.loading} /> : null}
      {first.loading ? <Loading message={t.loading} /> : null}
      {first.data && items.length === 0 ? <EmptyState title={filtered ? t.emptyFiltered : t.empty} /> : null}
      {items.length > 0 ? (
        <div className="table-scroll" role="region" aria-labelledby={titleId} tabIndex={0}>
          <table className="table" aria-busy={first.loading}>
            <caption className="visually-hidden">{t.caption}</caption>
            <thead>
              <tr>
                <th scope="col">{t.columns.date}</th>
                {showRecipient ? <th scope="col">{t.columns.recipient}</th> : null}
                <th scope="col">{t.columns.channel}</th>
                <th scope="col">{t.columns.subject}</th>
                <th scope="col">{t.columns.status}</th>
                <th scope="col" className="num">
                  {t.columns.attempts}
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((message) => (
                <tr key={message.id} data-message-id={message.id}>
                  <td>
                    <DateTimeText iso={message.sentAt ?? message.createdAt} />
                  </td>
                  {showRecipient ? (
                    <td>
                      {message.artistId && message.artistName ? <Link href={`/artists/${message.artistId}?tab=messages`}>{message.artistName}</Link> : null}
                      {message.toAddress ? <span className="muted message-address">{message.toAddress}</span> : null}
                    </td>
                  ) : null}
                  <td>
                    <ChannelLabel channel={message.channel} />
                  </td>
                  <th scope="row" className="message-subject">
                    <Link href={`/messages/${message.id}`}>{message.subject || t.noSubject}</Link>
                    {message.openedAt || message.clickedAt ? (
                      <span className="muted">
                        {' · '}
                        {[message.openedAt ? t.openedShort : null, message.clickedAt ? t.clickedShort : null].filter(Boolean).join(', ')}
                      </span>
                    ) : null}
                  </th>
                  <td>
                    <MessageStatusPill status={message.status} />
                  </td>
                  <td className="num">{message.attempts}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {moreError ? <LoadError title={t.loadError} error={moreError} onRetry={() => void loadMore()} retrying={loadingMore} /> : null}
      {cursor ? (
        <p>
          <button type="button" className="button button--secondary" onClick={() => void loadMore()} disabled={loadingMore}>
            {loadingMore ? m.notifications.common.loadingMore : m.notifications.common.loadMore}
          </button>
        </p>
      ) : null}
    </>
  );
}
