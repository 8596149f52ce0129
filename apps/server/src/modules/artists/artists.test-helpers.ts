import { bearer, register, signInAs, type TestSystem } from '../../test/harness.ts';

// Shared by the artists and pipeline test files: calls through HTTP, as the web app makes them.

export interface ArtistJson {
  id: string;
  stageName: string;
  genres: string[];
  city: string | null;
  bio: string;
  email: string | null;
  phone: string | null;
  links: Record<string, { handle?: string; url?: string }>;
  consentMarketing: boolean;
  consentAnalytics: boolean;
  consentUpdatedAt: string | null;
  ndaSignedAt: string | null;
  stage: string;
  stageChangedAt: string;
  assigneeId: string | null;
  userId: string | null;
  scoreTotal: number;
  tier: string;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
}

let counter = 0;
/** A unique stage name, so tests sharing a database can find their own rows. */
export const uniqueName = (prefix = 'Artist') => `${prefix} ${++counter} ${Math.random().toString(36).slice(2, 7)}`;

export function artistsApi(system: TestSystem) {
  type Method = 'GET' | 'POST' | 'PATCH';
  const call = (method: Method, url: string, token: string, payload?: unknown) =>
    system.app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload: payload as object }) });
  return {
    call,
    create: (token: string, body: Record<string, unknown>) => call('POST', '/api/artists', token, body),
    /** Creates and returns the artist, failing the test on anything but 201. */
    async make(token: string, body: Record<string, unknown> = {}): Promise<ArtistJson> {
      const res = await call('POST', '/api/artists', token, { stageName: uniqueName(), ...body });
      if (res.statusCode !== 201) throw new Error(`create failed: ${res.statusCode} ${res.body}`);
      return res.json<ArtistJson>();
    },
    get: (token: string, id: string) => call('GET', `/api/artists/${id}`, token),
    patch: (token: string, id: string, body: unknown) => call('PATCH', `/api/artists/${id}`, token, body),
    list: (token: string, query = '') => call('GET', `/api/artists${query ? `?${query}` : ''}`, token),
    archive: (token: string, id: string) => call('POST', `/api/artists/${id}/archive`, token),
    unarchive: (token: string, id: string) => call('POST', `/api/artists/${id}/unarchive`, token),
    move: (token: string, id: string, to: string, reason?: string) => call('POST', `/api/artists/${id}/stage`, token, { to, ...(reason ? { reason } : {}) }),
    history: (token: string, id: string) => call('GET', `/api/artists/${id}/stage-history`, token),
  };
}

/** A signed-in account with its user id. */
export async function signedIn(system: TestSystem, role: 'admin' | 'staff' | 'expert') {
  const session = await signInAs(system, role);
  return { ...session, id: (session as unknown as { user: { id: string } }).user.id };
}

/** The sessions most tests need: an admin, a staff member and a registered artist. */
export async function sessions(system: TestSystem) {
  const [admin, staff, artist] = await Promise.all([signedIn(system, 'admin'), signedIn(system, 'staff'), register(system.app, 'artist')]);
  return { admin, staff, artist: { ...artist, id: artist.user.id } };
}

/** Reads an answer's field issue paths, for 400 assertions. */
export function issuePaths(body: { error?: { details?: { issues?: { path: string }[] } } }): string[] {
  return body.error?.details?.issues?.map((i) => i.path) ?? [];
}
