/**
 * What the multi-process tests (failover, scaling) do over real HTTP: sign in
 * as the first admin, make an artist with an account who can receive in-app
 * messages, and send requests that never hang past a bound.
 */
import { randomBytes } from 'node:crypto';
import { newAccount, until } from './harness.ts';
import type { AppProcess } from './servers.ts';

export interface Answer {
  status: number;
  body: unknown;
  /** The error code of the project's error shape, when the body has one. */
  code: string | null;
  /** Set when no answer came within the bound (a hang) or the connection failed. */
  failure: string | null;
}

/** One JSON request with a bound: a request that does not answer within `timeoutMs` is reported as a failure, not awaited. */
export async function call(
  baseUrl: string,
  method: string,
  url: string,
  options: { token?: string; body?: unknown; timeoutMs?: number } = {},
): Promise<Answer> {
  try {
    const res = await fetch(`${baseUrl}${url}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON
    }
    const code = (body as { error?: { code?: string } } | null)?.error?.code ?? null;
    return { status: res.status, body, code, failure: null };
  } catch (error) {
    return { status: 0, body: null, code: null, failure: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

export async function expectOk<T>(answer: Promise<Answer>, what: string): Promise<T> {
  const res = await answer;
  if (res.status < 200 || res.status >= 300) throw new Error(`${what}: ${res.status} ${res.failure ?? JSON.stringify(res.body)}`);
  return res.body as T;
}

/** The first admin's credentials, from the banner a development API prints once on an empty database. */
export async function firstAdmin(api: AppProcess): Promise<{ email: string; password: string }> {
  return until(
    'the first-admin banner',
    async () => {
      const out = api.output();
      const email = /email:\s+(\S+)/.exec(out)?.[1];
      const password = /password:\s+(\S+)/.exec(out)?.[1];
      return email && password ? { email, password } : undefined;
    },
    60_000,
  );
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  user: { id: string; role: string };
}

export async function login(baseUrl: string, credentials: { email: string; password: string }): Promise<Session> {
  return expectOk<Session>(call(baseUrl, 'POST', '/api/auth/login', { body: credentials }), `login ${credentials.email}`);
}

/**
 * An in-app template, and an artist account linked to an artist record: the
 * recipient of `sendInApp`. Works whether sign-up links a record by itself
 * (then that one is used) or the team links one.
 */
export async function inAppRecipient(baseUrl: string, staffToken: string) {
  const templateCode = `ops.${randomBytes(4).toString('hex')}.inapp`;
  await expectOk(
    call(baseUrl, 'POST', '/api/notification-templates', {
      token: staffToken,
      body: {
        code: templateCode,
        channel: 'inapp',
        kind: 'activity',
        name: 'Ops test',
        contents: { fr: { subject: 'Message {{n}}', body: 'Bonjour {{n}}' }, en: { subject: 'Message {{n}}', body: 'Hello {{n}}' } },
      },
    }),
    'create the in-app template',
  );
  const account = newAccount('artist');
  const session = await expectOk<Session>(call(baseUrl, 'POST', '/api/auth/register', { body: account }), 'artist sign-up');
  const mine = await call(baseUrl, 'GET', '/api/me/artist', { token: session.accessToken });
  let artistId = mine.status === 200 ? (mine.body as { id: string }).id : null;
  if (!artistId) {
    const artist = await expectOk<{ id: string }>(
      call(baseUrl, 'POST', '/api/artists', { token: staffToken, body: { stageName: `Recipient ${account.name}` } }),
      'create the artist',
    );
    await expectOk(call(baseUrl, 'POST', `/api/artists/${artist.id}/link-user`, { token: staffToken, body: { userId: session.user.id } }), 'link the account');
    artistId = artist.id;
  }
  return { templateCode, artistId, account, session };
}

/** Composes one in-app message to the recipient (idempotency key given, so a retried request cannot make two). */
export function sendInApp(baseUrl: string, staffToken: string, to: { artistId: string; templateCode: string }, n: number | string, notBefore?: Date) {
  return call(baseUrl, 'POST', `/api/artists/${to.artistId}/messages`, {
    token: staffToken,
    body: {
      templateCode: to.templateCode,
      variables: { n: String(n) },
      idempotencyKey: `ops-${to.artistId}-${n}`,
      ...(notBefore ? { notBefore: notBefore.toISOString() } : {}),
    },
  });
}
