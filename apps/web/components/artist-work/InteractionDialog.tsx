'use client';

import { INTERACTION_KINDS, type InteractionKind } from '@mona/shared';
import { useRef, useState, type FormEvent } from 'react';
import { useFocusFirstError } from '../../lib/use-focus-error.ts';
import { archiveInteraction, createInteraction, updateInteraction, type Interaction } from '../../lib/work.ts';
import { useAuth } from '../AuthProvider.tsx';
import { Dialog } from '../Dialog.tsx';
import { Alert, SelectField, SubmitButton, TextAreaField, TextField } from '../Form.tsx';
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
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [confirmArchive, setConfirmArchive] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const fieldRefs = useRef<Partial<Record<Field, HTMLInputElement | null>>>({});
  const bannerRef = useRef<HTMLDivElement>(null);
  useFocusFirstError(attempt, FIELDS, errors, fieldRefs, bannerRef);

  const assigneeOptions = [{ value: '', label: w.common.unassigned }, ...team.map((u) => ({ value: u.id, label: u.name }))];
  if (assigneeId && !team.some((u) => u.id === assigneeId))
    assigneeOptions.push({ value: assigneeId, label: assigneeId === user?.id ? user.name : assigneeId });

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const found: Partial<Record<Field, string>> = {};
    if (!summary.trim()) found.summary = w.validation.summaryRequired;
    const occurredAt = fromInputs(occurredDate, occurredTime);
    if (!occurredAt) found.occurredAt = w.validation.dateInvalid;
    const dueAt = dueDate ? fromInputs(dueDate, dueTime, '18:00') : null;
    if (dueDate && !dueAt) found.nextActionDueAt = w.validation.dateInvalid;
    else if (dueDate && !nextAction.trim()) found.nextActionDueAt = w.validation.dueNeedsAction;
    setErrors(found);
    setBanner(null);
    if (Object.keys(found).length > 0 || !occurredAt) {
      setAttempt((n) => n + 1);
      return;
    }
    setPending(true);
    try {
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
    if (!interaction || pending) return;
    if (!confirmArchive) {
      setConfirmArchive(true);
      return;
    }
    setPending(true);
    try {
      onArchived(await archiveInteraction(interaction.id));
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
          inputRef={(el) => {
            fieldRefs.current.occurredAt = el;
          }}
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
        inputRef={(el) => {
          fieldRefs.current.nextAction = el;
        }}
      />
      <div className="form-grid">
        <InputField
          name="dueDate"
          type="date"
          label={d.dueDate}
          value={dueDate}
          onChange={setDueDate}
          error={errors.nextActionDueAt}
          inputRef={(el) => {
            fieldRefs.current.nextActionDueAt = el;
          }}
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
