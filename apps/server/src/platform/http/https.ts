import { errorBody } from './error-handler.ts';
import type { HttpApp } from './server.ts';

/** Probes of the platform reach the process directly, over plain HTTP inside its network. */
const PROBES = new Set(['/health', '/ready', '/metrics']);

/**
 * HTTPS only, behind the platform's proxy (Railway, Render and DigitalOcean
 * end TLS at their edge and forward plain HTTP with `X-Forwarded-Proto`). A
 * request the trusted proxy says came over `http` is sent to its `https` URL:
 * 308 for GET and HEAD (a browser follows it), and 403 `forbidden` ("Use HTTPS") for
 * anything else, so that a body sent in clear is never acted on. Health
 * probes are left alone. Register it only when the proxy is trusted
 * (TRUST_PROXY): otherwise the header is anyone's and `request.protocol` is
 * the socket's.
 */
export function enforceHttps(app: HttpApp): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.protocol !== 'http' || !request.headers['x-forwarded-proto']) return;
    if (PROBES.has(request.url.split('?')[0]!)) return;
    const target = `https://${request.host}${request.url}`;
    if (request.method === 'GET' || request.method === 'HEAD') {
      return reply.status(308).header('location', target).header('cache-control', 'no-store').send();
    }
    return reply.status(403).send(errorBody('forbidden', `Use HTTPS: ${target}`, { https: target }));
  });
}
