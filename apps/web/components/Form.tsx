'use client';

import { useId, type ChangeEvent, type ReactNode, type Ref } from 'react';

interface TextFieldProps {
  name: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'email' | 'password' | 'number' | 'date' | 'datetime-local' | 'search' | 'url' | 'tel';
  autoComplete?: string;
  hint?: string;
  error?: string | undefined;
  required?: boolean;
  disabled?: boolean;
  inputRef?: Ref<HTMLInputElement>;
  spellCheck?: boolean;
  min?: number;
  max?: number;
  step?: number;
  inputMode?: 'numeric' | 'decimal' | 'text' | 'url' | 'email' | 'tel' | 'search';
  className?: string;
  lang?: string;
}

/** A labelled input with its hint and error wired through aria-describedby / aria-invalid. */
export function TextField({
  name,
  label,
  value,
  onChange,
  type = 'text',
  autoComplete,
  hint,
  error,
  required = false,
  disabled = false,
  inputRef,
  spellCheck,
  min,
  max,
  step,
  inputMode,
  className,
  lang,
}: TextFieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={[error ? 'field field--invalid' : 'field', className].filter(Boolean).join(' ')}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {hint ? (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      <input
        min={min}
        max={max}
        step={step}
        inputMode={inputMode}
        lang={lang}
        ref={inputRef}
        id={id}
        name={name}
        className="field__input"
        type={type}
        value={value}
        onChange={(event: ChangeEvent<HTMLInputElement>) => onChange(event.target.value)}
        autoComplete={autoComplete}
        required={required}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        spellCheck={spellCheck}
        autoCapitalize={type === 'text' || type === 'search' ? undefined : 'none'}
      />
      {error ? <FieldError id={errorId}>{error}</FieldError> : null}
    </div>
  );
}

export function FieldError({ id, children }: { id: string | undefined; children: ReactNode }) {
  return (
    <p className="field__error" id={id}>
      <span className="field__error-icon" aria-hidden="true">
        !
      </span>
      {children}
    </p>
  );
}

export interface RadioOption<V extends string> {
  value: V;
  label: string;
  description?: string;
}

interface ChoiceGroupProps<V extends string> {
  name: string;
  legend: string;
  options: readonly RadioOption<V>[];
  hint?: string;
  error?: string | undefined;
  disabled?: boolean;
  /** Receives the first input, to move focus there on error. */
  firstInputRef?: Ref<HTMLInputElement>;
  className?: string;
}

/** Radio buttons or checkboxes in a fieldset/legend; the hint and the error are announced with the group. */
function ChoiceGroup<V extends string>({
  type,
  checked,
  onToggle,
  name,
  legend,
  options,
  hint,
  error,
  disabled = false,
  firstInputRef,
  className,
}: ChoiceGroupProps<V> & { type: 'radio' | 'checkbox'; checked: (value: V) => boolean; onToggle: (value: V) => void }) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset
      className={[error ? 'field field--invalid radio-group' : 'field radio-group', className].filter(Boolean).join(' ')}
      aria-describedby={describedBy}
      disabled={disabled}
    >
      <legend className="field__label">{legend}</legend>
      {hint ? (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      <div className="radio-group__options">
        {options.map((option, index) => {
          const optionId = `${id}-${option.value}`;
          const descriptionId = option.description ? `${optionId}-description` : undefined;
          return (
            <div className="radio" key={option.value}>
              <input
                ref={index === 0 ? firstInputRef : undefined}
                type={type}
                id={optionId}
                name={name}
                value={option.value}
                checked={checked(option.value)}
                onChange={() => onToggle(option.value)}
                aria-invalid={error ? true : undefined}
                aria-describedby={descriptionId}
              />
              {/* The label holds the name only; the description is wired through aria-describedby. */}
              <div className="radio__text">
                <label htmlFor={optionId} className="radio__label">
                  {option.label}
                </label>
                {option.description ? (
                  <p className="radio__description" id={descriptionId}>
                    {option.description}
                  </p>
                ) : null}
              </div>
            </div>
          );
        })}
      </div>
      {error ? <FieldError id={errorId}>{error}</FieldError> : null}
    </fieldset>
  );
}

/** One choice among radio buttons. */
export function RadioGroup<V extends string>({ value, onChange, ...props }: ChoiceGroupProps<V> & { value: V | ''; onChange: (value: V) => void }) {
  return <ChoiceGroup {...props} type="radio" checked={(v) => v === value} onToggle={onChange} />;
}

/** Any number of choices among checkboxes; `values` keeps the order of `options`. */
export function CheckboxGroup<V extends string>({
  values,
  onChange,
  ...props
}: ChoiceGroupProps<V> & { values: readonly V[]; onChange: (values: V[]) => void }) {
  const toggle = (value: V) => {
    const next = values.includes(value) ? values.filter((v) => v !== value) : [...values, value];
    onChange(props.options.map((o) => o.value).filter((v) => next.includes(v)));
  };
  return <ChoiceGroup {...props} type="checkbox" checked={(v) => values.includes(v)} onToggle={toggle} />;
}

/** Submit button: disabled with a "…" label while the form is being sent. */
export function SubmitButton({ pending, label, pendingLabel }: { pending: boolean; label: string; pendingLabel: string }) {
  return (
    <button type="submit" className="button button--primary" disabled={pending}>
      {pending ? pendingLabel : label}
    </button>
  );
}

/** Error banner (role="alert"); focusable so a form can move focus to it. */
export function Alert({
  children,
  tone = 'error',
  alertRef,
  title,
}: {
  children: ReactNode;
  tone?: 'error' | 'warning' | 'info' | 'success';
  alertRef?: Ref<HTMLDivElement>;
  title?: string;
}) {
  const role = tone === 'error' || tone === 'warning' ? 'alert' : 'status';
  return (
    <div ref={alertRef} role={role} tabIndex={-1} className={`alert alert--${tone}`}>
      <span className="alert__icon" aria-hidden="true">
        {tone === 'success' ? '✓' : tone === 'info' ? 'i' : '!'}
      </span>
      <div className="alert__body">
        {title ? <p className="alert__title">{title}</p> : null}
        <div>{children}</div>
      </div>
    </div>
  );
}

/** The error banner of a form, where focus lands when no single field is at fault. */
export function FormBanner({ form }: { form: { banner: string | null; bannerRef: Ref<HTMLDivElement> } }) {
  return form.banner ? (
    <Alert alertRef={form.bannerRef} tone="error">
      {form.banner}
    </Alert>
  ) : null;
}

export interface SelectOption {
  value: string;
  label: string;
}

interface SelectFieldProps {
  name: string;
  label: string;
  value: string;
  options: readonly SelectOption[];
  onChange: (value: string) => void;
  hint?: string;
  error?: string | undefined;
  disabled?: boolean;
  required?: boolean;
  className?: string;
  selectRef?: Ref<HTMLSelectElement>;
}

/** A labelled native select (keyboard and screen-reader friendly by construction). */
export function SelectField({
  name,
  label,
  value,
  options,
  onChange,
  hint,
  error,
  disabled = false,
  required = false,
  className,
  selectRef,
}: SelectFieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={[error ? 'field field--invalid' : 'field', className].filter(Boolean).join(' ')}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {hint ? (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      <select
        ref={selectRef}
        id={id}
        name={name}
        className="field__input field__select"
        value={value}
        disabled={disabled}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        onChange={(event: ChangeEvent<HTMLSelectElement>) => onChange(event.target.value)}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {error ? <FieldError id={errorId}>{error}</FieldError> : null}
    </div>
  );
}

interface TextAreaFieldProps {
  name: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint?: string;
  error?: string | undefined;
  disabled?: boolean;
  rows?: number;
  maxLength?: number;
  textareaRef?: Ref<HTMLTextAreaElement>;
}

export function TextAreaField({ name, label, value, onChange, hint, error, disabled = false, rows = 4, maxLength, textareaRef }: TextAreaFieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
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
      <textarea
        ref={textareaRef}
        id={id}
        name={name}
        className="field__input field__textarea"
        value={value}
        rows={rows}
        maxLength={maxLength}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        onChange={(event: ChangeEvent<HTMLTextAreaElement>) => onChange(event.target.value)}
      />
      {error ? <FieldError id={errorId}>{error}</FieldError> : null}
    </div>
  );
}

interface CheckboxFieldProps {
  name: string;
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  hint?: string;
  error?: string | undefined;
  disabled?: boolean;
  inputRef?: Ref<HTMLInputElement>;
}

export function CheckboxField({ name, label, checked, onChange, hint, error, disabled = false, inputRef }: CheckboxFieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error ? 'field field--invalid checkbox' : 'field checkbox'}>
      <div className="checkbox__row">
        <input
          ref={inputRef}
          id={id}
          name={name}
          type="checkbox"
          checked={checked}
          disabled={disabled}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          onChange={(event: ChangeEvent<HTMLInputElement>) => onChange(event.target.checked)}
        />
        <label htmlFor={id} className="checkbox__label">
          {label}
        </label>
      </div>
      {hint ? (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {error ? <FieldError id={errorId}>{error}</FieldError> : null}
    </div>
  );
}
