import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { twilioSignature } from '../modules/notifications/sms.service.ts';

/** One SMS the fake Twilio accepted. */
export interface ReceivedSms {
  sid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  statusCallback: string | null;
  receivedAt: Date;
}

/** An answer to serve instead of accepting the next request (rate limits, outages). */
export interface ScriptedAnswer {
  status: number;
  code: number;
  message: string;
  headers?: Record<string, string>;
}

export interface FakeTwilio {
  /** The base URL to configure as TWILIO_BASE_URL. */
  url: string;
  accountSid: string;
  authToken: string;
  /** Accepted messages, in order. */
  messages: ReceivedSms[];
  /** Every request, accepted or not (count attempts). */
  requests: { to: string | null; status: number }[];
  /** Numbers that replied STOP: sending to them is refused with 21610. */
  unsubscribed: Set<string>;
  /** The next requests get these answers, one each, before normal service resumes. */
  answerNext(...answers: ScriptedAnswer[]): void;
  /** The signed status callback Twilio would post for an accepted message: URL, form parameters, X-Twilio-Signature. */
  statusCallback(
    sid: string,
    status: string,
    extra?: Record<string, string>,
  ): { url: string; path: string; body: string; params: Record<string, string>; signature: string };
  close(): Promise<void>;
}

const E164 = /^\+[1-9]\d{1,14}$/;

function twilioError(res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A local HTTP server answering as Twilio's Messages API does
 * (POST /2010-04-01/Accounts/{AccountSid}/Messages.json, Basic auth, form body,
 * JSON answers with code / message / more_info / status).
 */
export async function startFakeTwilio(options: { accountSid?: string; authToken?: string } = {}): Promise<FakeTwilio> {
  const accountSid = options.accountSid ?? `AC${randomBytes(16).toString('hex')}`;
  const authToken = options.authToken ?? randomBytes(16).toString('hex');
  const messages: ReceivedSms[] = [];
  const requests: FakeTwilio['requests'] = [];
  const unsubscribed = new Set<string>();
  const scripted: ScriptedAnswer[] = [];
  const path = `/2010-04-01/Accounts/${accountSid}/Messages.json`;

  const server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const form = new URLSearchParams(raw);
      const to = form.get('To');
      const answer = (status: number, code: number, message: string, headers?: Record<string, string>) => {
        requests.push({ to, status });
        twilioError(res, status, code, message, headers);
      };
      const expected = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
      if (req.headers.authorization !== expected) return answer(401, 20003, 'Authenticate');
      if (req.method !== 'POST' || req.url !== path) return answer(404, 20404, `The requested resource ${req.url} was not found`);
      if (req.headers['content-type'] !== 'application/x-www-form-urlencoded') return answer(400, 20001, 'Unsupported content type');
      const next = scripted.shift();
      if (next) return answer(next.status, next.code, next.message, next.headers);
      if (!to) return answer(400, 21604, "A 'To' phone number is required.");
      if (!E164.test(to)) return answer(400, 21211, `Invalid 'To' Phone Number: ${to}`);
      if (unsubscribed.has(to)) return answer(400, 21610, 'Attempt to send to unsubscribed recipient');
      const from = form.get('From');
      const messagingServiceSid = form.get('MessagingServiceSid');
      if (!from && !messagingServiceSid) return answer(400, 21603, "A 'From' phone number is required.");
      const body = form.get('Body') ?? '';
      if (!body) return answer(400, 21602, 'Message body is required.');
      if (body.length > 1600) return answer(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
      const sid = `SM${randomBytes(16).toString('hex')}`;
      const receivedAt = new Date();
      messages.push({ sid, to, from, messagingServiceSid, body, statusCallback: form.get('StatusCallback'), receivedAt });
      requests.push({ to, status: 201 });
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          account_sid: accountSid,
          api_version: '2010-04-01',
          body,
          date_created: receivedAt.toUTCString(),
          date_sent: null,
          date_updated: receivedAt.toUTCString(),
          direction: 'outbound-api',
          error_code: null,
          error_message: null,
          from,
          messaging_service_sid: messagingServiceSid,
          num_media: '0',
          num_segments: String(Math.ceil(body.length / 153) || 1),
          price: null,
          price_unit: 'USD',
          sid,
          status: messagingServiceSid ? 'accepted' : 'queued',
          subresource_uris: { media: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}/Media.json` },
          to,
          uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
        }),
      );
    })().catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    accountSid,
    authToken,
    messages,
    requests,
    unsubscribed,
    answerNext(...answers) {
      scripted.push(...answers);
    },
    statusCallback(sid, status, extra = {}) {
      const message = messages.find((m) => m.sid === sid);
      if (!message?.statusCallback) throw new Error(`no accepted message ${sid} with a StatusCallback`);
      const params: Record<string, string> = {
        AccountSid: accountSid,
        ApiVersion: '2010-04-01',
        From: message.from ?? '+15005550006',
        MessageSid: sid,
        MessageStatus: status,
        SmsSid: sid,
        SmsStatus: status,
        To: message.to,
        ...extra,
      };
      const url = new URL(message.statusCallback);
      return {
        url: url.toString(),
        path: url.pathname + url.search,
        body: new URLSearchParams(params).toString(),
        params,
        signature: twilioSignature(authToken, url.toString(), Object.entries(params)),
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
