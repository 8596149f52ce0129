import { execFileSync } from 'node:child_process';
import { createECDH, randomBytes, type ECDH } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, createServer } from 'node:https';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** http_ece (RFC 8188), the library web-push encrypts with; the test decrypts with it as a browser would. */
const ece = createRequire(import.meta.url)('http_ece') as {
  decrypt(buffer: Buffer, params: { version: 'aes128gcm'; privateKey: ECDH; authSecret: string }): Buffer;
};

/** One request the push service received. */
export interface PushRequest {
  token: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  status: number;
}

/** A browser's side of a subscription: what it registers, and the keys to read what arrives. */
export interface TestBrowser {
  subscription: { endpoint: string; keys: { p256dh: string; auth: string } };
  /** Decrypts an aes128gcm body sent to this subscription (what the service worker gets). */
  decrypt(body: Buffer): string;
}

export interface FakePushService {
  origin: string;
  /** Trusts the service's self-signed certificate: pass it to WebPushProvider. */
  agent: Agent;
  requests: PushRequest[];
  /** A new subscription on this service; `answer` is the status the service gives to messages for it (201 by default). */
  browser(answer?: number, headers?: Record<string, string>): TestBrowser;
  /** Changes what one subscription's endpoint answers from now on. */
  answer(endpoint: string, status: number, headers?: Record<string, string>): void;
  close(): Promise<void>;
}

/** A self-signed certificate for 127.0.0.1, made with the openssl command line (web-push speaks https only). */
export function selfSignedCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mona-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(path.join(dir, 'key.pem'), 'utf8'), cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A local push service over HTTPS, as FCM or Mozilla autopush answer: 201 with a
 * Location for an accepted message, or the status a test chose for an endpoint
 * (404 / 410 gone, 429 with Retry-After, 5xx).
 */
export async function startFakePushService(): Promise<FakePushService> {
  const tls = selfSignedCertificate();
  const requests: PushRequest[] = [];
  const answers = new Map<string, { status: number; headers: Record<string, string> }>();
  const server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const token = (req.url ?? '').replace(/^\/push\//, '');
      const { status, headers } = answers.get(token) ?? { status: 404, headers: {} };
      requests.push({ token, headers: req.headers, body: Buffer.concat(chunks), status });
      if (status === 201) {
        res.writeHead(201, { location: `${origin}/message/${randomBytes(8).toString('hex')}`, ...headers });
        res.end();
      } else {
        res.writeHead(status, { 'content-type': 'text/plain', ...headers });
        res.end(status === 410 ? 'push subscription has unsubscribed or expired.' : `status ${status}`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const agent = new Agent({ ca: tls.cert, keepAlive: false });

  return {
    origin,
    agent,
    requests,
    browser(answer = 201, headers = {}) {
      const token = randomBytes(12).toString('hex');
      answers.set(token, { status: answer, headers });
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16).toString('base64url');
      return {
        subscription: { endpoint: `${origin}/push/${token}`, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth } },
        decrypt: (body) => ece.decrypt(body, { version: 'aes128gcm', privateKey: ecdh, authSecret: auth }).toString('utf8'),
      };
    },
    answer(endpoint, status, headers = {}) {
      answers.set(endpoint.replace(/^.*\/push\//, ''), { status, headers });
    },
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
