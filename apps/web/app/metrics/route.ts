import client from 'prom-client';
import { addProcessLimitGauges, BearerToken } from '@mona/shared/node';

/**
 * Prometheus metrics of the web server process, as every process of the system
 * serves them: prom-client's process metrics (CPU, memory, event-loop lag, ...)
 * and the CPU and memory it may use, labelled service="web", so HighCpuUsage
 * and HighMemoryUsage cover it too. Behind METRICS_TOKEN like the API's.
 */
export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

function registry(): client.Registry {
  // One registry per process (module reloads in development reuse it).
  const holder = globalThis as typeof globalThis & { monaWebMetrics?: client.Registry };
  if (!holder.monaWebMetrics) {
    const registry = new client.Registry();
    registry.setDefaultLabels({ service: 'web' });
    client.collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
    addProcessLimitGauges(client, registry);
    holder.monaWebMetrics = registry;
  }
  return holder.monaWebMetrics;
}

export async function GET(request: Request): Promise<Response> {
  const token = new BearerToken(process.env.METRICS_TOKEN || undefined);
  if (token.configured && !token.matches(request.headers.get('authorization'))) {
    return Response.json(
      { error: { code: 'unauthorized', message: 'Scraping /metrics needs Authorization: Bearer <METRICS_TOKEN>' } },
      { status: 401, headers: { 'www-authenticate': 'Bearer realm="metrics"', 'cache-control': 'no-store' } },
    );
  }
  const metrics = registry();
  return new Response(await metrics.metrics(), { headers: { 'content-type': metrics.contentType, 'cache-control': 'no-store' } });
}
