import type { Channel } from '@mona/shared';
import type { AppConfig } from '../../../config/env.ts';
import type { Clock } from '../../../platform/clock.ts';
import type { Logger } from '../../../platform/logger.ts';
import type { PubSub } from '../../../platform/pubsub.ts';
import type { InboxRepository } from '../inbox.repository.ts';
import type { NotificationsRepository } from '../notifications.repository.ts';
import type { PushSubscriptionsRepository } from '../push.repository.ts';
import type { VapidKeys } from '../vapid.ts';
import { SmtpEmailProvider, type SmtpOptions } from './email.ts';
import { InAppProvider } from './inapp.ts';
import { OutboxEmailProvider, OutboxSmsProvider } from './outbox.ts';
import { WebPushProvider } from './push.ts';
import { twilioFromConfig } from './sms.ts';
import type { ChannelProvider } from './types.ts';

export const DEFAULT_SMTP_FROM = 'MONA x SPARK <no-reply@mona-spark.local>';

export interface ProviderDeps {
  config: Pick<
    AppConfig,
    | 'SMTP_HOST'
    | 'SMTP_PORT'
    | 'SMTP_USER'
    | 'SMTP_PASS'
    | 'SMTP_FROM'
    | 'SMTP_SECURE'
    | 'TWILIO_ACCOUNT_SID'
    | 'TWILIO_AUTH_TOKEN'
    | 'TWILIO_FROM'
    | 'TWILIO_BASE_URL'
    | 'NEXT_PUBLIC_APP_URL'
  >;
  repo: NotificationsRepository;
  inbox: InboxRepository;
  pushSubscriptions: PushSubscriptionsRepository;
  vapid: VapidKeys;
  pubsub: PubSub;
  clock: Clock;
  logger: Logger;
  /** Extra SMTP options (tests: trust the local server's self-signed certificate). */
  smtp?: Partial<Pick<SmtpOptions, 'tls' | 'socketTimeoutMs' | 'maxConnections'>>;
  /** Replaces the provider of a channel (tests). */
  overrides?: Partial<Record<Channel, ChannelProvider>>;
}

/** The SMTP provider from the environment, or the local outbox without SMTP_HOST. */
export function emailProvider(deps: Pick<ProviderDeps, 'config' | 'repo' | 'clock' | 'smtp'>): ChannelProvider {
  const { config } = deps;
  const from = config.SMTP_FROM ?? DEFAULT_SMTP_FROM;
  if (!config.SMTP_HOST) return new OutboxEmailProvider(deps.repo, from, deps.clock);
  return new SmtpEmailProvider({
    host: config.SMTP_HOST,
    port: config.SMTP_PORT,
    secure: config.SMTP_SECURE ?? config.SMTP_PORT === 465,
    user: config.SMTP_USER,
    pass: config.SMTP_PASS,
    from,
    ...deps.smtp,
  });
}

/**
 * One provider per channel, from the configuration: SMTP or the outbox for
 * email, Twilio or the outbox for SMS, web push with the platform's VAPID
 * keys, and the live in-app inbox.
 */
export function buildProviders(deps: ProviderDeps): Map<Channel, ChannelProvider> {
  const { config, logger, clock } = deps;
  const providers = new Map<Channel, ChannelProvider>([
    ['email', emailProvider(deps)],
    ['sms', twilioFromConfig(config, logger) ?? new OutboxSmsProvider(deps.repo, clock)],
    ['push', new WebPushProvider({ subscriptions: deps.pushSubscriptions, vapid: deps.vapid, logger, clock })],
    ['inapp', new InAppProvider({ pubsub: deps.pubsub, inbox: deps.inbox, logger, clock })],
  ]);
  for (const [channel, provider] of Object.entries(deps.overrides ?? {}) as [Channel, ChannelProvider][]) providers.set(channel, provider);
  return providers;
}

export async function closeProviders(providers: ReadonlyMap<Channel, ChannelProvider>): Promise<void> {
  await Promise.allSettled([...providers.values()].map(async (p) => p.close?.()));
}
