import type { Channel, MessageStatus, WindowRule } from '@mona/shared';

/**
 * Ask for one message. The notifications service resolves the recipient
 * (artist record and/or user account: address, locale, consent, preferences,
 * quiet hours), renders the template in the recipient's locale, works out the
 * send time and stores the message; a worker sends it when due.
 */
export interface ComposeRequest {
  /** Same key, same message: a second request with it returns the first message and changes nothing. */
  idempotencyKey: string;
  /** A notification_templates code; its channel and kind apply unless `channel` narrows a multi-channel intent. */
  templateCode: string;
  /** At least one of the two. An artist without an account can get email and SMS, not push or in-app. */
  artistId?: string | null;
  userId?: string | null;
  /** Values for the template's {{variables}} (the recipient's name is always available as {{name}}). */
  variables?: Record<string, string | number>;
  /** Not before this instant (default: now). The window rule and quiet hours may push it later. */
  notBefore?: Date;
  /** Default: 'any' for transactional and activity messages, 'marketing' for marketing ones. */
  windowRule?: WindowRule;
  /** Set by the sequence engine. */
  enrolment?: { id: string; position: number };
  /** Where an in-app or push message leads when opened, e.g. "/portal". */
  link?: string;
}

export interface ComposeResult {
  id: string;
  channel: Channel;
  status: MessageStatus;
  /** False when the idempotency key already named a message. */
  created: boolean;
  sendAfter: string;
  /** Why it was skipped (no consent, channel turned off, no address), when it was. */
  reason?: string;
}
