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
  message: string;
}

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
