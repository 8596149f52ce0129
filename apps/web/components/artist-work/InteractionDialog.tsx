'use client';

import { INTERACTION_KINDS, type InteractionKind } from '@mona/shared';
import { useState, type FormEvent } from 'react';
import { useForm } from '../../lib/use-form.ts';
import { archiveInteraction, createInteraction, updateInteraction, type Interaction } from '../../lib/work.ts';
import { useAuth } from '../AuthProvider.tsx';
import { Dialog } from '../Dialog.tsx';
import { FormBanner, SelectField, SubmitButton, TextAreaField, TextField } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { dateInput, fromInputs, InputField, splitWorkErrors, timeInput, useTeam } from '../work/shared.tsx';

type Field = 'kind' | 'occurredAt' | 'summary' | 'outcome' | 'nextAction' | 'nextActionDueAt' | 'assigneeId';
const FIELDS: readonly Field[] = ['kind', 'occurredAt', 'summary', 'outcome', 'nextAction', 'nextActionDueAt', 'assigneeId'];

/** Record or edit a contact with an artist; a next action with a due date becomes a task. */
export function InteractionDialog({
  open,
  artistId,
  interaction,
  onClose,
  onSaved,
  onArchived,
}: {
  open: boolean;
  artistId: string;
  interaction: Interaction | null;
  onClose: () => void;
  onSaved: (interaction: Interaction, created: boolean) => void;
  onArchived: (interaction: Interaction) => void;
}) {
  const { m } = useI18n();
  const d = m.work.interactions.dialog;
  return (
    <Dialog open={open} onClose={onClose} title={interaction ? d.editTitle : d.createTitle} wide>
      {open ? (
        <InteractionForm
          key={interaction?.id ?? 'new'}
          artistId={artistId}
          interaction={interaction}
          onCancel={onClose}
          onSaved={onSaved}
          onArchived={onArchived}
        />
      ) : null}
    </Dialog>
  );
}

function InteractionForm({
  artistId,
  interaction,
  onCancel,
  onSaved,
  onArchived,
}: {
  artistId: string;
  interaction: Interaction | null;
  onCancel: () => void;
  onSaved: (interaction: Interaction, created: boolean) => void;
  onArchived: (interaction: Interaction) => void;
}) {
  const { m } = useI18n();
  const w = m.work;
  const d = w.interactions.dialog;
  const team = useTeam();
  const { user } = useAuth();
  const occurred = interaction ? new Date(interaction.occurredAt) : new Date();
  const due = interaction?.nextActionDueAt ? new Date(interaction.nextActionDueAt) : null;
  const [kind, setKind] = useState<InteractionKind>(interaction?.kind ?? 'call');
  const [occurredDate, setOccurredDate] = useState(dateInput(occurred));
  const [occurredTime, setOccurredTime] = useState(timeInput(occurred));
  const [summary, setSummary] = useState(interaction?.summary ?? '');
  const [outcome, setOutcome] = useState(interaction?.outcome ?? '');
  const [nextAction, setNextAction] = useState(interaction?.nextAction ?? '');
  const [dueDate, setDueDate] = useState(due ? dateInput(due) : '');
  const [dueTime, setDueTime] = useState(due ? timeInput(due) : '');
  const [assigneeId, setAssigneeId] = useState(interaction ? (interaction.assigneeId ?? '') : (user?.id ?? ''));
  const [confirmArchive, setConfirmArchive] = useState(false);
  const form = useForm(FIELDS, m, splitWorkErrors);
  const { errors, pending } = form;

  const assigneeOptions = [{ value: '', label: w.common.unassigned }, ...team.map((u) => ({ value: u.id, label: u.name }))];
  if (assigneeId && !team.some((u) => u.id === assigneeId))
    assigneeOptions.push({ value: assigneeId, label: assigneeId === user?.id ? user.name : assigneeId });

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Partial<Record<Field, string>> = {};
    if (!summary.trim()) found.summary = w.validation.summaryRequired;
    const occurredAt = fromInputs(occurredDate, occurredTime);
    if (!occurredAt) found.occurredAt = w.validation.dateInvalid;
    const dueAt = dueDate ? fromInputs(dueDate, dueTime, '18:00') : null;
    if (dueDate && !dueAt) found.nextActionDueAt = w.validation.dateInvalid;
    else if (dueDate && !nextAction.trim()) found.nextActionDueAt = w.validation.dueNeedsAction;
    await form.submit(found, async () => {
      // A missing date is in `found`: the action only runs with one.
      if (!occurredAt) return;
      const body = {
        kind,
        occurredAt: occurredAt.toISOString(),
        summary: summary.trim(),
        outcome: outcome.trim(),
        nextAction: nextAction.trim() || null,
        nextActionDueAt: dueAt ? dueAt.toISOString() : null,
        assigneeId: assigneeId || null,
      };
      if (interaction) onSaved(await updateInteraction(interaction.id, body), false);
      else onSaved(await createInteraction(artistId, body), true);
    });
  }

  async function onArchive() {
    if (!interaction || pending) return;
    if (!confirmArchive) {
      setConfirmArchive(true);
      return;
    }
    await form.submit({}, async () => {
      onArchived(await archiveInteraction(interaction.id));
    });
  }

  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-busy={pending}>
      <FormBanner form={form} />
      <div className="form-grid">
        <SelectField
          name="kind"
          label={d.kind}
          value={kind}
          onChange={(v) => setKind(v as InteractionKind)}
          options={INTERACTION_KINDS.map((k) => ({ value: k, label: w.interactionKinds[k] }))}
          error={errors.kind}
        />
        <InputField
          name="occurredDate"
          type="date"
          label={d.occurredDate}
          value={occurredDate}
          onChange={setOccurredDate}
          required
          error={errors.occurredAt}
          inputRef={form.field('occurredAt')}
        />
        <InputField name="occurredTime" type="time" label={d.occurredTime} value={occurredTime} onChange={setOccurredTime} />
      </div>
      <TextAreaField name="summary" label={d.summary} value={summary} onChange={setSummary} rows={3} maxLength={5000} error={errors.summary} />
      <TextAreaField name="outcome" label={d.outcome} value={outcome} onChange={setOutcome} rows={2} maxLength={2000} error={errors.outcome} />
      <TextField
        name="nextAction"
        label={d.nextAction}
        hint={d.nextActionHint}
        value={nextAction}
        onChange={setNextAction}
        autoComplete="off"
        error={errors.nextAction}
        inputRef={form.field('nextAction')}
      />
      <div className="form-grid">
        <InputField
          name="dueDate"
          type="date"
          label={d.dueDate}
          value={dueDate}
          onChange={setDueDate}
          error={errors.nextActionDueAt}
          inputRef={form.field('nextActionDueAt')}
        />
        <InputField name="dueTime" type="time" label={d.dueTime} value={dueTime} onChange={setDueTime} disabled={!dueDate} />
        <SelectField name="assigneeId" label={d.assignee} value={assigneeId} onChange={setAssigneeId} options={assigneeOptions} error={errors.assigneeId} />
      </div>
      <div className="inline-actions work-dialog-actions">
        <SubmitButton
          pending={pending}
          label={interaction ? w.common.save : w.common.create}
          pendingLabel={interaction ? w.common.saving : w.common.creating}
        />
        <button type="button" className="button button--secondary" onClick={onCancel}>
          {w.common.cancel}
        </button>
        {interaction ? (
          <span className="work-danger-zone">
            <button type="button" className="button button--quiet work-danger" onClick={() => void onArchive()} disabled={pending}>
              {confirmArchive ? w.common.confirmArchive : w.common.archive}
            </button>
          </span>
        ) : null}
      </div>
    </form>
  );
}
