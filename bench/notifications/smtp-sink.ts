/**
 * The benchmark's SMTP server, in its own process (so the server never shares
 * an event loop with the client it measures): smtp-server on loopback, no TLS,
 * no AUTH, accepting every message. For each message it reads the header block
 * up to the first empty line, takes the Message-ID, drains the rest of the body
 * without keeping it, and records the instant it answers 250 (epoch ms). Nothing is written to disk; a message without Message-ID is
 * answered 554 and counted.
 *
 * Talks to the benchmark over IPC (protocol.ts): 'ready' with the port once
 * listening; 'count' answers the current phase's progress; 'collect' answers
 * everything the phase accepted and starts a new phase.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import type { SinkCollected, SinkCount, SinkReady, SinkRequest } from './protocol.ts';

const MESSAGE_ID = /^Message-ID:[ \t]*(<[^>\r\n]+>)/im;
const HEADER_END = Buffer.from('\r\n\r\n');
/** Headers longer than this are not searched further (nodemailer puts Message-ID well before). */
const MAX_HEADER_BYTES = 64 * 1024;

interface Phase {
  accepted: Map<string, number>;
  /** Message-IDs that arrived more than once, with the number of copies. */
  duplicates: Map<string, number>;
  missingId: number;
  bytes: number;
}

const newPhase = (): Phase => ({ accepted: new Map(), duplicates: new Map(), missingId: 0, bytes: 0 });
let phase = newPhase();

function readMessage(stream: SMTPServerDataStream): Promise<{ messageId: string | null; bytes: number }> {
  return new Promise((resolve, reject) => {
    let header: Buffer | null = Buffer.alloc(0);
    let messageId: string | null = null;
    let bytes = 0;
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (header === null) return;
      header = Buffer.concat([header, chunk]);
      const end = header.indexOf(HEADER_END);
      if (end >= 0 || header.length > MAX_HEADER_BYTES) {
        messageId = MESSAGE_ID.exec(header.subarray(0, end >= 0 ? end : MAX_HEADER_BYTES).toString('latin1'))?.[1] ?? null;
        header = null;
      }
    });
    stream.on('end', () => {
      if (header !== null) messageId = MESSAGE_ID.exec(header.toString('latin1'))?.[1] ?? null;
      resolve({ messageId, bytes });
    });
    stream.on('error', reject);
  });
}

const server = new SMTPServer({
  secure: false,
  disabledCommands: ['STARTTLS', 'AUTH'],
  authOptional: true,
  logger: false,
  closeTimeout: 1000,
  onData(stream, _session, callback) {
    readMessage(stream).then(
      ({ messageId, bytes }) => {
        if (!messageId) {
          phase.missingId += 1;
          const error = new Error('No Message-ID') as Error & { responseCode: number };
          error.responseCode = 554;
          return callback(error);
        }
        phase.bytes += bytes;
        // Date.now(): the clock the workers stamp created_at and sent_at with.
        const at = Date.now();
        if (phase.accepted.has(messageId)) phase.duplicates.set(messageId, (phase.duplicates.get(messageId) ?? 1) + 1);
        else phase.accepted.set(messageId, at);
        callback();
      },
      (error: Error) => callback(error),
    );
  },
});
server.on('error', (error) => process.stderr.write(`smtp sink: ${error.message}\n`));

process.on('message', (message: SinkRequest) => {
  if (message.type === 'count') {
    const reply: SinkCount = {
      type: 'count',
      accepted: phase.accepted.size,
      duplicates: phase.duplicates.size,
      missingId: phase.missingId,
      bytes: phase.bytes,
    };
    process.send?.(reply);
  } else {
    const done = phase;
    phase = newPhase();
    const reply: SinkCollected = {
      type: 'collected',
      accepted: [...done.accepted],
      duplicates: [...done.duplicates],
      missingId: done.missingId,
      bytes: done.bytes,
    };
    process.send?.(reply);
  }
});
// The benchmark ends us with SIGTERM, or we go when it goes.
process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.on('disconnect', () => server.close(() => process.exit(0)));

server.listen(0, '127.0.0.1', () => {
  const ready: SinkReady = { type: 'ready', port: (server.server.address() as AddressInfo).port };
  process.send?.(ready);
});
