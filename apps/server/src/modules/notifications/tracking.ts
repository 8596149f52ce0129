import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * What a link in a message stands for. Every token is signed, so nobody can
 * record an open or a click for a message they did not receive, unsubscribe
 * someone else, or turn the click redirect into an open redirect: the target
 * URL is inside the signed token, not a query parameter.
 */
export type TrackingToken =
  { kind: 'open'; messageId: string } | { kind: 'click'; messageId: string; url: string } | { kind: 'unsubscribe'; artistId: string; messageId: string | null };

const MAC_BYTES = 16;

const payloadSchema = z.discriminatedUnion('k', [
  z.strictObject({ k: z.literal('o'), m: z.uuid() }),
  z.strictObject({ k: z.literal('c'), m: z.uuid(), u: z.string().max(2000) }),
  z.strictObject({ k: z.literal('u'), a: z.uuid(), m: z.uuid().nullable() }),
]);

/** Only http(s) links are tracked (and so only they can ever be a redirect target). */
export function isTrackableUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:';
  } catch {
    return false;
  }
}

/** Signs and verifies tracking tokens with a key derived from JWT_SECRET, so every API instance accepts the others' links. */
export class TrackingSigner {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('notifications-tracking-v1').digest();
  }

  private mac(data: Buffer): Buffer {
    return createHmac('sha256', this.key).update(data).digest().subarray(0, MAC_BYTES);
  }

  sign(token: TrackingToken): string {
    const payload =
      token.kind === 'open'
        ? { k: 'o', m: token.messageId }
        : token.kind === 'click'
          ? { k: 'c', m: token.messageId, u: token.url }
          : { k: 'u', a: token.artistId, m: token.messageId };
    const data = Buffer.from(JSON.stringify(payload), 'utf8');
    return `${data.toString('base64url')}.${this.mac(data).toString('base64url')}`;
  }

  /** The token, or null when it was not made by us (altered, truncated, or of another kind than expected). */
  verify(text: string): TrackingToken | null {
    const match = /^([A-Za-z0-9_-]{4,2800})\.([A-Za-z0-9_-]{20,24})$/.exec(text);
    if (!match) return null;
    const data = Buffer.from(match[1]!, 'base64url');
    const mac = Buffer.from(match[2]!, 'base64url');
    if (mac.length !== MAC_BYTES || !timingSafeEqual(mac, this.mac(data))) return null;
    let json: unknown;
    try {
      json = JSON.parse(data.toString('utf8'));
    } catch {
      return null;
    }
    const parsed = payloadSchema.safeParse(json);
    if (!parsed.success) return null;
    const p = parsed.data;
    if (p.k === 'o') return { kind: 'open', messageId: p.m };
    if (p.k === 'c') return isTrackableUrl(p.u) ? { kind: 'click', messageId: p.m, url: p.u } : null;
    return { kind: 'unsubscribe', artistId: p.a, messageId: p.m };
  }
}

/** The public URLs of tracking and unsubscribe links, under the web app's origin (which forwards /api/*). */
export class TrackingLinks {
  private readonly base: string;

  constructor(
    readonly signer: TrackingSigner,
    appUrl: string,
  ) {
    this.base = new URL(appUrl).origin;
  }

  openPixel(messageId: string): string {
    return `${this.base}/api/t/o/${this.signer.sign({ kind: 'open', messageId })}`;
  }

  click(messageId: string, url: string): string {
    if (!isTrackableUrl(url)) return url;
    return `${this.base}/api/t/c/${this.signer.sign({ kind: 'click', messageId, url })}`;
  }

  unsubscribe(artistId: string, messageId: string | null): string {
    return `${this.base}/api/unsubscribe/${this.signer.sign({ kind: 'unsubscribe', artistId, messageId })}`;
  }

  /** A path of the web app (e.g. "/portal") as an absolute URL; absolute http(s) URLs are kept. */
  absolute(pathOrUrl: string): string {
    return isTrackableUrl(pathOrUrl) ? pathOrUrl : `${this.base}${pathOrUrl.startsWith('/') ? '' : '/'}${pathOrUrl}`;
  }
}
