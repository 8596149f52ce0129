'use client';

import { ApiError } from '@mona/sdk';
import { CHANNELS, WINDOW_RULES, type Channel, type WindowRule } from '@mona/shared';
import Link from 'next/link';
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { splitErrors } from '../../lib/errors.ts';
import { format, type Messages } from '../../lib/i18n.ts';
import { delayLabel, MAX_DELAY_DAYS, replaceSteps, splitDelay, type Sequence, type Template } from '../../lib/sequences.ts';
import { useForm, type ErrorSplitter } from '../../lib/use-form.ts';
import { FormBanner, SelectField, SubmitButton, TextField } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import { BilingualPreview } from './TemplatePreview.tsx';

interface DraftStep {
  /** Stable React key (steps have no id until saved). */
  key: string;
  days: string;
  hours: string;
  /** Minutes past the hour of a stored delay, kept as they were (the editor works in days and hours). */
  minutes: number;
  channel: Channel;
  templateId: string;
  windowRule: WindowRule;
}

type StepPart = 'days' | 'hours' | 'channel' | 'templateId' | 'windowRule';
type StepField = `steps.${number}.${StepPart}`;
const PARTS: readonly StepPart[] = ['days', 'hours', 'channel', 'templateId', 'windowRule'];

let keys = 0;
const nextKey = () => `new-${(keys += 1)}`;

function draftOf(sequence: Sequence): DraftStep[] {
  return sequence.steps.map((step) => {
    const d = splitDelay(step.delayMinutes);
    return {
      key: step.id,
      days: String(d.days),
      hours: String(d.hours),
      minutes: d.minutes,
      channel: step.channel,
      templateId: step.templateId,
      windowRule: step.windowRule,
    };
  });
}

const isWhole = (text: string) => /^\d+$/.test(text.trim());

/** Minutes from the start of the enrolment, or null when the days or hours are not valid. */
function delayOf(step: DraftStep): number | null {
  if (!isWhole(step.days) || !isWhole(step.hours)) return null;
  const days = Number(step.days);
  const hours = Number(step.hours);
  if (days > MAX_DELAY_DAYS || hours > 23) return null;
  return days * 1440 + hours * 60 + step.minutes;
}

/** The API's reasons for step fields, put on the editor's fields (delayMinutes → days, templateCode → template) in the reader's language. */
function stepSplitter(m: Messages): ErrorSplitter<StepField> {
  const s = m.notifications.sequences.steps;
  return (error, fields) => {
    if (!(error instanceof ApiError)) return splitErrors(error, fields, m);
    const extra = fields.flatMap((f) => (f.endsWith('.days') ? [f.replace(/\.days$/, '.delayMinutes'), f.replace(/\.days$/, '.templateCode')] : []));
    const split = splitErrors(error, [...fields, ...extra] as StepField[], m);
    const out: Partial<Record<StepField, string>> = {};
    for (const [field, message] of Object.entries(split.fieldErrors) as [string, string][]) {
      const issue = error.fieldIssues().find((i) => i.path === field || i.path.startsWith(`${field}.`));
      const original = issue?.message ?? '';
      if (field.endsWith('.delayMinutes')) {
        out[field.replace(/\.delayMinutes$/, '.days') as StepField] = /before the previous/.test(original) ? s.delayDecreases : message;
      } else if (field.endsWith('.templateCode') || field.endsWith('.templateId')) {
        out[field.replace(/\.templateCode$/, '.templateId') as StepField] = s.templateRequired;
      } else if (field.endsWith('.channel') && /template/i.test(original)) {
        out[field.replace(/\.channel$/, '.templateId') as StepField] = s.templateChannel;
      } else {
        out[field as StepField] = message;
      }
    }
    return { fieldErrors: out, banner: split.banner };
  };
}

/**
 * The ordered steps of a sequence as an editable list: delay (days and hours
 * from the start of the enrolment), channel, template, send window; add,
 * delete, and move a message up or down with buttons (the delays stay in
 * place, so the schedule keeps its order); a preview of each step in French
 * and English. Saves the whole list at once (PUT steps).
 */
export function StepsEditor({
  sequence,
  templates,
  onSaved,
  conflict,
}: {
  sequence: Sequence;
  templates: readonly Template[];
  onSaved: (next: Sequence) => void;
  conflict: (error: unknown) => string | null;
}) {
  const { m } = useI18n();
  const s = m.notifications.sequences.steps;
  const id = useId();
  const [steps, setSteps] = useState<DraftStep[]>(() => draftOf(sequence));
  const [saved, setSaved] = useState<DraftStep[]>(() => draftOf(sequence));
  const [announcement, setAnnouncement] = useState('');
  const [previewing, setPreviewing] = useState<string | null>(null);
  const [focusTarget, setFocusTarget] = useState<string | null>(null);
  const controls = useRef<Record<string, HTMLElement | null>>({});
  const addButton = useRef<HTMLButtonElement>(null);
  const count = steps.length;
  const fields = useMemo(() => Array.from({ length: count }, (_, i) => PARTS.map((p): StepField => `steps.${i}.${p}`)).flat(), [count]);
  const splitter = useMemo(() => stepSplitter(m), [m]);
  const form = useForm(fields, m, splitter);
  const { errors, pending } = form;
  const dirty = JSON.stringify(steps.map(({ key: _key, ...rest }) => rest)) !== JSON.stringify(saved.map(({ key: _key, ...rest }) => rest));

  useEffect(() => {
    if (!focusTarget) return;
    const target = focusTarget === 'add' ? addButton.current : controls.current[focusTarget];
    target?.focus();
    setFocusTarget(null);
  }, [focusTarget, steps]);

  const register = (name: string, field?: StepField) => (element: HTMLElement | null) => {
    controls.current[name] = element;
    if (field) form.field(field)(element);
  };

  function update(index: number, change: Partial<DraftStep>) {
    setAnnouncement('');
    setSteps((current) =>
      current.map((step, i) => {
        if (i !== index) return step;
        const next = { ...step, ...change };
        // A template of another channel cannot stay.
        if (change.channel && change.channel !== step.channel) next.templateId = '';
        return next;
      }),
    );
  }

  /** Swaps the messages (channel, template, window) of two steps; the delays stay where they are. */
  function move(from: number, to: number) {
    setSteps((current) => {
      const next = [...current];
      const a = next[from]!;
      const b = next[to]!;
      next[from] = { ...a, key: b.key, channel: b.channel, templateId: b.templateId, windowRule: b.windowRule };
      next[to] = { ...b, key: a.key, channel: a.channel, templateId: a.templateId, windowRule: a.windowRule };
      return next;
    });
    setAnnouncement(format(s.moved, { from: from + 1, to: to + 1 }));
    const direction = to < from ? 'up' : 'down';
    const last = steps.length - 1;
    // Keep focus on the same button of the moved message while it can still move that way.
    const stillMovable = direction === 'up' ? to > 0 : to < last;
    setFocusTarget(`${to}.${stillMovable ? direction : direction === 'up' ? 'down' : 'up'}`);
  }

  function remove(index: number) {
    setSteps((current) => current.filter((_, i) => i !== index));
    setAnnouncement(format(s.removed, { n: index + 1 }));
    setPreviewing(null);
    setFocusTarget(steps.length > 1 ? `${Math.min(index, steps.length - 2)}.days` : 'add');
  }

  function add() {
    const last = steps[steps.length - 1];
    const lastDelay = last ? (delayOf(last) ?? 0) : -1440;
    const days = Math.min(MAX_DELAY_DAYS, Math.floor(lastDelay / 1440) + 1);
    setSteps((current) => [
      ...current,
      { key: nextKey(), days: String(days), hours: '0', minutes: 0, channel: 'email', templateId: '', windowRule: 'marketing' },
    ]);
    setAnnouncement(format(s.added, { n: steps.length + 1 }));
    setFocusTarget(`${steps.length}.days`);
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setAnnouncement('');
    const found: Partial<Record<StepField, string>> = {};
    let previous = -1;
    steps.forEach((step, i) => {
      if (!isWhole(step.days) || Number(step.days) > MAX_DELAY_DAYS) found[`steps.${i}.days`] = s.daysInvalid;
      if (!isWhole(step.hours) || Number(step.hours) > 23) found[`steps.${i}.hours`] = s.hoursInvalid;
      const delay = delayOf(step);
      if (delay !== null && delay < previous) found[`steps.${i}.days`] = s.delayDecreases;
      if (delay !== null) previous = delay;
      const template = templates.find((t) => t.id === step.templateId);
      if (!template) found[`steps.${i}.templateId`] = s.templateRequired;
      else if (template.channel !== step.channel) found[`steps.${i}.templateId`] = s.templateChannel;
    });
    await form.submit(
      found,
      async () => {
        const next = await replaceSteps(
          sequence.id,
          steps.map((step) => ({ channel: step.channel, templateId: step.templateId, delayMinutes: delayOf(step)!, windowRule: step.windowRule })),
        );
        const draft = draftOf(next);
        setSteps(draft);
        setSaved(draft);
        setAnnouncement(s.saved);
        onSaved(next);
      },
      { conflict },
    );
  }

  return (
    <form className="form steps-editor" noValidate onSubmit={onSubmit} aria-busy={pending} aria-labelledby={`${id}-title`}>
      <div className="section-header">
        <h2 id={`${id}-title`} className="section-title">
          {s.title}
        </h2>
        {dirty ? <p className="steps-editor__dirty">{s.unsaved}</p> : null}
      </div>
      <p className="muted">{s.intro}</p>
      <FormBanner form={form} />
      {steps.length === 0 ? <p className="empty-state__title">{s.empty}</p> : null}
      <ol className="steps-list" aria-label={s.listLabel}>
        {steps.map((step, index) => {
          const delay = delayOf(step);
          const choices = templates.filter((t) => t.channel === step.channel);
          const n = index + 1;
          const field = (part: StepPart): StepField => `steps.${index}.${part}`;
          return (
            <li key={step.key} className="step-card" data-step={index}>
              <fieldset className="step-card__fieldset">
                <legend className="step-card__legend">
                  {format(s.step, { n })}
                  {delay !== null ? <span className="step-card__delay"> · {delayLabel(delay, m)}</span> : null}
                </legend>
                <div className="step-card__grid">
                  <div className="step-card__delay-fields">
                    <TextField
                      name={`step-${index}-days`}
                      type="number"
                      inputMode="numeric"
                      min={0}
                      max={MAX_DELAY_DAYS}
                      label={s.delayDays}
                      value={step.days}
                      onChange={(days) => update(index, { days })}
                      error={errors[field('days')]}
                      inputRef={register(`${index}.days`, field('days'))}
                    />
                    <TextField
                      name={`step-${index}-hours`}
                      type="number"
                      inputMode="numeric"
                      min={0}
                      max={23}
                      label={s.delayHours}
                      value={step.hours}
                      onChange={(hours) => update(index, { hours })}
                      error={errors[field('hours')]}
                      inputRef={register(`${index}.hours`, field('hours'))}
                    />
                  </div>
                  <SelectField
                    name={`step-${index}-channel`}
                    label={s.channel}
                    value={step.channel}
                    options={CHANNELS.map((c) => ({ value: c, label: m.notifications.channels[c] }))}
                    onChange={(channel) => update(index, { channel: channel as Channel })}
                    error={errors[field('channel')]}
                    selectRef={register(`${index}.channel`, field('channel'))}
                  />
                  <SelectField
                    name={`step-${index}-template`}
                    label={s.template}
                    value={step.templateId}
                    options={[{ value: '', label: s.chooseTemplate }, ...choices.map((t) => ({ value: t.id, label: `${t.name} (${t.code})` }))]}
                    onChange={(templateId) => update(index, { templateId })}
                    error={errors[field('templateId')]}
                    hint={choices.length === 0 ? s.noTemplate : undefined}
                    selectRef={register(`${index}.templateId`, field('templateId'))}
                  />
                  <SelectField
                    name={`step-${index}-window`}
                    label={s.windowRule}
                    value={step.windowRule}
                    options={WINDOW_RULES.map((w) => ({ value: w, label: m.notifications.windowRules[w] }))}
                    onChange={(windowRule) => update(index, { windowRule: windowRule as WindowRule })}
                    error={errors[field('windowRule')]}
                    selectRef={register(`${index}.windowRule`, field('windowRule'))}
                  />
                </div>
                <div className="step-card__actions">
                  <button
                    type="button"
                    className="button button--quiet button--small"
                    aria-label={format(s.moveUp, { n })}
                    disabled={index === 0}
                    ref={register(`${index}.up`)}
                    onClick={() => move(index, index - 1)}
                  >
                    <span aria-hidden="true">↑ </span>
                    {s.up}
                  </button>
                  <button
                    type="button"
                    className="button button--quiet button--small"
                    aria-label={format(s.moveDown, { n })}
                    disabled={index === steps.length - 1}
                    ref={register(`${index}.down`)}
                    onClick={() => move(index, index + 1)}
                  >
                    <span aria-hidden="true">↓ </span>
                    {s.down}
                  </button>
                  <button
                    type="button"
                    className="button button--quiet button--small"
                    aria-expanded={previewing === step.key}
                    aria-controls={`${id}-preview-${index}`}
                    disabled={!step.templateId}
                    onClick={() => setPreviewing((current) => (current === step.key ? null : step.key))}
                  >
                    {previewing === step.key ? s.hidePreview : s.preview}
                  </button>
                  <button
                    type="button"
                    className="button button--quiet button--small step-card__remove"
                    aria-label={format(s.remove, { n })}
                    onClick={() => remove(index)}
                  >
                    {s.delete}
                  </button>
                </div>
                <div id={`${id}-preview-${index}`}>
                  {previewing === step.key && step.templateId ? (
                    <section className="step-card__preview" aria-label={format(s.previewOf, { n })}>
                      <BilingualPreview templateId={step.templateId} />
                    </section>
                  ) : null}
                </div>
              </fieldset>
            </li>
          );
        })}
      </ol>
      <div className="inline-actions">
        <button type="button" className="button button--secondary" ref={addButton} onClick={add}>
          {s.add}
        </button>
        <SubmitButton pending={pending} label={s.save} pendingLabel={s.saving} />
        <Link href="/sequences/templates" className="button button--quiet">
          {m.notifications.sequences.templatesLink}
        </Link>
      </div>
      <p role="status" aria-live="polite" className="visually-hidden">
        {announcement}
      </p>
    </form>
  );
}
