import nodemailer from 'nodemailer';
import type { Clock } from '../../../platform/clock.ts';
import type { NotificationsRepository } from '../notifications.repository.ts';
import { mailOf, messageIdOf } from './email.ts';
import { PermanentFailure, type ChannelProvider, type OutgoingMessage, type SendResult } from './types.ts';

/**
 * Without SMTP settings (the embedded `npm start`), emails are built exactly
 * as they would be sent (the same RFC 5322 source, by nodemailer's stream
 * transport) and kept in notification_outbox, where staff read them.
 */
export class OutboxEmailProvider implements ChannelProvider {
  readonly channel = 'email' as const;
  readonly description = 'outbox (no SMTP_HOST: emails are kept in notification_outbox)';
  private readonly transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });

  constructor(
    private readonly repo: NotificationsRepository,
    private readonly from: string,
    private readonly clock: Clock,
  ) {}

  async send(message: OutgoingMessage): Promise<SendResult> {
    const info = await this.transport.sendMail(mailOf(message, this.from));
    // With `buffer: true` the stream transport hands back the whole message as a Buffer.
    const raw = (info.message as Buffer).toString('utf8');
    await this.repo.insertOutbox({
      messageId: message.id,
      channel: 'email',
      toAddress: message.to!,
      subject: message.subject,
      raw,
      createdAt: this.clock.now(),
    });
    return { providerId: messageIdOf(message.id), status: 'sent', detail: 'kept in the local outbox (no SMTP server configured)' };
  }
}

/** Without SMS provider settings, the text of each SMS is kept in notification_outbox. */
export class OutboxSmsProvider implements ChannelProvider {
  readonly channel = 'sms' as const;
  readonly description = 'outbox (no SMS provider configured: SMS are kept in notification_outbox)';

  constructor(
    private readonly repo: NotificationsRepository,
    private readonly clock: Clock,
  ) {}

  async send(message: OutgoingMessage): Promise<SendResult> {
    if (!message.to) throw new PermanentFailure('The SMS has no phone number', true);
    const id = await this.repo.insertOutbox({
      messageId: message.id,
      channel: 'sms',
      toAddress: message.to,
      subject: '',
      raw: message.text,
      createdAt: this.clock.now(),
    });
    return { providerId: `outbox:${id}`, status: 'sent', detail: 'kept in the local outbox (no SMS provider configured)' };
  }
}
