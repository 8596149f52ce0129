import { count, eq } from 'drizzle-orm';
import { artists, metricSnapshots } from '../artists/artists.tables.ts';
import { bearer, type TestSystem } from '../../test/harness.ts';
import type { DomainEventPayloads } from '../events/events.types.ts';

// Shared by the scoring test files. The artists API is built by another module,
// so the tests create artists straight in the table.

export async function createArtist(system: TestSystem, values: Partial<typeof artists.$inferInsert> = {}): Promise<string> {
  const [row] = await system.ctx.platform.database.db
    .insert(artists)
    .values({ stageName: `Artist ${Math.random().toString(36).slice(2, 8)}`, ...values })
    .returning({ id: artists.id });
  return row!.id;
}

/** The record an artist's sign-up opened for their account (AuthService.register). */
export async function signUpRecord(system: TestSystem, userId: string): Promise<string> {
  const [row] = await system.ctx.platform.database.db.select({ id: artists.id }).from(artists).where(eq(artists.userId, userId));
  return row!.id;
}

export async function artistRow(system: TestSystem, id: string) {
  const [row] = await system.ctx.platform.database.db.select().from(artists).where(eq(artists.id, id));
  return row!;
}

export async function snapshotCount(system: TestSystem, artistId: string): Promise<number> {
  const [row] = await system.ctx.platform.database.db.select({ n: count() }).from(metricSnapshots).where(eq(metricSnapshots.artistId, artistId));
  return row!.n;
}

export const NO_RATINGS = {
  artisticQuality: 0,
  motivation: 0,
  collaboration: 0,
  businessVision: 0,
  mediaPersonality: 0,
  viralPotential: false,
  versatility: false,
  diversity: false,
};

/** Ratings worth `total` points when the artist has no metrics (at most 80). */
export function ratingsWorth(total: number, extra: Record<string, unknown> = {}) {
  let left = total;
  const take = (max: number) => {
    const v = Math.min(max, left);
    left -= v;
    return v;
  };
  const ratings = {
    ...NO_RATINGS,
    artisticQuality: take(25),
    motivation: take(15),
    collaboration: take(15),
    businessVision: take(15),
    mediaPersonality: take(10),
    ...extra,
  };
  if (left !== 0) throw new Error(`ratings cannot reach ${total}`);
  return ratings;
}

export function api(system: TestSystem) {
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, token: string, payload?: unknown) =>
    system.app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload: payload as object }) });
  return {
    rate: (token: string, id: string, body: unknown) => call('PUT', `/api/artists/${id}/ratings`, token, body),
    postMetrics: (token: string, id: string, snapshots: unknown[]) => call('POST', `/api/artists/${id}/metrics`, token, { snapshots }),
    metrics: (token: string, id: string, query = '') => call('GET', `/api/artists/${id}/metrics${query}`, token),
    score: (token: string, id: string) => call('GET', `/api/artists/${id}/score`, token),
    history: (token: string, id: string, query = '') => call('GET', `/api/artists/${id}/score/history${query}`, token),
    postMarketFit: (token: string, id: string, body: unknown) => call('POST', `/api/artists/${id}/market-fit`, token, body),
    marketFit: (token: string, id: string, query = '') => call('GET', `/api/artists/${id}/market-fit${query}`, token),
    putSettings: (token: string, value: unknown) => call('PUT', '/api/settings/scoring', token, { value }),
  };
}

export const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

/** The artist.tier_changed domain events of an artist, newest first, with their payload typed. */
export async function tierEvents(system: TestSystem, artistId: string) {
  const events = await system.ctx.events.list({ name: 'artist.tier_changed', aggregateId: artistId });
  return events.map((e) => ({ ...e, payload: e.payload as DomainEventPayloads['artist.tier_changed'] }));
}
