import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

/** One email the local server accepted (answered 250 to its DATA). */
export interface ReceivedMail {
  from: string | null;
  to: string[];
  raw: Buffer;
  parsed: ParsedMail;
  messageId: string | null;
  /** Whether the connection was encrypted (STARTTLS) when the message came. */
  secure: boolean;
  /** The user the client authenticated as, when it did. */
  user: string | null;
  receivedAt: Date;
}

/** What the server answers instead of 250: an SMTP reply code and text. */
export interface SmtpReply {
  code: number;
  message: string;
}

/**
 * A real SMTP server on loopback (smtp-server) for tests, with scripted
 * answers: refuse recipients, answer a message's DATA with an error, slow the
 * answers down, or hold a DATA answer until told (a worker can be killed
 * while the server "thinks"). Accepted messages are parsed with mailparser.
 */
export interface LocalSmtp {
  port: number;
  received: ReceivedMail[];
  /** Every DATA the server finished reading, accepted or not (attempts). */
  attempts: number;
  /** Message-IDs of the messages whose DATA answer was held (never accepted). */
  held: string[];
  /** RCPT TO answer per address; null accepts. */
  onRecipient: ((address: string) => SmtpReply | null) | null;
  /** The answers of the next DATA commands, one each, before normal service resumes. */
  answerNext(...replies: SmtpReply[]): void;
  /** Milliseconds to wait before answering each DATA. */
  delayMs: number;
  /** From now on, DATA answers are held (never given) until `release()`; resolves when the first one is held. */
  holdAnswers(): Promise<void>;
  /** Held answers are dropped (their connections are gone or will be): the server answers again. */
  release(): void;
  /** Message-IDs of the accepted messages, with how often each arrived. */
  messageIdCounts(): Map<string, number>;
  close(): Promise<void>;
}

function smtpError(reply: SmtpReply): Error {
  const error = new Error(reply.message) as Error & { responseCode: number };
  error.responseCode = reply.code;
  return error;
}

export async function startLocalSmtp(options: { starttls?: boolean; auth?: { user: string; pass: string } } = {}): Promise<LocalSmtp> {
  const scripted: SmtpReply[] = [];
  let holding = false;
  let heldSignal: (() => void) | null = null;

  const state: LocalSmtp = {
    port: 0,
    received: [],
    attempts: 0,
    held: [],
    onRecipient: null,
    delayMs: 0,
    answerNext: (...replies) => scripted.push(...replies),
    holdAnswers: () =>
      new Promise<void>((resolve) => {
        holding = true;
        heldSignal = resolve;
      }),
    release: () => {
      holding = false;
      heldSignal = null;
    },
    messageIdCounts() {
      const counts = new Map<string, number>();
      for (const mail of state.received) if (mail.messageId) counts.set(mail.messageId, (counts.get(mail.messageId) ?? 0) + 1);
      return counts;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  async function handleData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (error?: Error | null) => void) {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    state.attempts += 1;
    if (state.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, state.delayMs));
    if (holding) {
      // Never answered: the client is killed (or gives up) while waiting for our 250.
      const header = /^Message-ID:\s*(<[^>]+>)/im.exec(Buffer.concat(chunks).toString('utf8'));
      if (header) state.held.push(header[1]!);
      heldSignal?.();
      heldSignal = null;
      return;
    }
    const reply = scripted.shift();
    if (reply) return callback(smtpError(reply));
    const raw = Buffer.concat(chunks);
    const parsed = await simpleParser(raw);
    state.received.push({
      from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
      to: session.envelope.rcptTo.map((r) => r.address),
      raw,
      parsed,
      messageId: parsed.messageId ?? null,
      secure: session.secure,
      user: typeof session.user === 'string' ? session.user : null,
      receivedAt: new Date(),
    });
    callback();
  }

  const server = new SMTPServer({
    secure: false,
    // smtp-server's own self-signed certificate serves STARTTLS when it is enabled.
    disabledCommands: [...(options.starttls ? [] : ['STARTTLS']), ...(options.auth ? [] : ['AUTH'])],
    authOptional: !options.auth,
    allowInsecureAuth: false,
    logger: false,
    // Tests close the server after their clients: a connection left over is cut after a second.
    closeTimeout: 1000,
    onAuth(auth, _session, callback) {
      if (options.auth && auth.username === options.auth.user && auth.password === options.auth.pass) return callback(null, { user: auth.username });
      callback(smtpError({ code: 535, message: 'Authentication failed' }));
    },
    onRcptTo(address, _session, callback) {
      const reply = state.onRecipient?.(address.address) ?? null;
      callback(reply ? smtpError(reply) : null);
    },
    onData(stream, session, callback) {
      handleData(stream, session, callback).catch((error: unknown) => callback(error as Error));
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  state.port = (server.server.address() as AddressInfo).port;
  return state;
}
