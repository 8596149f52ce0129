import { ApiError } from '@mona/sdk';
import { PASSWORD_MIN_LENGTH, type FieldIssue } from '@mona/shared';
import { format, type Messages } from './i18n.ts';

/** A localized sentence for a failed API call (for the role="alert" banner). */
export function describeError(error: unknown, m: Messages): string {
  if (!(error instanceof ApiError)) return m.errors.generic;
  switch (error.code) {
    case 'network_error':
      return m.errors.network;
    case 'invalid_credentials':
      return m.errors.invalidCredentials;
    case 'rate_limited': {
      const seconds = error.details?.retryAfterSeconds;
      if (typeof seconds !== 'number' || seconds <= 0) return m.errors.rateLimitedNoDelay;
      return seconds >= 90
        ? format(m.errors.rateLimitedMinutes, { minutes: Math.ceil(seconds / 60) })
        : format(m.errors.rateLimited, { seconds: Math.ceil(seconds) });
    }
    case 'conflict':
      return m.errors.conflict;
    case 'forbidden':
      return m.errors.forbidden;
    case 'unauthorized':
    case 'token_expired':
    case 'token_reused':
      return m.errors.unauthorized;
    case 'service_unavailable':
      return m.errors.unavailable;
    default:
      if (error.status === 0) return m.errors.network;
      if (error.status >= 500) return m.errors.unavailable;
      return error.message || m.errors.generic;
  }
}

/**
 * The API's sentence for a refused field is English; known reasons get the
 * reader's language (the field decides between similar zod codes).
 */
export function translateIssue(issue: FieldIssue, m: Messages): string {
  const v = m.validation;
  switch (issue.code) {
    case 'password_too_short':
      return format(v.passwordTooShort, { min: PASSWORD_MIN_LENGTH });
    case 'password_common':
      return v.passwordCommon;
    case 'password_guessable':
      return v.passwordGuessable;
    case 'email_taken':
      return m.errors.conflict;
    case 'unknown_field':
      return v.unknownField;
    case 'invalid_format':
      if (issue.path === 'email') return v.emailInvalid;
      if (issue.path.endsWith('.url')) return v.urlInvalid;
      if (issue.path === 'phone') return v.phoneInvalid;
      return v.invalidValue;
    case 'too_big':
      return v.tooBig;
    case 'too_small':
      if (issue.path === 'name') return v.nameRequired;
      if (issue.path === 'stageName') return v.stageNameRequired;
      if (issue.path === 'password') return v.passwordRequired;
      return v.invalidValue;
    case 'invalid_value':
      return issue.path === 'role' ? v.roleRequired : v.invalidValue;
    default:
      return issue.message;
  }
}

/** True when the API itself could not be reached (network error or proxy 502/503/504). */
export function isUnreachable(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 0 || error.status === 502 || error.status === 503 || error.status === 504);
}

/**
 * Splits a failed call into per-field messages (validation issues of the
 * given fields) and a banner message for the rest. An issue on `links.x.url`
 * or `genres.2` goes to the field `links.x.url` or `genres` (longest prefix).
 * Conflicts that name a field (an email already used) are treated the same way.
 */
export function splitErrors<F extends string>(
  error: unknown,
  fields: readonly F[],
  m: Messages,
): { fieldErrors: Partial<Record<F, string>>; banner: string | null } {
  const fieldErrors: Partial<Record<F, string>> = {};
  if (error instanceof ApiError && (error.code === 'validation_failed' || (error.code === 'conflict' && error.fieldIssues().length > 0))) {
    const leftover: string[] = [];
    for (const issue of error.fieldIssues()) {
      const message = translateIssue(issue, m);
      const field = fieldFor(issue.path, fields);
      if (field) fieldErrors[field] ??= message;
      else leftover.push(message);
    }
    if (Object.keys(fieldErrors).length > 0) {
      return { fieldErrors, banner: leftover.length > 0 ? leftover.join(' ') : null };
    }
    return { fieldErrors, banner: leftover.join(' ') || error.message || m.errors.generic };
  }
  return { fieldErrors, banner: describeError(error, m) };
}

function fieldFor<F extends string>(path: string, fields: readonly F[]): F | undefined {
  let best: F | undefined;
  for (const field of fields) {
    if ((path === field || path.startsWith(`${field}.`)) && (!best || field.length > best.length)) best = field;
  }
  return best;
}
