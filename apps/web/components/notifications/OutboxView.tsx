'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import { getMessage, getOutboxEntry, isMissing, listOutbox, type OutboxEntry, type OutboxEntryDetail } from '../../lib/notifications.ts';
import { useAsync } from '../../lib/use-async.ts';
import { EmptyState, LoadError, Loading } from '../AsyncStates.tsx';
import { Alert, SelectField } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { RequireRole, TEAM_ROLES } from '../RequireRole.tsx';
import { MessageContent } from './MessageDetailView.tsx';
import { ChannelLabel, DateTimeText } from './shared.tsx';

type OutboxChannel = 'email' | 'sms';

/** /outbox: emails and SMS kept locally when no SMTP server or SMS provider is configured. */
export function OutboxView() {
  return (
    <RequireRole roles={TEAM_ROLES}>
      <OutboxList />
    </RequireRole>
  );
}

function OutboxList() {
  const { m } = useI18n();
  const t = m.notifications.outbox;
  const [channel, setChannel] = useState<OutboxChannel | ''>('');
  const first = useAsync((signal) => listOutbox(channel, null, signal), [channel]);
  const [extra, setExtra] = useState<{ channel: string; items: OutboxEntry[]; cursor: string | null } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
  const more = extra?.channel === channel ? extra : null;
  const items = first.data ? [...first.data.items, ...(more?.items ?? [])] : [];
  const cursor = more ? more.cursor : (first.data?.nextCursor ?? null);

  async function loadMore() {
    if (!cursor) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await listOutbox(channel, cursor);
      setExtra({ channel, items: [...(more?.items ?? []), ...page.items], cursor: page.nextCursor });
    } catch (error) {
      setMoreError(error);
    } finally {
      setLoadingMore(false);
    }
  }

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 className="page-title">{t.title}</h1>
          <p className="lead">{t.intro}</p>
        </div>
        <div className="page-header__actions">
          <Link href="/messages" className="button button--quiet">
            {m.notifications.nav.messages}
          </Link>
        </div>
      </div>
      <section className="card section" aria-labelledby="outbox-list-title">
        <div className="section-header">
          <h2 id="outbox-list-title" className="section-title">
            {t.listTitle}
          </h2>
          <SelectField
            name="channel"
            label={t.channel}
            value={channel}
            onChange={(v) => setChannel(v as OutboxChannel | '')}
            options={[
              { value: '', label: m.notifications.common.allChannels },
              { value: 'email', label: m.notifications.channels.email },
              { value: 'sms', label: m.notifications.channels.sms },
            ]}
          />
        </div>
        {first.error ? <LoadError title={t.loadError} error={first.error} onRetry={first.reload} retrying={first.loading} /> : null}
        {first.loading ? <Loading message={t.loading} /> : null}
        {first.data && items.length === 0 ? <EmptyState title={t.empty}>{t.emptyHint}</EmptyState> : null}
        {items.length > 0 ? (
          <div className="table-scroll" role="region" aria-labelledby="outbox-list-title" tabIndex={0}>
            <table className="table">
              <caption className="visually-hidden">{t.caption}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.columns.date}</th>
                  <th scope="col">{t.columns.channel}</th>
                  <th scope="col">{t.columns.to}</th>
                  <th scope="col">{t.columns.subject}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((entry) => (
                  <tr key={entry.id} data-outbox-id={entry.id}>
                    <td>
                      <DateTimeText iso={entry.createdAt} />
                    </td>
                    <td>
                      <ChannelLabel channel={entry.channel} />
                    </td>
                    <td>{entry.toAddress}</td>
                    <th scope="row">
                      <Link href={`/outbox/${entry.id}`}>{entry.channel === 'sms' ? t.smsSubject : entry.subject || m.notifications.log.noSubject}</Link>
                    </th>
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
      </section>
    </div>
  );
}

/** /outbox/[id]: one kept email or SMS: its text part, its HTML part in a sandboxed frame, its full source. */
export function OutboxEntryView({ id }: { id: string }) {
  return (
    <RequireRole roles={TEAM_ROLES}>
      <OutboxEntryPage id={id} />
    </RequireRole>
  );
}

function OutboxEntryPage({ id }: { id: string }) {
  const { m } = useI18n();
  const t = m.notifications.outbox;
  const entry = useAsync((signal) => getOutboxEntry(id, signal), [id]);

  useEffect(() => {
    if (entry.data) document.title = `${entry.data.subject || t.entryTitle} · ${m.common.productName}`;
  }, [entry.data, m, t.entryTitle]);

  const back = (
    <nav aria-label={m.notifications.nav.outbox}>
      <Link href="/outbox">{t.back}</Link>
    </nav>
  );
  if (entry.error && !entry.data) {
    const missing = isMissing(entry.error);
    return (
      <div className="page">
        {back}
        <h1 className="page-title">{missing ? t.notFoundTitle : t.entryTitle}</h1>
        {missing ? (
          <Alert tone="warning">{t.notFound}</Alert>
        ) : (
          <LoadError title={t.loadError} error={entry.error} onRetry={entry.reload} retrying={entry.loading} />
        )}
      </div>
    );
  }
  if (!entry.data) return <Loading message={t.loading} />;
  const data = entry.data;
  return (
    <div className="page">
      {back}
      <div className="page-header">
        <div>
          <h1 className="page-title">{data.channel === 'sms' ? t.smsSubject : data.subject || m.notifications.log.noSubject}</h1>
          <p className="artist-summary">
            <ChannelLabel channel={data.channel} />
          </p>
        </div>
      </div>
      <section className="card section" aria-labelledby="outbox-details-title">
        <h2 id="outbox-details-title" className="section-title">
          {m.notifications.message.detailsTitle}
        </h2>
        <dl className="details">
          <div className="details__row">
            <dt>{t.to}</dt>
            <dd>{data.toAddress}</dd>
          </div>
          <div className="details__row">
            <dt>{t.date}</dt>
            <dd>
              <DateTimeText iso={data.createdAt} />
            </dd>
          </div>
        </dl>
        {data.messageId ? (
          <p>
            <Link href={`/messages/${data.messageId}`}>{t.messageLink}</Link>
          </p>
        ) : null}
      </section>
      <section className="card section" aria-labelledby="outbox-content-title">
        <h2 id="outbox-content-title" className="section-title">
          {m.notifications.message.contentTitle}
        </h2>
        {data.channel === 'sms' ? (
          <div>
            <h3 className="message-content__title">{t.smsText}</h3>
            <pre className="message-text">{data.raw}</pre>
          </div>
        ) : (
          <EmailParts entry={data} />
        )}
      </section>
    </div>
  );
}

/**
 * The parts of a kept email. The outbox holds the RFC 5322 source (MIME,
 * encoded); its text and HTML parts are the message's own rendered content,
 * read from the message log. The source stays readable below.
 */
function EmailParts({ entry }: { entry: OutboxEntryDetail }) {
  const { m } = useI18n();
  const t = m.notifications.outbox;
  const messageId = entry.messageId;
  const message = useAsync(async (signal) => (messageId ? getMessage(messageId, signal) : null), [messageId]);
  return (
    <>
      {message.loading ? <Loading message={t.partsLoading} /> : null}
      {message.error ? <Alert tone="warning">{t.partsError}</Alert> : null}
      {message.data ? <MessageContent text={message.data.bodyText} html={message.data.bodyHtml} subject={entry.subject} /> : null}
      <details className="outbox-source" open={!messageId}>
        <summary>{t.source}</summary>
        <pre className="message-text">{entry.raw}</pre>
      </details>
    </>
  );
}
