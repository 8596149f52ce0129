import { PLATFORMS, type Platform } from '@mona/shared';
import type { Artist, ArtistLinks } from '../../lib/crm.ts';

/** "Pop, rap , soul" → ["pop", "rap", "soul"] (the API lower-cases and de-duplicates too). */
export function parseGenres(text: string): string[] {
  return text
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean);
}

export type LinkDraft = Record<Platform, { handle: string; url: string }>;

export function linksToDraft(links: Artist['links']): LinkDraft {
  const draft = {} as LinkDraft;
  for (const platform of PLATFORMS) {
    const link = (links as Partial<Record<Platform, { handle?: string; url?: string }>>)[platform];
    draft[platform] = { handle: link?.handle ?? '', url: link?.url ?? '' };
  }
  return draft;
}

/** Only platforms with a handle or a URL are sent; the API replaces the whole set. */
export function draftToLinks(draft: LinkDraft): ArtistLinks {
  const out: Partial<Record<Platform, { handle?: string; url?: string }>> = {};
  for (const platform of PLATFORMS) {
    const handle = draft[platform].handle.trim();
    const url = draft[platform].url.trim();
    if (!handle && !url) continue;
    out[platform] = { ...(handle ? { handle } : {}), ...(url ? { url } : {}) };
  }
  return out;
}

/** ISO date-time → the yyyy-mm-dd a date input shows (in UTC, as it was stored). */
export function isoToDateInput(iso: string | null): string {
  return iso ? iso.slice(0, 10) : '';
}

/** yyyy-mm-dd → midnight UTC ISO, or null when empty. */
export function dateInputToIso(value: string): string | null {
  return value ? `${value}T00:00:00.000Z` : null;
}
