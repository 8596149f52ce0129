import type { Channel, NotificationKind } from '@mona/shared';

/** A message ready to hand to a provider: rendered, addressed, with its headers. */
export interface OutgoingMessage {
  id: string;
  channel: Channel;
  kind: NotificationKind;
  locale: string;
  /** Email address or phone number (E.164); null for push and in-app. */
  to: string | null;
  recipientUserId: string | null;
  subject: string;
  text: string;
  html: string | null;
  /** Extra headers (email: List-Unsubscribe, Message-ID is derived from id). */
  headers: Record<string, string>;
  data: Record<string, unknown>;
}

export interface SendResult {
  /** The provider's id for the message (SMTP Message-ID or queue id, Twilio SID, push service location). */
  providerId: string | null;
  /** sent: accepted by the provider; delivered: the provider confirmed delivery (in-app stored and published). */
  status: 'sent' | 'delivered';
  detail?: string;
}

/** Worth trying again later: SMTP 4xx, connection refused or reset, provider 429 or 5xx. */
export class TemporaryFailure extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'TemporaryFailure';
  }
}

/** Will never work: SMTP 5xx, invalid number, an expired push subscription. `bounced` when the address itself is refused. */
export class PermanentFailure extends Error {
  constructor(
    message: string,
    readonly bounced = false,
  ) {
    super(message);
    this.name = 'PermanentFailure';
  }
}

/** One channel's way out. Providers classify every error as TemporaryFailure or PermanentFailure. */
export interface ChannelProvider {
  readonly channel: Channel;
  /** What the status page and logs show, e.g. "smtp mail.example.com:587" or "outbox". */
  readonly description: string;
  send(message: OutgoingMessage): Promise<SendResult>;
  close?(): Promise<void>;
}
