import { createHash, timingSafeEqual } from 'node:crypto';

const sha256 = (text: string) => createHash('sha256').update(text).digest();

/**
 * A shared secret a machine presents as `Authorization: Bearer <token>`
 * (Alertmanager's webhook, Prometheus's scrapes). The check compares digests of
 * equal length in constant time; without a token configured nothing matches.
 */
export class BearerToken {
  private readonly digest: Buffer | null;

  constructor(token: string | undefined) {
    this.digest = token ? sha256(token) : null;
  }

  get configured(): boolean {
    return this.digest !== null;
  }

  matches(header: string | undefined): boolean {
    if (!this.digest) return false;
    const presented = header?.toLowerCase().startsWith('bearer ') ? header.slice(7).trim() : null;
    return presented !== null && presented !== '' && timingSafeEqual(sha256(presented), this.digest);
  }
}
