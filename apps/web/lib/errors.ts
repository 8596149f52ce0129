import { ApiError } from '@mona/sdk';
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

/** True when the API itself could not be reached (network error or proxy 502/503/504). */
export function isUnreachable(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 0 || error.status === 502 || error.status === 503 || error.status === 504);
}

/**
 * Splits a failed call into per-field messages (validation issues of the
 * given fields) and a banner message for the rest.
 */
export function splitErrors<F extends string>(
  error: unknown,
  fields: readonly F[],
  m: Messages,
): { fieldErrors: Partial<Record<F, string>>; banner: string | null } {
  const fieldErrors: Partial<Record<F, string>> = {};
  if (error instanceof ApiError && error.code === 'validation_failed') {
    const issues = error.fieldErrors();
    const leftover: string[] = [];
    for (const [path, message] of Object.entries(issues)) {
      if ((fields as readonly string[]).includes(path)) fieldErrors[path as F] = message;
      else leftover.push(message);
    }
    if (Object.keys(fieldErrors).length > 0) {
      return { fieldErrors, banner: leftover.length > 0 ? leftover.join(' ') : null };
    }
    return { fieldErrors, banner: leftover.join(' ') || error.message || m.errors.generic };
  }
  return { fieldErrors, banner: describeError(error, m) };
}
