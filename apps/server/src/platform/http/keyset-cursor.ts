import { z } from 'zod';
import { badRequest } from '../errors.ts';

/**
 * The position after the last row of a page ordered by (key, id): the key as
 * the database's own text (a timestamp with microseconds, or a date) and the
 * id that breaks ties. The cursor is opaque to clients (base64url JSON); what
 * it decodes to is validated before it reaches a query, so a tampered cursor
 * is a clean 400 and never arbitrary SQL input.
 */
export interface KeysetCursor {
  key: string;
  id: string;
}

/** ISO 8601 timestamps as `isoUtc` writes them, or plain dates. */
const keyText = z.string().regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z)?$/);
const payload = z.strictObject({ k: keyText, i: z.uuid() });

export function encodeCursor(cursor: KeysetCursor): string {
  return Buffer.from(JSON.stringify({ k: cursor.key, i: cursor.id }), 'utf8').toString('base64url');
}

export function decodeCursor(text: string): KeysetCursor {
  const invalid = () => badRequest('Invalid cursor; start again from the first page', { issues: [{ path: 'cursor', message: 'Invalid cursor' }] });
  if (!/^[A-Za-z0-9_-]+$/.test(text)) throw invalid();
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const parsed = payload.safeParse(json);
  if (!parsed.success || Number.isNaN(Date.parse(parsed.data.k))) throw invalid();
  return { key: parsed.data.k, id: parsed.data.i };
}

/** Splits the `limit + 1` rows a keyset query returns into the page and the next cursor. */
export function pageOf<T extends { id: string }>(rows: { row: T; key: string }[], limit: number): { rows: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rows: page.map((r) => r.row), nextCursor: rows.length > limit && last ? encodeCursor({ key: last.key, id: last.row.id }) : null };
}
