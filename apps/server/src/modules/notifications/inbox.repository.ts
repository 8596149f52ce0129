import { sql, type SQL } from 'drizzle-orm';
import type { NotificationKind } from '@mona/shared';
import type { Db } from '../../platform/db/client.ts';

/** One message of a user's in-app inbox. */
export interface InboxRow {
  id: string;
  kind: NotificationKind;
  templateCode: string | null;
  title: string;
  body: string;
  data: Record<string, unknown>;
  /** When it reached the inbox: delivered, else sent, else due. */
  at: Date;
  readAt: Date | null;
  /** `at` as the database's text with microseconds: the keyset key. */
  atKey: string;
  unread: boolean;
}

/** Where the next page starts: after this row in the page's order. */
export interface InboxCursor {
  /** Only with unreadFirst: whether the last row was unread. */
  unread?: boolean;
  key: string;
  id: string;
}

/**
 * In-app messages that are in the inbox: handed to the in-app channel (sending: it
 * is being published right now), sent or delivered. Pending ones (a later send time,
 * quiet hours) and skipped or cancelled ones are not.
 */
const VISIBLE = sql`channel = 'inapp' and status in ('sending', 'sent', 'delivered')`;
const AT = sql`coalesce(delivered_at, sent_at, send_after)`;

interface RawRow extends Record<string, unknown> {
  id: string;
  kind: NotificationKind;
  template_code: string | null;
  subject: string;
  body_text: string;
  data: Record<string, unknown>;
  at: Date | string;
  read_at: Date | string | null;
  at_key: string;
  unread: boolean;
}

const toRow = (r: RawRow): InboxRow => ({
  id: r.id,
  kind: r.kind,
  templateCode: r.template_code,
  title: r.subject,
  body: r.body_text,
  data: r.data,
  at: new Date(r.at),
  readAt: r.read_at === null ? null : new Date(r.read_at),
  atKey: r.at_key,
  unread: r.unread,
});

const COLUMNS = sql`id, kind, template_code, subject, body_text, data, ${AT} as at, read_at,
  to_char(${AT} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at_key, (read_at is null) as unread`;

/** All SQL of the in-app inbox (notification_messages of channel inapp, per recipient). */
export class InboxRepository {
  constructor(private readonly db: Db) {}

  /** A page, newest first; with unreadFirst the unread ones come first (each group newest first). `limit + 1` rows tell whether there is more. */
  async list(userId: string, options: { limit: number; cursor?: InboxCursor | undefined; unreadFirst: boolean; unreadOnly: boolean }): Promise<InboxRow[]> {
    const where: SQL[] = [sql`recipient_user_id = ${userId}`, VISIBLE];
    if (options.unreadOnly) where.push(sql`read_at is null`);
    const { cursor } = options;
    if (cursor) {
      where.push(
        options.unreadFirst
          ? sql`((read_at is null)::int, ${AT}, id) < (${cursor.unread ? 1 : 0}, ${cursor.key}::timestamptz, ${cursor.id}::uuid)`
          : sql`(${AT}, id) < (${cursor.key}::timestamptz, ${cursor.id}::uuid)`,
      );
    }
    const order = options.unreadFirst ? sql`(read_at is null)::int desc, ${AT} desc, id desc` : sql`${AT} desc, id desc`;
    const { rows } = await this.db.execute<RawRow>(
      sql`select ${COLUMNS} from notification_messages where ${sql.join(where, sql` and `)} order by ${order} limit ${options.limit + 1}`,
    );
    return rows.map(toRow);
  }

  async find(userId: string, id: string): Promise<InboxRow | undefined> {
    const { rows } = await this.db.execute<RawRow>(
      sql`select ${COLUMNS} from notification_messages where id = ${id} and recipient_user_id = ${userId} and ${VISIBLE}`,
    );
    return rows[0] ? toRow(rows[0]) : undefined;
  }

  async unreadCount(userId: string): Promise<number> {
    const { rows } = await this.db.execute<{ n: number }>(
      sql`select count(*)::int as n from notification_messages where recipient_user_id = ${userId} and ${VISIBLE} and read_at is null`,
    );
    return rows[0]?.n ?? 0;
  }

  /** Marks one of the user's messages read (the first read time stays); undefined when it is not in their inbox. */
  async markRead(userId: string, id: string, at: Date): Promise<InboxRow | undefined> {
    const { rows } = await this.db.execute<RawRow>(sql`
      update notification_messages set read_at = coalesce(read_at, ${at.toISOString()}::timestamptz), updated_at = ${at.toISOString()}::timestamptz
       where id = ${id} and recipient_user_id = ${userId} and ${VISIBLE}
      returning ${COLUMNS}`);
    return rows[0] ? toRow(rows[0]) : undefined;
  }

  /** Marks every unread message of the user's inbox read; returns how many changed. */
  async markAllRead(userId: string, at: Date): Promise<number> {
    const result = await this.db.execute(sql`
      update notification_messages set read_at = ${at.toISOString()}::timestamptz, updated_at = ${at.toISOString()}::timestamptz
       where recipient_user_id = ${userId} and ${VISIBLE} and read_at is null`);
    return result.rowCount ?? 0;
  }
}
