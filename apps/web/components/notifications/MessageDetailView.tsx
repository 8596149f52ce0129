'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { describeError } from '../../lib/errors.ts';
import { format } from '../../lib/i18n.ts';
import { describeRetryConflict, describeSkip, getMessage, isMissing, retryMessage, type NotificationMessageDetail } from '../../lib/notifications.ts';
import { useAsync } from '../../lib/use-async.ts';
import { LoadError, Loading } from '../AsyncStates.tsx';
import { Alert } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { RequireRole, TEAM_ROLES } from '../RequireRole.tsx';
import { ChannelLabel, DateTimeText, EmailFrame, MessageStatusPill } from './shared.tsx';

/** /messages/[id]: one message, its content, status history and engagement; retry when failed. */
export function MessageDetailView({ id }: { id: string }) {
  return (
    <RequireRole roles={TEAM_ROLES}>
      <MessageDetail id={id} />
    </RequireRole>
  );
}

function MessageDetail({ id }: { id: string }) {
  const { m } = useI18n();
  const t = m.notifications.message;
  const message = useAsync((signal) => getMessage(id, signal), [id]);

  useEffect(() => {
    if (message.data) document.title = `${message.data.subject || t.title} · ${m.common.productName}`;
  }, [message.data, m, t.title]);

  const back = (
    <nav aria-label={m.notifications.nav.messages}>
      <Link href="/messages">{t.back}</Link>
    </nav>
  );
  if (message.error && !message.data) {
    const notFound = isMissing(message.error);
    return (
      <div className="page">
        {back}
        <h1 className="page-title">{notFound ? t.notFoundTitle : t.title}</h1>
        {notFound ? (
          <Alert tone="warning">{t.notFound}</Alert>
        ) : (
          <LoadError title={t.loadError} error={message.error} onRetry={message.reload} retrying={message.loading} />
        )}
      </div>
    );
  }
  if (!message.data) return <Loading message={t.loading} />;
  return (
    <div className="page">
      {back}
      <MessageBody message={message.data} />
    </div>
  );
}

function MessageBody({ message }: { message: NotificationMessageDetail }) {
  const { m } = useI18n();
  const t = m.notifications.message;
  const f = t.fields;
  const router = useRouter();
  const [retrying, setRetrying] = useState(false);
  const [retryResult, setRetryResult] = useState<{ id: string; created: boolean } | null>(null);
  const [retryError, setRetryError] = useState<string | null>(null);

  async function retry() {
    setRetrying(true);
    setRetryError(null);
    try {
      const result = await retryMessage(message.id);
      setRetryResult({ id: result.id, created: result.created });
    } catch (error) {
      setRetryError(describeRetryConflict(error, m) ?? describeError(error, m));
    } finally {
      setRetrying(false);
    }
  }

  const title = message.subject || m.notifications.log.noSubject;
  return (
    <>
      <div className="page-header">
        <div>
          <h1 className="page-title">{title}</h1>
          <p className="artist-summary">
            <MessageStatusPill status={message.status} />
            <ChannelLabel channel={message.channel} />
            <span className="muted">{m.notifications.kinds[message.kind]}</span>
          </p>
        </div>
        {message.status === 'failed' ? (
          <div className="page-header__actions">
            <button type="button" className="button button--primary" onClick={() => void retry()} disabled={retrying || retryResult !== null}>
              {retrying ? t.retrying : t.retry}
            </button>
          </div>
        ) : null}
      </div>
      {message.status === 'failed' && !retryResult ? <p className="muted">{t.retryHint}</p> : null}
      {retryError ? <Alert tone="error">{retryError}</Alert> : null}
      {retryResult ? (
        <Alert tone="success">
          <p>{retryResult.created ? t.retried : t.retriedExisting}</p>
          <button type="button" className="button button--secondary alert__action" onClick={() => router.push(`/messages/${retryResult.id}`)}>
            {t.openRetry}
          </button>
        </Alert>
      ) : null}

      <div className="notifications-columns">
        <section className="card section" aria-labelledby="message-details-title">
          <h2 id="message-details-title" className="section-title">
            {t.detailsTitle}
          </h2>
          <dl className="details">
            <div className="details__row">
              <dt>{f.artist}</dt>
              <dd>
                {message.artistId && message.artistName ? (
                  <Link href={`/artists/${message.artistId}?tab=messages`}>{message.artistName}</Link>
                ) : (
                  m.notifications.common.none
                )}
              </dd>
            </div>
            <div className="details__row">
              <dt>{f.to}</dt>
              <dd>{message.toAddress ?? m.notifications.common.none}</dd>
            </div>
            <div className="details__row">
              <dt>{f.template}</dt>
              <dd>{message.templateCode ? <code>{message.templateCode}</code> : m.notifications.common.none}</dd>
            </div>
            <div className="details__row">
              <dt>{f.locale}</dt>
              <dd>{t.locales[message.locale] ?? message.locale}</dd>
            </div>
            {message.enrolmentId ? (
              <div className="details__row">
                <dt>{f.sequence}</dt>
                <dd>{message.stepPosition !== null ? format(t.stepValue, { position: message.stepPosition + 1 }) : m.notifications.common.none}</dd>
              </div>
            ) : null}
            <div className="details__row">
              <dt>{f.attempts}</dt>
              <dd>{format(t.attemptsValue, { attempts: message.attempts, max: message.maxAttempts })}</dd>
            </div>
            <div className="details__row">
              <dt>{f.sendAfter}</dt>
              <dd>
                <DateTimeText iso={message.sendAfter} />
              </dd>
            </div>
            <div className="details__row">
              <dt>{f.sentAt}</dt>
              <dd>
                <DateTimeText iso={message.sentAt} />
              </dd>
            </div>
            <div className="details__row">
              <dt>{f.deliveredAt}</dt>
              <dd>
                <DateTimeText iso={message.deliveredAt} />
              </dd>
            </div>
            <div className="details__row">
              <dt>{f.providerId}</dt>
              <dd>{message.providerId ? <code>{message.providerId}</code> : m.notifications.common.none}</dd>
            </div>
            {message.lastError ? (
              <div className="details__row">
                <dt>{f.lastError}</dt>
                <dd>{message.status === 'skipped' ? describeSkip(message.lastError, m) : message.lastError}</dd>
              </div>
            ) : null}
          </dl>
        </section>

        <section className="card section" aria-labelledby="message-engagement-title">
          <h2 id="message-engagement-title" className="section-title">
            {t.engagementTitle}
          </h2>
          <dl className="details">
            <div className="details__row">
              <dt>{t.opened}</dt>
              <dd>{message.openedAt ? <DateTimeText iso={message.openedAt} /> : t.notOpened}</dd>
            </div>
            <div className="details__row">
              <dt>{t.clicked}</dt>
              <dd>{message.clickedAt ? <DateTimeText iso={message.clickedAt} /> : t.notClicked}</dd>
            </div>
          </dl>
          <p className="meta-line">{t.trackingNote}</p>
        </section>
      </div>

      <section className="card section" aria-labelledby="message-content-title">
        <h2 id="message-content-title" className="section-title">
          {t.contentTitle}
        </h2>
        <MessageContent text={message.bodyText} html={message.bodyHtml} subject={title} />
      </section>

      <section className="card section" aria-labelledby="message-history-title">
        <h2 id="message-history-title" className="section-title">
          {t.historyTitle}
        </h2>
        <ol className="timeline" aria-label={t.historyCaption}>
          {message.events.map((event, index) => (
            <li key={`${event.at}-${index}`} className="timeline__item">
              <p className="timeline__title">
                <MessageStatusPill status={event.status} />
              </p>
              <p className="muted">
                <DateTimeText iso={event.at} />
              </p>
              {event.detail ? <p className="prewrap">{event.status === 'skipped' ? describeSkip(event.detail, m) : event.detail}</p> : null}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}

/** A message's text part, and its HTML part (emails) in a sandboxed frame. */
export function MessageContent({ text, html, subject }: { text: string; html: string | null; subject: string }) {
  const { m } = useI18n();
  const t = m.notifications.message;
  return (
    <div className="message-content">
      <div>
        <h3 className="message-content__title">{t.textPart}</h3>
        <pre className="message-text">{text}</pre>
      </div>
      {html ? (
        <div>
          <h3 className="message-content__title">{t.htmlPart}</h3>
          <EmailFrame html={html} title={format(t.htmlFrame, { subject })} />
        </div>
      ) : null}
    </div>
  );
}
