'use client';

import {
  closestCorners,
  DndContext,
  KeyboardSensor,
  PointerSensor,
  pointerWithin,
  useDroppable,
  useSensor,
  useSensors,
  type Announcements,
  type CollisionDetection,
  type DragEndEvent,
  type DragOverEvent,
  type DragStartEvent,
  type UniqueIdentifier,
} from '@dnd-kit/core';
import { arrayMove, SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { ApiError } from '@mona/sdk';
import { TASK_PRIORITIES, TASK_STATUSES, type TaskPriority, type TaskStatus } from '@mona/shared';
import Link from 'next/link';
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { describeError } from '../../lib/errors.ts';
import { formatDate, formatDateTime } from '../../lib/format.ts';
import { format, plural } from '../../lib/i18n.ts';
import { useAsync } from '../../lib/use-async.ts';
import { fetchTaskBoard, moveTask, type Task, type TaskFilters } from '../../lib/work.ts';
import { EmptyState, LoadError, Loading } from '../AsyncStates.tsx';
import { Alert, CheckboxField, SelectField } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { MenuButton } from '../MenuButton.tsx';
import { RequireRole, TEAM_ROLES } from '../RequireRole.tsx';
import { LiveMessage, PriorityBadge, useTeam } from './shared.tsx';
import { TaskDialog } from './TaskDialog.tsx';

type Columns = Record<TaskStatus, Task[]>;
const COLUMN_PREFIX = 'col:';
const columnId = (status: TaskStatus) => `${COLUMN_PREFIX}${status}`;
const isStatus = (value: string): value is TaskStatus => (TASK_STATUSES as readonly string[]).includes(value);

const emptyColumns = (): Columns => ({ todo: [], in_progress: [], review: [], done: [] });

/** A card under the pointer wins over its column; the keyboard (no pointer) uses the closest corners. */
const collisionDetection: CollisionDetection = (args) => {
  const within = pointerWithin(args);
  if (within.length > 0) {
    const card = within.find((c) => !String(c.id).startsWith(COLUMN_PREFIX));
    return card ? [card] : within;
  }
  return closestCorners(args);
};

export function isOverdue(task: Pick<Task, 'dueAt' | 'status'>, now: number): boolean {
  return task.status !== 'done' && task.dueAt !== null && Date.parse(task.dueAt) < now;
}

export function TasksView() {
  return (
    <RequireRole roles={TEAM_ROLES}>
      <TasksBoardPage />
    </RequireRole>
  );
}

function TasksBoardPage() {
  const { m } = useI18n();
  const w = m.work;
  const team = useTeam();
  const [filters, setFilters] = useState<TaskFilters>({});
  const [tagDraft, setTagDraft] = useState('');
  const board = useAsync((signal) => fetchTaskBoard(filters, signal), [filters.mine, filters.assigneeId, filters.tag, filters.priority]);
  const [columns, setColumns] = useState<Columns>(emptyColumns);
  const [totals, setTotals] = useState<Record<TaskStatus, number>>({ todo: 0, in_progress: 0, review: 0, done: 0 });
  const [pending, setPending] = useState<ReadonlySet<string>>(new Set());
  const [announce, setAnnounce] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [moveError, setMoveError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<{ task: Task | null } | null>(null);
  const snapshot = useRef<{ columns: Columns; status: TaskStatus; index: number } | null>(null);
  const [now] = useState(() => Date.now());

  useEffect(() => {
    if (!board.data || snapshot.current) return;
    const next = emptyColumns();
    const nextTotals = { todo: 0, in_progress: 0, review: 0, done: 0 };
    for (const column of board.data.columns) {
      next[column.status] = column.tasks;
      nextTotals[column.status] = column.total;
    }
    setColumns(next);
    setTotals(nextTotals);
  }, [board.data]);

  const titles = useMemo(() => {
    const map = new Map<string, string>();
    for (const status of TASK_STATUSES) for (const task of columns[status]) map.set(task.id, task.title);
    return map;
  }, [columns]);

  const containerOf = (id: UniqueIdentifier, cols: Columns = columns): TaskStatus | null => {
    const key = String(id);
    if (key.startsWith(COLUMN_PREFIX)) {
      const status = key.slice(COLUMN_PREFIX.length);
      return isStatus(status) ? status : null;
    }
    return TASK_STATUSES.find((s) => cols[s].some((t) => t.id === key)) ?? null;
  };

  /** Saves a card's new place (already shown); on failure the board goes back and says why. */
  async function persist(task: Task, status: TaskStatus, list: Task[], before: Columns, fromStatus: TaskStatus) {
    const index = list.findIndex((t) => t.id === task.id);
    const afterId = list[index - 1]?.id;
    const beforeId = afterId ? undefined : list[index + 1]?.id;
    setPending((p) => new Set(p).add(task.id));
    setMoveError(null);
    try {
      const saved = await moveTask(task.id, status, { afterId, beforeId });
      setColumns((cols) => ({ ...cols, [status]: cols[status].map((t) => (t.id === saved.id ? saved : t)) }));
      if (fromStatus !== status) {
        setTotals((tot) => ({ ...tot, [fromStatus]: Math.max(0, tot[fromStatus] - 1), [status]: tot[status] + 1 }));
      }
      setAnnounce(format(fromStatus === status ? w.tasks.reordered : w.tasks.moved, { title: task.title, status: w.statuses[status] }));
    } catch (error) {
      setColumns(before);
      const conflict = error instanceof ApiError && error.status === 409;
      setMoveError(`${format(w.tasks.moveFailed, { title: task.title })} ${conflict ? w.tasks.moveConflict : describeError(error, m)}`);
      if (conflict) board.reload();
    } finally {
      setPending((p) => {
        const next = new Set(p);
        next.delete(task.id);
        return next;
      });
    }
  }

  /** Keyboard / menu alternative: to the bottom of another column, or one place up or down. */
  function moveByMenu(task: Task, from: TaskStatus, action: string) {
    const before = columns;
    const source = columns[from].filter((t) => t.id !== task.id);
    let to: TaskStatus = from;
    let list: Task[];
    if (action === 'up' || action === 'down') {
      const index = columns[from].findIndex((t) => t.id === task.id);
      const target = action === 'up' ? index - 1 : index + 1;
      if (target < 0 || target >= columns[from].length) return;
      list = arrayMove(columns[from], index, target);
    } else if (isStatus(action)) {
      to = action;
      list = [...columns[to], { ...task, status: to }];
    } else return;
    const next = { ...columns, [from]: to === from ? list : source, [to]: list };
    setColumns(next);
    void persist(task, to, list, before, from);
  }

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );

  function onDragStart({ active }: DragStartEvent) {
    const status = containerOf(active.id);
    if (!status) return;
    snapshot.current = { columns, status, index: columns[status].findIndex((t) => t.id === active.id) };
  }

  function onDragOver({ active, over }: DragOverEvent) {
    if (!over) return;
    const from = containerOf(active.id);
    const to = containerOf(over.id);
    if (!from || !to || from === to) return;
    setColumns((cols) => {
      const moving = cols[from].find((t) => t.id === active.id);
      if (!moving) return cols;
      const target = cols[to].filter((t) => t.id !== active.id);
      const overIndex = target.findIndex((t) => t.id === over.id);
      const index = overIndex >= 0 ? overIndex : target.length;
      target.splice(index, 0, { ...moving, status: to });
      return { ...cols, [from]: cols[from].filter((t) => t.id !== active.id), [to]: target };
    });
  }

  function onDragEnd({ active, over }: DragEndEvent) {
    const start = snapshot.current;
    snapshot.current = null;
    if (!start) return;
    const status = containerOf(active.id);
    if (!over || !status) {
      setColumns(start.columns);
      return;
    }
    let list = columns[status];
    const from = list.findIndex((t) => t.id === active.id);
    const overIndex = list.findIndex((t) => t.id === over.id);
    if (overIndex >= 0 && overIndex !== from) list = arrayMove(list, from, overIndex);
    const index = list.findIndex((t) => t.id === active.id);
    if (status === start.status && index === start.index) {
      setColumns(start.columns);
      return;
    }
    const task = list[index]!;
    setColumns({ ...columns, [status]: list });
    void persist(task, status, list, start.columns, start.status);
  }

  const titleOf = (id: UniqueIdentifier) => titles.get(String(id)) ?? String(id);
  const statusName = (id: UniqueIdentifier | undefined) => {
    if (id === undefined) return '';
    const status = containerOf(id);
    return status ? w.statuses[status] : '';
  };
  const announcements: Announcements = {
    onDragStart: ({ active }) => format(w.tasks.dnd.picked, { title: titleOf(active.id) }),
    onDragOver: ({ active, over }) =>
      over ? format(w.tasks.dnd.over, { title: titleOf(active.id), status: statusName(over.id) }) : format(w.tasks.dnd.outside, { title: titleOf(active.id) }),
    onDragEnd: ({ active, over }) =>
      over
        ? format(w.tasks.dnd.dropped, { title: titleOf(active.id), status: statusName(active.id) })
        : format(w.tasks.dnd.outside, { title: titleOf(active.id) }),
    onDragCancel: ({ active }) => format(w.tasks.dnd.cancelled, { title: titleOf(active.id) }),
  };

  const filtered = Boolean(filters.mine || filters.assigneeId || filters.tag || filters.priority);
  const total = TASK_STATUSES.reduce((sum, s) => sum + totals[s], 0);

  function applyTag(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFilters((f) => ({ ...f, tag: tagDraft.trim() || undefined }));
  }

  return (
    <div className="page page--wide">
      <div className="page-header">
        <div>
          <h1 className="page-title">{w.tasks.title}</h1>
          <p className="lead">{w.tasks.intro}</p>
        </div>
        <div className="page-header__actions">
          <button type="button" className="button button--primary" onClick={() => setDialog({ task: null })}>
            {w.tasks.newTask}
          </button>
        </div>
      </div>

      <section className="card section work-filters" aria-labelledby="task-filters-title">
        <h2 id="task-filters-title" className="section-title">
          {w.common.filters}
        </h2>
        <form className="work-filters__row" onSubmit={applyTag} role="search" aria-labelledby="task-filters-title">
          <CheckboxField name="mine" label={w.tasks.filterMine} checked={Boolean(filters.mine)} onChange={(mine) => setFilters((f) => ({ ...f, mine }))} />
          <SelectField
            name="assignee"
            label={w.tasks.filterAssignee}
            value={filters.assigneeId ?? ''}
            disabled={Boolean(filters.mine)}
            onChange={(assigneeId) => setFilters((f) => ({ ...f, assigneeId: assigneeId || undefined }))}
            options={[{ value: '', label: w.tasks.anyAssignee }, ...team.map((u) => ({ value: u.id, label: u.name }))]}
          />
          <SelectField
            name="priority"
            label={w.tasks.filterPriority}
            value={filters.priority ?? ''}
            onChange={(p) => setFilters((f) => ({ ...f, priority: (p || undefined) as TaskPriority | undefined }))}
            options={[{ value: '', label: w.tasks.anyPriority }, ...TASK_PRIORITIES.map((p) => ({ value: p, label: w.priorities[p] }))]}
          />
          <div className="field">
            <label className="field__label" htmlFor="task-filter-tag">
              {w.tasks.filterTag}
            </label>
            <div className="work-inline">
              <input id="task-filter-tag" className="field__input" type="search" value={tagDraft} onChange={(e) => setTagDraft(e.target.value)} />
              <button type="submit" className="button button--secondary">
                {w.common.apply}
              </button>
            </div>
          </div>
          {filtered ? (
            <button
              type="button"
              className="button button--quiet"
              onClick={() => {
                setTagDraft('');
                setFilters({});
              }}
            >
              {w.common.resetFilters}
            </button>
          ) : null}
        </form>
      </section>

      <LiveMessage message={announce} />
      {notice ? (
        <Alert tone="success">
          <p>{notice}</p>
        </Alert>
      ) : null}
      {moveError ? (
        <Alert tone="error">
          <p>{moveError}</p>
        </Alert>
      ) : null}

      {board.error ? <LoadError title={w.tasks.loadError} error={board.error} onRetry={board.reload} retrying={board.loading} /> : null}
      {board.loading && !board.data ? <Loading message={w.tasks.loading} /> : null}
      {board.data && total === 0 ? <EmptyState title={filtered ? w.tasks.emptyFiltered : w.tasks.emptyBoard} /> : null}

      {board.data ? (
        <DndContext
          sensors={sensors}
          collisionDetection={collisionDetection}
          onDragStart={onDragStart}
          onDragOver={onDragOver}
          onDragEnd={onDragEnd}
          onDragCancel={() => {
            if (snapshot.current) setColumns(snapshot.current.columns);
            snapshot.current = null;
          }}
          accessibility={{ announcements, screenReaderInstructions: { draggable: w.tasks.dnd.instructions } }}
        >
          <div className="work-board" role="region" aria-label={w.tasks.boardLabel} aria-busy={board.loading}>
            {TASK_STATUSES.map((status) => (
              <Column
                key={status}
                status={status}
                tasks={columns[status]}
                total={totals[status]}
                pending={pending}
                now={now}
                onOpen={(task) => setDialog({ task })}
                onMenu={moveByMenu}
              />
            ))}
          </div>
        </DndContext>
      ) : null}

      <TaskDialog
        open={dialog !== null}
        task={dialog?.task ?? null}
        onClose={() => setDialog(null)}
        onSaved={(task, created) => {
          setDialog(null);
          setNotice(format(created ? w.tasks.created : w.tasks.saved, { title: task.title }));
          board.reload();
        }}
        onArchived={(task) => {
          setDialog(null);
          setNotice(format(w.tasks.archived, { title: task.title }));
          board.reload();
        }}
      />
    </div>
  );
}

function Column({
  status,
  tasks,
  total,
  pending,
  now,
  onOpen,
  onMenu,
}: {
  status: TaskStatus;
  tasks: Task[];
  total: number;
  pending: ReadonlySet<string>;
  now: number;
  onOpen: (task: Task) => void;
  onMenu: (task: Task, from: TaskStatus, action: string) => void;
}) {
  const { m, locale } = useI18n();
  const w = m.work;
  const { setNodeRef, isOver } = useDroppable({ id: columnId(status) });
  const titleId = useId();
  const hidden = Math.max(0, total - tasks.length);
  return (
    <section ref={setNodeRef} className={isOver ? 'work-column work-column--over' : 'work-column'} aria-labelledby={titleId} data-status={status}>
      <h2 id={titleId} className="work-column__title">
        <span>{w.statuses[status]}</span>
        <span className="work-column__count">
          <span className="visually-hidden">, </span>
          {plural(locale, w.tasks.columnCount, total)}
        </span>
      </h2>
      <SortableContext items={tasks.map((t) => t.id)} strategy={verticalListSortingStrategy}>
        {tasks.length === 0 ? <p className="work-column__empty">{w.tasks.columnEmpty}</p> : null}
        <ul className="work-cards">
          {tasks.map((task, index) => (
            <TaskCard
              key={task.id}
              task={task}
              status={status}
              first={index === 0}
              last={index === tasks.length - 1}
              pending={pending.has(task.id)}
              now={now}
              onOpen={onOpen}
              onMenu={onMenu}
            />
          ))}
        </ul>
      </SortableContext>
      {hidden > 0 ? <p className="meta-line">{plural(locale, w.tasks.moreHidden, hidden)}</p> : null}
    </section>
  );
}

function TaskCard({
  task,
  status,
  first,
  last,
  pending,
  now,
  onOpen,
  onMenu,
}: {
  task: Task;
  status: TaskStatus;
  first: boolean;
  last: boolean;
  pending: boolean;
  now: number;
  onOpen: (task: Task) => void;
  onMenu: (task: Task, from: TaskStatus, action: string) => void;
}) {
  const { m, locale } = useI18n();
  const w = m.work;
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id: task.id, disabled: pending });
  const style = {
    transform: transform ? `translate3d(${Math.round(transform.x)}px, ${Math.round(transform.y)}px, 0)` : undefined,
    transition,
  };
  const overdue = isOverdue(task, now);
  const menuItems = [
    ...(first ? [] : [{ id: 'up', label: w.tasks.moveUp }]),
    ...(last ? [] : [{ id: 'down', label: w.tasks.moveDown }]),
    ...TASK_STATUSES.filter((s) => s !== status).map((s) => ({ id: s, label: w.statuses[s] })),
  ];
  return (
    <li
      ref={setNodeRef}
      style={style}
      className={['work-card', isDragging ? 'work-card--dragging' : '', pending ? 'work-card--pending' : '', overdue ? 'work-card--overdue' : ''].join(' ')}
      aria-busy={pending}
      data-task-id={task.id}
    >
      <div className="work-card__top">
        <button type="button" className="work-card__handle" aria-label={format(w.tasks.dragHandle, { title: task.title })} {...attributes} {...listeners}>
          <span aria-hidden="true">⠿</span>
        </button>
        <button type="button" className="work-card__title" onClick={() => onOpen(task)} aria-label={format(w.tasks.openTask, { title: task.title })}>
          {task.title}
        </button>
      </div>
      <div className="work-card__meta">
        <PriorityBadge priority={task.priority} />
        {task.dueAt ? (
          <span className={overdue ? 'work-due work-due--overdue' : 'work-due'}>
            {overdue ? (
              <span aria-hidden="true" className="work-due__icon">
                ⚠{' '}
              </span>
            ) : null}
            <time dateTime={task.dueAt} title={formatDateTime(task.dueAt, locale)}>
              {format(w.common.dueOn, { date: formatDate(task.dueAt, locale) })}
            </time>
            {overdue ? <strong className="work-due__flag"> · {w.common.overdue}</strong> : null}
          </span>
        ) : null}
      </div>
      <p className="work-card__line">{task.assigneeName ? format(w.tasks.assigneeLabel, { name: task.assigneeName }) : w.common.unassigned}</p>
      {task.artistId ? (
        <p className="work-card__line">
          <Link href={`/artists/${task.artistId}`}>{format(w.common.linkedArtist, { name: task.artistName ?? '…' })}</Link>
        </p>
      ) : null}
      {task.tags.length > 0 ? (
        <ul className="work-tags" aria-label={w.tasks.tagsLabel}>
          {task.tags.map((tag) => (
            <li key={tag} className="work-tag">
              #{tag}
            </li>
          ))}
        </ul>
      ) : null}
      <MenuButton
        label={w.tasks.moveTo}
        accessibleLabel={format(w.tasks.moveToNamed, { title: task.title })}
        disabled={pending}
        items={menuItems}
        onSelect={(id) => onMenu(task, status, id)}
      />
    </li>
  );
}
