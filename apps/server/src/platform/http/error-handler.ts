import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { ApiErrorBody, ErrorCode, FieldIssue } from '@mona/shared';
import { AppError, isDatabaseUnavailable } from '../errors.ts';
import { isRedisUnavailable } from '../redis.ts';

export function errorBody(code: ErrorCode, message: string, details?: ApiErrorBody['error']['details']): ApiErrorBody {
  return { error: { code, message, ...(details ? { details } : {}) } };
}

type ValidationIssue = { instancePath?: string; message?: string; keyword?: string; params?: Record<string, unknown> };

function toFieldIssues(validation: ValidationIssue[], context: string | undefined): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const v of validation) {
    const base = (v.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
    const keys = v.params?.keys;
    if (v.keyword === 'unrecognized_keys' && Array.isArray(keys)) {
      for (const key of keys) issues.push({ path: base ? `${base}.${String(key)}` : String(key), message: 'Unknown field', code: 'unknown_field' });
      continue;
    }
    issues.push({ path: base || (context ?? ''), message: v.message ?? 'Invalid value', ...(v.keyword ? { code: v.keyword } : {}) });
  }
  return issues;
}

/** Maps every failure to the one error shape; only the unexpected becomes a 500, logged with the request id. */
export function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof AppError) {
    if (error.headers) void reply.headers(error.headers);
    return reply.status(error.status).send(errorBody(error.code, error.message, error.details));
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = toFieldIssues(error.validation, (error as { validationContext?: string }).validationContext);
    const first = issues[0];
    const message = first ? `Invalid ${first.path || 'input'}: ${first.message}` : 'Invalid input';
    return reply.status(400).send(errorBody('validation_failed', message, { issues }));
  }
  const fastifyError = error as FastifyError;
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return reply.status(400).send(errorBody('invalid_json', 'The request body is not valid JSON'));
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return reply.status(413).send(errorBody('payload_too_large', 'The request body is too large'));
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return reply.status(415).send(errorBody('unsupported_media_type', `Unsupported content type; send application/json`));
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return reply.status(400).send(errorBody('bad_request', 'Invalid Content-Length'));
    default:
      break;
  }
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) {
    return reply.status(400).send(errorBody('invalid_json', 'The request body is not valid JSON'));
  }
  if (isDatabaseUnavailable(error)) {
    request.log.warn({ err: error.message }, 'database unavailable');
    return reply.status(503).header('retry-after', '5').send(errorBody('service_unavailable', 'The database is unavailable; try again shortly'));
  }
  if (isRedisUnavailable(error)) {
    request.log.warn({ err: error.message }, 'redis unavailable');
    return reply.status(503).header('retry-after', '5').send(errorBody('service_unavailable', 'A backing service is unavailable; try again shortly'));
  }
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500 && !isResponseSerializationError(error)) {
    const status = fastifyError.statusCode;
    const code: ErrorCode =
      status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : status === 404 ? 'not_found' : status === 429 ? 'rate_limited' : 'bad_request';
    return reply.status(status).send(errorBody(code, error.message));
  }
  request.log.error({ err: error }, 'unexpected error');
  return reply.status(500).send(errorBody('internal_error', `Unexpected error; reference ${request.id}`));
}
