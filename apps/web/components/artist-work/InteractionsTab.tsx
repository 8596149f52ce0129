'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import { describeError } from '../../lib/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { format } from '../../lib/i18n.ts';
import { useAsync } from '../../lib/use-async.ts';
import { fetchTimeline, type Interaction } from '../../lib/work.ts';
import { EmptyState, LoadError, Loading } from '../AsyncStates.tsx';
import { Alert } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { TaskStatusBadge, useTeam } from '../work/shared.tsx';
import { InteractionDialog } from './InteractionDialog.tsx';

/** An artist's interactions timeline, with add / edit / archive and each follow-up task's status. */
export function InteractionsTab({ artistId }: { artistId: string }) {
  const { m, locale } = useI18n();
  const t = m.work.interactions;
  const team = useTeam();
  const timeline = useAsync((signal) => fetchTimeline(artistId, null, signal), [artistId]);
  const [items, setItems] = useState<Interaction[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
  const [dialog, setDialog] = useState<{ interaction: Interaction | null } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    if (!timeline.data) return;
    setItems(timeline.data.items);
    setNextCursor(timeline.data.nextCursor);
  }, [timeline.data]);

  async function loadMore() {
    if (!nextCursor) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await fetchTimeline(artistId, nextCursor);
      setItems((current) => [...current, ...page.items]);
      setNextCursor(page.nextCursor);
    } catch (error) {
      setMoreError(error);
    } finally {
      setLoadingMore(false);
    }
  }

  const nameOf = (id: string | null) => (id ? (team.find((u) => u.id === id)?.name ?? null) : null);

  return (
    <section className="section" aria-labelledby={`interactions-${artistId}`}>
      <div className="section-header">
        <h2 id={`interactions-${artistId}`} className="section-title">
          {t.title}
        </h2>
        <button type="button" className="button button--primary" onClick={() => setDialog({ interaction: null })}>
          {t.add}
        </button>
      </div>
      <p className="muted">{t.intro}</p>
      {notice ? (
        <Alert tone="success">
          <p>{notice}</p>
        </Alert>
      ) : null}
      {timeline.error ? <LoadError title={t.loadError} error={timeline.error} onRetry={timeline.reload} retrying={timeline.loading} /> : null}
      {timeline.loading && !timeline.data ? <Loading message={t.loading} /> : null}
      {timeline.data && items.length === 0 ? <EmptyState title={t.empty} /> : null}
      {items.length > 0 ? (
        <ol className="work-timeline" aria-label={t.timelineLabel}>
          {items.map((item) => {
            const when = formatDateTime(item.occurredAt, locale);
            const assignee = nameOf(item.assigneeId);
            return (
              <li key={item.id} className="work-timeline__item">
                <div className="work-timeline__head">
                  <h3 className="section-title">
                    {m.work.interactionKinds[item.kind]} · <time dateTime={item.occurredAt}>{when}</time>
                  </h3>
                  <button
                    type="button"
                    className="button button--quiet button--small"
                    aria-label={format(t.editNamed, { date: when })}
                    onClick={() => setDialog({ interaction: item })}
                  >
                    {m.work.common.edit}
                  </button>
                </div>
                <p className="prewrap">{item.summary}</p>
                {item.outcome ? (
                  <p>
                    <strong>{t.outcome}</strong> ·{item.outcome}
                  </p>
                ) : null}
                {item.nextAction ? (
                  <div className="work-timeline__next">
                    <span>{format(t.nextActionLine, { action: item.nextAction })}</span>
                    {item.nextActionDueAt ? (
                      <span>
                        <time dateTime={item.nextActionDueAt}>{format(t.due, { date: formatDateTime(item.nextActionDueAt, locale) })}</time>
                      </span>
                    ) : null}
                    {assignee ? <span>{format(t.assignee, { name: assignee })}</span> : null}
                    {item.task ? (
                      item.task.archivedAt ? (
                        <span className="work-badge">{t.taskArchived}</span>
                      ) : (
                        <span className="work-inline">
                          <span className="visually-hidden">{format(t.taskStatus, { status: m.work.statuses[item.task.status] })}</span>
                          <span aria-hidden="true">
                            <TaskStatusBadge status={item.task.status} />
                          </span>
                          <Link href="/tasks">{t.openTask}</Link>
                        </span>
                      )
                    ) : null}
                  </div>
                ) : null}
              </li>
            );
          })}
        </ol>
      ) : null}
      {moreError ? (
        <Alert tone="error">
          <p>{describeError(moreError, m)}</p>
        </Alert>
      ) : null}
      {nextCursor ? (
        <button type="button" className="button button--secondary" onClick={() => void loadMore()} disabled={loadingMore}>
          {loadingMore ? m.work.common.loadingMore : m.work.common.loadMore}
        </button>
      ) : null}
      <InteractionDialog
        open={dialog !== null}
        artistId={artistId}
        interaction={dialog?.interaction ?? null}
        onClose={() => setDialog(null)}
        onSaved={(saved, created) => {
          setDialog(null);
          setNotice(created ? (saved.taskId ? t.createdWithTask : t.created) : t.saved);
          timeline.reload();
        }}
        onArchived={() => {
          setDialog(null);
          setNotice(t.archived);
          timeline.reload();
        }}
      />
    </section>
  );
}
