'use client';

import { useCallback, useRef, useState, type RefObject } from 'react';
import { splitErrors } from './errors.ts';
import type { Messages } from './i18n.ts';
import { useFocusFirstError } from './use-focus-error.ts';

export type FieldErrors<F extends string> = Partial<Record<F, string>>;

/** How a failed call becomes field messages and a banner (default: splitErrors). */
export type ErrorSplitter<F extends string> = (error: unknown, fields: readonly F[], m: Messages) => { fieldErrors: FieldErrors<F>; banner: string | null };

export interface SubmitOptions {
  /** A translated reason for a refused change (409), shown in the banner instead of the generic one. */
  conflict?: (error: unknown) => string | null;
  /** Stay pending after a success, when the page is about to navigate away (sign-in, sign-up). */
  keepPending?: boolean;
}

export interface FormState<F extends string> {
  errors: FieldErrors<F>;
  banner: string | null;
  pending: boolean;
  bannerRef: RefObject<HTMLDivElement | null>;
  /** The ref callback of a field's control, so focus can move to the first field in error. */
  field: (name: F) => (element: HTMLElement | null) => void;
  /**
   * Runs a submit: with client-side errors in `found`, shows them and focuses the
   * first; otherwise runs `action` once at a time and, when it throws, puts the
   * API's field issues next to their fields and the rest in the banner.
   */
  submit: (found: FieldErrors<F>, action: () => Promise<void>, options?: SubmitOptions) => Promise<void>;
  /** Shows a problem found outside a submit (e.g. a confirmation step that failed). */
  fail: (error: unknown, options?: SubmitOptions) => void;
  /** Refuses a submit for a reason that belongs to no single field: the message goes to the banner. */
  refuse: (message: string) => void;
}

/** The state every form of the app shares: field errors, the banner, the pending flag and focus on the first error. */
export function useForm<F extends string>(fields: readonly F[], m: Messages, split: ErrorSplitter<F> = splitErrors): FormState<F> {
  const [errors, setErrors] = useState<FieldErrors<F>>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const busy = useRef(false);
  const fieldRefs = useRef<Partial<Record<F, HTMLElement | null>>>({});
  const bannerRef = useRef<HTMLDivElement | null>(null);
  useFocusFirstError(attempt, fields, errors, fieldRefs, bannerRef);

  const field = useCallback(
    (name: F) => (element: HTMLElement | null) => {
      fieldRefs.current[name] = element;
    },
    [],
  );

  const fail = useCallback(
    (error: unknown, options?: SubmitOptions) => {
      const parts = split(error, fields, m);
      setErrors(parts.fieldErrors);
      setBanner(options?.conflict?.(error) ?? parts.banner);
      setAttempt((n) => n + 1);
    },
    [fields, m, split],
  );

  const submit = useCallback(
    async (found: FieldErrors<F>, action: () => Promise<void>, options?: SubmitOptions) => {
      if (busy.current) return;
      setErrors(found);
      setBanner(null);
      if (Object.keys(found).length > 0) {
        setAttempt((n) => n + 1);
        return;
      }
      busy.current = true;
      setPending(true);
      let stay = false;
      try {
        await action();
        stay = options?.keepPending ?? false;
      } catch (error) {
        fail(error, options);
      } finally {
        if (!stay) {
          busy.current = false;
          setPending(false);
        }
      }
    },
    [fail],
  );

  const refuse = useCallback((message: string) => {
    if (busy.current) return;
    setErrors({});
    setBanner(message);
    setAttempt((n) => n + 1);
  }, []);

  return { errors, banner, pending, bannerRef, field, submit, fail, refuse };
}
