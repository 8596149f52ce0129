/** The one error shape every API error uses. */
export interface ApiErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    details?: ApiErrorDetails;
  };
}

export interface FieldIssue {
  /** Dot-joined path of the field in the request body or query, e.g. `email`. */
  path: string;
  /** English sentence, for logs and API users. */
  message: string;
  /** Stable reason the web app translates: a zod issue code (`too_small`, `invalid_format`, ...) or one of FIELD_ISSUE_CODES. */
  code?: string;
}

/** Reasons of our own for a refused field, beside zod's issue codes. */
export const FIELD_ISSUE_CODES = ['unknown_field', 'password_too_short', 'password_common', 'password_guessable', 'email_taken'] as const;

export interface ApiErrorDetails {
  issues?: FieldIssue[];
  [key: string]: unknown;
}

export const ERROR_CODES = [
  'bad_request',
  'validation_failed',
  'invalid_json',
  'unauthorized',
  'invalid_credentials',
  'token_expired',
  'token_reused',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'service_unavailable',
  'internal_error',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
