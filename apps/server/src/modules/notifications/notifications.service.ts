import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { CHANNELS, isTeamRole, type Channel, type MessageStatus, type NotificationKind, type WindowRule } from '@mona/shared';
import type { Db } from '../../platform/db/client.ts';
import type { Clock } from '../../platform/clock.ts';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../platform/errors.ts';
import type { Caller } from '../../platform/http/auth.ts';
import { decodeCursor, pageOf } from '../../platform/http/keyset-cursor.ts';
import type { Logger } from '../../platform/logger.ts';
import type { QueueService } from '../../platform/queue.ts';
import type { SqlTx } from '../artists/artists.repository.ts';
import type { DomainEvents } from '../events/events.service.ts';
import type { InteractionsService } from '../interactions/interactions.service.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import type { EngagementRepository, EngagementRow } from './engagement.ts';
import type { ComposeRequest, ComposeResult } from './notifications.types.ts';
import type {
  MessageEventRow,
  MessageRecord,
  MessageRow,
  NotificationsRepository,
  OutboxRow,
  PreferencesRow,
  RecipientArtist,
  RecipientUser,
} from './notifications.repository.ts';
import type {
  EngagementEventDto,
  EngagementInput,
  ListMessagesQuery,
  ListOutboxQuery,
  MessageDetailDto,
  MessageDto,
  NotificationsSettings,
  OutboxDetailDto,
  OutboxEntryDto,
  PreferencesDto,
  SendMessageInput,
  UpdatePreferencesInput,
} from './notifications.schemas.ts';
import { pickContent, renderMessage, TemplateError, type RenderLinks } from './render.ts';
import type { TrackingLinks, TrackingToken } from './tracking.ts';
import { nextSendTime, type QuietHours } from './windows.ts';

/** The job that sends due messages (declared in notifications.jobs.ts; named here so the service can enqueue it). */
export const DISPATCH_JOB = 'notifications.dispatch';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toMessageDto(row: MessageRecord): MessageDto {
  return {
    id: row.id,
    channel: row.channel,
    kind: row.kind,
    status: row.status,
    templateCode: row.templateCode,
    locale: row.locale,
    artistId: row.artistId,
    artistName: row.artistName,
    recipientUserId: row.recipientUserId,
    toAddress: row.toAddress,
    subject: row.subject,
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    providerId: row.providerId,
    lastError: row.lastError,
    sendAfter: row.sendAfter.toISOString(),
    sentAt: iso(row.sentAt),
    deliveredAt: iso(row.deliveredAt),
    openedAt: iso(row.openedAt),
    clickedAt: iso(row.clickedAt),
    enrolmentId: row.enrolmentId,
    stepPosition: row.stepPosition,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function toOutboxDto(row: Omit<OutboxRow, 'raw'>): OutboxEntryDto {
  return {
    id: row.id,
    messageId: row.messageId,
    channel: row.channel as 'email' | 'sms',
    toAddress: row.toAddress,
    subject: row.subject,
    createdAt: row.createdAt.toISOString(),
  };
}

function toEngagementDto(row: EngagementRow): EngagementEventDto {
  return { id: row.id, kind: row.kind, points: row.points, messageId: row.messageId, occurredAt: row.occurredAt.toISOString() };
}

/**
 * A phone number as E.164 for SMS providers: formatting removed, 00 read as
 * +, and a French national number (0 followed by nine digits: the agency's
 * market) given +33. Anything else without a + is refused.
 */
export function toE164(phone: string): string | null {
  const compact = phone.replace(/[\s().-]/g, '');
  let number = compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
  if (/^0\d{9}$/.test(number)) number = `+33${number.slice(1)}`;
  return /^\+[1-9]\d{6,14}$/.test(number) ? number : null;
}

/** The day (in the notifications time zone) a login counts for. */
export function loginDay(at: Date, timeZone: string): string {
  return DateTime.fromJSDate(at, { zone: timeZone }).toISODate()!;
}

interface Recipient {
  artist: RecipientArtist | undefined;
  user: RecipientUser | undefined;
  preferences: PreferencesRow | undefined;
}

/** Where a message goes, or why it cannot go. */
function addressFor(channel: Channel, recipient: Recipient): { to: string | null } | { skip: string } {
  const { artist, user } = recipient;
  if (channel === 'email') {
    const email = artist?.email ?? user?.email ?? null;
    return email ? { to: email } : { skip: 'no email address' };
  }
  if (channel === 'sms') {
    if (!artist?.phone) return { skip: 'no phone number' };
    const number = toE164(artist.phone);
    return number ? { to: number } : { skip: `phone number not usable for SMS (${artist.phone}): give it with its country code` };
  }
  if (!user) return { skip: `no account: ${channel === 'push' ? 'push' : 'in-app'} messages need one` };
  if (user.disabledAt) return { skip: 'account disabled' };
  return { to: null };
}

/** Why a message of this kind must not go to this recipient on this channel, or null. Transactional messages always go. */
export function refusal(channel: Channel, kind: NotificationKind, recipient: Recipient): string | null {
  if (kind === 'transactional') return null;
  if (kind === 'marketing') {
    if (!recipient.artist) return 'no marketing consent (no artist record)';
    if (!recipient.artist.consentMarketing) return 'no marketing consent';
    if (recipient.artist.archivedAt) return 'artist archived';
  }
  const switches = recipient.preferences?.channels[channel];
  if (switches?.[kind] === false) return `${kind} messages turned off on ${channel} in the recipient's preferences`;
  return null;
}

export interface NotificationsServiceDeps {
  db: Db;
  repo: NotificationsRepository;
  engagement: EngagementRepository;
  settings: SettingsService;
  events: DomainEvents;
  queue: QueueService;
  links: TrackingLinks;
  clock: Clock;
  logger: Logger;
  /** Lazy: a reply's note goes to the contact timeline. */
  interactions: () => InteractionsService;
}

/**
 * Messages: deciding them (compose), the staff log, preferences, tracking and
 * unsubscribe, engagement. Sending is the dispatcher's work (notifications.jobs.ts).
 */
export class NotificationsService {
  /** The second of the latest dispatch job this process enqueued (bursts of composes coalesce). */
  private lastKick = 0;

  constructor(private readonly deps: NotificationsServiceDeps) {}

  private now(): Date {
    return this.deps.clock.now();
  }

  async settings(db?: SqlTx): Promise<NotificationsSettings> {
    return this.deps.settings.get('notifications', db);
  }

  /**
   * Decides and stores one message (see ComposeRequest). Idempotent on the key:
   * the first request creates the row, every later one returns it unchanged.
   * With `tx` the message is part of the caller's transaction; the caller then
   * calls `kick()` after commit for a message due now (or leaves it to the
   * dispatcher's schedule).
   */
  async compose(request: ComposeRequest, tx?: SqlTx): Promise<ComposeResult> {
    return this.composeWith(request, tx, {});
  }

  private async composeWith(request: ComposeRequest, tx: SqlTx | undefined, extraData: Record<string, unknown>): Promise<ComposeResult> {
    const db: SqlTx = tx ?? this.deps.db;
    const existing = await this.deps.repo.findByIdempotencyKey(request.idempotencyKey, db);
    if (existing) return composeResult(existing, false);
    if (!request.artistId && !request.userId) throw badRequest('A message needs an artistId or a userId');

    const found = await this.deps.repo.findTemplate(request.templateCode, db);
    if (!found) throw notFound(`No notification template ${request.templateCode}`);
    const { template, contents } = found;
    const recipient = await this.resolveRecipient(request, db);
    const settings = await this.settings(db);
    const now = this.now();
    const channel = template.channel;
    const kind = template.kind;

    const refused = refusal(channel, kind, recipient);
    const address = addressFor(channel, recipient);
    const skipReason = refused ?? ('skip' in address ? address.skip : null);
    const toAddress = 'to' in address ? address.to : null;

    const locale = recipient.user?.locale ?? 'fr';
    const content = pickContent(contents, locale);
    if (!content) throw new AppError(409, 'conflict', `Template ${template.code} has no wording in any language`);

    const id = randomUUID();
    const variables: Record<string, string | number> = {
      name: recipient.artist?.stageName ?? recipient.user?.name ?? '',
      appUrl: this.deps.links.absolute('/'),
      ...(request.link ? { link: this.deps.links.absolute(request.link) } : {}),
      ...request.variables,
    };
    const tracked = channel === 'email' && kind !== 'transactional' && !skipReason;
    const links: RenderLinks = tracked ? { click: (url) => this.deps.links.click(id, url), openPixel: this.deps.links.openPixel(id) } : {};
    if (channel === 'email' && kind === 'marketing') {
      links.unsubscribe = recipient.artist ? this.deps.links.unsubscribe(recipient.artist.id, id) : this.deps.links.absolute('/');
    }
    let rendered;
    try {
      rendered = renderMessage({ channel, kind, locale: content.locale, subject: content.subject, body: content.body, variables, links });
    } catch (error) {
      if (error instanceof TemplateError) throw new AppError(409, 'conflict', `Template ${template.code}: ${error.message}`);
      throw error;
    }

    let sendAfter = now;
    if (!skipReason) {
      const rule: WindowRule = request.windowRule ?? (kind === 'marketing' ? 'marketing' : 'any');
      const prefs = recipient.preferences;
      const quiet: QuietHours | null =
        kind !== 'transactional' && channel !== 'inapp' && prefs?.quietStart && prefs.quietEnd
          ? { start: prefs.quietStart, end: prefs.quietEnd, timeZone: prefs.timeZone }
          : null;
      const due = request.notBefore && request.notBefore > now ? request.notBefore : now;
      sendAfter = nextSendTime(due, rule, { timeZone: settings.timeZone, marketing: settings.marketingWindows, daytime: settings.daytimeWindow, quiet });
    }
    const status: MessageStatus = skipReason ? 'skipped' : 'pending';
    const values = {
      id,
      idempotencyKey: request.idempotencyKey,
      channel,
      kind,
      templateCode: template.code,
      locale: content.locale,
      recipientUserId: recipient.user?.id ?? null,
      artistId: recipient.artist?.id ?? null,
      toAddress,
      subject: rendered.subject,
      bodyText: rendered.text,
      bodyHtml: rendered.html,
      data: {
        variables: request.variables ?? {},
        ...(request.link ? { link: request.link } : {}),
        ...(Object.keys(rendered.headers).length ? { headers: rendered.headers } : {}),
        ...extraData,
      },
      status,
      maxAttempts: settings.maxAttempts,
      lastError: skipReason,
      sendAfter,
      enrolmentId: request.enrolment?.id ?? null,
      stepPosition: request.enrolment?.position ?? null,
      createdAt: now,
      updatedAt: now,
    };
    const detail = skipReason ? `skipped: ${skipReason}` : `composed; not before ${sendAfter.toISOString()}`;
    const inserted = tx
      ? await this.deps.repo.insertMessage(tx, values, { detail })
      : await this.deps.db.transaction((own) => this.deps.repo.insertMessage(own, values, { detail }));
    if (!inserted) {
      // Another request with the same key won the race: return its message.
      const winner = await this.deps.repo.findByIdempotencyKey(request.idempotencyKey, db);
      if (!winner) throw new AppError(500, 'internal_error', 'A message with this idempotency key vanished');
      return composeResult(winner, false);
    }
    if (!tx && inserted.status === 'pending' && inserted.sendAfter <= now) await this.kick();
    return composeResult(inserted, true);
  }

  private async resolveRecipient(request: ComposeRequest, db: SqlTx): Promise<Recipient> {
    const { repo } = this.deps;
    let artist = request.artistId ? await repo.findRecipientArtist({ id: request.artistId }, db) : undefined;
    if (request.artistId && !artist) throw notFound('Artist not found');
    const userId = request.userId ?? artist?.userId ?? null;
    const user = userId ? await repo.findRecipientUser(userId, db) : undefined;
    if (request.userId && !user) throw notFound('User not found');
    if (!artist && user) artist = await repo.findRecipientArtist({ userId: user.id }, db);
    const preferences = user ? await repo.findPreferences(user.id, db) : undefined;
    return { artist, user, preferences };
  }

  /**
   * Asks a worker to send due messages now. Coalesced: the first call of a
   * second enqueues a dispatch job at once; later calls in the same second add
   * one job for the next second (it sends everything composed meanwhile); the
   * job ids are per second, so API instances coalesce in the queue too. Never
   * fails the caller: the scheduled dispatch picks the message up anyway.
   */
  async kick(): Promise<void> {
    const now = Date.now();
    const second = Math.floor(now / 1000);
    if (this.lastKick > second) return;
    const target = this.lastKick === second ? second + 1 : second;
    this.lastKick = target;
    try {
      await this.deps.queue.enqueue(DISPATCH_JOB, {}, { jobId: `notifications-dispatch-${target}`, delayMs: Math.max(0, target * 1000 - now) });
    } catch (error) {
      this.deps.logger.warn({ err: (error as Error).message }, 'could not enqueue the dispatcher; the scheduled run will send the message');
    }
  }

  /** Cancels an enrolment's messages not sent yet (a sequence exit). Returns how many. */
  async cancelForEnrolment(enrolmentId: string, reason: string, tx?: SqlTx): Promise<number> {
    const run = (db: SqlTx) => this.deps.repo.cancelForEnrolment(db, enrolmentId, reason, this.now());
    const ids = tx ? await run(tx) : await this.deps.db.transaction(run);
    return ids.length;
  }

  // ---- Staff: the message log, retries, one-off messages, the outbox ----

  private assertTeam(caller: Caller, what: string): void {
    if (!isTeamRole(caller.role)) throw forbidden(`Only the team ${what}`);
  }

  async listMessages(caller: Caller, query: ListMessagesQuery): Promise<{ items: MessageDto[]; nextCursor: string | null }> {
    this.assertTeam(caller, 'reads the message log');
    const { cursor: cursorText, limit, ...filters } = query;
    const cursor = cursorText ? decodeCursor(cursorText) : null;
    const page = pageOf(await this.deps.repo.listMessages(filters, cursor, limit), limit);
    return { items: page.rows.map(toMessageDto), nextCursor: page.nextCursor };
  }

  async getMessage(caller: Caller, id: string): Promise<MessageDetailDto> {
    this.assertTeam(caller, 'reads the message log');
    const row = await this.deps.repo.findMessage(id);
    if (!row) throw notFound('Message not found');
    const events = await this.deps.repo.history(id);
    return toDetail(row, events);
  }

  /**
   * A failed message is final; retrying composes it again as a new message
   * (the same template, recipient and variables, linked by `data.retryOf`), so
   * consent and preferences are checked anew and the history stays true.
   */
  async retry(caller: Caller, id: string): Promise<ComposeResult> {
    this.assertTeam(caller, 'retries messages');
    const row = await this.deps.repo.findMessage(id);
    if (!row) throw notFound('Message not found');
    if (row.status !== 'failed') throw conflict(`Only a failed message can be retried; this one is ${row.status}`, { status: row.status });
    if (!row.templateCode) throw conflict('This message has no template to compose it from again');
    const data = row.data as { variables?: Record<string, string | number>; link?: string };
    return this.composeWith(
      {
        idempotencyKey: `retry:${row.id}`,
        templateCode: row.templateCode,
        artistId: row.artistId,
        userId: row.recipientUserId,
        ...(data.variables ? { variables: data.variables } : {}),
        ...(data.link ? { link: data.link } : {}),
        ...(row.enrolmentId && row.stepPosition !== null ? { enrolment: { id: row.enrolmentId, position: row.stepPosition } } : {}),
      },
      undefined,
      { retryOf: row.id },
    );
  }

  async sendToArtist(caller: Caller, artistId: string, input: SendMessageInput): Promise<ComposeResult> {
    this.assertTeam(caller, 'sends messages to artists');
    return this.compose({
      idempotencyKey: input.idempotencyKey ? `manual:${artistId}:${input.idempotencyKey}` : `manual:${randomUUID()}`,
      templateCode: input.templateCode,
      artistId,
      ...(input.variables ? { variables: input.variables } : {}),
      ...(input.notBefore ? { notBefore: new Date(input.notBefore) } : {}),
      ...(input.windowRule ? { windowRule: input.windowRule } : {}),
      ...(input.link ? { link: input.link } : {}),
    });
  }

  async listOutbox(caller: Caller, query: ListOutboxQuery): Promise<{ items: OutboxEntryDto[]; nextCursor: string | null }> {
    this.assertTeam(caller, 'reads the outbox');
    const cursor = query.cursor ? decodeCursor(query.cursor) : null;
    const page = pageOf(await this.deps.repo.listOutbox({ channel: query.channel }, cursor, query.limit), query.limit);
    return { items: page.rows.map(toOutboxDto), nextCursor: page.nextCursor };
  }

  async getOutbox(caller: Caller, id: string): Promise<OutboxDetailDto> {
    this.assertTeam(caller, 'reads the outbox');
    const row = await this.deps.repo.findOutbox(id);
    if (!row) throw notFound('Outbox entry not found');
    return { ...toOutboxDto(row), raw: row.raw };
  }

  // ---- Preferences ----

  async getPreferences(caller: Caller): Promise<PreferencesDto> {
    const [row, artist] = await Promise.all([
      this.deps.repo.findPreferences(caller.id),
      this.deps.repo.findRecipientArtist({ userId: caller.id }, this.deps.db),
    ]);
    return toPreferencesDto(row, artist?.consentMarketing ?? null);
  }

  async updatePreferences(caller: Caller, input: UpdatePreferencesInput): Promise<PreferencesDto> {
    const artist = await this.deps.repo.findRecipientArtist({ userId: caller.id }, this.deps.db);
    if (input.marketingConsent !== undefined && !artist) {
      throw new AppError(400, 'validation_failed', 'This account has no artist record to give or withdraw consent on', {
        issues: [{ path: 'marketingConsent', message: 'No artist record is linked to this account' }],
      });
    }
    const current = await this.deps.repo.findPreferences(caller.id);
    const channels = structuredClone(current?.channels ?? {});
    for (const channel of CHANNELS) {
      const changes = input.channels?.[channel];
      if (!changes) continue;
      const entry = (channels[channel] ??= {});
      if (changes.activity !== undefined) entry.activity = changes.activity;
      if (changes.marketing !== undefined) entry.marketing = changes.marketing;
    }
    const quiet = input.quietHours === undefined ? { start: current?.quietStart ?? null, end: current?.quietEnd ?? null } : input.quietHours;
    await this.deps.repo.upsertPreferences({
      userId: caller.id,
      channels,
      quietStart: quiet?.start ?? null,
      quietEnd: quiet?.end ?? null,
      timeZone: input.timeZone ?? current?.timeZone ?? (await this.settings()).timeZone,
      updatedAt: this.now(),
    });
    if (artist && input.marketingConsent === false) await this.unsubscribeArtist(artist.id, null);
    if (artist && input.marketingConsent === true) {
      await this.deps.db.transaction((tx) => this.deps.repo.grantConsent(tx, artist.id, this.now()));
    }
    return this.getPreferences(caller);
  }

  // ---- Tracking, unsubscribe, engagement ----

  private verify<K extends TrackingToken['kind']>(token: string, kind: K): Extract<TrackingToken, { kind: K }> {
    const parsed = this.deps.links.signer.verify(token);
    if (!parsed || parsed.kind !== kind) throw notFound('Unknown or altered link');
    return parsed as Extract<TrackingToken, { kind: K }>;
  }

  /** The open pixel was loaded: the first time stamps the open and counts +1 for the artist. */
  async recordOpen(token: string): Promise<void> {
    const { messageId } = this.verify(token, 'open');
    const now = this.now();
    await this.deps.db.transaction(async (tx) => {
      const message = await this.deps.repo.findMessage(messageId, tx);
      if (!message) return;
      const first = await this.deps.repo.markOpened(tx, messageId, now);
      if (first && message.artistId) {
        await this.deps.engagement.record(tx, { artistId: message.artistId, kind: 'open', dedupeKey: `open:${messageId}`, messageId, at: now });
      }
    });
  }

  /** A tracked link was followed: the first time stamps the click and counts +3. Returns where to send the reader. */
  async recordClick(token: string): Promise<string> {
    const { messageId, url } = this.verify(token, 'click');
    const now = this.now();
    await this.deps.db.transaction(async (tx) => {
      const message = await this.deps.repo.findMessage(messageId, tx);
      if (!message) return;
      const first = await this.deps.repo.markClicked(tx, messageId, now);
      if (first && message.artistId) {
        await this.deps.engagement.record(tx, { artistId: message.artistId, kind: 'click', dedupeKey: `click:${messageId}`, messageId, at: now });
      }
    });
    return url;
  }

  /** What the unsubscribe page shows: the artist's name and whether they are still subscribed. */
  async unsubscribeState(token: string): Promise<{ name: string; subscribed: boolean; locale: 'fr' | 'en' }> {
    const { artistId, messageId } = this.verify(token, 'unsubscribe');
    const artist = await this.deps.repo.findRecipientArtist({ id: artistId }, this.deps.db);
    if (!artist) throw notFound('Unknown or altered link');
    const message = messageId ? await this.deps.repo.findMessage(messageId) : undefined;
    return { name: artist.stageName, subscribed: artist.consentMarketing, locale: message?.locale === 'en' ? 'en' : 'fr' };
  }

  /** One-click unsubscribe (RFC 8058) or the page's button. Idempotent. */
  async unsubscribe(token: string): Promise<{ unsubscribed: boolean; alreadyUnsubscribed: boolean }> {
    const { artistId, messageId } = this.verify(token, 'unsubscribe');
    const artist = await this.deps.repo.findRecipientArtist({ id: artistId }, this.deps.db);
    if (!artist) throw notFound('Unknown or altered link');
    const changed = await this.unsubscribeArtist(artistId, messageId);
    return { unsubscribed: true, alreadyUnsubscribed: !changed };
  }

  /**
   * Withdraws marketing consent, in one transaction: the consent, −20
   * engagement (once per withdrawn consent), the 'artist.unsubscribed' event
   * and the cancellation of the artist's pending marketing messages. Returns
   * false when there was no consent to withdraw (nothing happens).
   */
  private async unsubscribeArtist(artistId: string, messageId: string | null): Promise<boolean> {
    const now = this.now();
    const eventIds: string[] = [];
    const changed = await this.deps.db.transaction(async (tx) => {
      const withdrawn = await this.deps.repo.withdrawConsent(tx, artistId, now);
      if (!withdrawn) return false;
      const message = messageId ? await this.deps.repo.findMessage(messageId, tx) : undefined;
      const knownMessage = message && message.artistId === artistId ? message.id : null;
      await this.deps.engagement.record(tx, {
        artistId,
        kind: 'unsubscribe',
        dedupeKey: `unsubscribe:${artistId}:${withdrawn.previousConsentAt}`,
        messageId: knownMessage,
        at: now,
      });
      eventIds.push(await this.deps.events.record(tx, 'artist.unsubscribed', artistId, { artistId, messageId: knownMessage }));
      await this.deps.repo.cancelMarketingForArtist(tx, artistId, 'the artist unsubscribed', now);
      return true;
    });
    await this.deps.events.dispatch(eventIds);
    return changed;
  }

  /** +5 engagement for an artist's login, at most once a day (in the notifications time zone). Never fails the login. */
  async recordLogin(userId: string): Promise<void> {
    try {
      const artist = await this.deps.repo.findRecipientArtist({ userId }, this.deps.db);
      if (!artist) return;
      const now = this.now();
      const day = loginDay(now, (await this.settings()).timeZone);
      await this.deps.db.transaction((tx) =>
        this.deps.engagement.record(tx, { artistId: artist.id, kind: 'login', dedupeKey: `login:${artist.id}:${day}`, at: now }),
      );
    } catch (error) {
      this.deps.logger.warn({ err: (error as Error).message, userId }, 'login engagement not recorded');
    }
  }

  /** The team records an artist's reply (+10); with a message, a reply to it counts once; a note also goes to the contact timeline. */
  async recordEngagement(caller: Caller, artistId: string, input: EngagementInput): Promise<{ recorded: boolean; score: number }> {
    this.assertTeam(caller, 'records replies');
    const artist = await this.deps.repo.findRecipientArtist({ id: artistId }, this.deps.db);
    if (!artist) throw notFound('Artist not found');
    let channel: Channel | null = null;
    if (input.messageId) {
      const message = await this.deps.repo.findMessage(input.messageId);
      if (!message || message.artistId !== artistId) throw notFound('Message not found for this artist');
      channel = message.channel;
    }
    if (input.note) {
      await this.deps.interactions().create(caller, artistId, { kind: channel === 'email' ? 'email' : 'message', summary: input.note });
    }
    const now = this.now();
    const recorded = await this.deps.db.transaction((tx) =>
      this.deps.engagement.record(tx, {
        artistId,
        kind: 'reply',
        dedupeKey: input.messageId ? `reply:${input.messageId}` : `reply:${artistId}:${randomUUID()}`,
        messageId: input.messageId ?? null,
        at: now,
      }),
    );
    return { recorded, score: (await this.deps.engagement.score(artistId)) ?? 0 };
  }

  async engagementHistory(caller: Caller, artistId: string, limit = 200): Promise<{ score: number; items: EngagementEventDto[] }> {
    this.assertTeam(caller, "reads artists' engagement");
    const score = await this.deps.engagement.score(artistId);
    if (score === undefined) throw notFound('Artist not found');
    return { score, items: (await this.deps.engagement.list(artistId, limit)).map(toEngagementDto) };
  }
}

function composeResult(row: MessageRow, created: boolean): ComposeResult {
  return {
    id: row.id,
    channel: row.channel,
    status: row.status,
    created,
    sendAfter: row.sendAfter.toISOString(),
    ...(row.status === 'skipped' && row.lastError ? { reason: row.lastError } : {}),
  };
}

function toDetail(row: MessageRecord, events: MessageEventRow[]): MessageDetailDto {
  return {
    ...toMessageDto(row),
    bodyText: row.bodyText,
    bodyHtml: row.bodyHtml,
    data: row.data,
    events: events.map((e) => ({ status: e.status, detail: e.detail, at: e.at.toISOString() })),
  };
}

function toPreferencesDto(row: PreferencesRow | undefined, marketingConsent: boolean | null): PreferencesDto {
  const channels = Object.fromEntries(
    CHANNELS.map((channel) => {
      const switches = row?.channels[channel] ?? {};
      return [channel, { transactional: true as const, activity: switches.activity !== false, marketing: switches.marketing !== false }];
    }),
  ) as PreferencesDto['channels'];
  return {
    channels,
    quietHours: row?.quietStart && row.quietEnd ? { start: row.quietStart, end: row.quietEnd } : null,
    timeZone: row?.timeZone ?? 'Europe/Paris',
    marketingConsent,
  };
}
