import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import { forbidden } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import type { DeliveryReport, DeliveryReportsRepository } from './delivery-reports.repository.ts';

/**
 * Twilio's request signature (https://www.twilio.com/docs/usage/security#validating-requests):
 * the full URL Twilio called, then each POST parameter's name and value appended in
 * the order of the names, HMAC-SHA1 with the auth token, base64.
 */
export function twilioSignature(authToken: string, url: string, params: Iterable<readonly [string, string]>): string {
  const sorted = [...params].sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  let data = url;
  for (const [key, value] of sorted) data += key + value;
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/** Constant-time comparison of the header with the signature we compute. */
export function validTwilioSignature(authToken: string, url: string, params: Iterable<readonly [string, string]>, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(twilioSignature(authToken, url, params));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Twilio's MessageStatus values that end a message, and what they become here. */
const FINAL_STATUSES: Record<string, DeliveryReport['status']> = {
  delivered: 'delivered',
  read: 'delivered',
  undelivered: 'failed',
  failed: 'failed',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface TwilioStatusResult {
  /** delivered / failed when the message moved; ignored: an intermediate status, an unknown or already final message. */
  outcome: 'delivered' | 'failed' | 'ignored';
}

/** The delivery-status webhook of SMS sent through Twilio. */
export class SmsWebhookService {
  constructor(
    private readonly deps: {
      /** TWILIO_AUTH_TOKEN; null when Twilio is not configured (every callback is then refused). */
      authToken: string | null;
      /** The public origin Twilio calls (NEXT_PUBLIC_APP_URL): the signed URL is this origin plus the request's path and query. */
      publicUrl: string;
      reports: DeliveryReportsRepository;
      clock: Clock;
      logger: Logger;
    },
  ) {}

  /** Throws 403 unless X-Twilio-Signature matches the URL Twilio called and the parameters it posted. */
  verify(pathAndQuery: string, params: [string, string][], signature: string | undefined): void {
    const { authToken, publicUrl } = this.deps;
    if (!authToken) throw forbidden('SMS provider not configured');
    const url = new URL(pathAndQuery, publicUrl).toString();
    if (!validTwilioSignature(authToken, url, params, signature)) {
      this.deps.logger.warn({ url }, 'twilio status callback with a wrong signature refused');
      throw forbidden('Invalid Twilio signature');
    }
  }

  /** Applies a verified status callback: delivered moves the message to delivered; undelivered and failed to failed with the error code. */
  async status(messageId: string | undefined, params: Record<string, string>): Promise<TwilioStatusResult> {
    const sid = params.MessageSid ?? params.SmsSid;
    const reported = params.MessageStatus ?? params.SmsStatus ?? '';
    const status = FINAL_STATUSES[reported];
    if (!sid || !status) return { outcome: 'ignored' };
    const errorCode = params.ErrorCode ? ` error ${params.ErrorCode}` : '';
    const detail = `twilio ${reported}${errorCode}${params.ErrorMessage ? `: ${params.ErrorMessage}` : ''}`.slice(0, 500);
    const moved = await this.deps.reports.apply({
      channel: 'sms',
      messageId: messageId && UUID.test(messageId) ? messageId : null,
      providerId: sid,
      status,
      detail,
      at: this.deps.clock.now(),
    });
    if (!moved) {
      this.deps.logger.info({ sid, status: reported, messageId }, 'twilio status callback changed nothing (unknown, final, or another attempt)');
      return { outcome: 'ignored' };
    }
    return { outcome: status === 'delivered' ? 'delivered' : 'failed' };
  }
}
