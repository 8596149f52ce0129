'use client';

import { OPPORTUNITY_STAGES, type OpportunityStage } from '@mona/shared';
import { useState, type FormEvent } from 'react';
import { useForm } from '../../lib/use-form.ts';
import { archiveOpportunity, createOpportunity, updateOpportunity, type Opportunity } from '../../lib/work.ts';
import { Dialog } from '../Dialog.tsx';
import { FormBanner, SelectField, SubmitButton, TextAreaField, TextField } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { ArtistPicker, centsToInput, InputField, parseEuros, splitWorkErrors, useTeam, type ArtistChoice } from './shared.tsx';

type Field = 'title' | 'valueCents' | 'probability' | 'stage' | 'expectedCloseOn' | 'ownerId' | 'notes' | 'artistId';
const FIELDS: readonly Field[] = ['title', 'valueCents', 'probability', 'stage', 'expectedCloseOn', 'ownerId', 'notes', 'artistId'];

const isClosed = (stage: OpportunityStage) => stage === 'won' || stage === 'lost';

/** Create (for `fixedArtist`, or a picked artist) or edit an opportunity; editing offers archiving. */
export function OpportunityDialog({
  open,
  opportunity,
  fixedArtist,
  onClose,
  onSaved,
  onArchived,
}: {
  open: boolean;
  opportunity: Opportunity | null;
  fixedArtist?: ArtistChoice | undefined;
  onClose: () => void;
  onSaved: (opportunity: Opportunity, created: boolean) => void;
  onArchived?: (opportunity: Opportunity) => void;
}) {
  const { m } = useI18n();
  const d = m.work.opportunities.dialog;
  return (
    <Dialog open={open} onClose={onClose} title={opportunity ? d.editTitle : d.createTitle} wide>
      {open ? (
        <OpportunityForm
          key={opportunity?.id ?? 'new'}
          opportunity={opportunity}
          fixedArtist={fixedArtist}
          onCancel={onClose}
          onSaved={onSaved}
          onArchived={onArchived}
        />
      ) : null}
    </Dialog>
  );
}

function OpportunityForm({
  opportunity,
  fixedArtist,
  onCancel,
  onSaved,
  onArchived,
}: {
  opportunity: Opportunity | null;
  fixedArtist: ArtistChoice | undefined;
  onCancel: () => void;
  onSaved: (opportunity: Opportunity, created: boolean) => void;
  onArchived: ((opportunity: Opportunity) => void) | undefined;
}) {
  const { m, locale } = useI18n();
  const w = m.work;
  const d = w.opportunities.dialog;
  const team = useTeam();
  const closed = opportunity ? isClosed(opportunity.stage) : false;
  const [title, setTitle] = useState(opportunity?.title ?? '');
  const [value, setValue] = useState(opportunity ? centsToInput(opportunity.valueCents, locale) : '');
  const [probability, setProbability] = useState(opportunity ? String(opportunity.probability) : '');
  const [stage, setStage] = useState<OpportunityStage>(opportunity?.stage ?? 'discovery');
  const [expectedCloseOn, setExpectedCloseOn] = useState(opportunity?.expectedCloseOn ?? '');
  const [ownerId, setOwnerId] = useState(opportunity?.ownerId ?? '');
  const [notes, setNotes] = useState(opportunity?.notes ?? '');
  const [artist, setArtist] = useState<ArtistChoice | null>(fixedArtist ?? null);
  const [confirmArchive, setConfirmArchive] = useState(false);
  const form = useForm(FIELDS, m, splitWorkErrors);
  const { errors, pending } = form;

  const ownerOptions = [{ value: '', label: opportunity ? w.common.nobody : w.common.none }, ...team.map((u) => ({ value: u.id, label: u.name }))];

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Partial<Record<Field, string>> = {};
    const cents = parseEuros(value);
    const percent = probability.trim() === '' ? null : Number(probability);
    if (!closed) {
      if (!title.trim()) found.title = w.validation.titleRequired;
      if (cents === null) found.valueCents = w.validation.amountInvalid;
      if (percent !== null && (!Number.isInteger(percent) || percent < 0 || percent > 100)) found.probability = w.validation.probabilityInvalid;
    }
    if (!opportunity && !artist) found.artistId = w.validation.artistUnknown;
    await form.submit(found, async () => {
      if (opportunity) {
        const body = closed
          ? { notes: notes.trim(), ownerId: ownerId || null }
          : {
              title: title.trim(),
              valueCents: cents!,
              ...(percent !== null ? { probability: percent } : {}),
              expectedCloseOn: expectedCloseOn || null,
              ownerId: ownerId || null,
              notes: notes.trim(),
            };
        onSaved(await updateOpportunity(opportunity.id, body), false);
      } else {
        const created = await createOpportunity(artist!.id, {
          title: title.trim(),
          valueCents: cents!,
          stage,
          ...(percent !== null ? { probability: percent } : {}),
          ...(expectedCloseOn ? { expectedCloseOn } : {}),
          ...(ownerId ? { ownerId } : {}),
          notes: notes.trim(),
        });
        onSaved(created, true);
      }
    });
  }

  async function onArchive() {
    if (!opportunity || pending) return;
    if (!confirmArchive) {
      setConfirmArchive(true);
      return;
    }
    await form.submit({}, async () => {
      onArchived?.(await archiveOpportunity(opportunity.id));
    });
  }

  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-busy={pending}>
      <FormBanner form={form} />
      {closed ? <p className="muted">{d.closedHint}</p> : null}
      {!opportunity && !fixedArtist ? <ArtistPicker value={artist} onChange={setArtist} error={errors.artistId} /> : null}
      <TextField
        name="title"
        label={d.title}
        value={title}
        onChange={setTitle}
        required
        disabled={closed}
        autoComplete="off"
        error={errors.title}
        inputRef={form.field('title')}
      />
      <div className="form-grid">
        <InputField
          name="value"
          label={d.value}
          hint={d.valueHint}
          value={value}
          onChange={setValue}
          inputMode="decimal"
          required
          disabled={closed}
          error={errors.valueCents}
          inputRef={form.field('valueCents')}
        />
        <InputField
          name="probability"
          label={d.probability}
          hint={d.probabilityHint}
          value={probability}
          onChange={setProbability}
          inputMode="numeric"
          disabled={closed}
          error={errors.probability}
          inputRef={form.field('probability')}
        />
      </div>
      <div className="form-grid">
        {!opportunity ? (
          <SelectField
            name="stage"
            label={d.stage}
            value={stage}
            onChange={(v) => setStage(v as OpportunityStage)}
            options={OPPORTUNITY_STAGES.map((s) => ({ value: s, label: w.opportunityStages[s] }))}
            error={errors.stage}
          />
        ) : null}
        <InputField
          name="expectedCloseOn"
          type="date"
          label={d.expectedClose}
          value={expectedCloseOn}
          onChange={setExpectedCloseOn}
          disabled={closed}
          error={errors.expectedCloseOn}
          inputRef={form.field('expectedCloseOn')}
        />
        <SelectField name="ownerId" label={d.owner} value={ownerId} onChange={setOwnerId} options={ownerOptions} error={errors.ownerId} />
      </div>
      <TextAreaField name="notes" label={d.notes} value={notes} onChange={setNotes} rows={3} maxLength={5000} error={errors.notes} />
      <div className="inline-actions work-dialog-actions">
        <SubmitButton
          pending={pending}
          label={opportunity ? w.common.save : w.common.create}
          pendingLabel={opportunity ? w.common.saving : w.common.creating}
        />
        <button type="button" className="button button--secondary" onClick={onCancel}>
          {w.common.cancel}
        </button>
        {opportunity ? (
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
