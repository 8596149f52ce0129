'use client';

import { ApiError } from '@mona/sdk';
import type { CalendarKind, TaskPriority, TaskStatus } from '@mona/shared';
import { format as formatDateFns, isValid, parse } from 'date-fns';
import { useEffect, useId, useState, type ChangeEvent, type Ref } from 'react';
import { splitErrors, translateIssue } from '../../lib/errors.ts';
import { format, type Locale, type Messages } from '../../lib/i18n.ts';
import { listTeam, searchArtists, type TeamMember } from '../../lib/work.ts';
import { FieldError } from '../Form.tsx';
import { useI18n } from '../I18nProvider.tsx';
import './work.css';

// ---- Team members ----------------------------------------------------------

let teamCache: Promise<TeamMember[]> | null = null;

/** Active team members for assignee / owner pickers (one request per page load). */
export function useTeam(): TeamMember[] {
  const [members, setMembers] = useState<TeamMember[]>([]);
  useEffect(() => {
    let live = true;
    teamCache ??= listTeam().catch((error: unknown) => {
      teamCache = null;
      throw error;
    });
    teamCache.then(
      (list) => live && setMembers(list),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  return members;
}

// ---- Money: integer cents in, EUR out ------------------------------------

export function formatEur(cents: number, locale: Locale): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' }).format(cents / 100);
}

/** Compact EUR for chart axes ("12 k€"). */
export function formatEurCompact(cents: number, locale: Locale): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR', notation: 'compact', maximumFractionDigits: 1 }).format(cents / 100);
}

/**
 * "1 500", "1500,5", "1,500.50", "1 500 €" → integer cents, computed on the
 * digits (no floating point); null when it is not an amount with at most
 * two decimals. The last `,` or `.` followed by one or two digits is the
 * decimal separator; other separators and spaces group thousands.
 */
export function parseEuros(text: string): number | null {
  const cleaned = text.replace(/[\s\u00a0\u202f€]/g, '').replace(/^\+/, '');
  if (!cleaned || !/^[0-9.,]+$/.test(cleaned)) return null;
  const match = /^(.*?)(?:[.,](\d{1,2}))?$/.exec(cleaned);
  if (!match) return null;
  const whole = match[1] ?? '';
  const fraction = match[2] ?? '';
  if (whole === '' && fraction === '') return null;
  // Groups of thousands: separators only between groups of three digits.
  if (/[.,]/.test(whole) && !/^\d{1,3}([.,]\d{3})+$/.test(whole)) return null;
  const digits = whole.replace(/[.,]/g, '') || '0';
  const cents = BigInt(digits) * 100n + BigInt(fraction.padEnd(2, '0') || '0');
  if (cents > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return Number(cents);
}

/** Cents → the text a user would type back ("1500,50" in French, "1500.50" in English). */
export function centsToInput(cents: number, locale: Locale): string {
  const whole = Math.trunc(cents / 100);
  const rest = cents % 100;
  return rest === 0 ? String(whole) : `${whole}${locale === 'fr' ? ',' : '.'}${String(rest).padStart(2, '0')}`;
}

// ---- Dates for inputs ------------------------------------------------------

export const dateInput = (date: Date) => formatDateFns(date, 'yyyy-MM-dd');
export const timeInput = (date: Date) => formatDateFns(date, 'HH:mm');

/** A local date ("2025-03-04") and time ("14:30", default `fallbackTime`) → a Date, or null when invalid. */
export function fromInputs(date: string, time: string, fallbackTime = '00:00'): Date | null {
  if (!date) return null;
  const value = parse(`${date} ${time || fallbackTime}`, 'yyyy-MM-dd HH:mm', new Date());
  return isValid(value) ? value : null;
}

export function formatShortDateTime(iso: string, locale: Locale): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(time);
}

/** A calendar date ("2025-03-04", no time zone) in the reader's language. */
export function formatDay(isoDate: string, locale: Locale): string {
  const time = Date.parse(`${isoDate.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(time)) return isoDate;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(time);
}

export function formatClock(date: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(date);
}

// ---- Errors ---------------------------------------------------------------

/**
 * `splitErrors` with the wording of these forms: the API's reasons for the
 * fields of tasks, events, interactions and opportunities in the reader's language.
 */
export function splitWorkErrors<F extends string>(error: unknown, fields: readonly F[], m: Messages) {
  const split = splitErrors(error, fields, m);
  if (!(error instanceof ApiError)) return split;
  const v = m.work.validation;
  if (error.status === 409 && /archived/i.test(error.message) && fields.includes('artistId' as F)) {
    return { fieldErrors: { ...split.fieldErrors, artistId: v.artistArchived }, banner: null };
  }
  for (const issue of error.fieldIssues()) {
    const field = fields.find((f) => issue.path === f || issue.path.startsWith(`${f}.`));
    if (!field) continue;
    const generic = translateIssue(issue, m);
    let message: string | undefined;
    if (field === 'title' && issue.code === 'too_small') message = v.titleRequired;
    else if (field === 'summary' && issue.code === 'too_small') message = v.summaryRequired;
    else if (field === 'endsAt' && /before/i.test(issue.message)) message = v.endBeforeStart;
    else if (field === 'nextActionDueAt' && /next action/i.test(issue.message)) message = v.dueNeedsAction;
    else if ((field === 'assigneeId' || field === 'ownerId') && /team|staff|admin/i.test(issue.message)) message = v.teamMember;
    else if (field === 'artistId' && /no such/i.test(issue.message)) message = v.artistUnknown;
    else if (field === 'valueCents') message = issue.code === 'too_big' ? v.amountTooBig : v.amountInvalid;
    else if (field === 'probability') message = v.probabilityInvalid;
    else if (field === 'tags' && issue.code === 'too_big') message = v.tagsTooMany;
    else if (issue.code === 'invalid_format' && /At$|On$/.test(field)) message = v.dateInvalid;
    if (message && split.fieldErrors[field] === generic) split.fieldErrors[field] = message;
    else if (message && !split.fieldErrors[field]) split.fieldErrors[field] = message;
  }
  return split;
}

// ---- Inputs ---------------------------------------------------------------

/** A labelled input of any type (date, time…), its hint and error wired like Form's TextField. */
export function InputField({
  name,
  label,
  value,
  onChange,
  type = 'text',
  hint,
  error,
  required = false,
  disabled = false,
  inputRef,
  inputMode,
  autoComplete = 'off',
}: {
  name: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'date' | 'time' | 'search' | 'number';
  hint?: string;
  error?: string | undefined;
  required?: boolean;
  disabled?: boolean;
  inputRef?: Ref<HTMLInputElement>;
  inputMode?: 'numeric' | 'decimal' | 'text';
  autoComplete?: string;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {hint ? (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      <input
        ref={inputRef}
        id={id}
        name={name}
        type={type}
        className="field__input"
        value={value}
        required={required}
        disabled={disabled}
        inputMode={inputMode}
        autoComplete={autoComplete}
        aria-invalid={error ? true : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined}
        onChange={(event: ChangeEvent<HTMLInputElement>) => onChange(event.target.value)}
      />
      {error ? <FieldError id={errorId}>{error}</FieldError> : null}
    </div>
  );
}

export interface ArtistChoice {
  id: string;
  stageName: string;
}

/**
 * Picks an artist: a search box and a native select of the matches (keyboard
 * and screen-reader friendly by construction). "None" clears the link.
 */
export function ArtistPicker({
  value,
  onChange,
  error,
  disabled = false,
  selectRef,
}: {
  value: ArtistChoice | null;
  onChange: (artist: ArtistChoice | null) => void;
  error?: string | undefined;
  disabled?: boolean;
  selectRef?: Ref<HTMLSelectElement>;
}) {
  const { m } = useI18n();
  const id = useId();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<ArtistChoice[]>([]);
  const [searching, setSearching] = useState(false);

  useEffect(() => {
    const q = query.trim();
    if (q.length < 2) {
      setResults([]);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setSearching(true);
      searchArtists(q, controller.signal).then(
        (found) => {
          setResults(found);
          setSearching(false);
        },
        () => {
          if (!controller.signal.aborted) setSearching(false);
        },
      );
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query]);

  const options = [...(value && !results.some((r) => r.id === value.id) ? [value] : []), ...results];
  const errorId = error ? `${id}-error` : undefined;
  return (
    <fieldset className={error ? 'field field--invalid work-fieldset' : 'field work-fieldset'} disabled={disabled}>
      <legend className="field__label">{m.work.common.artist}</legend>
      <div className="work-artist-picker">
        <div className="field">
          <label className="field__label field__label--small" htmlFor={`${id}-q`}>
            {m.work.common.artistSearch}
          </label>
          <p className="field__hint" id={`${id}-hint`}>
            {m.work.common.artistSearchHint}
          </p>
          <input
            id={`${id}-q`}
            type="search"
            className="field__input"
            value={query}
            autoComplete="off"
            aria-describedby={`${id}-hint ${id}-status`}
            onChange={(event) => setQuery(event.target.value)}
          />
          <p id={`${id}-status`} role="status" className="field__hint">
            {searching ? m.work.common.searching : query.trim().length >= 2 && results.length === 0 ? m.work.common.noArtistFound : ''}
          </p>
        </div>
        <div className="field">
          <label className="field__label field__label--small" htmlFor={`${id}-select`}>
            {m.work.common.artistResults}
          </label>
          <select
            ref={selectRef}
            id={`${id}-select`}
            className="field__input field__select"
            value={value?.id ?? ''}
            aria-invalid={error ? true : undefined}
            aria-describedby={errorId}
            onChange={(event) => {
              const next = options.find((o) => o.id === event.target.value);
              onChange(next ?? null);
            }}
          >
            <option value="">{m.work.common.none}</option>
            {options.map((option) => (
              <option key={option.id} value={option.id}>
                {option.stageName}
              </option>
            ))}
          </select>
        </div>
      </div>
      {error ? <FieldError id={errorId}>{error}</FieldError> : null}
    </fieldset>
  );
}

// ---- Badges (never colour alone: a glyph and a word) -------------------------

const PRIORITY_GLYPH: Record<TaskPriority, string> = { low: '▽', normal: '◇', high: '▲', urgent: '‼' };

export function PriorityBadge({ priority }: { priority: TaskPriority }) {
  const { m } = useI18n();
  return (
    <span className={`work-badge work-priority work-priority--${priority}`}>
      <span aria-hidden="true">
        {PRIORITY_GLYPH[priority]} {m.work.priorities[priority]}
      </span>
      <span className="visually-hidden">{format(m.work.tasks.priorityLabel, { priority: m.work.priorities[priority] })}</span>
    </span>
  );
}

const STATUS_GLYPH: Record<TaskStatus, string> = { todo: '○', in_progress: '◐', review: '◑', done: '●' };

export function TaskStatusBadge({ status }: { status: TaskStatus }) {
  const { m } = useI18n();
  return (
    <span className={`work-badge work-status work-status--${status}`}>
      <span aria-hidden="true">{STATUS_GLYPH[status]} </span>
      {m.work.statuses[status]}
    </span>
  );
}

export const KIND_GLYPH: Record<CalendarKind, string> = { meeting: '●', deadline: '◆', reminder: '▲', stream: '▶', villa: '■' };

/** The kind's colour and glyph; the name is read out (and shown when `withLabel`). */
export function KindMark({ kind, withLabel = false }: { kind: CalendarKind; withLabel?: boolean }) {
  const { m } = useI18n();
  return (
    <span className={`work-kind work-kind--${kind}`}>
      <span className="work-kind__glyph" aria-hidden="true">
        {KIND_GLYPH[kind]}
      </span>
      {withLabel ? <span className="work-kind__label">{m.work.kinds[kind]}</span> : <span className="visually-hidden">{m.work.kinds[kind]}, </span>}
    </span>
  );
}

/** A polite live region for results of actions (moves, saves). */
export function LiveMessage({ message }: { message: string }) {
  return (
    <p role="status" aria-live="polite" className="visually-hidden">
      {message}
    </p>
  );
}
