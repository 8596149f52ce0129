/**
 * Notifications in the web app: the signed-in user's inbox (with its live
 * stream), preferences and web push; the team's message log, outbox and
 * artist engagement. Typed calls through `@mona/sdk`.
 */
import { ApiError, unwrap, type Schemas } from '@mona/sdk';
import type { Channel, MessageStatus } from '@mona/shared';
import { EventSourceParserStream } from 'eventsource-parser/stream';
import { format, type Messages } from './i18n.ts';
import { api, getSnapshot as getSession, subscribe as subscribeSession } from './session.ts';

export type InboxItem = Schemas['InboxItem'];
export type Preferences = Schemas['NotificationPreferences'];
export type NotificationMessage = Schemas['NotificationMessage'];
export type NotificationMessageDetail = Schemas['NotificationMessageDetail'];
export type OutboxEntry = Schemas['OutboxEntry'];
export type OutboxEntryDetail = Schemas['OutboxEntryDetail'];
export type EngagementEvent = Schemas['EngagementEvent'];
export type ComposeResult = Schemas['ComposeResult'];

// ---- Inbox -------------------------------------------------------------------

export interface InboxPage {
  items: InboxItem[];
  unread: number;
  nextCursor: string | null;
}

/** My in-app messages: unread first, then read ones, each newest first. */
export const listInbox = (cursor: string | null, signal?: AbortSignal): Promise<InboxPage> =>
  unwrap(api.GET('/api/me/inbox', { params: { query: { limit: 20, unreadFirst: 'true', ...(cursor ? { cursor } : {}) } }, signal }));
export const fetchUnreadCount = (signal?: AbortSignal) => unwrap(api.GET('/api/me/inbox/unread-count', { signal })).then((r) => r.unread);
export const markInboxRead = (id: string) => unwrap(api.POST('/api/me/inbox/{id}/read', { params: { path: { id } } }));
export const markAllInboxRead = () => unwrap(api.POST('/api/me/inbox/read-all'));

/** A 404, or a 400 for a malformed id: the thing asked for is not there. */
export const isMissing = (error: unknown) => error instanceof ApiError && (error.status === 404 || error.status === 400);

/** A link of a message: a path of the web app stays in the app; anything else is an outside URL. */
export function isAppPath(link: string): boolean {
  return link.startsWith('/') && !link.startsWith('//');
}

// ---- The live inbox: one stream per tab, shared by the bell and the inbox page ----

export interface InboxLiveSnapshot {
  /** Unread count; null until the first answer. */
  unread: number | null;
  /** 'live' while the stream is open; 'connecting' before or between attempts. */
  connection: 'connecting' | 'live' | 'retrying';
  /** Bumped at every (re)connection after the first: missed events are not replayed, reload the list. */
  generation: number;
}

let liveSnapshot: InboxLiveSnapshot = { unread: null, connection: 'connecting', generation: 0 };
const liveListeners = new Set<() => void>();
const messageListeners = new Set<(item: InboxItem) => void>();
let liveController: AbortController | null = null;
let stopTimer: ReturnType<typeof setTimeout> | undefined;

function setLive(next: Partial<InboxLiveSnapshot>): void {
  liveSnapshot = { ...liveSnapshot, ...next };
  for (const listener of liveListeners) listener();
}

export const getInboxSnapshot = (): InboxLiveSnapshot => liveSnapshot;
const SERVER_SNAPSHOT: InboxLiveSnapshot = { unread: null, connection: 'connecting', generation: 0 };
export const getInboxServerSnapshot = (): InboxLiveSnapshot => SERVER_SNAPSHOT;

/** The count after a read mark answered by the API (the stream confirms it a moment later). */
export function setUnreadCount(unread: number): void {
  setLive({ unread });
}

/**
 * Follows the live inbox while at least one listener is subscribed (the
 * stream opens with the first and closes shortly after the last leaves, so a
 * page change does not reconnect).
 */
export function subscribeInbox(listener: () => void): () => void {
  liveListeners.add(listener);
  clearTimeout(stopTimer);
  startFollowing();
  return () => {
    liveListeners.delete(listener);
    if (liveListeners.size > 0) return;
    clearTimeout(stopTimer);
    stopTimer = setTimeout(() => {
      if (liveListeners.size === 0) stopFollowing();
    }, 2_000);
  };
}

/** The account the open stream belongs to. */
let followedUserId: string | null = null;
let sessionWatch: (() => void) | null = null;

function startFollowing(): void {
  if (liveController || typeof window === 'undefined') return;
  const user = getSession().user;
  if (!user) return;
  followedUserId = user.id;
  liveController = new AbortController();
  void followInbox(liveController.signal);
  // Signed out, or another account signed in: this stream is not theirs any more.
  sessionWatch ??= subscribeSession(() => {
    const current = getSession().user;
    if (current?.id === followedUserId) return;
    stopFollowing();
    if (current && liveListeners.size > 0) startFollowing();
  });
}

function stopFollowing(): void {
  liveController?.abort();
  liveController = null;
  followedUserId = null;
  sessionWatch?.();
  sessionWatch = null;
  setLive({ unread: null, connection: 'connecting', generation: 0 });
}

/** Called with each new in-app message that arrives while the page is open. */
export function onInboxMessage(listener: (item: InboxItem) => void): () => void {
  messageListeners.add(listener);
  return () => messageListeners.delete(listener);
}

const BACKOFF_START_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;
/** A stream that stayed open this long ended normally (e.g. its token expired): reconnect at once. */
const HEALTHY_STREAM_MS = 20_000;

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

interface StreamEvent {
  unread?: unknown;
  message?: unknown;
}

function handleEvent(name: string | undefined, data: string): void {
  let body: StreamEvent;
  try {
    body = JSON.parse(data) as StreamEvent;
  } catch {
    return;
  }
  if (typeof body.unread === 'number') setLive({ unread: body.unread });
  if (name === 'message' && body.message && typeof body.message === 'object') {
    const item = body.message as InboxItem;
    for (const listener of messageListeners) listener(item);
  }
}

/**
 * Reads GET /api/me/inbox/stream with fetch (the Authorization header comes
 * from the in-memory access token; a 401 refreshes it once), parses the
 * Server-Sent Events, and reconnects with exponential backoff and jitter.
 * The server ends the stream when the access token expires; the session has
 * refreshed it by then, so the next attempt goes out at once.
 */
async function followInbox(signal: AbortSignal): Promise<void> {
  let failures = 0;
  let connections = 0;
  while (!signal.aborted) {
    const openedAt = Date.now();
    let retryMs = BACKOFF_START_MS;
    try {
      setLive({ connection: failures > 0 ? 'retrying' : 'connecting' });
      const body = await unwrap(api.GET('/api/me/inbox/stream', { parseAs: 'stream', signal, headers: { accept: 'text/event-stream' } }));
      if (!body) throw new Error('The stream has no body');
      connections += 1;
      setLive({ connection: 'live', ...(connections > 1 ? { generation: liveSnapshot.generation + 1 } : {}) });
      const events = body.pipeThrough(new TextDecoderStream()).pipeThrough(
        new EventSourceParserStream({
          onRetry: (ms) => {
            retryMs = ms;
          },
        }),
      );
      const reader = events.getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        handleEvent(value.event, value.data);
      }
    } catch (error) {
      if (signal.aborted) return;
      // Signed out or not allowed: the page is about to leave; do not hammer the API.
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
        failures += 1;
        setLive({ connection: 'retrying' });
        await wait(BACKOFF_MAX_MS, signal);
        continue;
      }
    }
    if (signal.aborted) return;
    const healthy = Date.now() - openedAt > HEALTHY_STREAM_MS;
    failures = healthy ? 0 : failures + 1;
    setLive({ connection: 'retrying' });
    if (failures === 0) continue;
    const base = Math.min(BACKOFF_MAX_MS, Math.max(BACKOFF_START_MS, retryMs / 5) * 2 ** (failures - 1));
    await wait(base / 2 + Math.random() * (base / 2), signal);
  }
}

// ---- Preferences -------------------------------------------------------------

export interface PreferencesInput {
  channels?: Partial<Record<Channel, { activity?: boolean; marketing?: boolean }>>;
  quietHours?: { start: string; end: string } | null;
  timeZone?: string;
  marketingConsent?: boolean;
}
export const getPreferences = (signal?: AbortSignal) => unwrap(api.GET('/api/me/notification-preferences', { signal }));
export const updatePreferences = (body: PreferencesInput) => unwrap(api.PUT('/api/me/notification-preferences', { body }));

/** Every IANA time zone the browser knows (with the given one first in line if it is missing). */
export function timeZones(current: string): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const zones = known.length > 0 ? [...known] : ['Europe/Paris', 'UTC'];
  if (current && !zones.includes(current)) zones.unshift(current);
  return zones;
}

export const CLOCK_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

// ---- Web push ----------------------------------------------------------------

export type PushState = 'unsupported' | 'insecure' | 'denied' | 'off' | 'on';

export const SERVICE_WORKER_URL = '/sw.js';

function pushSupported(): boolean {
  return typeof window !== 'undefined' && 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

async function currentSubscription(): Promise<PushSubscription | null> {
  const registration = await navigator.serviceWorker.getRegistration('/');
  return registration ? registration.pushManager.getSubscription() : null;
}

/** Where this browser stands: push unsupported, not on a secure origin, blocked, off, or on. */
export async function pushState(): Promise<PushState> {
  if (!pushSupported()) return 'unsupported';
  if (!window.isSecureContext) return 'insecure';
  if (Notification.permission === 'denied') return 'denied';
  const subscription = await currentSubscription();
  return subscription && Notification.permission === 'granted' ? 'on' : 'off';
}

/** The VAPID key (base64url) as the bytes pushManager.subscribe wants. */
function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
  const raw = atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '='));
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i += 1) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

/**
 * Turns push on in this browser: asks for permission, registers the service
 * worker, subscribes with the server's VAPID public key and sends the
 * subscription to the API. Resolves to the new state ('denied' when refused).
 */
export async function enablePush(): Promise<PushState> {
  if (!pushSupported()) return 'unsupported';
  if (!window.isSecureContext) return 'insecure';
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return permission === 'denied' ? 'denied' : 'off';
  const registration = await navigator.serviceWorker.register(SERVICE_WORKER_URL, { scope: '/' });
  await navigator.serviceWorker.ready;
  const { publicKey } = await unwrap(api.GET('/api/push/public-key'));
  let subscription = await registration.pushManager.getSubscription();
  const wanted = keyBytes(publicKey);
  if (subscription) {
    // A subscription made with another key (the server's keys changed) cannot receive our messages.
    const key = subscription.options.applicationServerKey;
    const same = key !== null && new Uint8Array(key).every((byte, i) => byte === wanted[i]) && key.byteLength === wanted.byteLength;
    if (!same) {
      await subscription.unsubscribe();
      subscription = null;
    }
  }
  subscription ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: wanted });
  const json = subscription.toJSON();
  await unwrap(
    api.POST('/api/me/push-subscriptions', {
      body: { endpoint: json.endpoint ?? subscription.endpoint, keys: { p256dh: json.keys?.p256dh ?? '', auth: json.keys?.auth ?? '' } },
    }),
  );
  return 'on';
}

/** Turns push off in this browser: unsubscribes and tells the API (a subscription it no longer knows is fine). */
export async function disablePush(): Promise<PushState> {
  if (!pushSupported()) return 'unsupported';
  const subscription = await currentSubscription();
  if (subscription) {
    const { endpoint } = subscription;
    await subscription.unsubscribe();
    try {
      await unwrap(api.DELETE('/api/me/push-subscriptions', { body: { endpoint } }));
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
    }
  }
  return pushState();
}

// ---- The team's message log --------------------------------------------------

export interface MessageFilters {
  search?: string;
  channel?: Channel | '';
  status?: MessageStatus | '';
  artistId?: string;
}

export interface MessagePage {
  items: NotificationMessage[];
  nextCursor: string | null;
}

export const listMessages = (filters: MessageFilters, cursor: string | null, signal?: AbortSignal): Promise<MessagePage> =>
  unwrap(
    api.GET('/api/notifications/messages', {
      params: {
        query: {
          limit: 25,
          ...(filters.search?.trim() ? { search: filters.search.trim() } : {}),
          ...(filters.channel ? { channel: filters.channel } : {}),
          ...(filters.status ? { status: filters.status } : {}),
          ...(filters.artistId ? { artistId: filters.artistId } : {}),
          ...(cursor ? { cursor } : {}),
        },
      },
      signal,
    }),
  );
export const getMessage = (id: string, signal?: AbortSignal) => unwrap(api.GET('/api/notifications/messages/{id}', { params: { path: { id } }, signal }));
export const retryMessage = (id: string) => unwrap(api.POST('/api/notifications/messages/{id}/retry', { params: { path: { id } } }));

/** The translated reason a retry was refused (409), or null. */
export function describeRetryConflict(error: unknown, m: Messages): string | null {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  return m.notifications.message.retryConflict;
}

// ---- Outbox ------------------------------------------------------------------

export interface OutboxPage {
  items: OutboxEntry[];
  nextCursor: string | null;
}
export const listOutbox = (channel: 'email' | 'sms' | '', cursor: string | null, signal?: AbortSignal): Promise<OutboxPage> =>
  unwrap(api.GET('/api/notifications/outbox', { params: { query: { limit: 25, ...(channel ? { channel } : {}), ...(cursor ? { cursor } : {}) } }, signal }));
export const getOutboxEntry = (id: string, signal?: AbortSignal) => unwrap(api.GET('/api/notifications/outbox/{id}', { params: { path: { id } }, signal }));

/**
 * An email's HTML made safe to show in a sandboxed iframe (srcdoc, sandbox=""):
 * no scripts (the sandbox), no outside requests at all (a CSP that allows only
 * inline styles and data: images, so reading a message never loads its
 * tracking pixel), and links that cannot navigate (they target a new window,
 * which the sandbox forbids).
 */
export function safeEmailDocument(html: string): string {
  const head =
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; img-src data:; font-src data:">' +
    '<base target="_blank">';
  return `${head}${html}`;
}

// ---- Artist messages and engagement ------------------------------------------

export const getEngagement = (artistId: string, signal?: AbortSignal) =>
  unwrap(api.GET('/api/artists/{id}/engagement', { params: { path: { id: artistId } }, signal }));
export const recordReply = (artistId: string, body: { messageId?: string; note?: string }) =>
  unwrap(api.POST('/api/artists/{id}/engagement', { params: { path: { id: artistId } }, body: { kind: 'reply', ...body } }));
export const sendToArtist = (artistId: string, body: { templateCode: string; idempotencyKey?: string }) =>
  unwrap(api.POST('/api/artists/{id}/messages', { params: { path: { id: artistId } }, body }));

/** A reason the API gave for a skipped message, in the reader's language when it is a known one. */
export function describeSkip(reason: string | null | undefined, m: Messages): string {
  const s = m.notifications.skipReasons;
  if (!reason) return s.unknown;
  if (/no email address/i.test(reason)) return s.noEmail;
  if (/no phone number/i.test(reason)) return s.noPhone;
  if (/phone number not usable/i.test(reason)) return s.badPhone;
  if (/^no account/i.test(reason)) return s.noAccount;
  if (/account disabled/i.test(reason)) return s.accountDisabled;
  if (/no marketing consent/i.test(reason)) return s.noConsent;
  if (/turned off on/i.test(reason)) return s.channelOff;
  return format(s.other, { reason });
}
