/**
 * Same-origin gateway to the API: every /api/* request the browser makes to
 * the web app is streamed to `${API_INTERNAL_URL}/api/*` and the answer is
 * streamed back (status, headers including every Set-Cookie, body). The API
 * base URL is read from the environment on each request, at run time of
 * `next start`, so one build serves any deployment.
 *
 * Because the browser only ever talks to its own origin, the API's httpOnly
 * `mona_refresh` cookie (Path=/api/auth) is first-party.
 */
import type { NextRequest } from 'next/server';

export const dynamic = 'force-dynamic';

const DEFAULT_API_INTERNAL_URL = 'http://127.0.0.1:3001';

/** Hop-by-hop headers (RFC 9110 §7.6.1) and ones fetch must compute itself. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
  'expect',
]);

function apiBaseUrl(): string {
  // Bracket access: never inlined at build time.
  const configured = process.env['API_INTERNAL_URL'];
  return configured && configured.trim() !== '' ? configured.trim() : DEFAULT_API_INTERNAL_URL;
}

function upstreamHeaders(request: NextRequest): Headers {
  const headers = new Headers();
  request.headers.forEach((value, key) => {
    const name = key.toLowerCase();
    if (HOP_BY_HOP.has(name) || name.startsWith('x-middleware-') || name.startsWith('x-nextjs-')) return;
    headers.append(name, value);
  });
  const url = request.nextUrl;
  // next start fills these from the socket when no proxy in front set them.
  const forwardedHost = request.headers.get('x-forwarded-host') ?? request.headers.get('host') ?? url.host;
  const forwardedProto = request.headers.get('x-forwarded-proto') ?? url.protocol.replace(/:$/, '');
  headers.set('x-forwarded-host', forwardedHost);
  headers.set('x-forwarded-proto', forwardedProto);
  const forwardedFor = request.headers.get('x-forwarded-for');
  if (forwardedFor) headers.set('x-forwarded-for', forwardedFor);
  // The body is streamed back as is; ask for it uncompressed so no re-encoding is needed.
  headers.set('accept-encoding', 'identity');
  return headers;
}

function downstreamHeaders(upstream: Response): Headers {
  const headers = new Headers();
  upstream.headers.forEach((value, key) => {
    const name = key.toLowerCase();
    if (name === 'set-cookie' || HOP_BY_HOP.has(name)) return;
    headers.append(name, value);
  });
  // fetch decodes compressed bodies: drop the encoding header if one slipped through.
  if (upstream.headers.has('content-encoding')) {
    headers.delete('content-encoding');
  } else {
    const length = upstream.headers.get('content-length');
    if (length !== null) headers.set('content-length', length);
  }
  for (const cookie of upstream.headers.getSetCookie()) headers.append('set-cookie', cookie);
  return headers;
}

function gatewayError(status: number, message: string): Response {
  return Response.json({ error: { code: 'service_unavailable', message, details: {} } }, { status, headers: { 'cache-control': 'no-store' } });
}

async function forward(request: NextRequest): Promise<Response> {
  const { pathname, search } = request.nextUrl;
  let target: URL;
  try {
    target = new URL(`${pathname}${search}`, apiBaseUrl());
  } catch {
    return gatewayError(500, 'API_INTERNAL_URL is not a valid URL');
  }

  const hasBody = request.method !== 'GET' && request.method !== 'HEAD' && request.body !== null;
  const init: RequestInit & { duplex?: 'half' } = {
    method: request.method,
    headers: upstreamHeaders(request),
    redirect: 'manual',
    signal: request.signal,
    ...(hasBody ? { body: request.body, duplex: 'half' as const } : {}),
  };

  let upstream: Response;
  try {
    upstream = await fetch(target, init);
  } catch (cause) {
    if (request.signal.aborted) return new Response(null, { status: 499 });
    const reason = cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : String(cause);
    console.error(`[web] API unreachable at ${target.origin}: ${reason}`);
    return gatewayError(502, 'The API could not be reached');
  }

  const bodyless = request.method === 'HEAD' || upstream.status === 204 || upstream.status === 304;
  return new Response(bodyless ? null : upstream.body, {
    status: upstream.status,
    statusText: upstream.statusText,
    headers: downstreamHeaders(upstream),
  });
}

export const GET = forward;
export const HEAD = forward;
export const POST = forward;
export const PUT = forward;
export const PATCH = forward;
export const DELETE = forward;
export const OPTIONS = forward;
