import { and, asc, desc, eq, getTableColumns, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Channel, MessageStatus } from '@mona/shared';
import type { Db } from '../../platform/db/client.ts';
import type { KeysetCursor } from '../../platform/http/keyset-cursor.ts';
import { artists } from '../artists/artists.tables.ts';
import { users } from '../users/users.tables.ts';
import { isoUtc, type SqlTx } from '../artists/artists.repository.ts';
import type { Tx } from '../events/events.service.ts';
import {
  notificationMessageEvents,
  notificationMessages,
  notificationOutbox,
  notificationPreferences,
  notificationTemplateContents,
  notificationTemplates,
} from './notifications.tables.ts';

export type MessageRow = typeof notificationMessages.$inferSelect;
export type NewMessageRow = typeof notificationMessages.$inferInsert;
export type MessageEventRow = typeof notificationMessageEvents.$inferSelect;
export type TemplateRow = typeof notificationTemplates.$inferSelect;
export type TemplateContentRow = typeof notificationTemplateContents.$inferSelect;
export type PreferencesRow = typeof notificationPreferences.$inferSelect;
export type OutboxRow = typeof notificationOutbox.$inferSelect;

/** What deciding a message needs to know about an artist record. */
export interface RecipientArtist {
  id: string;
  stageName: string;
  email: string | null;
  phone: string | null;
  consentMarketing: boolean;
  userId: string | null;
  archivedAt: Date | null;
}

/** What deciding a message needs to know about an account. */
export interface RecipientUser {
  id: string;
  name: string;
  email: string;
  locale: string;
  disabledAt: Date | null;
}

/** A message as the log shows it: with the artist's stage name. */
export interface MessageRecord extends MessageRow {
  artistName: string | null;
}

/** A message a worker holds: `attempts` (after the claim) is the fencing token of its marks. */
export interface ClaimedMessage extends MessageRow {
  /** The status before the claim: 'sending' when the worker took over an expired lease. */
  previousStatus: MessageStatus;
}

export interface MessageFilters {
  artistId?: string | undefined;
  channel?: Channel | undefined;
  status?: MessageStatus | undefined;
  search?: string | undefined;
}

const iso = (d: Date) => d.toISOString();
/** `%text%` for ILIKE, with the pattern characters of `text` matched literally. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The due messages of a channel a claim takes, oldest `send_after` first. The
 * order is `send_after` alone, which the partial index `notification_messages_due_idx`
 * gives, so a claim reads its batch and stops. With a tie-breaker (`, id`)
 * PostgreSQL read and sorted every message sharing the oldest `send_after` for
 * each batch: a campaign released at one send-window opening (100,000 rows)
 * cost 0.9 s per claim of 50 instead of 1 ms (docs/benchmarks.md). Among
 * equal times the index's order (about insertion order) decides.
 */
export function dueForClaim(channel: Channel, now: Date, limit: number): SQL {
  return sql`
        select id, status as previous
        from notification_messages
        where channel = ${channel}
          and ((status = 'pending' and send_after <= ${iso(now)}::timestamptz)
            or (status = 'sending' and lease_until < ${iso(now)}::timestamptz))
        order by send_after
        limit ${limit}
        for update skip locked`;
}

/** All SQL of notification messages, their history, templates, preferences and the outbox. */
export class NotificationsRepository {
  constructor(private readonly db: Db) {}

  async findTemplate(code: string, tx: Pick<Db, 'select'> = this.db): Promise<{ template: TemplateRow; contents: TemplateContentRow[] } | undefined> {
    const [template] = await tx.select().from(notificationTemplates).where(eq(notificationTemplates.code, code)).limit(1);
    if (!template) return undefined;
    const contents = await tx.select().from(notificationTemplateContents).where(eq(notificationTemplateContents.templateId, template.id));
    return { template, contents };
  }

  async findRecipientArtist(by: { id: string } | { userId: string }, tx: Pick<Db, 'select'> = this.db): Promise<RecipientArtist | undefined> {
    const [row] = await tx
      .select({
        id: artists.id,
        stageName: artists.stageName,
        email: artists.email,
        phone: artists.phone,
        consentMarketing: artists.consentMarketing,
        userId: artists.userId,
        archivedAt: artists.archivedAt,
      })
      .from(artists)
      .where('id' in by ? eq(artists.id, by.id) : eq(artists.userId, by.userId))
      .limit(1);
    return row;
  }

  async findRecipientUser(id: string, tx: Pick<Db, 'select'> = this.db): Promise<RecipientUser | undefined> {
    const [row] = await tx
      .select({ id: users.id, name: users.name, email: users.email, locale: users.locale, disabledAt: users.disabledAt })
      .from(users)
      .where(eq(users.id, id))
      .limit(1);
    return row;
  }

  async findPreferences(userId: string, tx: Pick<Db, 'select'> = this.db): Promise<PreferencesRow | undefined> {
    const [row] = await tx.select().from(notificationPreferences).where(eq(notificationPreferences.userId, userId)).limit(1);
    return row;
  }

  async upsertPreferences(values: Omit<PreferencesRow, 'updatedAt'> & { updatedAt: Date }): Promise<PreferencesRow> {
    const { userId: _userId, ...changes } = values;
    const [row] = await this.db
      .insert(notificationPreferences)
      .values(values)
      .onConflictDoUpdate({ target: notificationPreferences.userId, set: changes })
      .returning();
    return row!;
  }

  /** Inserts unless the idempotency key exists; returns the new row, or undefined when the key was taken. */
  async insertMessage(tx: Tx, values: NewMessageRow, event: { detail: string }): Promise<MessageRow | undefined> {
    const [row] = await tx.insert(notificationMessages).values(values).onConflictDoNothing({ target: notificationMessages.idempotencyKey }).returning();
    if (!row) return undefined;
    await tx.insert(notificationMessageEvents).values({ messageId: row.id, status: row.status, detail: event.detail, at: row.createdAt });
    return row;
  }

  async findByIdempotencyKey(key: string, tx: Pick<Db, 'select'> = this.db): Promise<MessageRow | undefined> {
    const [row] = await tx.select().from(notificationMessages).where(eq(notificationMessages.idempotencyKey, key)).limit(1);
    return row;
  }

  async findMessage(id: string, tx: Pick<Db, 'select'> = this.db): Promise<MessageRecord | undefined> {
    const [row] = await tx
      .select({ ...getTableColumns(notificationMessages), artistName: artists.stageName })
      .from(notificationMessages)
      .leftJoin(artists, eq(artists.id, notificationMessages.artistId))
      .where(eq(notificationMessages.id, id))
      .limit(1);
    return row;
  }

  async history(messageId: string): Promise<MessageEventRow[]> {
    return this.db
      .select()
      .from(notificationMessageEvents)
      .where(eq(notificationMessageEvents.messageId, messageId))
      .orderBy(asc(notificationMessageEvents.at), asc(notificationMessageEvents.id));
  }

  /** A page, newest first, keyset on (createdAt, id); one row more than `limit` when another page follows. */
  async listMessages(filters: MessageFilters, cursor: KeysetCursor | null, limit: number): Promise<{ row: MessageRecord; key: string }[]> {
    const where: SQL[] = [];
    if (filters.artistId) where.push(eq(notificationMessages.artistId, filters.artistId));
    if (filters.channel) where.push(eq(notificationMessages.channel, filters.channel));
    if (filters.status) where.push(eq(notificationMessages.status, filters.status));
    if (filters.search) {
      const pattern = containing(filters.search);
      where.push(or(ilike(notificationMessages.subject, pattern), ilike(notificationMessages.toAddress, pattern))!);
    }
    if (cursor) where.push(sql`(${notificationMessages.createdAt}, ${notificationMessages.id}) < (${cursor.key}::timestamptz, ${cursor.id}::uuid)`);
    const rows = await this.db
      .select({ ...getTableColumns(notificationMessages), artistName: artists.stageName, sortKey: isoUtc(sql`${notificationMessages.createdAt}`) })
      .from(notificationMessages)
      .leftJoin(artists, eq(artists.id, notificationMessages.artistId))
      .where(where.length ? and(...where) : undefined)
      .orderBy(desc(notificationMessages.createdAt), desc(notificationMessages.id))
      .limit(limit + 1);
    return rows.map(({ sortKey, ...row }) => ({ row, key: sortKey }));
  }

  /**
   * Takes up to `limit` due messages of a channel for one worker, in one
   * statement: pending ones whose time has come, and 'sending' ones whose
   * worker's lease ran out (it died or hung). SKIP LOCKED lets concurrent
   * workers take disjoint batches; the conditional status makes a message
   * held by exactly one worker. The claim counts as an attempt and is written
   * to the history.
   */
  async claim(db: SqlTx, channel: Channel, now: Date, leaseUntil: Date, limit: number): Promise<ClaimedMessage[]> {
    if (limit <= 0) return [];
    const result = await db.execute<{ id: string; previous: MessageStatus }>(sql`
      with due as (${dueForClaim(channel, now, limit)}), claimed as (
        update notification_messages m
        set status = 'sending', lease_until = ${iso(leaseUntil)}::timestamptz, attempts = m.attempts + 1, updated_at = ${iso(now)}::timestamptz
        from due
        where m.id = due.id
        returning m.id, due.previous
      ), history as (
        insert into notification_message_events (message_id, status, detail, at)
        select id, 'sending', case when previous = 'sending' then 'taken over: the previous worker''s lease expired' else 'claimed by a worker' end,
               ${iso(now)}::timestamptz
        from claimed
      )
      select id, previous from claimed`);
    if (result.rows.length === 0) return [];
    const previous = new Map(result.rows.map((r) => [r.id, r.previous]));
    const rows = await db
      .select()
      .from(notificationMessages)
      .where(inArray(notificationMessages.id, [...previous.keys()]))
      .orderBy(asc(notificationMessages.sendAfter), asc(notificationMessages.id));
    return rows.map((row) => ({ ...row, previousStatus: previous.get(row.id)! }));
  }

  /**
   * Ends a worker's hold on a message: only if it is still 'sending' under the
   * same claim (the attempts number the claim set). A worker whose lease was
   * taken over meanwhile changes nothing. The new status goes to the history
   * in the same statement. Returns false when the claim was lost.
   */
  async finish(
    db: SqlTx,
    claim: { id: string; attempts: number },
    change: {
      status: MessageStatus;
      detail: string;
      at: Date;
      providerId?: string | null;
      lastError?: string | null;
      sendAfter?: Date;
      /** A rate-limited message is handed back: its claim did not count as an attempt. */
      refundAttempt?: boolean;
    },
  ): Promise<boolean> {
    const at = iso(change.at);
    const sets: SQL[] = [sql`status = ${change.status}`, sql`lease_until = null`, sql`updated_at = ${at}::timestamptz`];
    if (change.providerId !== undefined) sets.push(sql`provider_id = ${change.providerId}`);
    if (change.lastError !== undefined) sets.push(sql`last_error = ${change.lastError}`);
    if (change.sendAfter) sets.push(sql`send_after = ${iso(change.sendAfter)}::timestamptz`);
    if (change.refundAttempt) sets.push(sql`attempts = attempts - 1`);
    if (change.status === 'sent' || change.status === 'delivered') sets.push(sql`sent_at = coalesce(sent_at, ${at}::timestamptz)`);
    if (change.status === 'delivered') sets.push(sql`delivered_at = coalesce(delivered_at, ${at}::timestamptz)`);
    const result = await db.execute<{ id: string }>(sql`
      with changed as (
        update notification_messages set ${sql.join(sets, sql`, `)}
        where id = ${claim.id} and status = 'sending' and attempts = ${claim.attempts}
        returning id
      ), history as (
        insert into notification_message_events (message_id, status, detail, at)
        select id, ${change.status}, ${change.detail}, ${at}::timestamptz from changed
      )
      select id from changed`);
    return result.rows.length === 1;
  }

  /** Whether a channel has messages due now (rate-limited channels wait only when there is something to send). */
  async hasDue(channel: Channel, now: Date): Promise<boolean> {
    const result = await this.db.execute<{ due: boolean }>(sql`
      select exists (
        select 1 from notification_messages
        where channel = ${channel}
          and ((status = 'pending' and send_after <= ${iso(now)}::timestamptz)
            or (status = 'sending' and lease_until < ${iso(now)}::timestamptz))
      ) as due`);
    return result.rows[0]?.due === true;
  }

  /** Cancels pending messages matching `where` (with a history entry each); returns their ids. */
  private async cancelWhere(tx: SqlTx, where: SQL, reason: string, now: Date): Promise<string[]> {
    const result = await tx.execute<{ id: string }>(sql`
      with cancelled as (
        update notification_messages
        set status = 'cancelled', last_error = ${reason}, lease_until = null, updated_at = ${iso(now)}::timestamptz
        where status = 'pending' and ${where}
        returning id
      ), history as (
        insert into notification_message_events (message_id, status, detail, at)
        select id, 'cancelled', ${reason}, ${iso(now)}::timestamptz from cancelled
      )
      select id from cancelled`);
    return result.rows.map((r) => r.id);
  }

  async cancelForEnrolment(tx: SqlTx, enrolmentId: string, reason: string, now: Date): Promise<string[]> {
    return this.cancelWhere(tx, sql`enrolment_id = ${enrolmentId}`, reason, now);
  }

  async cancelMarketingForArtist(tx: SqlTx, artistId: string, reason: string, now: Date): Promise<string[]> {
    return this.cancelWhere(tx, sql`artist_id = ${artistId} and kind = 'marketing'`, reason, now);
  }

  /** Stamps the first open; an open proves a sent email was delivered. Returns false when it was opened before. */
  async markOpened(tx: SqlTx, id: string, now: Date): Promise<boolean> {
    const result = await tx.execute<{ id: string }>(sql`
      with opened as (
        update notification_messages set opened_at = ${iso(now)}::timestamptz, updated_at = ${iso(now)}::timestamptz
        where id = ${id} and opened_at is null
        returning id
      ) select id from opened`);
    if (result.rows.length === 0) return false;
    await this.markDeliveredByReader(tx, id, 'opened by the recipient', now);
    return true;
  }

  /** Stamps the first click (and the open it implies). Returns false when it was clicked before. */
  async markClicked(tx: SqlTx, id: string, now: Date): Promise<boolean> {
    const result = await tx.execute<{ id: string }>(sql`
      update notification_messages
      set clicked_at = ${iso(now)}::timestamptz, opened_at = coalesce(opened_at, ${iso(now)}::timestamptz), updated_at = ${iso(now)}::timestamptz
      where id = ${id} and clicked_at is null
      returning id`);
    if (result.rows.length === 0) return false;
    await this.markDeliveredByReader(tx, id, 'link clicked by the recipient', now);
    return true;
  }

  private async markDeliveredByReader(tx: SqlTx, id: string, detail: string, now: Date): Promise<void> {
    await tx.execute(sql`
      with delivered as (
        update notification_messages set status = 'delivered', delivered_at = coalesce(delivered_at, ${iso(now)}::timestamptz)
        where id = ${id} and status = 'sent'
        returning id
      )
      insert into notification_message_events (message_id, status, detail, at)
      select id, 'delivered', ${detail}, ${iso(now)}::timestamptz from delivered`);
  }

  /** Withdraws an artist's marketing consent if given; returns the previous consent date, or null when there was no consent to withdraw. */
  async withdrawConsent(tx: SqlTx, artistId: string, now: Date): Promise<{ previousConsentAt: string } | null> {
    const result = await tx.execute<{ previous: string | null }>(sql`
      update artists a
      set consent_marketing = false, consent_updated_at = ${iso(now)}::timestamptz, updated_at = ${iso(now)}::timestamptz
      from (select id, consent_updated_at from artists where id = ${artistId} for update) old
      where a.id = old.id and a.consent_marketing = true
      returning ${isoUtc(sql`old.consent_updated_at`)} as previous`);
    const row = result.rows[0];
    return row ? { previousConsentAt: row.previous ?? 'never' } : null;
  }

  async grantConsent(tx: SqlTx, artistId: string, now: Date): Promise<boolean> {
    const result = await tx.execute<{ id: string }>(sql`
      update artists set consent_marketing = true, consent_updated_at = ${iso(now)}::timestamptz, updated_at = ${iso(now)}::timestamptz
      where id = ${artistId} and consent_marketing = false
      returning id`);
    return result.rows.length === 1;
  }

  /**
   * Writes the raw message to the outbox once: a message handed to the outbox
   * again (a worker taken over after a crash) finds its row and adds nothing.
   */
  async insertOutbox(values: {
    messageId: string;
    channel: 'email' | 'sms';
    toAddress: string;
    subject: string;
    raw: string;
    createdAt: Date;
  }): Promise<string> {
    const result = await this.db.execute<{ id: string }>(sql`
      with existing as (
        select id from notification_outbox where message_id = ${values.messageId} and channel = ${values.channel} limit 1
      ), inserted as (
        insert into notification_outbox (message_id, channel, to_address, subject, raw, created_at)
        select ${values.messageId}, ${values.channel}, ${values.toAddress}, ${values.subject}, ${values.raw}, ${iso(values.createdAt)}::timestamptz
        where not exists (select 1 from existing)
        returning id
      )
      select id from inserted union all select id from existing`);
    return result.rows[0]!.id;
  }

  async listOutbox(
    filters: { channel?: 'email' | 'sms' | undefined },
    cursor: KeysetCursor | null,
    limit: number,
  ): Promise<{ row: Omit<OutboxRow, 'raw'>; key: string }[]> {
    const where: SQL[] = [];
    if (filters.channel) where.push(eq(notificationOutbox.channel, filters.channel));
    if (cursor) where.push(sql`(${notificationOutbox.createdAt}, ${notificationOutbox.id}) < (${cursor.key}::timestamptz, ${cursor.id}::uuid)`);
    const { raw: _raw, ...columns } = getTableColumns(notificationOutbox);
    const rows = await this.db
      .select({ ...columns, sortKey: isoUtc(sql`${notificationOutbox.createdAt}`) })
      .from(notificationOutbox)
      .where(where.length ? and(...where) : undefined)
      .orderBy(desc(notificationOutbox.createdAt), desc(notificationOutbox.id))
      .limit(limit + 1);
    return rows.map(({ sortKey, ...row }) => ({ row, key: sortKey }));
  }

  async findOutbox(id: string): Promise<OutboxRow | undefined> {
    const [row] = await this.db.select().from(notificationOutbox).where(eq(notificationOutbox.id, id)).limit(1);
    return row;
  }
}
