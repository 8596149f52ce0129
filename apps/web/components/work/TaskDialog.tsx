'use client';

import { TASK_PRIORITIES, TASK_STATUSES, type TaskPriority, type TaskStatus } from '@mona/shared';
import { useState, type FormEvent } from 'react';
import { useForm } from '../../lib/use-form.ts';
import { archiveTask, createTask, updateTask, type Task } from '../../lib/work.ts';
import { Dialog } from '../Dialog.tsx';
import { FormBanner, SelectField, SubmitButton, TextAreaField, TextField } from '../Form.tsx';
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
  const [confirmArchive, setConfirmArchive] = useState(false);
  const form = useForm(FIELDS, m, splitWorkErrors);
  const { errors, pending } = form;

  const assigneeOptions = [{ value: '', label: w.common.unassigned }, ...team.map((u) => ({ value: u.id, label: u.name }))];
  if (task?.assigneeId && !team.some((u) => u.id === task.assigneeId)) {
    assigneeOptions.push({ value: task.assigneeId, label: task.assigneeName ?? task.assigneeId });
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Partial<Record<Field, string>> = {};
    if (!title.trim()) found.title = w.validation.titleRequired;
    const dueAt = dueDate ? fromInputs(dueDate, dueTime, DEFAULT_DUE_TIME) : null;
    if (dueDate && !dueAt) found.dueAt = w.validation.dateInvalid;
    const tagList = tags
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    if (tagList.length > 10) found.tags = w.validation.tagsTooMany;
    await form.submit(found, async () => {
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
    });
  }

  async function onArchive() {
    if (!task || pending) return;
    if (!confirmArchive) {
      setConfirmArchive(true);
      return;
    }
    await form.submit({}, async () => {
      onArchived?.(await archiveTask(task.id));
    });
  }

  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-busy={pending}>
      <FormBanner form={form} />
      {task?.interactionId ? <p className="muted">{t.fromInteraction}</p> : null}
      <TextField
        name="title"
        label={t.title}
        value={title}
        onChange={setTitle}
        required
        error={errors.title}
        autoComplete="off"
        inputRef={form.field('title')}
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
          inputRef={form.field('dueAt')}
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
        inputRef={form.field('tags')}
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
