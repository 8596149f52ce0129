'use client';

import { EXIT_CONDITIONS, PIPELINE_STAGES, TIERS, type ExitCondition, type PipelineStage, type Tier } from '@mona/shared';
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { format } from '../../lib/i18n.ts';
import { EXIT_PARAMETER, updateSequence, type ExitRule, type Sequence } from '../../lib/sequences.ts';
import { useForm } from '../../lib/use-form.ts';
import { Alert, FormBanner, SelectField, SubmitButton, TextAreaField, TextField } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { triggerConfigOf, triggerErrors, TriggerFields, type TriggerValues } from './SequencesView.tsx';
import type { OfferChoice } from './shared.tsx';

interface DraftExit {
  key: string;
  type: ExitCondition;
  value: string;
}

let keys = 0;

function exitOf(draft: DraftExit): ExitRule {
  const parameter = EXIT_PARAMETER[draft.type];
  if (!parameter || !draft.value) return { type: draft.type };
  if (parameter === 'stage') return { type: draft.type, stage: draft.value as PipelineStage };
  if (parameter === 'tier') return { type: draft.type, tier: draft.value as Tier };
  return { type: draft.type, offerCode: draft.value };
}

function draftsOf(rules: readonly ExitRule[]): DraftExit[] {
  return rules.map((rule) => ({ key: `exit-${(keys += 1)}`, type: rule.type, value: rule.offerCode ?? rule.stage ?? rule.tier ?? '' }));
}

type BaseField = 'name' | 'description' | 'trigger' | 'triggerConfig.offerCode' | 'triggerConfig.tier' | 'triggerConfig.days';
type Field = BaseField | `exitRules.${number}`;
const BASE_FIELDS: readonly BaseField[] = ['name', 'description', 'trigger', 'triggerConfig.offerCode', 'triggerConfig.tier', 'triggerConfig.days'];

/** Name, description, trigger and exit conditions of a sequence (PATCH). */
export function RulesForm({
  sequence,
  offers,
  onSaved,
  conflict,
}: {
  sequence: Sequence;
  offers: readonly OfferChoice[];
  onSaved: (next: Sequence) => void;
  conflict: (error: unknown) => string | null;
}) {
  const { m } = useI18n();
  const s = m.notifications.sequences;
  const r = s.rules;
  const id = useId();
  const [name, setName] = useState(sequence.name);
  const [description, setDescription] = useState(sequence.description);
  const [trigger, setTrigger] = useState<TriggerValues>({
    trigger: sequence.trigger,
    offerCode: sequence.triggerConfig.offerCode ?? '',
    tier: sequence.triggerConfig.tier ?? '',
    days: String(sequence.triggerConfig.days ?? 60),
  });
  const [exits, setExits] = useState<DraftExit[]>(() => draftsOf(sequence.exitRules));
  const [saved, setSaved] = useState(false);
  const [focusExit, setFocusExit] = useState<number | 'add' | null>(null);
  const exitRefs = useRef<(HTMLSelectElement | null)[]>([]);
  const addRef = useRef<HTMLButtonElement>(null);
  const count = exits.length;
  const fields = useMemo<Field[]>(() => [...BASE_FIELDS, ...Array.from({ length: count }, (_, i) => `exitRules.${i}` as const)], [count]);
  const form = useForm(fields, m);
  const { errors, pending } = form;

  useEffect(() => {
    if (focusExit === null) return;
    (focusExit === 'add' ? addRef.current : exitRefs.current[focusExit])?.focus();
    setFocusExit(null);
  }, [focusExit, exits]);

  const touch = () => setSaved(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const found: Partial<Record<Field, string>> = { ...triggerErrors(trigger, m) };
    if (!name.trim()) found.name = r.nameRequired;
    await form.submit(
      found,
      async () => {
        const next = await updateSequence(sequence.id, {
          name: name.trim(),
          description: description.trim(),
          trigger: trigger.trigger,
          triggerConfig: triggerConfigOf(trigger),
          exitRules: exits.map(exitOf),
        });
        onSaved(next);
        setSaved(true);
      },
      { conflict },
    );
  }

  return (
    <form className="form" noValidate onSubmit={onSubmit} aria-busy={pending} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="section-title">
        {r.title}
      </h2>
      <FormBanner form={form} />
      <TextField
        name="name"
        label={r.name}
        value={name}
        onChange={(v) => {
          touch();
          setName(v);
        }}
        error={errors.name}
        required
        inputRef={form.field('name')}
      />
      <TextAreaField
        name="description"
        label={r.description}
        value={description}
        onChange={(v) => {
          touch();
          setDescription(v);
        }}
        error={errors.description}
        rows={3}
        maxLength={2000}
        textareaRef={form.field('description')}
      />
      <TriggerFields
        values={trigger}
        onChange={(v) => {
          touch();
          setTrigger(v);
        }}
        offers={offers}
        errors={errors}
        field={(f) => form.field(f)}
      />
      <fieldset className="fieldset" aria-describedby={`${id}-exit-hint`}>
        <legend className="field__label">{r.exitTitle}</legend>
        <p className="field__hint" id={`${id}-exit-hint`}>
          {r.exitHint}
        </p>
        {exits.length === 0 ? <p className="muted">{r.exitEmpty}</p> : null}
        <ol className="exit-rules">
          {exits.map((exit, index) => {
            const parameter = EXIT_PARAMETER[exit.type];
            const n = index + 1;
            return (
              <li key={exit.key} className="exit-rule">
                <SelectField
                  name={`exit-${index}-type`}
                  label={format(r.exitRule, { n })}
                  value={exit.type}
                  options={EXIT_CONDITIONS.map((c) => ({ value: c, label: s.exitConditions[c] }))}
                  onChange={(v) => {
                    touch();
                    setExits((current) => current.map((e, i) => (i === index ? { ...e, type: v as ExitCondition, value: '' } : e)));
                  }}
                  error={errors[`exitRules.${index}`]}
                  selectRef={(el) => {
                    exitRefs.current[index] = el;
                    form.field(`exitRules.${index}`)(el);
                  }}
                />
                {parameter ? (
                  <SelectField
                    name={`exit-${index}-value`}
                    label={parameter === 'offerCode' ? r.offer : parameter === 'stage' ? r.stage : r.tier}
                    value={exit.value}
                    options={
                      parameter === 'offerCode'
                        ? [{ value: '', label: r.anyOffer }, ...offers.map((o) => ({ value: o.code, label: o.name }))]
                        : parameter === 'stage'
                          ? [{ value: '', label: r.anyStage }, ...PIPELINE_STAGES.map((st) => ({ value: st, label: m.crm.stages[st] }))]
                          : [{ value: '', label: r.anyTier }, ...TIERS.map((t) => ({ value: t, label: m.crm.tiers[t] }))]
                    }
                    onChange={(v) => {
                      touch();
                      setExits((current) => current.map((e, i) => (i === index ? { ...e, value: v } : e)));
                    }}
                  />
                ) : null}
                <button
                  type="button"
                  className="button button--quiet button--small exit-rule__remove"
                  onClick={() => {
                    touch();
                    setExits((current) => current.filter((_, i) => i !== index));
                    setFocusExit(exits.length > 1 ? Math.min(index, exits.length - 2) : 'add');
                  }}
                >
                  {format(r.removeExit, { n })}
                </button>
              </li>
            );
          })}
        </ol>
        <button
          type="button"
          ref={addRef}
          className="button button--secondary button--small"
          onClick={() => {
            touch();
            setExits((current) => [...current, { key: `exit-${(keys += 1)}`, type: 'unsubscribed', value: '' }]);
            setFocusExit(exits.length);
          }}
        >
          {r.addExit}
        </button>
      </fieldset>
      <div className="inline-actions">
        <SubmitButton pending={pending} label={r.save} pendingLabel={r.saving} />
      </div>
      <div role="status">{saved ? <Alert tone="success">{r.saved}</Alert> : null}</div>
    </form>
  );
}
