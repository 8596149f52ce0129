'use client';

import { SEQUENCE_TRIGGERS, TIERS, type SequenceTrigger, type Tier } from '@mona/shared';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { plural } from '../../lib/i18n.ts';
import { createSequence, getSequenceStats, listSequences, TRIGGER_PARAMETER, type Sequence, type TriggerConfig } from '../../lib/sequences.ts';
import { useAsync } from '../../lib/use-async.ts';
import { useForm } from '../../lib/use-form.ts';
import { EmptyState, LoadError, Loading } from '../AsyncStates.tsx';
import { Dialog } from '../Dialog.tsx';
import { FormBanner, SelectField, SubmitButton, TextAreaField, TextField } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { RequireRole, TEAM_ROLES } from '../RequireRole.tsx';
import { ChannelLabel, formatRate } from '../notifications/shared.tsx';
import { SequenceStatusPill, TriggerText, useOfferChoices, type OfferChoice } from './shared.tsx';

/** /sequences: every sequence with its trigger, status and a summary of its results. */
export function SequencesView() {
  return (
    <RequireRole roles={TEAM_ROLES}>
      <SequenceList />
    </RequireRole>
  );
}

function SequenceList() {
  const { m, locale } = useI18n();
  const s = m.notifications.sequences;
  const router = useRouter();
  const sequences = useAsync((signal) => listSequences(signal), []);
  const offers = useOfferChoices();
  const [creating, setCreating] = useState(false);

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 className="page-title">{s.title}</h1>
          <p className="lead">{s.intro}</p>
        </div>
        <div className="page-header__actions">
          <Link href="/sequences/templates" className="button button--quiet">
            {s.templatesLink}
          </Link>
          <button type="button" className="button button--primary" onClick={() => setCreating(true)}>
            {s.newSequence}
          </button>
        </div>
      </div>
      <section className="card section" aria-labelledby="sequences-list-title">
        <h2 id="sequences-list-title" className="section-title">
          {s.listTitle}
        </h2>
        {sequences.error ? <LoadError title={s.loadError} error={sequences.error} onRetry={sequences.reload} retrying={sequences.loading} /> : null}
        {sequences.loading && !sequences.data ? <Loading message={s.loading} /> : null}
        {sequences.data && sequences.data.length === 0 ? <EmptyState title={s.empty} /> : null}
        {sequences.data && sequences.data.length > 0 ? (
          <div className="table-scroll" role="region" aria-labelledby="sequences-list-title" tabIndex={0}>
            <table className="table">
              <caption className="visually-hidden">{s.caption}</caption>
              <thead>
                <tr>
                  <th scope="col">{s.columns.name}</th>
                  <th scope="col">{s.columns.trigger}</th>
                  <th scope="col">{s.columns.status}</th>
                  <th scope="col">{s.columns.steps}</th>
                  <th scope="col" className="num">
                    {s.columns.active}
                  </th>
                  <th scope="col" className="num">
                    {s.columns.enrolled}
                  </th>
                  <th scope="col" className="num">
                    {s.columns.openRate}
                  </th>
                  <th scope="col" className="num">
                    {s.columns.clickRate}
                  </th>
                </tr>
              </thead>
              <tbody>
                {sequences.data.map((sequence) => (
                  <tr key={sequence.id} data-sequence-id={sequence.id}>
                    <th scope="row">
                      <Link href={`/sequences/${sequence.id}`}>{sequence.name}</Link>
                    </th>
                    <td>
                      <TriggerText sequence={sequence} offers={offers} />
                    </td>
                    <td>
                      <SequenceStatusPill status={sequence.status} />
                    </td>
                    <td>
                      <StepsSummary sequence={sequence} />
                    </td>
                    <td className="num">{new Intl.NumberFormat(locale).format(sequence.activeEnrolments)}</td>
                    <StatsCells sequenceId={sequence.id} />
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>

      <Dialog open={creating} onClose={() => setCreating(false)} title={s.create.title} description={s.create.intro}>
        <CreateSequenceForm
          offers={offers}
          onCreated={(id) => {
            setCreating(false);
            router.push(`/sequences/${id}`);
          }}
        />
      </Dialog>
    </div>
  );
}

function StepsSummary({ sequence }: { sequence: Sequence }) {
  const { m, locale } = useI18n();
  const channels = [...new Set(sequence.steps.map((s) => s.channel))];
  return (
    <span className="steps-summary">
      {plural(locale, m.notifications.sequences.stepsSummary, sequence.steps.length)}
      {channels.length > 0 ? (
        <span className="steps-summary__channels">
          {channels.map((c) => (
            <ChannelLabel key={c} channel={c} />
          ))}
        </span>
      ) : null}
    </span>
  );
}

function StatsCells({ sequenceId }: { sequenceId: string }) {
  const { m, locale } = useI18n();
  const stats = useAsync((signal) => getSequenceStats(sequenceId, signal), [sequenceId]);
  if (!stats.data) {
    const text = stats.error ? m.notifications.sequences.statsUnavailable : '…';
    return (
      <>
        <td className="num">{text}</td>
        <td className="num">{text}</td>
        <td className="num">{text}</td>
      </>
    );
  }
  return (
    <>
      <td className="num">{new Intl.NumberFormat(locale).format(stats.data.enrolled)}</td>
      <td className="num">{stats.data.emailsSent > 0 ? formatRate(stats.data.openRate, locale) : m.notifications.common.none}</td>
      <td className="num">{stats.data.messagesSent > 0 ? formatRate(stats.data.clickRate, locale) : m.notifications.common.none}</td>
    </>
  );
}

type CreateField = 'name' | 'description' | 'trigger' | 'triggerConfig.offerCode' | 'triggerConfig.tier' | 'triggerConfig.days';
const CREATE_FIELDS: readonly CreateField[] = ['name', 'description', 'trigger', 'triggerConfig.offerCode', 'triggerConfig.tier', 'triggerConfig.days'];

/** The trigger and its parameter (offer, tier or days), shared by the create form and the rules form. */
export interface TriggerValues {
  trigger: SequenceTrigger;
  offerCode: string;
  tier: Tier | '';
  days: string;
}

export function triggerConfigOf(values: TriggerValues): TriggerConfig {
  const parameter = TRIGGER_PARAMETER[values.trigger];
  if (parameter === 'offerCode') return values.offerCode ? { offerCode: values.offerCode } : {};
  if (parameter === 'tier') return values.tier ? { tier: values.tier } : {};
  if (parameter === 'days') return { days: Number(values.days) };
  return {};
}

/** Client-side checks of the trigger's parameter. */
export function triggerErrors(values: TriggerValues, m: ReturnType<typeof useI18n>['m']): Partial<Record<'triggerConfig.tier' | 'triggerConfig.days', string>> {
  const r = m.notifications.sequences.rules;
  const parameter = TRIGGER_PARAMETER[values.trigger];
  const found: Partial<Record<'triggerConfig.tier' | 'triggerConfig.days', string>> = {};
  if (parameter === 'tier' && !values.tier) found['triggerConfig.tier'] = r.tierRequired;
  if (parameter === 'days' && (!/^\d+$/.test(values.days.trim()) || Number(values.days) < 1 || Number(values.days) > 3650))
    found['triggerConfig.days'] = r.daysInvalid;
  return found;
}

/** The trigger select and the field of its parameter. */
export function TriggerFields({
  values,
  onChange,
  offers,
  errors,
  field,
}: {
  values: TriggerValues;
  onChange: (values: TriggerValues) => void;
  offers: readonly OfferChoice[];
  errors: Partial<Record<string, string>>;
  field: (name: 'trigger' | 'triggerConfig.offerCode' | 'triggerConfig.tier' | 'triggerConfig.days') => (element: HTMLElement | null) => void;
}) {
  const { m } = useI18n();
  const s = m.notifications.sequences;
  const r = s.rules;
  const parameter = TRIGGER_PARAMETER[values.trigger];
  return (
    <div className="form-grid">
      <SelectField
        name="trigger"
        label={r.trigger}
        hint={r.triggerHint}
        value={values.trigger}
        options={SEQUENCE_TRIGGERS.map((t) => ({ value: t, label: s.triggers[t] }))}
        onChange={(v) => onChange({ ...values, trigger: v as SequenceTrigger })}
        error={errors.trigger}
        selectRef={field('trigger')}
      />
      {parameter === 'offerCode' ? (
        <SelectField
          name="offerCode"
          label={r.offer}
          value={values.offerCode}
          options={[{ value: '', label: r.anyOffer }, ...offers.map((o) => ({ value: o.code, label: o.name }))]}
          onChange={(v) => onChange({ ...values, offerCode: v })}
          error={errors['triggerConfig.offerCode']}
          selectRef={field('triggerConfig.offerCode')}
        />
      ) : null}
      {parameter === 'tier' ? (
        <SelectField
          name="tier"
          label={r.tier}
          value={values.tier}
          options={[{ value: '', label: '—' }, ...TIERS.map((t) => ({ value: t, label: m.crm.tiers[t] }))]}
          onChange={(v) => onChange({ ...values, tier: v as Tier | '' })}
          error={errors['triggerConfig.tier']}
          required
          selectRef={field('triggerConfig.tier')}
        />
      ) : null}
      {parameter === 'days' ? (
        <TextField
          name="days"
          type="number"
          inputMode="numeric"
          min={1}
          max={3650}
          label={r.days}
          value={values.days}
          onChange={(v) => onChange({ ...values, days: v })}
          error={errors['triggerConfig.days']}
          required
          inputRef={field('triggerConfig.days')}
        />
      ) : null}
    </div>
  );
}

function CreateSequenceForm({ offers, onCreated }: { offers: readonly OfferChoice[]; onCreated: (id: string) => void }) {
  const { m } = useI18n();
  const s = m.notifications.sequences;
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [trigger, setTrigger] = useState<TriggerValues>({ trigger: 'manual', offerCode: '', tier: '', days: '60' });
  const form = useForm(CREATE_FIELDS, m);
  const { errors, pending } = form;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Partial<Record<CreateField, string>> = { ...triggerErrors(trigger, m) };
    if (!name.trim()) found.name = s.rules.nameRequired;
    await form.submit(found, async () => {
      const created = await createSequence({
        name: name.trim(),
        ...(description.trim() ? { description: description.trim() } : {}),
        trigger: trigger.trigger,
        triggerConfig: triggerConfigOf(trigger),
      });
      onCreated(created.id);
    });
  }

  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-busy={pending}>
      <FormBanner form={form} />
      <TextField name="name" label={s.rules.name} value={name} onChange={setName} error={errors.name} required inputRef={form.field('name')} />
      <TextAreaField
        name="description"
        label={s.rules.description}
        value={description}
        onChange={setDescription}
        error={errors.description}
        rows={3}
        maxLength={2000}
        textareaRef={form.field('description')}
      />
      <TriggerFields values={trigger} onChange={setTrigger} offers={offers} errors={errors} field={(f) => form.field(f)} />
      <SubmitButton pending={pending} label={s.create.submit} pendingLabel={s.create.pending} />
    </form>
  );
}
