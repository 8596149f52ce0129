import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { register, startTestSystem, type TestSystem } from '../../test/harness.ts';
import { artistsApi, issuePaths, sessions, signedIn, uniqueName, type ArtistJson } from './artists.test-helpers.ts';

describe('artists: records, access, the artist portal', () => {
  let system: TestSystem;
  let api: ReturnType<typeof artistsApi>;
  let s: Awaited<ReturnType<typeof sessions>>;
  before(async () => {
    system = await startTestSystem();
    api = artistsApi(system);
    s = await sessions(system);
  });
  after(async () => system.close());

  test('staff create an artist with every field; genres are cleaned; the pipeline entry is recorded', async () => {
    const stageName = uniqueName('Nova');
    const res = await api.create(s.staff.accessToken, {
      stageName: `  ${stageName}  `,
      genres: [' Afro Pop ', 'RAP', 'rap'],
      city: 'Marseille',
      bio: 'Chanteuse et productrice',
      email: 'Nova@Example.com',
      phone: '+33 6 12 34 56 78',
      links: { instagram: { handle: '@nova', url: 'https://instagram.com/nova' }, spotify: { url: 'https://open.spotify.com/artist/1' } },
      consentMarketing: true,
      ndaSignedAt: '2025-01-15T10:00:00Z',
      assigneeId: s.staff.id,
    });
    assert.equal(res.statusCode, 201, res.body);
    const artist = res.json<ArtistJson>();
    assert.equal(artist.stageName, stageName);
    assert.deepEqual(artist.genres, ['afro pop', 'rap']);
    assert.equal(artist.email, 'nova@example.com');
    assert.equal(artist.stage, 'prospect');
    assert.equal(artist.consentMarketing, true);
    assert.equal(artist.consentAnalytics, false);
    assert.ok(artist.consentUpdatedAt, 'a consent given at creation is dated');
    assert.equal(artist.ndaSignedAt, '2025-01-15T10:00:00.000Z');
    assert.equal(artist.assigneeId, s.staff.id);
    assert.deepEqual(artist.links.instagram, { handle: '@nova', url: 'https://instagram.com/nova' });
    assert.equal(artist.tier, 'prospect');
    assert.equal(artist.archivedAt, null);

    const got = await api.get(s.admin.accessToken, artist.id);
    assert.equal(got.statusCode, 200);
    assert.deepEqual(got.json(), artist);

    // The entry into the pipeline: a move from nothing, and its event.
    const history = (await api.history(s.staff.accessToken, artist.id)).json<{ moves: { fromStage: string | null; toStage: string }[] }>();
    assert.deepEqual(
      history.moves.map((m) => [m.fromStage, m.toStage]),
      [[null, 'prospect']],
    );
    const [event] = await system.ctx.events.list({ name: 'artist.stage_changed', aggregateId: artist.id });
    assert.deepEqual(event?.payload, { artistId: artist.id, fromStage: null, toStage: 'prospect', movedBy: s.staff.id, reason: 'created' });
  });

  test('a chosen entry stage is kept', async () => {
    const artist = await api.make(s.admin.accessToken, { stage: 'checkup' });
    assert.equal(artist.stage, 'checkup');
  });

  test('invalid input is 400 with the path of each field, and nothing is created', async () => {
    const stageName = uniqueName('Invalid');
    const cases: [Record<string, unknown>, string][] = [
      [{}, 'stageName'],
      [{ stageName: '   ' }, 'stageName'],
      [{ stageName, genres: ['a', 'b', 'c', 'd', 'e', 'f'] }, 'genres'],
      [{ stageName, email: 'not-an-email' }, 'email'],
      [{ stageName, links: { instagram: { url: 'javascript:alert(1)' } } }, 'links.instagram.url'],
      [{ stageName, links: { instagram: { url: 'ftp://example.com/x' } } }, 'links.instagram.url'],
      [{ stageName, links: { myspace: { handle: 'x' } } }, 'links.myspace'],
      [{ stageName, links: { tiktok: {} } }, 'links.tiktok'],
      [{ stageName, stage: 'famous' }, 'stage'],
      [{ stageName, ndaSignedAt: 'yesterday' }, 'ndaSignedAt'],
      [{ stageName, scoreTotal: 100 }, 'scoreTotal'],
      [{ stageName, assigneeId: 'abc' }, 'assigneeId'],
    ];
    for (const [body, path] of cases) {
      const res = await api.create(s.staff.accessToken, body);
      assert.equal(res.statusCode, 400, `${JSON.stringify(body)} → ${res.body}`);
      assert.equal(res.json().error.code, 'validation_failed');
      assert.ok(issuePaths(res.json()).includes(path), `${path} in ${res.body}`);
    }
    const listed = await api.list(s.staff.accessToken, `q=${encodeURIComponent(stageName)}&archived=all`);
    assert.deepEqual(listed.json().items, []);
  });

  test('the assignee must be a staff or admin account (400 on assigneeId)', async () => {
    const expert = await signedIn(system, 'expert');
    for (const assigneeId of [expert.id, s.artist.id, '00000000-0000-4000-8000-000000000000']) {
      const res = await api.create(s.staff.accessToken, { stageName: uniqueName(), assigneeId });
      assert.equal(res.statusCode, 400, assigneeId);
      assert.deepEqual(issuePaths(res.json()), ['assigneeId']);
    }
    const ok = await api.create(s.staff.accessToken, { stageName: uniqueName(), assigneeId: s.admin.id });
    assert.equal(ok.statusCode, 201);
  });

  test('an email already used by another artist is 409 on the email field', async () => {
    const email = `dup-${Date.now()}@example.com`;
    await api.make(s.staff.accessToken, { email });
    const res = await api.create(s.staff.accessToken, { stageName: uniqueName(), email: email.toUpperCase() });
    assert.equal(res.statusCode, 409);
    assert.deepEqual(issuePaths(res.json()), ['email']);
    const other = await api.make(s.staff.accessToken);
    const patched = await api.patch(s.staff.accessToken, other.id, { email });
    assert.equal(patched.statusCode, 409);
  });

  test('PATCH changes only the given fields; null clears; unknown fields and the stage are 400', async () => {
    const artist = await api.make(s.staff.accessToken, { city: 'Lyon', phone: '0612345678', genres: ['jazz'] });
    const res = await api.patch(s.staff.accessToken, artist.id, { city: null, bio: 'Nouvelle bio', genres: ['Soul'] });
    assert.equal(res.statusCode, 200, res.body);
    const patched = res.json<ArtistJson>();
    assert.equal(patched.city, null);
    assert.equal(patched.bio, 'Nouvelle bio');
    assert.deepEqual(patched.genres, ['soul']);
    assert.equal(patched.phone, '0612345678');
    assert.equal(patched.stageName, artist.stageName);
    assert.ok(patched.updatedAt > artist.updatedAt);

    for (const body of [{ stage: 'retention' }, { nickname: 'x' }, { stageName: '' }, { userId: s.artist.id }]) {
      const bad = await api.patch(s.staff.accessToken, artist.id, body);
      assert.equal(bad.statusCode, 400, JSON.stringify(body));
      assert.deepEqual(issuePaths(bad.json()), [Object.keys(body)[0]]);
    }
    assert.equal((await api.get(s.staff.accessToken, artist.id)).json().stage, 'prospect');
  });

  test('unknown ids are 404, non-uuid ids 400', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    assert.equal((await api.get(s.staff.accessToken, unknown)).statusCode, 404);
    assert.equal((await api.patch(s.staff.accessToken, unknown, { bio: 'x' })).statusCode, 404);
    assert.equal((await api.archive(s.staff.accessToken, unknown)).statusCode, 404);
    assert.equal((await api.move(s.staff.accessToken, unknown, 'checkup')).statusCode, 404);
    const bad = await api.get(s.staff.accessToken, 'not-a-uuid');
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(issuePaths(bad.json()), ['id']);
  });

  test('archiving hides from the default list, keeps the record, and unarchiving brings it back', async () => {
    const artist = await api.make(s.staff.accessToken, { stageName: uniqueName('Archivable') });
    const q = `q=${encodeURIComponent(artist.stageName)}`;
    const archived = await api.archive(s.staff.accessToken, artist.id);
    assert.equal(archived.statusCode, 200);
    assert.ok(archived.json().archivedAt);
    assert.deepEqual((await api.list(s.staff.accessToken, q)).json().items, []);
    assert.deepEqual(
      (await api.list(s.staff.accessToken, `${q}&archived=true`)).json().items.map((a: ArtistJson) => a.id),
      [artist.id],
    );
    assert.equal((await api.get(s.staff.accessToken, artist.id)).statusCode, 200, 'still readable by id');
    // Archiving again keeps the first date.
    assert.equal((await api.archive(s.staff.accessToken, artist.id)).json().archivedAt, archived.json().archivedAt);

    const back = await api.unarchive(s.staff.accessToken, artist.id);
    assert.equal(back.json().archivedAt, null);
    assert.deepEqual(
      (await api.list(s.staff.accessToken, q)).json().items.map((a: ArtistJson) => a.id),
      [artist.id],
    );
  });

  test('an artist reads their own record, 404 on another, 403 on team routes, and nothing changes', async () => {
    const artist = await register(system.app, 'artist');
    const own = await api.make(s.staff.accessToken);
    const other = await api.make(s.staff.accessToken);
    assert.equal((await api.call('POST', `/api/artists/${own.id}/link-user`, s.staff.accessToken, { userId: artist.user.id })).statusCode, 200);

    const mine = await api.get(artist.accessToken, own.id);
    assert.equal(mine.statusCode, 200);
    assert.equal(mine.json().userId, artist.user.id);
    assert.equal((await api.get(artist.accessToken, other.id)).statusCode, 404);

    const forbidden = [
      await api.list(artist.accessToken),
      await api.create(artist.accessToken, { stageName: uniqueName('Sneaky') }),
      await api.move(artist.accessToken, own.id, 'checkup'),
      await api.patch(artist.accessToken, own.id, { bio: 'hacked' }),
      await api.archive(artist.accessToken, other.id),
      await api.history(artist.accessToken, own.id),
      await api.call('GET', '/api/artists/export.csv', artist.accessToken),
      await api.call('POST', '/api/artists/import', artist.accessToken, { csv: 'stageName\nSneaky' }),
      await api.call('GET', '/api/pipeline/board', artist.accessToken),
    ];
    for (const res of forbidden) assert.equal(res.statusCode, 403, res.body);
    const after = await api.get(s.staff.accessToken, own.id);
    assert.equal(after.json().stage, 'prospect');
    assert.equal(after.json().bio, own.bio);
    assert.equal((await api.get(s.staff.accessToken, other.id)).json().archivedAt, null);
    assert.deepEqual((await api.list(s.staff.accessToken, 'q=Sneaky')).json().items, []);

    // Other roles read no artist at all.
    const expert = await signedIn(system, 'expert');
    assert.equal((await api.get(expert.accessToken, own.id)).statusCode, 404);
    assert.equal((await api.get('', own.id)).statusCode, 401);
  });

  test('GET/PATCH /api/me/artist: an artist changes only links and consents; consentUpdatedAt follows a change', async () => {
    const artist = await register(system.app, 'artist');
    // Signing up opened a prospect record in the artist's name; the team then links the account to the record they keep.
    const opened = await api.call('GET', '/api/me/artist', artist.accessToken);
    assert.equal(opened.statusCode, 200);
    assert.equal(opened.json<ArtistJson>().stageName, artist.name);
    const record = await api.make(s.staff.accessToken, { consentMarketing: false });
    assert.equal((await api.call('POST', `/api/artists/${record.id}/link-user`, s.staff.accessToken, { userId: artist.user.id })).statusCode, 200);
    const left = (await api.get(s.staff.accessToken, opened.json<ArtistJson>().id)).json<ArtistJson>();
    assert.equal(left.userId, null, 'the sign-up record gave the account up');
    assert.ok(left.archivedAt, 'and is archived as a duplicate');

    const me = await api.call('GET', '/api/me/artist', artist.accessToken);
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().id, record.id);
    assert.equal(me.json().consentUpdatedAt, null);

    for (const body of [{ stage: 'retention' }, { stageName: 'Renamed' }, { assigneeId: s.staff.id }, { consentMarketing: true, tier: 'premium' }]) {
      const res = await api.call('PATCH', '/api/me/artist', artist.accessToken, body);
      assert.equal(res.statusCode, 400, JSON.stringify(body));
      assert.equal(res.json().error.code, 'validation_failed');
    }
    const unchanged = (await api.get(s.staff.accessToken, record.id)).json<ArtistJson>();
    assert.equal(unchanged.stage, 'prospect');
    assert.equal(unchanged.stageName, record.stageName);
    assert.equal(unchanged.consentMarketing, false);

    const links = { tiktok: { handle: '@me', url: 'https://www.tiktok.com/@me' } };
    const changed = await api.call('PATCH', '/api/me/artist', artist.accessToken, { consentMarketing: true, links });
    assert.equal(changed.statusCode, 200, changed.body);
    const after = changed.json<ArtistJson>();
    assert.equal(after.consentMarketing, true);
    assert.deepEqual(after.links, links);
    assert.ok(after.consentUpdatedAt);

    // Links only: the consent date stays.
    const linksOnly = await api.call('PATCH', '/api/me/artist', artist.accessToken, { links: {} });
    assert.equal(linksOnly.json().consentUpdatedAt, after.consentUpdatedAt);
    assert.deepEqual(linksOnly.json().links, {});

    // The team's own routes stay closed to the artist; staff get 403 on /api/me/artist.
    assert.equal((await api.call('GET', '/api/me/artist', s.staff.accessToken)).statusCode, 403);
  });

  test('link-user: only artist accounts; one record per account (409)', async () => {
    const artist = await register(system.app, 'artist');
    const first = await api.make(s.staff.accessToken);
    const second = await api.make(s.staff.accessToken);
    const link = (id: string, userId: string) => api.call('POST', `/api/artists/${id}/link-user`, s.admin.accessToken, { userId });

    const notArtist = await link(first.id, s.staff.id);
    assert.equal(notArtist.statusCode, 400);
    assert.deepEqual(issuePaths(notArtist.json()), ['userId']);
    assert.equal((await link(first.id, artist.user.id)).statusCode, 200);
    assert.equal((await link(first.id, artist.user.id)).statusCode, 200, 'linking again is a no-op');
    const taken = await link(second.id, artist.user.id);
    assert.equal(taken.statusCode, 409);
    assert.equal(taken.json().error.code, 'conflict');
    assert.equal((await api.get(s.staff.accessToken, second.id)).json().userId, null);
    const another = await register(system.app, 'artist');
    assert.equal((await link(first.id, another.user.id)).statusCode, 409, 'the record already has an account');
  });
});
