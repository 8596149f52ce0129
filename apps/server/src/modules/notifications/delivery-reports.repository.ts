import { sql } from 'drizzle-orm';
import { MESSAGE_TRANSITIONS, MESSAGE_STATUSES, type Channel, type MessageStatus } from '@mona/shared';
import type { Db } from '../../platform/db/client.ts';

/** What a provider tells us later about a message it accepted (an SMS status callback). */
export interface DeliveryReport {
  channel: Channel;
  /** Our message id when the provider echoes it (the StatusCallback URL carries it); otherwise found by provider id. */
  messageId: string | null;
  providerId: string;
  status: Extract<MessageStatus, 'delivered' | 'failed' | 'bounced'>;
  detail: string;
  at: Date;
}

/** Statuses a message may be in for a provider's report to move it (a report never revives a final or pending message). */
export function reportableFrom(target: MessageStatus): MessageStatus[] {
  return MESSAGE_STATUSES.filter((from) => (from === 'sending' || from === 'sent') && MESSAGE_TRANSITIONS[from].includes(target));
}

/** SQL for the reports providers send back about messages they accepted. */
export class DeliveryReportsRepository {
  constructor(private readonly db: Db) {}

  /**
   * Moves the message to the reported status and appends the history row, in one
   * statement. Only a message still in flight (sending or sent) moves, and only
   * when the report is about the provider message we recorded (or none is recorded
   * yet: the callback can overtake the dispatcher's commit). Returns the message id
   * when it moved, null when the report changed nothing (unknown, already final,
   * about another attempt).
   */
  async apply(report: DeliveryReport): Promise<string | null> {
    const from = reportableFrom(report.status);
    const target = report.messageId
      ? sql`id = ${report.messageId} and (provider_id is null or provider_id = ${report.providerId})`
      : sql`provider_id = ${report.providerId}`;
    const result = await this.db.execute<{ id: string }>(sql`
      with updated as (
        update notification_messages
           set status = ${report.status},
               provider_id = coalesce(provider_id, ${report.providerId}),
               sent_at = coalesce(sent_at, ${report.at.toISOString()}::timestamptz),
               delivered_at = case when ${report.status} = 'delivered' then ${report.at.toISOString()}::timestamptz else delivered_at end,
               last_error = case when ${report.status} = 'delivered' then last_error else ${report.detail} end,
               lease_until = null,
               updated_at = ${report.at.toISOString()}::timestamptz
         where channel = ${report.channel}
           and ${target}
           and status in (${sql.join(
             from.map((s) => sql`${s}`),
             sql`, `,
           )})
        returning id
      ), history as (
        insert into notification_message_events (message_id, status, detail, at)
        select id, ${report.status}, ${report.detail}, ${report.at.toISOString()}::timestamptz from updated
      )
      select id from updated`);
    return result.rows[0]?.id ?? null;
  }
}
