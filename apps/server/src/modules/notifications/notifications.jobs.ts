import client from 'prom-client';
import { z } from 'zod';
import { CHANNELS, type Channel } from '@mona/shared';
import { defineJob, type JobHandler } from '../../jobs/registry.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/client.ts';
import type { Logger } from '../../platform/logger.ts';
import type { RateLimiter, RateLimiterFactory } from '../../platform/rate-limit.ts';
import { PermanentFailure, TemporaryFailure, type ChannelProvider, type OutgoingMessage, type SendResult } from './channels/types.ts';
import type { ClaimedMessage, NotificationsRepository } from './notifications.repository.ts';
import type { NotificationsSettings } from './notifications.schemas.ts';
import { DISPATCH_JOB } from './notifications.service.ts';

/**
 * Sends due messages. Runs on a schedule in the notifications workers and is
 * also enqueued right after a message due now is composed (one job per second
 * at most). Several can run at once, in one worker or many: each claims its
 * own messages.
 */
export const dispatchNotificationsJob = defineJob({
  name: DISPATCH_JOB,
  family: 'notifications',
  payload: z.object({}),
  everyMs: 5000,
  // A failed drain is simply the next scheduled one; the messages are safe in the database.
  attempts: 1,
});

/** Counters of what the dispatcher did, per channel (registered on the process's /metrics). */
export class NotificationMetrics {
  readonly sent = new client.Counter({ name: 'notifications_sent_total', help: 'Messages accepted by their provider', labelNames: ['channel'], registers: [] });
  readonly failed = new client.Counter({
    name: 'notifications_failed_total',
    help: 'Messages that ended failed or bounced',
    labelNames: ['channel', 'status'],
    registers: [],
  });
  readonly retried = new client.Counter({
    name: 'notifications_retried_total',
    help: 'Temporary failures scheduled for another attempt',
    labelNames: ['channel'],
    registers: [],
  });
  readonly deferred = new client.Counter({
    name: 'notifications_rate_limited_total',
    help: 'Messages handed back because the channel reached its rate limit',
    labelNames: ['channel'],
    registers: [],
  });

  all(): client.Metric[] {
    return [this.sent, this.failed, this.retried, this.deferred];
  }
}

export interface DispatcherDeps {
  db: Db;
  repo: NotificationsRepository;
  /** The providers by channel; a channel without one keeps its messages pending. */
  providers: () => ReadonlyMap<Channel, ChannelProvider>;
  settings: () => Promise<NotificationsSettings>;
  rateLimits: RateLimiterFactory;
  clock: Clock;
  logger: Logger;
  metrics: NotificationMetrics;
  /** Messages of one channel sent at the same time by one worker (default 8). */
  concurrency?: number;
}

export interface DrainRound {
  /** Messages claimed this round. */
  claimed: number;
  /** When some channel has due messages but reached its rate limit: milliseconds until its next second. */
  throttledMs: number | null;
}

const MAX_BACKOFF_MS = 6 * 3_600_000;

/** The delay before the next attempt: `retryBaseSeconds` doubled at each attempt made, at least what the provider asked. */
export function backoffMs(attemptsMade: number, retryBaseSeconds: number, providerAskedMs?: number): number {
  const exponential = retryBaseSeconds * 1000 * 2 ** Math.max(0, attemptsMade - 1);
  return Math.min(MAX_BACKOFF_MS, Math.max(exponential, providerAskedMs ?? 0));
}

export function outgoingOf(row: ClaimedMessage): OutgoingMessage {
  const data = row.data as { headers?: Record<string, string> };
  return {
    id: row.id,
    channel: row.channel,
    kind: row.kind,
    locale: row.locale,
    to: row.toAddress,
    recipientUserId: row.recipientUserId,
    subject: row.subject,
    text: row.bodyText,
    html: row.bodyHtml,
    headers: data.headers ?? {},
    data: row.data,
  };
}

/**
 * The claim / send / mark loop. A round claims, per channel with a provider,
 * at most what the channel's rate limit still allows in the current second
 * (and at most a batch), under a lease; sends each message; and records the
 * outcome only if the claim still holds (status 'sending' with the attempts
 * number of the claim). A worker that dies leaves its messages 'sending'
 * until the lease expires; the next round of any worker takes them over.
 */
export class Dispatcher {
  private readonly limiters = new Map<string, RateLimiter>();

  constructor(private readonly deps: DispatcherDeps) {}

  private limiter(channel: Channel, perSecond: number): RateLimiter {
    const name = `notify-${channel}-${perSecond}`;
    let limiter = this.limiters.get(name);
    if (!limiter) {
      // Fixed one-second windows named by the clock's second; the counter itself lives a minute.
      limiter = this.deps.rateLimits({ name, points: perSecond, durationSeconds: 60 });
      this.limiters.set(name, limiter);
    }
    return limiter;
  }

  private secondKey(channel: Channel): string {
    return `${channel}:${Math.floor(this.deps.clock.now().getTime() / 1000)}`;
  }

  private msToNextSecond(): number {
    return 1000 - (this.deps.clock.now().getTime() % 1000);
  }

  /** One round over every channel that has a provider. */
  async drainOnce(): Promise<DrainRound> {
    const settings = await this.deps.settings();
    const providers = this.deps.providers();
    const rounds = await Promise.all(
      CHANNELS.filter((channel) => providers.has(channel)).map((channel) => this.drainChannel(channel, providers.get(channel)!, settings)),
    );
    const throttled = rounds.map((r) => r.throttledMs).filter((ms): ms is number => ms !== null);
    return { claimed: rounds.reduce((sum, r) => sum + r.claimed, 0), throttledMs: throttled.length ? Math.min(...throttled) : null };
  }

  /**
   * Rounds until nothing is due. With `waitForRateLimit` (the job, on the real
   * clock) it sleeps until the next second when a rate limit holds messages
   * back, until `maxMs` has passed; without it (tests on a simulated clock) it
   * stops there.
   */
  async drain(options: { maxMs?: number; waitForRateLimit?: boolean } = {}): Promise<{ claimed: number; rounds: number }> {
    const started = Date.now();
    const maxMs = options.maxMs ?? 50_000;
    let claimed = 0;
    let rounds = 0;
    while (Date.now() - started < maxMs) {
      const round = await this.drainOnce();
      rounds += 1;
      claimed += round.claimed;
      if (round.claimed > 0) continue;
      if (round.throttledMs === null || !options.waitForRateLimit) break;
      await new Promise((resolve) => setTimeout(resolve, round.throttledMs! + 5));
    }
    return { claimed, rounds };
  }

  private async drainChannel(channel: Channel, provider: ChannelProvider, settings: NotificationsSettings): Promise<DrainRound> {
    const { repo, clock } = this.deps;
    const limiter = this.limiter(channel, settings.rateLimits[channel]);
    const room = await limiter.peek(this.secondKey(channel));
    const budget = room.allowed ? Math.min(settings.batchSize, room.remaining) : 0;
    const now = clock.now();
    if (budget <= 0) return { claimed: 0, throttledMs: (await repo.hasDue(channel, now)) ? this.msToNextSecond() : null };

    const leaseMs = settings.leaseSeconds * 1000;
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const batch = await repo.claim(this.deps.db, channel, now, leaseUntil, budget);
    if (batch.length === 0) return { claimed: 0, throttledMs: null };

    // Never start a send the lease may not cover: what is left goes back to pending for the next round.
    const lastStart = leaseUntil.getTime() - leaseMs / 4;
    const queue = [...batch];
    const worker = async () => {
      for (let message = queue.shift(); message; message = queue.shift()) {
        await this.sendOne(provider, limiter, message, settings, lastStart);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.deps.concurrency ?? 8, batch.length) }, worker));
    return { claimed: batch.length, throttledMs: null };
  }

  private async sendOne(
    provider: ChannelProvider,
    limiter: RateLimiter,
    message: ClaimedMessage,
    settings: NotificationsSettings,
    lastStart: number,
  ): Promise<void> {
    const { repo, clock, db, metrics, logger } = this.deps;
    const channel = message.channel;
    const claim = { id: message.id, attempts: message.attempts };
    const handBack = (detail: string, sendAfter: Date) =>
      repo.finish(db, claim, { status: 'pending', detail, at: clock.now(), sendAfter, refundAttempt: true });

    if (clock.now().getTime() >= lastStart) {
      await handBack('handed back: the batch took too long for its lease', clock.now());
      return;
    }
    if (message.attempts > message.maxAttempts) {
      // Taken over after a worker died during the last allowed attempt.
      await repo.finish(db, claim, {
        status: 'failed',
        detail: 'no attempt left after a lost worker',
        at: clock.now(),
        lastError: 'worker lost during the last attempt',
      });
      metrics.failed.inc({ channel, status: 'failed' });
      return;
    }
    const decision = await limiter.consume(this.secondKey(channel));
    if (!decision.allowed) {
      await handBack('rate limit reached: deferred to the next second', new Date(clock.now().getTime() + this.msToNextSecond()));
      metrics.deferred.inc({ channel });
      return;
    }

    let result: SendResult;
    try {
      result = await provider.send(outgoingOf(message));
    } catch (error) {
      await this.recordFailure(message, error, settings);
      return;
    }
    const recorded = await repo.finish(db, claim, {
      status: result.status,
      detail: result.detail ?? `accepted by ${provider.description}`,
      at: clock.now(),
      providerId: result.providerId,
      lastError: null,
    });
    if (recorded) metrics.sent.inc({ channel });
    else logger.warn({ messageId: message.id, channel }, 'message sent after its lease was taken over: it may be sent twice');
  }

  private async recordFailure(message: ClaimedMessage, error: unknown, settings: NotificationsSettings): Promise<void> {
    const { repo, clock, db, metrics, logger } = this.deps;
    const channel = message.channel;
    const claim = { id: message.id, attempts: message.attempts };
    const now = clock.now();
    if (error instanceof PermanentFailure) {
      const status = error.bounced ? 'bounced' : 'failed';
      await repo.finish(db, claim, { status, detail: error.message, at: now, lastError: error.message });
      metrics.failed.inc({ channel, status });
      return;
    }
    const temporary = error instanceof TemporaryFailure ? error : new TemporaryFailure((error as Error)?.message ?? String(error));
    if (!(error instanceof TemporaryFailure))
      logger.warn({ err: temporary.message, messageId: message.id, channel }, 'unexpected send error, retried as temporary');
    if (message.attempts >= message.maxAttempts) {
      const detail = `gave up after ${message.attempts} attempts: ${temporary.message}`;
      await repo.finish(db, claim, { status: 'failed', detail, at: now, lastError: temporary.message });
      metrics.failed.inc({ channel, status: 'failed' });
      return;
    }
    const retryAt = new Date(now.getTime() + backoffMs(message.attempts, settings.retryBaseSeconds, temporary.retryAfterMs));
    await repo.finish(db, claim, {
      status: 'pending',
      detail: `temporary failure (attempt ${message.attempts} of ${message.maxAttempts}), retry at ${retryAt.toISOString()}: ${temporary.message}`,
      at: now,
      lastError: temporary.message,
      sendAfter: retryAt,
    });
    metrics.retried.inc({ channel });
  }
}

export function notificationsJobHandlers(dispatcher: () => Dispatcher) {
  const dispatch: JobHandler<Record<string, never>> = async (_payload, { logger }) => {
    const result = await dispatcher().drain({ maxMs: 50_000, waitForRateLimit: true });
    if (result.claimed > 0) logger.debug(result, 'notifications dispatched');
    return result;
  };
  return { [dispatchNotificationsJob.name]: dispatch };
}
