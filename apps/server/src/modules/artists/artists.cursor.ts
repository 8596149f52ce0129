import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { badRequest } from '../../platform/errors.ts';
import { ARTIST_SORTS, type ArtistSort } from './artists.schemas.ts';

/**
 * The position after the last row of a page: the sort key and the id that breaks ties.
 * createdAt travels as the database's own microsecond text, since a JS Date would drop
 * the microseconds and the next page would repeat or skip rows created in the same millisecond.
 */
export interface ArtistCursor {
  sort: ArtistSort;
  order: 'asc' | 'desc';
  key: string | number;
  id: string;
}

const payloadSchema = z.strictObject({
  s: z.enum(ARTIST_SORTS),
  o: z.enum(['asc', 'desc']),
  k: z.union([z.string().max(500), z.number().int()]),
  i: z.uuid(),
});

const MAC_BYTES = 16;

/**
 * Cursors are signed: a client can only hand back one we made, so a tampered
 * cursor is a clean 400 instead of a query on arbitrary values.
 */
export class CursorCodec {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('artists-list-cursor').digest();
  }

  private mac(data: Buffer): Buffer {
    return createHmac('sha256', this.key).update(data).digest().subarray(0, MAC_BYTES);
  }

  encode(cursor: ArtistCursor): string {
    const data = Buffer.from(JSON.stringify({ s: cursor.sort, o: cursor.order, k: cursor.key, i: cursor.id }), 'utf8');
    return Buffer.concat([this.mac(data), data]).toString('base64url');
  }

  /** The cursor for this sort and order, or a 400 when it was altered or made for another listing. */
  decode(text: string, sort: ArtistSort, order: 'asc' | 'desc'): ArtistCursor {
    const invalid = () => badRequest('Invalid cursor; start again from the first page', { issues: [{ path: 'cursor', message: 'Invalid cursor' }] });
    if (!/^[A-Za-z0-9_-]+$/.test(text)) throw invalid();
    const raw = Buffer.from(text, 'base64url');
    if (raw.length <= MAC_BYTES) throw invalid();
    const mac = raw.subarray(0, MAC_BYTES);
    const data = raw.subarray(MAC_BYTES);
    if (!timingSafeEqual(mac, this.mac(data))) throw invalid();
    let json: unknown;
    try {
      json = JSON.parse(data.toString('utf8'));
    } catch {
      throw invalid();
    }
    const parsed = payloadSchema.safeParse(json);
    if (!parsed.success || parsed.data.s !== sort || parsed.data.o !== order) throw invalid();
    const { k, i } = parsed.data;
    // The key's type must fit the sort, or the keyset comparison would cast garbage.
    if (sort === 'score' ? typeof k !== 'number' : typeof k !== 'string') throw invalid();
    return { sort, order, key: k, id: i };
  }
}
