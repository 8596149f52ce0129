import type { Logger } from '../../../platform/logger.ts';
import { PermanentFailure, TemporaryFailure, type ChannelProvider, type OutgoingMessage, type SendResult } from './types.ts';

/** E.164: a plus, a country code that does not start with 0, at most 15 digits in all. */
export const E164 = /^\+[1-9]\d{1,14}$/;

/** The path of our delivery-status webhook; Twilio is told to call it for every message (StatusCallback). */
export const TWILIO_STATUS_PATH = '/api/webhooks/twilio/status';

/** Twilio error codes that mean the number itself is wrong or refuses our messages. */
const TWILIO_INVALID_TO = 21211;
const TWILIO_UNSUBSCRIBED = 21610;
const TWILIO_NOT_MOBILE = 21614;
const TWILIO_RATE_LIMITED = 20429;

/** A Messaging Service SID (MG + 32 hex) sends through the service's sender pool instead of one From number. */
const MESSAGING_SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;

export interface TwilioSmsOptions {
  accountSid: string;
  authToken: string;
  /** An E.164 number, an alphanumeric sender id, or a Messaging Service SID (MG…). */
  from: string;
  /** https://api.twilio.com in production; a local server in tests. */
  baseUrl: string;
  /**
   * Public origin our webhook is reached at (NEXT_PUBLIC_APP_URL: the web app forwards /api/*).
   * Null: no StatusCallback, so messages stay 'sent'.
   */
  publicUrl: string | null;
  logger: Logger;
  /** Per request; a timeout is a temporary failure. Default 15 s. */
  timeoutMs?: number;
}

/**
 * What Twilio answers: the message resource (sid, status 'queued' / 'accepted') on
 * 201, or an error (code, message, more_info, status as a number) on 4xx / 5xx
 * (https://www.twilio.com/docs/usage/twilios-response).
 */
interface TwilioAnswer {
  sid?: string;
  status?: string | number;
  code?: number;
  message?: string;
  more_info?: string;
}

/** Retry-After is either seconds or an HTTP date. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The StatusCallback URL of one message: our message id in the query, so the webhook finds it even before the SID is stored. */
export function twilioStatusCallbackUrl(publicUrl: string, messageId: string): string {
  const url = new URL(TWILIO_STATUS_PATH, publicUrl);
  url.searchParams.set('m', messageId);
  return url.toString();
}

/**
 * SMS through Twilio's REST API (Programmable Messaging): POST
 * {base}/2010-04-01/Accounts/{sid}/Messages.json, HTTP Basic auth, form-encoded.
 * Every answer is classified as Twilio documents it: 201 accepted (the SID is the
 * provider id), 429 and 5xx temporary, invalid or unsubscribed numbers permanent.
 */
export class TwilioSmsProvider implements ChannelProvider {
  readonly channel = 'sms' as const;
  readonly description: string;
  private readonly endpoint: string;
  private readonly authorization: string;
  private readonly timeoutMs: number;

  constructor(private readonly options: TwilioSmsOptions) {
    const base = options.baseUrl.replace(/\/+$/, '');
    this.endpoint = `${base}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`;
    this.authorization = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.description = `twilio ${new URL(base).host}`;
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    const to = message.to?.trim() ?? '';
    if (!E164.test(to)) throw new PermanentFailure(to ? `not an E.164 phone number: ${to}` : 'no phone number', true);
    const form = new URLSearchParams({ To: to, Body: message.text });
    if (MESSAGING_SERVICE_SID.test(this.options.from)) form.set('MessagingServiceSid', this.options.from);
    else form.set('From', this.options.from);
    if (this.options.publicUrl) form.set('StatusCallback', twilioStatusCallbackUrl(this.options.publicUrl, message.id));

    let response: Response;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        headers: { authorization: this.authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      throw new TemporaryFailure(`twilio unreachable: ${cause ?? (error as Error).message}`);
    }
    const text = await response.text().catch(() => '');
    let body: TwilioAnswer | null = null;
    try {
      body = JSON.parse(text) as TwilioAnswer;
    } catch {
      body = null;
    }
    if (response.status === 201 || response.status === 200) {
      // Accepted: never retried, even without a readable SID (a retry would send it twice).
      const status = typeof body?.status === 'string' ? body.status : 'accepted';
      return { providerId: body?.sid ?? null, status: 'sent', detail: body?.sid ? `twilio ${status}` : 'twilio accepted, no SID in the answer' };
    }
    const code = typeof body?.code === 'number' ? body.code : undefined;
    const detail = `twilio ${response.status}${code ? ` code ${code}` : ''}: ${body?.message ?? (text.slice(0, 200) || response.statusText)}`;
    if (response.status === 429 || code === TWILIO_RATE_LIMITED) {
      throw new TemporaryFailure(detail, retryAfterMs(response.headers.get('retry-after')));
    }
    if (response.status >= 500) throw new TemporaryFailure(detail, retryAfterMs(response.headers.get('retry-after')));
    if (response.status === 401 || response.status === 403 || response.status === 404) {
      // Wrong SID or token, a suspended account: nothing will go out until someone fixes the settings.
      this.options.logger.error(
        { status: response.status, code, endpoint: this.endpoint },
        'twilio refused our credentials: check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN',
      );
      throw new PermanentFailure(detail);
    }
    if (code === TWILIO_INVALID_TO) throw new PermanentFailure(detail, true);
    if (code === TWILIO_UNSUBSCRIBED || code === TWILIO_NOT_MOBILE) throw new PermanentFailure(detail);
    // Any other 4xx (a bad From, a region not enabled, a body over 1600 characters) will not work on a retry either.
    throw new PermanentFailure(detail);
  }
}

/** The Twilio settings of the environment. */
export interface TwilioConfig {
  TWILIO_ACCOUNT_SID?: string | undefined;
  TWILIO_AUTH_TOKEN?: string | undefined;
  TWILIO_FROM?: string | undefined;
  TWILIO_BASE_URL: string;
  NEXT_PUBLIC_APP_URL: string;
}

/** The Twilio provider when the three settings are present; null means SMS go to the local outbox. */
export function twilioFromConfig(config: TwilioConfig, logger: Logger): TwilioSmsProvider | null {
  if (!config.TWILIO_ACCOUNT_SID || !config.TWILIO_AUTH_TOKEN || !config.TWILIO_FROM) return null;
  return new TwilioSmsProvider({
    accountSid: config.TWILIO_ACCOUNT_SID,
    authToken: config.TWILIO_AUTH_TOKEN,
    from: config.TWILIO_FROM,
    baseUrl: config.TWILIO_BASE_URL,
    publicUrl: config.NEXT_PUBLIC_APP_URL,
    logger,
  });
}
