import type { Agent } from 'node:https';
import webpush, { WebPushError, type Urgency } from 'web-push';
import type { NotificationKind } from '@mona/shared';
import { systemClock, type Clock } from '../../../platform/clock.ts';
import type { Logger } from '../../../platform/logger.ts';
import type { PushSubscriptionsRepository } from '../push.repository.ts';
import type { VapidDetails, VapidKeys } from '../vapid.ts';
import { retryAfterMs } from './sms.ts';
import { PermanentFailure, TemporaryFailure, type ChannelProvider, type OutgoingMessage, type SendResult } from './types.ts';

/** What the service worker receives (decrypted by the browser) and shows. */
export interface PushPayload {
  id: string;
  title: string;
  body: string;
  /** Where a click on the notification leads (a path of the web app or a full URL), when the message has one. */
  link: string | null;
  kind: NotificationKind;
}

/** Transactional messages wake the device; marketing ones may wait for a good moment. */
const URGENCY: Record<NotificationKind, Urgency> = { transactional: 'high', activity: 'normal', marketing: 'low' };

export interface WebPushOptions {
  subscriptions: PushSubscriptionsRepository;
  vapid: VapidKeys;
  logger: Logger;
  clock?: Clock;
  /** How long the push service keeps a message for an offline device. Default one day. */
  ttlSeconds?: number;
  /** Socket timeout per push service request; a timeout is a temporary failure. Default 10 s. */
  timeoutMs?: number;
  /** An https.Agent for the requests (tests pass one that trusts a local push service's certificate). */
  agent?: Agent;
}

type Outcome =
  | { kind: 'sent'; id: string; location: string | null }
  | { kind: 'gone'; id: string; detail: string }
  | { kind: 'temporary'; detail: string; retryAfterMs: number | undefined }
  | { kind: 'permanent'; detail: string };

/** The link of a message: `data.link` as the notifications service stores it. */
export function messageLink(message: Pick<OutgoingMessage, 'data'>): string | null {
  const link = message.data.link;
  return typeof link === 'string' && link.length > 0 ? link : null;
}

/**
 * Web push with VAPID (web-push): the rendered title, body and link, encrypted
 * (aes128gcm) to every subscription of the recipient. A subscription the push
 * service no longer knows (404, 410) is deleted. The message is sent when at least
 * one browser accepted it; when none did, a 429 / 5xx / network error anywhere makes
 * it temporary (retried later: nobody received it yet, so no one gets it twice),
 * otherwise it is permanent ('no push subscription' when none is left).
 */
export class WebPushProvider implements ChannelProvider {
  readonly channel = 'push' as const;
  readonly description = 'web push (VAPID)';
  private readonly clock: Clock;

  constructor(private readonly options: WebPushOptions) {
    this.clock = options.clock ?? systemClock;
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    if (!message.recipientUserId) throw new PermanentFailure('no push subscription: the recipient has no account', true);
    const subscriptions = await this.options.subscriptions.listForUser(message.recipientUserId);
    if (subscriptions.length === 0) throw new PermanentFailure('no push subscription', true);
    let vapid: VapidDetails;
    try {
      vapid = await this.options.vapid.get();
    } catch (error) {
      // The database is away, or the stored pair cannot be decrypted (logged loudly): try again later.
      this.options.logger.error({ err: (error as Error).message }, 'VAPID keys unavailable: push messages wait');
      throw new TemporaryFailure(`VAPID keys unavailable: ${(error as Error).message}`);
    }
    const payload: PushPayload = { id: message.id, title: message.subject, body: message.text, link: messageLink(message), kind: message.kind };
    const body = JSON.stringify(payload);

    const outcomes = await Promise.all(
      subscriptions.map(async (subscription): Promise<Outcome> => {
        try {
          const result = await webpush.sendNotification(
            { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
            body,
            {
              vapidDetails: { subject: vapid.subject, publicKey: vapid.publicKey, privateKey: vapid.privateKey },
              TTL: this.options.ttlSeconds ?? 86_400,
              urgency: URGENCY[message.kind],
              contentEncoding: 'aes128gcm',
              timeout: this.options.timeoutMs ?? 10_000,
              ...(this.options.agent ? { agent: this.options.agent } : {}),
            },
          );
          const location = result.headers.location;
          return { kind: 'sent', id: subscription.id, location: typeof location === 'string' ? location : null };
        } catch (error) {
          if (error instanceof WebPushError) {
            const detail = `${new URL(subscription.endpoint).host} ${error.statusCode}${error.body ? `: ${error.body.slice(0, 200)}` : ''}`;
            if (error.statusCode === 404 || error.statusCode === 410) return { kind: 'gone', id: subscription.id, detail };
            if (error.statusCode === 429 || error.statusCode >= 500) {
              const header = error.headers['retry-after'];
              return { kind: 'temporary', detail, retryAfterMs: retryAfterMs(typeof header === 'string' ? header : null) };
            }
            // 400 malformed, 403 VAPID mismatch, 413 too large: this subscription will not take this message.
            return { kind: 'permanent', detail };
          }
          // Connection refused or reset, a timeout, a TLS failure: the service may answer later.
          return { kind: 'temporary', detail: `${new URL(subscription.endpoint).host}: ${(error as Error).message}`, retryAfterMs: undefined };
        }
      }),
    );

    const sent = outcomes.filter((o) => o.kind === 'sent');
    const gone = outcomes.filter((o) => o.kind === 'gone');
    await this.options.subscriptions.deleteIds(gone.map((o) => o.id));
    if (gone.length > 0) this.options.logger.info({ message: message.id, removed: gone.length }, 'expired push subscriptions removed');
    const failures = outcomes.filter((o) => o.kind !== 'sent').map((o) => o.detail);
    if (sent.length > 0) {
      await this.options.subscriptions.touch(
        sent.map((o) => o.id),
        this.clock.now(),
      );
      const detail = `${sent.length} of ${subscriptions.length} subscriptions${failures.length ? `; ${failures.join('; ')}` : ''}`;
      return { providerId: sent.find((o) => o.location)?.location ?? null, status: 'sent', detail: detail.slice(0, 500) };
    }
    const temporary = outcomes.filter((o) => o.kind === 'temporary');
    if (temporary.length > 0) {
      const waits = temporary.map((o) => o.retryAfterMs).filter((ms): ms is number => ms !== undefined);
      throw new TemporaryFailure(failures.join('; ').slice(0, 500), waits.length ? Math.max(...waits) : undefined);
    }
    if (gone.length === subscriptions.length) throw new PermanentFailure('no push subscription: every subscription has expired', true);
    throw new PermanentFailure(failures.join('; ').slice(0, 500));
  }
}
