import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { ApiErrorBody, ErrorCode, FieldIssue } from '@mona/shared';
import type { components, paths } from './schema.ts';

export type { components, paths };
export type ApiClient = Client<paths>;
export type Schemas = components['schemas'];

export interface ApiClientOptions {
  /** Base URL of the API; '' means the same origin (the web app proxies /api to the API). */
  baseUrl: string;
  /** Returns the current access token, if any; sent as a Bearer token. */
  getAccessToken?: () => string | null | undefined;
  fetch?: typeof fetch;
  /** 'include' sends the httpOnly refresh cookie on cross-origin calls. */
  credentials?: RequestCredentials;
}

/** A typed client for every endpoint of the committed OpenAPI document. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl,
    credentials: options.credentials ?? 'same-origin',
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const { getAccessToken } = options;
  if (getAccessToken) {
    const auth: Middleware = {
      onRequest({ request }) {
        const token = getAccessToken();
        if (token && !request.headers.has('authorization')) {
          request.headers.set('authorization', `Bearer ${token}`);
        }
        return request;
      },
    };
    client.use(auth);
  }
  return client;
}

/** An API answer in the one error shape, as a throwable error. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode | 'network_error';
  readonly details: ApiErrorBody['error']['details'];

  constructor(status: number, code: ApiError['code'], message: string, details?: ApiErrorBody['error']['details']) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** Field issues of a validation error, with their codes, in the API's order. */
  fieldIssues(): FieldIssue[] {
    return this.details?.issues ?? [];
  }

  /** Field issues of a validation error, keyed by field path (first message wins). */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    const issues: FieldIssue[] = this.details?.issues ?? [];
    for (const issue of issues) {
      if (!(issue.path in out)) out[issue.path] = issue.message;
    }
    return out;
  }
}

function isErrorBody(body: unknown): body is ApiErrorBody {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error = body.error;
  return typeof error === 'object' && error !== null && 'code' in error && 'message' in error;
}

export function toApiError(status: number, body: unknown): ApiError {
  if (isErrorBody(body)) {
    return new ApiError(status, body.error.code, body.error.message, body.error.details);
  }
  return new ApiError(status, status >= 500 ? 'internal_error' : 'bad_request', `HTTP ${status}`);
}

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * Awaits an openapi-fetch call and returns its data, or throws an ApiError
 * (status 0 and code `network_error` when the server could not be reached).
 */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await call;
  } catch (cause) {
    throw new ApiError(0, 'network_error', cause instanceof Error ? cause.message : 'Network error');
  }
  if (!result.response.ok) throw toApiError(result.response.status, result.error);
  return result.data as T;
}
