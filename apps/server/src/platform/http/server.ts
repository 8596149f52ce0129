import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { DependencyCheck } from '../platform.ts';
import { BearerToken } from '@mona/shared/node';
import { healthResponse, readyResponse } from '../../modules/ops/ops.schemas.ts';
import { errorBody, handleError } from './error-handler.ts';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * A Fastify server with what every process of the system serves: request ids,
 * the one error shape, request metrics, and /health, /ready, /metrics.
 */
export function createHttpServer(options: {
  service: string;
  version: string;
  logger: Logger;
  metrics: Metrics;
  checks: () => Promise<DependencyCheck[]>;
  bodyLimit: number;
  trustProxy: boolean | number | string[];
  /** METRICS_TOKEN: when set, /metrics answers only `Authorization: Bearer <token>`. */
  metricsToken?: string;
}) {
  const started = Date.now();
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: options.bodyLimit,
    // A hop count trusts that many proxies nearest to us (the right end of X-Forwarded-For).
    trustProxy: typeof options.trustProxy === 'number' ? (_address: string, hop: number) => hop < (options.trustProxy as number) : options.trustProxy,
    requestIdHeader: false,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<ZodTypeProvider>();

  // JSON only: without this, Fastify's default text/plain parser hands a string to the
  // schemas (a confusing 400) instead of answering 415 unsupported_media_type.
  app.removeContentTypeParser('text/plain');
  // Fastify hands a missing body to the validator as null; an optional body (`z.object().optional()`,
  // e.g. refresh / logout with the cookie only) must see it as absent, not as an invalid null.
  const validatorWithOptionalBody: typeof validatorCompiler = (route) => {
    const validate = validatorCompiler(route);
    return route.httpPart === 'body' ? (data: unknown) => validate(data === null ? undefined : data) : validate;
  };
  app.setValidatorCompiler(validatorWithOptionalBody);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('caller', null);

  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    options.metrics.observeRequest(request.method, route, reply.statusCode, seconds);
  });

  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => reply.status(404).send(errorBody('not_found', `No route ${request.method} ${request.url.split('?')[0]}`)));

  app.get('/health', { schema: { tags: ['system'], summary: 'Liveness', response: { 200: healthResponse } } }, async () => ({
    status: 'ok' as const,
    service: options.service,
    version: options.version,
    uptimeSeconds: Math.round((Date.now() - started) / 1000),
  }));

  app.get(
    '/ready',
    { schema: { tags: ['system'], summary: 'Readiness: 200 only when every dependency answers', response: { 200: readyResponse, 503: readyResponse } } },
    async (_request, reply) => {
      const dependencies = await options.checks();
      const failed = dependencies.filter((d) => !d.ok).map((d) => d.name);
      return reply.status(failed.length ? 503 : 200).send({ status: failed.length ? 'unavailable' : 'ready', service: options.service, failed, dependencies });
    },
  );

  const metricsToken = new BearerToken(options.metricsToken);
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (metricsToken.configured && !metricsToken.matches(request.headers.authorization)) {
      return reply
        .status(401)
        .header('www-authenticate', 'Bearer realm="metrics"')
        .send(errorBody('unauthorized', 'Scraping /metrics needs Authorization: Bearer <METRICS_TOKEN>'));
    }
    return reply.type(options.metrics.contentType()).send(await options.metrics.render());
  });

  return app;
}

export type HttpApp = ReturnType<typeof createHttpServer>;
