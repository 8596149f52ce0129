/** Liveness of the web server, for platform health checks. */
export const dynamic = 'force-dynamic';

export function GET(): Response {
  return Response.json({ status: 'ok', service: 'web' }, { headers: { 'cache-control': 'no-store' } });
}
