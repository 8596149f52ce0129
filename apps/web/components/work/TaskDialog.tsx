'use client';

import { TASK_PRIORITIES, TASK_STATUSES, type TaskPriority, type TaskStatus } from '@mona/shared';
import { useRef, useState, type FormEvent } from 'react';
import { useFocusFirstError } from '../../lib/use-focus-error.ts';
import { archiveTask, createTask, updateTask, type Task } from '../../lib/work.ts';
import { Dialog } from '../Dialog.tsx';
import { Alert, SelectField, SubmitButton, TextAreaField, TextField } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { ArtistPicker, dateInput, fromInputs, InputField, splitWorkErrors, timeInput, useTeam, type ArtistChoice } from './shared.tsx';

type Field = 'title' | 'description' | 'status' | 'priority' | 'assigneeId' | 'dueAt' | 'tags' | 'artistId';
const FIELDS: readonly Field[] = ['title', 'description', 'status', 'priority', 'assigneeId', 'dueAt', 'tags', 'artistId'];

const DEFAULT_DUE_TIME = '18:00';

/**
 * Create or edit a task. With `fixedArtist`, the task belongs to that artist
 * (the artist page's tab); otherwise an artist can be picked. Editing offers
 * archiving (with a confirmation step).
 */
export function TaskDialog({
  open,
  task,
  fixedArtist,
  initialStatus = 'todo',
  onClose,
  onSaved,
  onArchived,
}: {
  open: boolean;
  task: Task | null;
  fixedArtist?: ArtistChoice | undefined;
  initialStatus?: TaskStatus;
  onClose: () => void;
  onSaved: (task: Task, created: boolean) => void;
  onArchived?: (task: Task) => void;
}) {
  const { m } = useI18n();
  const t = m.work.tasks.dialog;
  return (
    <Dialog open={open} onClose={onClose} title={task ? t.editTitle : t.createTitle} wide>
      {open ? (
        <TaskForm
          key={task?.id ?? 'new'}
          task={task}
          fixedArtist={fixedArtist}
          initialStatus={initialStatus}
          onCancel={onClose}
          onSaved={onSaved}
          onArchived={onArchived}
        />
      ) : null}
    </Dialog>
  );
}

function TaskForm({
  task,
  fixedArtist,
  initialStatus,
  onCancel,
  onSaved,
  onArchived,
}: {
  task: Task | null;
  fixedArtist: ArtistChoice | undefined;
  initialStatus: TaskStatus;
  onCancel: () => void;
  onSaved: (task: Task, created: boolean) => void;
  onArchived: ((task: Task) => void) | undefined;
}) {
  const { m } = useI18n();
  const w = m.work;
  const t = w.tasks.dialog;
  const team = useTeam();
  const due = task?.dueAt ? new Date(task.dueAt) : null;
  const [title, setTitle] = useState(task?.title ?? '');
  const [description, setDescription] = useState(task?.description ?? '');
  const [status, setStatus] = useState<TaskStatus>(task?.status ?? initialStatus);
  const [priority, setPriority] = useState<TaskPriority>(task?.priority ?? 'normal');
  const [assigneeId, setAssigneeId] = useState(task?.assigneeId ?? '');
  const [dueDate, setDueDate] = useState(due ? dateInput(due) : '');
  const [dueTime, setDueTime] = useState(due ? timeInput(due) : '');
  const [tags, setTags] = useState((task?.tags ?? []).join(', '));
  const [artist, setArtist] = useState<ArtistChoice | null>(
    fixedArtist ?? (task?.artistId ? { id: task.artistId, stageName: task.artistName ?? task.artistId } : null),
  );
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [confirmArchive, setConfirmArchive] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const fieldRefs = useRef<Partial<Record<Field, HTMLInputElement | null>>>({});
  const bannerRef = useRef<HTMLDivElement>(null);
  useFocusFirstError(attempt, FIELDS, errors, fieldRefs, bannerRef);

  const assigneeOptions = [{ value: '', label: w.common.unassigned }, ...team.map((u) => ({ value: u.id, label: u.name }))];
  if (task?.assigneeId && !team.some((u) => u.id === task.assigneeId)) {
    assigneeOptions.push({ value: task.assigneeId, label: task.assigneeName ?? task.assigneeId });
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const found: Partial<Record<Field, string>> = {};
    if (!title.trim()) found.title = w.validation.titleRequired;
    const dueAt = dueDate ? fromInputs(dueDate, dueTime, DEFAULT_DUE_TIME) : null;
    if (dueDate && !dueAt) found.dueAt = w.validation.dateInvalid;
    const tagList = tags
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    if (tagList.length > 10) found.tags = w.validation.tagsTooMany;
    setErrors(found);
    setBanner(null);
    if (Object.keys(found).length > 0) {
      setAttempt((n) => n + 1);
      return;
    }
    setPending(true);
    try {
      const common = {
        title: title.trim(),
        description: description.trim(),
        priority,
        assigneeId: assigneeId || null,
        dueAt: dueAt ? dueAt.toISOString() : null,
        tags: tagList,
        artistId: artist?.id ?? null,
      };
      const saved = task ? await updateTask(task.id, common) : await createTask({ ...common, status });
      onSaved(saved, !task);
    } catch (error) {
      const split = splitWorkErrors(error, FIELDS, m);
      setErrors(split.fieldErrors);
      setBanner(split.banner);
      setAttempt((n) => n + 1);
    } finally {
      setPending(false);
    }
  }

  async function onArchive() {
    if (!task || pending) return;
    if (!confirmArchive) {
      setConfirmArchive(true);
      return;
    }
    setPending(true);
    try {
      onArchived?.(await archiveTask(task.id));
    } catch (error) {
      setBanner(splitWorkErrors(error, FIELDS, m).banner);
      setAttempt((n) => n + 1);
    } finally {
      setPending(false);
    }
  }

  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-busy={pending}>
      {banner ? (
        <Alert alertRef={bannerRef} tone="error">
          {banner}
        </Alert>
      ) : null}
      {task?.interactionId ? <p className="muted">{t.fromInteraction}</p> : null}
      <TextField
        name="title"
        label={t.title}
        value={title}
        onChange={setTitle}
        required
        error={errors.title}
        autoComplete="off"
        inputRef={(el) => {
          fieldRefs.current.title = el;
        }}
      />
      <TextAreaField
        name="description"
        label={t.description}
        value={description}
        onChange={setDescription}
        rows={3}
        maxLength={5000}
        error={errors.description}
      />
      <div className="form-grid">
        {!task ? (
          <SelectField
            name="status"
            label={t.status}
            value={status}
            onChange={(v) => setStatus(v as TaskStatus)}
            options={TASK_STATUSES.map((s) => ({ value: s, label: w.statuses[s] }))}
            error={errors.status}
          />
        ) : null}
        <SelectField
          name="priority"
          label={t.priority}
          value={priority}
          onChange={(v) => setPriority(v as TaskPriority)}
          options={TASK_PRIORITIES.map((p) => ({ value: p, label: w.priorities[p] }))}
          error={errors.priority}
        />
        <SelectField name="assigneeId" label={t.assignee} value={assigneeId} onChange={setAssigneeId} options={assigneeOptions} error={errors.assigneeId} />
      </div>
      <div className="form-grid">
        <InputField
          name="dueDate"
          type="date"
          label={t.dueDate}
          hint={t.dueHint}
          value={dueDate}
          onChange={setDueDate}
          error={errors.dueAt}
          inputRef={(el) => {
            fieldRefs.current.dueAt = el;
          }}
        />
        <InputField name="dueTime" type="time" label={t.dueTime} value={dueTime} onChange={setDueTime} disabled={!dueDate} />
      </div>
      <TextField
        name="tags"
        label={t.tags}
        hint={t.tagsHint}
        value={tags}
        onChange={setTags}
        error={errors.tags}
        autoComplete="off"
        inputRef={(el) => {
          fieldRefs.current.tags = el;
        }}
      />
      {fixedArtist ? null : <ArtistPicker value={artist} onChange={setArtist} error={errors.artistId} />}
      <div className="inline-actions work-dialog-actions">
        <SubmitButton pending={pending} label={task ? w.common.save : w.common.create} pendingLabel={task ? w.common.saving : w.common.creating} />
        <button type="button" className="button button--secondary" onClick={onCancel}>
          {w.common.cancel}
        </button>
        {task ? (
          <span className="work-danger-zone">
            {confirmArchive ? <span className="muted">{t.archiveHint}</span> : null}
            <button type="button" className="button button--quiet work-danger" onClick={() => void onArchive()} disabled={pending}>
              {confirmArchive ? w.common.confirmArchive : w.common.archive}
            </button>
          </span>
        ) : null}
      </div>
    </form>
  );
}
