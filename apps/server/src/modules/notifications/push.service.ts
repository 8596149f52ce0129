import { AppError, badRequest, notFound, serviceUnavailable } from '../../platform/errors.ts';
import type { Caller } from '../../platform/http/auth.ts';
import type { PushSubscriptionRow, PushSubscriptionsRepository } from './push.repository.ts';
import type { PushSubscribeInput, PushSubscriptionView } from './push.schemas.ts';
import type { VapidKeys } from './vapid.ts';

/**
 * The push services browsers use (Chrome and the Chromium family: FCM; Firefox:
 * Mozilla autopush; Edge: WNS; Safari: Apple). In production a subscription must
 * point to one of them, so the API never posts to an address a user made up
 * (an internal service, say). Outside production any https endpoint is taken,
 * which lets tests run a local push service.
 */
export const PUSH_SERVICE_DOMAINS = ['googleapis.com', 'push.services.mozilla.com', 'notify.windows.com', 'push.apple.com'];

export function isKnownPushService(endpoint: string): boolean {
  const host = new URL(endpoint).hostname.toLowerCase();
  return PUSH_SERVICE_DOMAINS.some((domain) => host === domain || host.endsWith(`.${domain}`));
}

const toView = (row: PushSubscriptionRow): PushSubscriptionView => ({
  id: row.id,
  endpoint: row.endpoint,
  userAgent: row.userAgent,
  createdAt: row.createdAt.toISOString(),
  lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
});

/** A signed-in user's web-push subscriptions (one per browser that accepted notifications). */
export class PushService {
  constructor(
    private readonly deps: {
      repo: PushSubscriptionsRepository;
      vapid: VapidKeys;
      /** Only endpoints of the known push services (PUSH_SERVICE_DOMAINS). */
      knownServicesOnly: boolean;
    },
  ) {}

  async publicKey(): Promise<{ publicKey: string }> {
    try {
      return { publicKey: (await this.deps.vapid.get()).publicKey };
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw serviceUnavailable('Push notifications are unavailable right now', { reason: (error as Error).message });
    }
  }

  async list(caller: Caller): Promise<{ items: PushSubscriptionView[] }> {
    return { items: (await this.deps.repo.listForUser(caller.id)).map(toView) };
  }

  async subscribe(caller: Caller, input: PushSubscribeInput, userAgent: string): Promise<{ subscription: PushSubscriptionView; created: boolean }> {
    if (this.deps.knownServicesOnly && !isKnownPushService(input.endpoint)) {
      throw badRequest('This push endpoint is not a known push service', { issues: [{ path: 'endpoint', message: 'Not a known push service' }] });
    }
    const { row, created } = await this.deps.repo.upsert({
      userId: caller.id,
      endpoint: input.endpoint,
      p256dh: input.keys.p256dh,
      auth: input.keys.auth,
      userAgent: userAgent.slice(0, 300),
    });
    return { subscription: toView(row), created };
  }

  async unsubscribe(caller: Caller, endpoint: string): Promise<void> {
    if (!(await this.deps.repo.deleteForUser(caller.id, endpoint))) throw notFound('No push subscription of yours with this endpoint');
  }
}
