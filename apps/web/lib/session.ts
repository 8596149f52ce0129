/**
 * Browser session: the access token lives in this module's memory only (never
 * in localStorage); the refresh token lives only in the httpOnly `mona_refresh`
 * cookie, sent by the browser to /api/auth/* on the web app's own origin.
 *
 * - `initSession()` does a silent refresh on page load;
 * - a timer refreshes ~1 minute before the access token's `exp`;
 * - any API call answered 401 triggers one refresh and is retried once;
 * - refreshes are deduplicated in the tab and serialized across tabs
 *   (Web Locks), because the API rotates refresh tokens and treats a reused
 *   one as theft.
 */
import { ApiError, createApiClient, unwrap } from '@mona/sdk';
import type { SelfSignupRole } from '@mona/shared';

export type SessionStatus = 'loading' | 'authenticated' | 'anonymous' | 'unreachable';
/** Why the last session ended, to word the login page. */
export type SessionEndReason = 'signed-out' | 'expired' | null;

/** Auth endpoints never trigger the refresh-and-retry dance. */
const NO_RETRY_PATHS = new Set(['/api/auth/login', '/api/auth/register', '/api/auth/refresh', '/api/auth/logout']);

let accessToken: string | null = null;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let inflightRefresh: Promise<string | null> | null = null;

function getAccessToken(): string | null {
  return accessToken;
}

/** fetch with one refresh-and-retry on 401. */
async function fetchWithRefresh(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  const path = new URL(request.url, globalThis.location?.href ?? 'http://localhost').pathname;
  if (NO_RETRY_PATHS.has(path)) return fetch(request);

  const spare = request.clone();
  const usedAuthorization = request.headers.get('authorization');
  const response = await fetch(request);
  if (response.status !== 401) return response;

  // Another call may already have rotated the token while this one was in flight.
  let token = accessToken;
  if (!token || `Bearer ${token}` === usedAuthorization) {
    token = await refreshAccessToken();
  }
  if (!token) return response;
  const headers = new Headers(spare.headers);
  headers.set('authorization', `Bearer ${token}`);
  return fetch(new Request(spare, { headers }));
}

/** The typed API client of the web app: same origin, Bearer token from memory. */
export const api = createApiClient({ baseUrl: '', getAccessToken, fetch: fetchWithRefresh });

const authCalls = {
  login: (body: { email: string; password: string }) => unwrap(api.POST('/api/auth/login', { body })),
  register: (body: { email: string; password: string; name: string; role: SelfSignupRole }) => unwrap(api.POST('/api/auth/register', { body })),
  refresh: () => unwrap(api.POST('/api/auth/refresh', { body: {} })),
  me: () => unwrap(api.GET('/api/auth/me')),
};

export type AuthPayload = Awaited<ReturnType<typeof authCalls.login>>;
export type User = Awaited<ReturnType<typeof authCalls.me>>['user'];

export interface SessionSnapshot {
  status: SessionStatus;
  user: User | null;
  endReason: SessionEndReason;
}

const INITIAL: SessionSnapshot = { status: 'loading', user: null, endReason: null };
let snapshot: SessionSnapshot = INITIAL;
const listeners = new Set<() => void>();

function setSnapshot(next: SessionSnapshot): void {
  snapshot = next;
  for (const listener of listeners) listener();
}

export function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
export function getSnapshot(): SessionSnapshot {
  return snapshot;
}
export function getServerSnapshot(): SessionSnapshot {
  return INITIAL;
}

/** Seconds-since-epoch `exp` of a JWT, without verifying it (the API does). */
export function decodeJwtExpiry(token: string): number | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const json = atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '='));
    const exp: unknown = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp : null;
  } catch {
    return null;
  }
}

const REFRESH_AHEAD_MS = 60_000;
const RETRY_AFTER_FAILURE_MS = 15_000;

function scheduleRefresh(token: string, expiresInSeconds: number | undefined): void {
  clearTimeout(refreshTimer);
  const exp = decodeJwtExpiry(token);
  const remaining = exp !== null ? exp * 1000 - Date.now() : typeof expiresInSeconds === 'number' ? expiresInSeconds * 1000 : null;
  if (remaining === null) return;
  // Refresh a minute ahead; for very short-lived tokens, halfway through.
  const delay = Math.max(1_000, remaining > 2 * REFRESH_AHEAD_MS ? remaining - REFRESH_AHEAD_MS : remaining / 2);
  refreshTimer = setTimeout(() => {
    void refreshAccessToken().catch(() => {
      // Network trouble: try again a bit later while the current token may still work.
      clearTimeout(refreshTimer);
      refreshTimer = setTimeout(() => void refreshAccessToken().catch(() => undefined), RETRY_AFTER_FAILURE_MS);
    });
  }, delay);
}

function applyAuth(payload: AuthPayload): void {
  accessToken = payload.accessToken;
  scheduleRefresh(payload.accessToken, payload.expiresIn);
  setSnapshot({ status: 'authenticated', user: payload.user, endReason: null });
}

function clearAuth(status: SessionStatus, endReason: SessionEndReason): void {
  accessToken = null;
  clearTimeout(refreshTimer);
  setSnapshot({ status, user: null, endReason });
}

/** One refresh call: null when the server says the session is over (401/403). */
async function callRefresh(): Promise<AuthPayload | null> {
  const run = async (): Promise<AuthPayload | null> => {
    try {
      return await authCalls.refresh();
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return null;
      throw error;
    }
  };
  // Serialize across tabs: a tab waiting here then sends the cookie the previous one just got.
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  return locks ? locks.request('mona-session-refresh', run) : run();
}

/**
 * Refreshes the session (deduplicated). Resolves to the new access token, or
 * null when the session is over (the state becomes anonymous). Throws an
 * ApiError when the server could not be reached (state left untouched).
 */
export function refreshAccessToken(): Promise<string | null> {
  inflightRefresh ??= (async () => {
    try {
      const payload = await callRefresh();
      if (!payload) {
        const wasSignedIn = snapshot.status === 'authenticated';
        clearAuth('anonymous', wasSignedIn ? 'expired' : snapshot.endReason);
        return null;
      }
      applyAuth(payload);
      return payload.accessToken;
    } finally {
      inflightRefresh = null;
    }
  })();
  return inflightRefresh;
}

let initialized = false;

/** Silent refresh on page load (idempotent). */
export function initSession(): void {
  if (initialized || typeof window === 'undefined') return;
  initialized = true;
  listenToOtherTabs();
  document.addEventListener('visibilitychange', onVisible);
  void retrySession();
}

/** (Re)checks the session; on network failure the state becomes `unreachable`. */
export async function retrySession(): Promise<void> {
  if (snapshot.status !== 'loading') setSnapshot({ ...snapshot, status: 'loading' });
  try {
    await refreshAccessToken();
  } catch {
    clearAuth('unreachable', null);
  }
}

/** Back on a tab whose timer may have been throttled: refresh if the token is (nearly) stale. */
function onVisible(): void {
  if (document.visibilityState !== 'visible' || !accessToken) return;
  const exp = decodeJwtExpiry(accessToken);
  if (exp !== null && exp * 1000 - Date.now() < REFRESH_AHEAD_MS) {
    void refreshAccessToken().catch(() => undefined);
  }
}

// Cross-tab hints: signing out in one tab signs out the others; signing in wakes anonymous tabs.
let channel: BroadcastChannel | null = null;
type TabMessage = { type: 'signed-in' } | { type: 'signed-out' };

function listenToOtherTabs(): void {
  if (typeof BroadcastChannel === 'undefined') return;
  channel = new BroadcastChannel('mona-session');
  channel.onmessage = (event: MessageEvent<TabMessage>) => {
    if (event.data.type === 'signed-out' && snapshot.status === 'authenticated') {
      clearAuth('anonymous', 'signed-out');
    } else if (event.data.type === 'signed-in' && snapshot.status !== 'authenticated') {
      void refreshAccessToken().catch(() => undefined);
    }
  };
}

function tellOtherTabs(message: TabMessage): void {
  channel?.postMessage(message);
}

export async function signIn(email: string, password: string): Promise<User> {
  const payload = await authCalls.login({ email, password });
  applyAuth(payload);
  tellOtherTabs({ type: 'signed-in' });
  return payload.user;
}

export async function signUp(input: { name: string; email: string; password: string; role: SelfSignupRole }): Promise<User> {
  const payload = await authCalls.register(input);
  applyAuth(payload);
  tellOtherTabs({ type: 'signed-in' });
  return payload.user;
}

export async function signOut(): Promise<void> {
  try {
    await unwrap(api.POST('/api/auth/logout', { body: {} }));
  } catch {
    // The local session ends anyway; the cookie expires on its own.
  }
  clearAuth('anonymous', 'signed-out');
  tellOtherTabs({ type: 'signed-out' });
}
