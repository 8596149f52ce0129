'use client';

import { TASK_STATUSES, type TaskStatus } from '@mona/shared';
import Link from 'next/link';
import { useState } from 'react';
import { describeError } from '../../lib/errors.ts';
import { formatDate, formatDateTime } from '../../lib/format.ts';
import { format } from '../../lib/i18n.ts';
import { useAsync } from '../../lib/use-async.ts';
import { artistTasks, moveTask, type Task } from '../../lib/work.ts';
import { EmptyState, LoadError, Loading } from '../AsyncStates.tsx';
import { Alert } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { MenuButton } from '../MenuButton.tsx';
import { LiveMessage, PriorityBadge, TaskStatusBadge } from '../work/shared.tsx';
import { TaskDialog } from '../work/TaskDialog.tsx';
import { isOverdue } from '../work/TasksView.tsx';

/** An artist's active tasks by column, with create / edit / archive and a "move to…" menu. */
export function TasksTab({ artistId }: { artistId: string }) {
  const { m, locale } = useI18n();
  const w = m.work;
  const t = w.artistTasks;
  const tasks = useAsync((signal) => artistTasks(artistId, signal), [artistId]);
  const [dialog, setDialog] = useState<{ task: Task | null } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [announce, setAnnounce] = useState('');
  const [pending, setPending] = useState<string | null>(null);
  const [now] = useState(() => Date.now());

  async function move(task: Task, status: TaskStatus) {
    setPending(task.id);
    setError(null);
    try {
      const saved = await moveTask(task.id, status);
      setAnnounce(format(w.tasks.moved, { title: saved.title, status: w.statuses[status] }));
      tasks.reload();
    } catch (caught) {
      setError(`${format(w.tasks.moveFailed, { title: task.title })} ${describeError(caught, m)}`);
    } finally {
      setPending(null);
    }
  }

  const list = tasks.data ?? [];
  return (
    <section className="section" aria-labelledby={`tasks-${artistId}`}>
      <div className="section-header">
        <h2 id={`tasks-${artistId}`} className="section-title">
          {t.title}
        </h2>
        <div className="inline-actions">
          <Link href="/tasks" className="button button--quiet">
            {t.board}
          </Link>
          <button type="button" className="button button--primary" onClick={() => setDialog({ task: null })}>
            {t.add}
          </button>
        </div>
      </div>
      <LiveMessage message={announce} />
      {notice ? (
        <Alert tone="success">
          <p>{notice}</p>
        </Alert>
      ) : null}
      {error ? (
        <Alert tone="error">
          <p>{error}</p>
        </Alert>
      ) : null}
      {tasks.error ? <LoadError title={t.loadError} error={tasks.error} onRetry={tasks.reload} retrying={tasks.loading} /> : null}
      {tasks.loading && !tasks.data ? <Loading message={t.loading} /> : null}
      {tasks.data && list.length === 0 ? <EmptyState title={t.empty} /> : null}
      {TASK_STATUSES.map((status) => {
        const column = list.filter((task) => task.status === status);
        if (column.length === 0) return null;
        return (
          <div key={status} className="section">
            <h3 className="section-title">
              <TaskStatusBadge status={status} /> <span className="section-title__count">({column.length})</span>
            </h3>
            <ul className="work-list">
              {column.map((task) => {
                const overdue = isOverdue(task, now);
                return (
                  <li key={task.id} className="work-list__item" aria-busy={pending === task.id}>
                    <div>
                      <button
                        type="button"
                        className="work-card__title"
                        onClick={() => setDialog({ task })}
                        aria-label={format(w.tasks.openTask, { title: task.title })}
                      >
                        {task.title}
                      </button>
                      <div className="work-card__meta">
                        <PriorityBadge priority={task.priority} />
                        {task.dueAt ? (
                          <span className={overdue ? 'work-due work-due--overdue' : 'work-due'}>
                            <time dateTime={task.dueAt} title={formatDateTime(task.dueAt, locale)}>
                              {format(w.common.dueOn, { date: formatDate(task.dueAt, locale) })}
                            </time>
                            {overdue ? <strong> · {w.common.overdue}</strong> : null}
                          </span>
                        ) : null}
                        <span className="work-card__line">
                          {task.assigneeName ? format(w.tasks.assigneeLabel, { name: task.assigneeName }) : w.common.unassigned}
                        </span>
                      </div>
                    </div>
                    <MenuButton
                      label={w.tasks.moveTo}
                      accessibleLabel={format(w.tasks.moveToNamed, { title: task.title })}
                      disabled={pending === task.id}
                      items={TASK_STATUSES.filter((s) => s !== status).map((s) => ({ id: s, label: w.statuses[s] }))}
                      onSelect={(to) => void move(task, to as TaskStatus)}
                    />
                  </li>
                );
              })}
            </ul>
          </div>
        );
      })}
      <TaskDialog
        open={dialog !== null}
        task={dialog?.task ?? null}
        fixedArtist={{ id: artistId, stageName: '' }}
        onClose={() => setDialog(null)}
        onSaved={(saved, created) => {
          setDialog(null);
          setNotice(format(created ? w.tasks.created : w.tasks.saved, { title: saved.title }));
          tasks.reload();
        }}
        onArchived={(archived) => {
          setDialog(null);
          setNotice(format(w.tasks.archived, { title: archived.title }));
          tasks.reload();
        }}
      />
    </section>
  );
}
