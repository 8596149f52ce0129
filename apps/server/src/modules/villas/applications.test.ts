import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { and, asc, eq } from 'drizzle-orm';
import { APPLICATION_STATUSES, APPLICATION_TRANSITIONS, type Tier } from '@mona/shared';
import { register, startTestSystem, type TestSystem } from '../../test/harness.ts';
import { artists } from '../artists/artists.tables.ts';
import { artistsApi, issuePaths, sessions, type ArtistJson } from '../artists/artists.test-helpers.ts';
import { applicationTransitionRefusal, meanTotal } from './applications.service.ts';
import { villaApplications, villas, villaStatusChanges } from './villas.tables.ts';

interface JuryScoreJson {
  juror: { id: string; name: string };
  scores: Record<string, number>;
  total: number;
  comment: string;
}
interface ApplicationJson {
  id: string;
  villaId: string;
  villaName: string;
  artistId: string;
  artistName: string;
  genre: string;
  motivation: string;
  portfolioLinks: string[];
  status: string;
  scoreAtApplication: number;
  tierAtApplication: string;
  sparkReady: boolean;
  decisionReason: string;
  decidedAt: string | null;
  waitlistedAt: string | null;
  createdAt: string;
  jury: { scores: JuryScoreJson[]; meanTotal: number | null } | null;
}
interface VillaCallJson {
  id: string;
  status: string;
  capacity: number;
  maxPerGenre: number;
  accepted: number;
}
interface ParticipantJson {
  applicationId: string;
  artistId: string;
  stageName: string;
  genre: string;
  tier: string | null;
}

const MOTIVATION = 'I want to spend a week creating with other artists and streaming it live every night.';

test('the application transition rule follows APPLICATION_TRANSITIONS and says why', () => {
  for (const from of APPLICATION_STATUSES) {
    for (const to of APPLICATION_STATUSES) {
      assert.equal(applicationTransitionRefusal(from, to) === null, APPLICATION_TRANSITIONS[from].includes(to), `${from} → ${to}`);
    }
  }
  assert.equal(applicationTransitionRefusal('accepted', 'rejected'), 'from accepted an application can only become withdrawn');
  assert.equal(applicationTransitionRefusal('rejected', 'accepted'), 'rejected is final');
  assert.equal(applicationTransitionRefusal('pending', 'pending'), 'the application is already pending');
});

test('the mean of the jurors totals, 2 decimals', () => {
  assert.equal(meanTotal([]), null);
  assert.equal(meanTotal([40]), 40);
  assert.equal(meanTotal([40, 35, 36]), 37);
  assert.equal(meanTotal([40, 35]), 37.5);
  assert.equal(meanTotal([10, 10, 11]), 10.33);
});

describe('villa applications, jury and decisions', () => {
  let system: TestSystem;
  let api: ReturnType<typeof artistsApi>;
  let s: Awaited<ReturnType<typeof sessions>>;
  const db = () => system.ctx.platform.database.db;

  const apply = (token: string, villaId: string, body: Record<string, unknown>) => api.call('POST', `/api/villas/${villaId}/applications`, token, body);
  const setStatus = (token: string, id: string, to: string, reason?: string) =>
    api.call('POST', `/api/applications/${id}/status`, token, { to, ...(reason ? { reason } : {}) });
  const score = (token: string, id: string, body: unknown) =>
    system.app.inject({ method: 'PUT', url: `/api/applications/${id}/score`, headers: { authorization: `Bearer ${token}` }, payload: body as object });
  const grid = (n: number, overrides: Record<string, number> = {}) => ({
    artistry: n,
    originality: n,
    stagePresence: n,
    collaboration: n,
    motivation: n,
    ...overrides,
  });

  /** An artist record at a tier (the cached tier and score are set directly: scoring is not what is tested here). */
  async function makeArtist(tier: Tier, scoreTotal: number, genres: string[], name?: string): Promise<ArtistJson> {
    const artist = await api.make(s.staff.accessToken, { genres, ...(name ? { stageName: name } : {}) });
    await db().update(artists).set({ tier, scoreTotal }).where(eq(artists.id, artist.id));
    return artist;
  }

  async function makeVilla(options: { capacity?: number; maxPerGenre?: number; status?: 'planning' | 'open' | 'full' } = {}) {
    const [villa] = await db()
      .insert(villas)
      .values({
        name: `Villa ${Math.random().toString(36).slice(2, 7)}`,
        place: 'Marseille',
        arrivalOn: '2027-07-01',
        capacity: options.capacity ?? 8,
        maxPerGenre: options.maxPerGenre ?? 2,
        status: options.status ?? 'open',
      })
      .returning();
    return villa!;
  }

  /** Staff files an application and returns it (201 or the test fails). */
  async function staffApply(villaId: string, artist: ArtistJson, genre = artist.genres[0]!): Promise<ApplicationJson> {
    const res = await apply(s.staff.accessToken, villaId, { artistId: artist.id, motivation: MOTIVATION, genre });
    assert.equal(res.statusCode, 201, res.body);
    return res.json<ApplicationJson>();
  }

  /** Fills a villa with `count` accepted artists of distinct genres (rows written directly, to keep the test fast). */
  async function seedAccepted(villaId: string, count: number, genrePrefix: string) {
    for (let i = 0; i < count; i++) {
      const genre = `${genrePrefix}${i}`;
      const artist = await makeArtist('premium', 85, [genre]);
      await db().insert(villaApplications).values({
        villaId,
        artistId: artist.id,
        motivation: MOTIVATION,
        genre,
        scoreAtApplication: 85,
        tierAtApplication: 'premium',
        status: 'accepted',
        decidedAt: new Date(),
      });
    }
  }

  async function villaState(villaId: string) {
    const [villa] = await db().select().from(villas).where(eq(villas.id, villaId));
    const accepted = await db()
      .select()
      .from(villaApplications)
      .where(and(eq(villaApplications.villaId, villaId), eq(villaApplications.status, 'accepted')));
    const changes = await db().select().from(villaStatusChanges).where(eq(villaStatusChanges.villaId, villaId)).orderBy(asc(villaStatusChanges.changedAt));
    return { status: villa!.status, accepted: accepted.length, changes: changes.map((c) => `${c.fromStatus}→${c.toStatus}`) };
  }

  before(async () => {
    system = await startTestSystem();
    api = artistsApi(system);
    s = await sessions(system);
  });
  after(async () => system.close());

  test('an artist applies for their own linked record; eligibility, genre, duplicates and villa status are checked', async () => {
    const villa = await makeVilla();
    const mine = await makeArtist('premium', 84, ['rap', 'soul']);
    // Before the team links their account: the prospect record their sign-up opened is not eligible.
    const unlinked = await apply(s.artist.accessToken, villa.id, { motivation: MOTIVATION, genre: 'rap' });
    assert.equal(unlinked.statusCode, 409, unlinked.body);
    assert.match(unlinked.json<{ error: { message: string } }>().error.message, /at tier prospect/);
    assert.equal((await api.call('POST', `/api/artists/${mine.id}/link-user`, s.staff.accessToken, { userId: s.artist.id })).statusCode, 200);

    // 400s with the field.
    const short = await apply(s.artist.accessToken, villa.id, { motivation: 'too short', genre: 'rap' });
    assert.equal(short.statusCode, 400);
    assert.deepEqual(issuePaths(short.json()), ['motivation']);
    const badLink = await apply(s.artist.accessToken, villa.id, { motivation: MOTIVATION, genre: 'rap', portfolioLinks: ['ftp://example.com/x'] });
    assert.equal(badLink.statusCode, 400);
    assert.deepEqual(issuePaths(badLink.json()), ['portfolioLinks.0']);
    const tooMany = await apply(s.artist.accessToken, villa.id, {
      motivation: MOTIVATION,
      genre: 'rap',
      portfolioLinks: Array.from({ length: 11 }, (_, i) => `https://example.com/${i}`),
    });
    assert.equal(tooMany.statusCode, 400);
    assert.deepEqual(issuePaths(tooMany.json()), ['portfolioLinks']);
    const wrongGenre = await apply(s.artist.accessToken, villa.id, { motivation: MOTIVATION, genre: 'jazz' });
    assert.equal(wrongGenre.statusCode, 400);
    assert.deepEqual(issuePaths(wrongGenre.json()), ['genre']);
    assert.match(wrongGenre.json<{ error: { message: string } }>().error.message, /rap, soul/);

    // Applying for someone else's record is refused.
    const other = await makeArtist('premium', 90, ['rap']);
    assert.equal((await apply(s.artist.accessToken, villa.id, { artistId: other.id, motivation: MOTIVATION, genre: 'rap' })).statusCode, 403);
    assert.equal((await apply(s.artist.accessToken, crypto.randomUUID(), { motivation: MOTIVATION, genre: 'rap' })).statusCode, 404);

    const res = await apply(s.artist.accessToken, villa.id, { motivation: MOTIVATION, genre: 'Soul', portfolioLinks: ['https://example.com/ep'] });
    assert.equal(res.statusCode, 201, res.body);
    const app = res.json<ApplicationJson>();
    assert.equal(app.status, 'pending');
    assert.equal(app.artistId, mine.id);
    assert.equal(app.genre, 'soul');
    assert.equal(app.scoreAtApplication, 84);
    assert.equal(app.tierAtApplication, 'premium');
    assert.equal(app.sparkReady, false);
    assert.deepEqual(app.portfolioLinks, ['https://example.com/ep']);
    assert.equal(app.jury, null, 'the artist does not see the jury');

    const again = await apply(s.artist.accessToken, villa.id, { motivation: MOTIVATION, genre: 'rap' });
    assert.equal(again.statusCode, 409);
    assert.match(again.json<{ error: { message: string } }>().error.message, /already applied/);
    // The tier at application stays even when the cached tier later changes.
    await db().update(artists).set({ tier: 'coprod', scoreTotal: 70 }).where(eq(artists.id, mine.id));
    const own = await api.call('GET', '/api/me/applications', s.artist.accessToken);
    assert.equal(own.statusCode, 200);
    assert.deepEqual(
      own.json<{ items: ApplicationJson[] }>().items.map((a) => [a.id, a.tierAtApplication, a.scoreAtApplication]),
      [[app.id, 'premium', 84]],
    );
    await db().update(artists).set({ tier: 'premium', scoreTotal: 84 }).where(eq(artists.id, mine.id));

    // Tier below premium: 409 naming the tier and the threshold.
    const low = await makeArtist('coprod', 72, ['rap']);
    const refused = await apply(s.staff.accessToken, villa.id, { artistId: low.id, motivation: MOTIVATION, genre: 'rap' });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.json<{ error: { message: string } }>().error.message, /tier coprod \(score 72\).*premium artists \(score ≥ 80\)/);

    // Staff must name the artist; a villa that is not open takes no application.
    const noArtist = await apply(s.staff.accessToken, villa.id, { motivation: MOTIVATION, genre: 'rap' });
    assert.equal(noArtist.statusCode, 400);
    assert.deepEqual(issuePaths(noArtist.json()), ['artistId']);
    const planning = await makeVilla({ status: 'planning' });
    const closed = await apply(s.staff.accessToken, planning.id, { artistId: other.id, motivation: MOTIVATION, genre: 'rap' });
    assert.equal(closed.statusCode, 409);
    assert.match(closed.json<{ error: { message: string } }>().error.message, /is planning: applications are taken only while the villa is open/);

    // Other roles.
    const sponsor = await register(system.app, 'sponsor');
    assert.equal((await apply(sponsor.accessToken, villa.id, { motivation: MOTIVATION, genre: 'rap' })).statusCode, 403);
    assert.equal((await apply('', villa.id, { motivation: MOTIVATION, genre: 'rap' })).statusCode, 401);
  });

  test('the committee list: SPARK-ready first, then score, then oldest; jurors score and the mean shows; artists see only their own', async () => {
    const villa = await makeVilla({ capacity: 10 });
    const premiumHigh = await makeArtist('premium', 92, ['pop']);
    const premiumLow1 = await makeArtist('premium', 81, ['pop']);
    const sparkLow = await makeArtist('spark_ready', 95, ['rock']);
    const premiumLow2 = await makeArtist('premium', 81, ['rock']);
    const sparkHigh = await makeArtist('spark_ready', 110, ['folk']);
    const a = await staffApply(villa.id, premiumHigh);
    const b = await staffApply(villa.id, premiumLow1);
    const c = await staffApply(villa.id, sparkLow);
    const d = await staffApply(villa.id, premiumLow2);
    const e = await staffApply(villa.id, sparkHigh);

    const list = await api.call('GET', `/api/villas/${villa.id}/applications`, s.staff.accessToken);
    assert.equal(list.statusCode, 200, list.body);
    const body = list.json<{ villa: VillaCallJson; items: ApplicationJson[] }>();
    assert.deepEqual(
      body.items.map((i) => i.id),
      [e.id, c.id, a.id, b.id, d.id],
    );
    assert.deepEqual([body.villa.status, body.villa.capacity, body.villa.accepted], ['open', 10, 0]);
    assert.ok(body.items.every((i) => i.jury && i.jury.scores.length === 0 && i.jury.meanTotal === null));

    // Two jurors score; a juror scoring again replaces their score.
    assert.equal((await score(s.staff.accessToken, a.id, { scores: grid(8), comment: 'strong' })).statusCode, 200);
    assert.equal((await score(s.staff.accessToken, a.id, { scores: grid(7, { artistry: 10 }), comment: 'very strong' })).statusCode, 200);
    const scored = await score(s.admin.accessToken, a.id, { scores: grid(6) });
    assert.equal(scored.statusCode, 200, scored.body);
    const detail = (await api.call('GET', `/api/applications/${a.id}`, s.staff.accessToken)).json<ApplicationJson>();
    const byJuror = Object.fromEntries(detail.jury!.scores.map((x) => [x.juror.id, x]));
    assert.equal(detail.jury!.scores.length, 2);
    assert.equal(byJuror[s.staff.id]!.total, 38);
    assert.equal(byJuror[s.staff.id]!.comment, 'very strong');
    assert.equal(byJuror[s.staff.id]!.juror.name, s.staff.name);
    assert.equal(byJuror[s.staff.id]!.scores.artistry, 10);
    assert.equal(byJuror[s.admin.id]!.total, 30);
    assert.equal(detail.jury!.meanTotal, 34);
    const listed = (await api.call('GET', `/api/villas/${villa.id}/applications`, s.staff.accessToken)).json<{ items: ApplicationJson[] }>();
    assert.equal(listed.items.find((i) => i.id === a.id)!.jury!.meanTotal, 34);

    // Bad scores: 400 with the field; not the team: 403; missing: 404.
    const bad = await score(s.staff.accessToken, a.id, { scores: grid(5, { originality: 11 }) });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(issuePaths(bad.json()), ['scores.originality']);
    const fraction = await score(s.staff.accessToken, a.id, { scores: grid(5, { artistry: 4.5 }) });
    assert.equal(fraction.statusCode, 400);
    const missing = await score(s.staff.accessToken, a.id, { scores: { artistry: 5 } });
    assert.equal(missing.statusCode, 400);
    assert.equal((await score(s.artist.accessToken, a.id, { scores: grid(5) })).statusCode, 403);
    assert.equal((await score(s.staff.accessToken, crypto.randomUUID(), { scores: grid(5) })).statusCode, 404);

    // Status filter.
    assert.equal((await setStatus(s.staff.accessToken, b.id, 'shortlisted')).statusCode, 200);
    const shortlisted = (await api.call('GET', `/api/villas/${villa.id}/applications?status=shortlisted`, s.staff.accessToken)).json<{
      items: ApplicationJson[];
    }>();
    assert.deepEqual(
      shortlisted.items.map((i) => i.id),
      [b.id],
    );
    assert.equal((await api.call('GET', `/api/villas/${villa.id}/applications?status=nope`, s.staff.accessToken)).statusCode, 400);

    // Artists: not the committee list; others' applications are 404; their own without the jury.
    assert.equal((await api.call('GET', `/api/villas/${villa.id}/applications`, s.artist.accessToken)).statusCode, 403);
    assert.equal((await api.call('GET', `/api/applications/${a.id}`, s.artist.accessToken)).statusCode, 404);
    assert.equal((await api.call('GET', `/api/applications/${crypto.randomUUID()}`, s.staff.accessToken)).statusCode, 404);
    assert.equal((await api.call('GET', `/api/villas/${crypto.randomUUID()}/applications`, s.staff.accessToken)).statusCode, 404);
    const stranger = await register(system.app, 'artist');
    assert.deepEqual((await api.call('GET', '/api/me/applications', stranger.accessToken)).json<{ items: unknown[] }>().items, []);
    assert.equal((await api.call('GET', '/api/me/applications', s.staff.accessToken)).statusCode, 403);
  });

  test('decisions: transitions, capacity, genre mix, full villa, waitlist stamps, withdraw reopens, promote', async () => {
    const villa = await makeVilla({ capacity: 8, maxPerGenre: 2 });
    await seedAccepted(villa.id, 5, 'd-');
    const rap1 = await staffApply(villa.id, await makeArtist('premium', 85, ['rap']));
    const rap2 = await staffApply(villa.id, await makeArtist('premium', 86, ['rap']));
    const rap3 = await staffApply(villa.id, await makeArtist('premium', 87, ['rap']));
    const jazz = await staffApply(villa.id, await makeArtist('premium', 88, ['jazz']));
    const folk = await staffApply(villa.id, await makeArtist('premium', 89, ['folk']));
    const electro = await staffApply(villa.id, await makeArtist('premium', 89, ['electro']));

    // An illegal transition says from and to; artists cannot decide.
    assert.equal((await setStatus(s.staff.accessToken, rap1.id, 'rejected')).statusCode, 200);
    const illegal = await setStatus(s.staff.accessToken, rap1.id, 'accepted');
    assert.equal(illegal.statusCode, 409);
    assert.match(illegal.json<{ error: { message: string } }>().error.message, /from rejected to accepted: rejected is final/);
    assert.equal((await setStatus(s.artist.accessToken, rap2.id, 'accepted')).statusCode, 403);
    assert.equal((await setStatus(s.staff.accessToken, rap2.id, 'maybe')).statusCode, 400);
    assert.equal((await setStatus(s.staff.accessToken, crypto.randomUUID(), 'accepted')).statusCode, 404);

    // Genre mix: two rap accepted, the third refused with the reason.
    assert.equal((await setStatus(s.staff.accessToken, rap2.id, 'accepted', 'great live')).statusCode, 200);
    const accepted = await setStatus(s.staff.accessToken, rap3.id, 'shortlisted');
    assert.equal(accepted.statusCode, 200);
    await seedAcceptedGenre(villa.id, 'rap');
    const third = await setStatus(s.staff.accessToken, rap3.id, 'accepted');
    assert.equal(third.statusCode, 409);
    assert.match(third.json<{ error: { message: string } }>().error.message, /genre mix: already 2 artists in rap \(at most 2\)/);

    // 7 accepted now (5 + rap2 + seeded rap); the 8th fills the villa.
    const jazzAccepted = await setStatus(s.staff.accessToken, jazz.id, 'accepted');
    assert.equal(jazzAccepted.statusCode, 200, jazzAccepted.body);
    assert.equal(jazzAccepted.json<ApplicationJson>().decidedAt !== null, true);
    let state = await villaState(villa.id);
    assert.deepEqual([state.status, state.accepted], ['full', 8]);
    assert.deepEqual(state.changes, ['open→full']);
    const over = await setStatus(s.staff.accessToken, folk.id, 'accepted');
    assert.equal(over.statusCode, 409);
    assert.match(over.json<{ error: { message: string } }>().error.message, /the villa is full \(capacity 8\)/i);

    // Waitlisting stamps waitlistedAt, in order.
    const w1 = (await setStatus(s.staff.accessToken, rap3.id, 'waitlisted')).json<ApplicationJson>();
    const w2 = (await setStatus(s.staff.accessToken, folk.id, 'waitlisted')).json<ApplicationJson>();
    const w3 = (await setStatus(s.staff.accessToken, electro.id, 'waitlisted')).json<ApplicationJson>();
    assert.ok(w1.waitlistedAt && w2.waitlistedAt && w3.waitlistedAt);
    assert.ok(w1.waitlistedAt <= w2.waitlistedAt && w2.waitlistedAt <= w3.waitlistedAt);

    // Promote while full: no place.
    const noPlace = await api.call('POST', `/api/villas/${villa.id}/promote-waitlisted`, s.staff.accessToken);
    assert.equal(noPlace.statusCode, 409);
    assert.match(noPlace.json<{ error: { message: string } }>().error.message, /full \(capacity 8\)/);

    // The jazz artist (linked to the signed-in artist) withdraws: the villa opens again.
    const jazzArtistId = jazz.artistId;
    const linkTo = await register(system.app, 'artist');
    assert.equal((await api.call('POST', `/api/artists/${jazzArtistId}/link-user`, s.staff.accessToken, { userId: linkTo.user.id })).statusCode, 200);
    assert.equal((await api.call('POST', `/api/applications/${jazz.id}/withdraw`, s.artist.accessToken)).statusCode, 404, "another artist's application");
    const withdrawn = await api.call('POST', `/api/applications/${jazz.id}/withdraw`, linkTo.accessToken);
    assert.equal(withdrawn.statusCode, 200, withdrawn.body);
    assert.equal(withdrawn.json<ApplicationJson>().status, 'withdrawn');
    state = await villaState(villa.id);
    assert.deepEqual([state.status, state.accepted], ['open', 7]);
    assert.deepEqual(state.changes, ['open→full', 'full→open']);
    const twice = await api.call('POST', `/api/applications/${jazz.id}/withdraw`, linkTo.accessToken);
    assert.equal(twice.statusCode, 409);

    // Promote: the first waitlisted is rap (genre full), so folk — the next who keeps the rule — is accepted and the villa is full again.
    const promoted = await api.call('POST', `/api/villas/${villa.id}/promote-waitlisted`, s.staff.accessToken);
    assert.equal(promoted.statusCode, 200, promoted.body);
    assert.equal(promoted.json<ApplicationJson>().id, folk.id);
    assert.equal(promoted.json<ApplicationJson>().status, 'accepted');
    state = await villaState(villa.id);
    assert.deepEqual([state.status, state.accepted], ['full', 8]);
    assert.deepEqual(state.changes, ['open→full', 'full→open', 'open→full']);
    assert.equal((await api.call('POST', `/api/villas/${villa.id}/promote-waitlisted`, s.artist.accessToken)).statusCode, 403);
    assert.equal((await api.call('POST', `/api/villas/${crypto.randomUUID()}/promote-waitlisted`, s.staff.accessToken)).statusCode, 404);
  });

  test('promote: 409 when no waitlisted artist keeps the genre rule, or no one waits', async () => {
    const villa = await makeVilla({ capacity: 8, maxPerGenre: 1 });
    const rock = await staffApply(villa.id, await makeArtist('premium', 85, ['rock']));
    const rock2 = await staffApply(villa.id, await makeArtist('premium', 85, ['rock']));
    const none = await api.call('POST', `/api/villas/${villa.id}/promote-waitlisted`, s.staff.accessToken);
    assert.equal(none.statusCode, 409);
    assert.match(none.json<{ error: { message: string } }>().error.message, /No one is on the waiting list/);
    assert.equal((await setStatus(s.staff.accessToken, rock.id, 'accepted')).statusCode, 200);
    assert.equal((await setStatus(s.staff.accessToken, rock2.id, 'waitlisted')).statusCode, 200);
    const blocked = await api.call('POST', `/api/villas/${villa.id}/promote-waitlisted`, s.staff.accessToken);
    assert.equal(blocked.statusCode, 409);
    assert.match(
      blocked.json<{ error: { message: string } }>().error.message,
      /No waitlisted artist keeps the genre mix rule: genre mix: already 1 artists in rock \(at most 1\)/,
    );
  });

  test('participants: the team sees tiers; accepted artists see fellow stage names; other artists are refused', async () => {
    const villa = await makeVilla();
    const participant = await register(system.app, 'artist');
    const outsider = await register(system.app, 'artist');
    const mine = await makeArtist('spark_ready', 99, ['house'], `Participant ${Math.random().toString(36).slice(2, 6)}`);
    const fellow = await makeArtist('premium', 82, ['dub']);
    const pending = await makeArtist('premium', 82, ['afro']);
    assert.equal((await api.call('POST', `/api/artists/${mine.id}/link-user`, s.staff.accessToken, { userId: participant.user.id })).statusCode, 200);
    const a = await staffApply(villa.id, mine);
    const b = await staffApply(villa.id, fellow);
    await staffApply(villa.id, pending);

    // Before being accepted, the artist cannot see the list.
    assert.equal((await api.call('GET', `/api/villas/${villa.id}/participants`, participant.accessToken)).statusCode, 403);
    assert.equal((await setStatus(s.staff.accessToken, a.id, 'accepted')).statusCode, 200);
    assert.equal((await setStatus(s.staff.accessToken, b.id, 'accepted')).statusCode, 200);

    const team = await api.call('GET', `/api/villas/${villa.id}/participants`, s.staff.accessToken);
    assert.equal(team.statusCode, 200, team.body);
    const teamBody = team.json<{ villa: VillaCallJson; items: ParticipantJson[] }>();
    assert.equal(teamBody.villa.accepted, 2);
    assert.deepEqual(
      teamBody.items.map((p) => [p.stageName, p.genre, p.tier]),
      [
        [mine.stageName, 'house', 'spark_ready'],
        [fellow.stageName, 'dub', 'premium'],
      ],
    );
    const own = await api.call('GET', `/api/villas/${villa.id}/participants`, participant.accessToken);
    assert.equal(own.statusCode, 200, own.body);
    assert.deepEqual(
      own.json<{ items: ParticipantJson[] }>().items.map((p) => [p.stageName, p.tier]),
      [
        [mine.stageName, null],
        [fellow.stageName, null],
      ],
    );
    assert.equal((await api.call('GET', `/api/villas/${villa.id}/participants`, outsider.accessToken)).statusCode, 403);
    assert.equal((await api.call('GET', `/api/villas/${crypto.randomUUID()}/participants`, s.staff.accessToken)).statusCode, 404);
    // The accepted artist reads their own application, without the jury.
    const read = await api.call('GET', `/api/applications/${a.id}`, participant.accessToken);
    assert.equal(read.statusCode, 200);
    assert.equal(read.json<ApplicationJson>().jury, null);
    assert.equal((await api.call('GET', `/api/applications/${b.id}`, participant.accessToken)).statusCode, 404);
  });

  test('concurrent acceptances cannot overfill a villa: 7 of 8 accepted, 5 in parallel → exactly one wins', async () => {
    const villa = await makeVilla({ capacity: 8, maxPerGenre: 2 });
    await seedAccepted(villa.id, 7, 'c-');
    const pending: ApplicationJson[] = [];
    for (let i = 0; i < 5; i++) pending.push(await staffApply(villa.id, await makeArtist('premium', 85, [`p-${i}`])));
    const results = await Promise.all(pending.map((p) => setStatus(s.staff.accessToken, p.id, 'accepted')));
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 409, 409, 409, 409], results.map((r) => r.body).join('\n'));
    for (const r of results.filter((x) => x.statusCode === 409)) assert.match(r.json<{ error: { message: string } }>().error.message, /full \(capacity 8\)/);
    const state = await villaState(villa.id);
    assert.deepEqual([state.status, state.accepted], ['full', 8]);
    assert.deepEqual(state.changes, ['open→full']);
  });

  test('concurrent acceptances cannot break the genre mix: 1 of 2 rap accepted, 5 rap in parallel → exactly one wins', async () => {
    const villa = await makeVilla({ capacity: 12, maxPerGenre: 2 });
    await seedAcceptedGenre(villa.id, 'rap');
    const pending: ApplicationJson[] = [];
    for (let i = 0; i < 5; i++) pending.push(await staffApply(villa.id, await makeArtist('premium', 85, ['rap'])));
    const results = await Promise.all(pending.map((p) => setStatus(s.staff.accessToken, p.id, 'accepted')));
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 409, 409, 409, 409], results.map((r) => r.body).join('\n'));
    for (const r of results.filter((x) => x.statusCode === 409))
      assert.match(r.json<{ error: { message: string } }>().error.message, /genre mix: already 2 artists in rap \(at most 2\)/);
    const state = await villaState(villa.id);
    assert.deepEqual([state.status, state.accepted], ['open', 2]);
  });

  /** One accepted artist of a genre, written directly. */
  async function seedAcceptedGenre(villaId: string, genre: string) {
    const artist = await makeArtist('premium', 85, [genre]);
    await db().insert(villaApplications).values({
      villaId,
      artistId: artist.id,
      motivation: MOTIVATION,
      genre,
      scoreAtApplication: 85,
      tierAtApplication: 'premium',
      status: 'accepted',
      decidedAt: new Date(),
    });
  }
});
