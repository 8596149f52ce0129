import { PASSWORD_MIN_LENGTH } from '@mona/shared';
import { format, type Messages } from './i18n.ts';

// Deliberately loose: the API has the final word; this only catches obvious typos.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function checkEmail(value: string, m: Messages): string | undefined {
  const email = value.trim();
  if (!email) return m.validation.emailRequired;
  if (!EMAIL_PATTERN.test(email)) return m.validation.emailInvalid;
  return undefined;
}

export function checkPassword(value: string, m: Messages, { minLength }: { minLength: boolean }): string | undefined {
  if (!value) return m.validation.passwordRequired;
  if (minLength && value.length < PASSWORD_MIN_LENGTH) {
    return format(m.validation.passwordTooShort, { min: PASSWORD_MIN_LENGTH });
  }
  return undefined;
}

export function checkName(value: string, m: Messages): string | undefined {
  return value.trim() ? undefined : m.validation.nameRequired;
}

/** Drops undefined entries so `Object.keys(errors).length` counts real errors. */
export function compact<F extends string>(errors: Partial<Record<F, string | undefined>>): Partial<Record<F, string>> {
  const out: Partial<Record<F, string>> = {};
  for (const [key, value] of Object.entries(errors) as [F, string | undefined][]) {
    if (value) out[key] = value;
  }
  return out;
}

/** Safe post-login destination: a same-origin path only (no `//host` or `/\\host`). */
export function safeNext(value: string | string[] | undefined | null): string | null {
  const next = Array.isArray(value) ? value[0] : value;
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
  if (next.startsWith('/login') || next.startsWith('/signup') || next.startsWith('/api/')) return null;
  return next;
}
