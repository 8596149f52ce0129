import type { ApiErrorDetails, ErrorCode } from '@mona/shared';

/** A failure with a stable code that maps to one HTTP status. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: ApiErrorDetails,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message: string, details?: ApiErrorDetails) => new AppError(400, 'bad_request', message, details);
export const unauthorized = (message = 'Authentication required', code: ErrorCode = 'unauthorized') => new AppError(401, code, message);
export const forbidden = (message = 'You do not have access to this resource') => new AppError(403, 'forbidden', message);
export const notFound = (message = 'Not found') => new AppError(404, 'not_found', message);
export const conflict = (message: string, details?: ApiErrorDetails) => new AppError(409, 'conflict', message, details);
export const serviceUnavailable = (message: string, details?: ApiErrorDetails) => new AppError(503, 'service_unavailable', message, details);
export const rateLimited = (retryAfterSeconds: number) =>
  new AppError(
    429,
    'rate_limited',
    `Too many attempts. Try again in ${retryAfterSeconds} s.`,
    { retryAfterSeconds },
    { 'retry-after': String(retryAfterSeconds) },
  );

/** Error codes of node-postgres / PostgreSQL that mean "the database is not reachable right now". */
const UNAVAILABLE_NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN']);
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08006', '53300']);

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_NET_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code))) return true;
  const message = error.message;
  if (
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connect ECONNREFUSED|Connection ended unexpectedly|canceling statement due to statement timeout/i.test(
      message,
    )
  ) {
    return true;
  }
  const cause = (error as { cause?: unknown }).cause;
  return cause !== undefined && cause !== error && isDatabaseUnavailable(cause);
}

/** PostgreSQL unique-violation, as thrown through drizzle (which wraps the driver error). */
export function isUniqueViolation(error: unknown): boolean {
  let current: unknown = error;
  for (let i = 0; i < 4 && current instanceof Error; i++) {
    if ((current as { code?: unknown }).code === '23505') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
