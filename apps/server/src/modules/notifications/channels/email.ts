import type { ConnectionOptions } from 'node:tls';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { PermanentFailure, TemporaryFailure, type ChannelProvider, type OutgoingMessage, type SendResult } from './types.ts';

/**
 * The Message-ID of a message, derived from its id: a message re-sent after a
 * worker crash (accepted by the server, but the worker died before recording
 * it) carries the same Message-ID, so it is recognisable as the same message.
 */
export function messageIdOf(id: string): string {
  return `<${id}@mona-spark>`;
}

/** The nodemailer message of an outgoing email: both parts, our headers, the deterministic Message-ID. */
export function mailOf(message: OutgoingMessage, from: string): Mail.Options {
  if (!message.to) throw new PermanentFailure('The email has no recipient address', true);
  return {
    from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    ...(message.html ? { html: message.html } : {}),
    messageId: messageIdOf(message.id),
    headers: message.headers,
    // Nothing in a message may make nodemailer read a local file or fetch a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

interface SmtpError {
  code?: string;
  responseCode?: number;
  command?: string;
  message: string;
}

const RECIPIENT_REFUSED = new Set([550, 551, 553]);

/**
 * SMTP errors as the dispatcher understands them: 4xx replies and network
 * trouble are worth a retry; 5xx replies are final, and a 550/551/553 answer
 * to RCPT TO means the address itself is refused (bounced). Authentication
 * errors are retried: they are a configuration problem the operators can fix,
 * not a property of the message.
 */
export function classifySmtpError(error: unknown): TemporaryFailure | PermanentFailure {
  if (error instanceof TemporaryFailure || error instanceof PermanentFailure) return error;
  const e = (error ?? {}) as SmtpError;
  const text = `SMTP: ${e.message ?? String(error)}`;
  if (e.code === 'EAUTH' || e.code === 'ENOAUTH') return new TemporaryFailure(text);
  const reply = typeof e.responseCode === 'number' ? e.responseCode : null;
  if (reply !== null && reply >= 400 && reply < 500) return new TemporaryFailure(text);
  if (reply !== null && reply >= 500) return new PermanentFailure(text, e.command === 'RCPT TO' && RECIPIENT_REFUSED.has(reply));
  // nodemailer refuses an address it cannot use before talking to the server.
  if (e.code === 'EENVELOPE') return new PermanentFailure(text, /recipient/i.test(e.message ?? ''));
  return new TemporaryFailure(text);
}

export interface SmtpOptions {
  host: string;
  port: number;
  /** Implicit TLS (port 465); otherwise STARTTLS is used whenever the server offers it. */
  secure: boolean;
  user?: string | undefined;
  pass?: string | undefined;
  from: string;
  /** TLS settings (tests trust a self-signed certificate through this). */
  tls?: ConnectionOptions;
  maxConnections?: number;
  /** Milliseconds a connection may stay silent while a message is sent (default 60 s; the lease must be longer). */
  socketTimeoutMs?: number;
}

/** Email over SMTP with a pool of connections. */
export class SmtpEmailProvider implements ChannelProvider {
  readonly channel = 'email' as const;
  readonly description: string;
  private readonly transport;

  constructor(private readonly options: SmtpOptions) {
    this.description = `smtp ${options.host}:${options.port}`;
    this.transport = nodemailer.createTransport({
      pool: true,
      host: options.host,
      port: options.port,
      secure: options.secure,
      ...(options.user ? { auth: { user: options.user, pass: options.pass ?? '' } } : {}),
      ...(options.tls ? { tls: options.tls } : {}),
      maxConnections: options.maxConnections ?? 5,
      maxMessages: 100,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: options.socketTimeoutMs ?? 60_000,
    });
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    const mail = mailOf(message, this.options.from);
    try {
      const info = await this.transport.sendMail(mail);
      return { providerId: messageIdOf(message.id), status: 'sent', detail: `accepted by ${this.description}: ${info.response}` };
    } catch (error) {
      throw classifySmtpError(error);
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
