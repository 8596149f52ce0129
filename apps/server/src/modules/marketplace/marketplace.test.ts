import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { MISSION_STATUSES, MISSION_TRANSITIONS } from '@mona/shared';
import { register, startTestSystem, type TestSystem } from '../../test/harness.ts';
import { artistsApi, issuePaths, sessions, signedIn, type ArtistJson } from '../artists/artists.test-helpers.ts';
import { users } from '../users/users.tables.ts';
import { missionTransitionActors, missionTransitionRefusal } from './marketplace.service.ts';
import { missions } from './marketplace.tables.ts';

interface BlockJson {
  id: string;
  code: string;
  name: string;
  description: string;
  diagnosticCents: number;
  oneShotCents: number;
  monthlyCents: number;
  active: boolean;
}
interface MissionJson {
  id: string;
  blockId: string;
  blockCode: string;
  artistId: string;
  artistName: string;
  format: string;
  priceCents: number;
  brief: string;
  status: string;
  expert: { id: string; name: string } | null;
  requestedBy: string | null;
  assignedAt: string | null;
  startedAt: string | null;
  deliveredAt: string | null;
  acceptedAt: string | null;
  cancelledAt: string | null;
  deliverables: { title: string; url: string | null; note: string; createdBy: { id: string } | null }[];
  history: { fromStatus: string | null; toStatus: string; reason: string; changedBy: { id: string; name: string } | null }[];
}

test('the mission transition rule follows MISSION_TRANSITIONS; who may make each move', () => {
  for (const from of MISSION_STATUSES) {
    for (const to of MISSION_STATUSES) assert.equal(missionTransitionRefusal(from, to) === null, MISSION_TRANSITIONS[from].includes(to), `${from} → ${to}`);
  }
  assert.equal(missionTransitionRefusal('requested', 'delivered'), 'from requested a mission can only become assigned or cancelled');
  assert.equal(missionTransitionRefusal('accepted', 'in_progress'), 'accepted is final');
  assert.deepEqual(missionTransitionActors('assigned', 'in_progress'), ['expert']);
  assert.deepEqual(missionTransitionActors('in_progress', 'delivered'), ['expert']);
  assert.deepEqual(missionTransitionActors('delivered', 'accepted'), ['team', 'artist']);
  assert.deepEqual(missionTransitionActors('delivered', 'in_progress'), ['team', 'artist']);
  assert.deepEqual(missionTransitionActors('in_progress', 'cancelled'), ['team']);
});

describe('marketplace: blocks, requests, missions', () => {
  let system: TestSystem;
  let api: ReturnType<typeof artistsApi>;
  let s: Awaited<ReturnType<typeof sessions>>;
  let expert: Awaited<ReturnType<typeof signedIn>>;
  let otherExpert: Awaited<ReturnType<typeof signedIn>>;
  let otherArtist: Awaited<ReturnType<typeof register>> & { id: string };
  let mine: ArtistJson;
  let theirs: ArtistJson;
  let blocks: Record<string, BlockJson>;

  const post = (token: string, url: string, body: unknown) => api.call('POST', url, token, body);
  const request = (token: string, body: Record<string, unknown>) => post(token, '/api/marketplace/requests', body);
  const assign = (token: string, id: string, expertId: string) => post(token, `/api/marketplace/missions/${id}/assign`, { expertId });
  const setStatus = (token: string, id: string, to: string, reason?: string) =>
    post(token, `/api/marketplace/missions/${id}/status`, { to, ...(reason ? { reason } : {}) });
  const deliver = (token: string, id: string, body: Record<string, unknown>) => post(token, `/api/marketplace/missions/${id}/deliverables`, body);
  const getMission = (token: string, id: string) => api.call('GET', `/api/marketplace/missions/${id}`, token);
  async function makeMission(artist = mine, code = 'strategy', format = 'one_shot'): Promise<MissionJson> {
    const res = await request(s.staff.accessToken, { blockId: blocks[code]!.id, artistId: artist.id, format, brief: 'Help' });
    assert.equal(res.statusCode, 201, res.body);
    return res.json<MissionJson>();
  }
  /** A mission in progress with the expert, one deliverable added. */
  async function inProgress(): Promise<MissionJson> {
    const mission = await makeMission();
    assert.equal((await assign(s.staff.accessToken, mission.id, expert.id)).statusCode, 200);
    assert.equal((await setStatus(expert.accessToken, mission.id, 'in_progress')).statusCode, 200);
    assert.equal((await deliver(expert.accessToken, mission.id, { title: 'Plan', url: 'https://example.com/plan' })).statusCode, 201);
    return mission;
  }

  before(async () => {
    system = await startTestSystem();
    api = artistsApi(system);
    s = await sessions(system);
    [expert, otherExpert] = await Promise.all([signedIn(system, 'expert'), signedIn(system, 'expert')]);
    const other = await register(system.app, 'artist');
    otherArtist = { ...other, id: other.user.id };
    mine = await api.make(s.staff.accessToken);
    theirs = await api.make(s.staff.accessToken);
    assert.equal((await post(s.staff.accessToken, `/api/artists/${mine.id}/link-user`, { userId: s.artist.id })).statusCode, 200);
    assert.equal((await post(s.staff.accessToken, `/api/artists/${theirs.id}/link-user`, { userId: otherArtist.id })).statusCode, 200);
    const res = await api.call('GET', '/api/marketplace/blocks', s.artist.accessToken);
    blocks = Object.fromEntries(res.json<{ items: BlockJson[] }>().items.map((b) => [b.code, b]));
  });
  after(async () => system.close());

  test('the catalogue: ten blocks with three prices for anyone signed in; admins edit them', async () => {
    const res = await api.call('GET', '/api/marketplace/blocks', expert.accessToken);
    assert.equal(res.statusCode, 200);
    const items = res.json<{ items: BlockJson[] }>().items;
    assert.equal(items.length, 10);
    assert.deepEqual([items[0]!.code, items[0]!.diagnosticCents, items[0]!.oneShotCents, items[0]!.monthlyCents], ['strategy', 15000, 80000, 20000]);
    assert.deepEqual(
      items.map((b) => b.code),
      ['strategy', 'visual', 'music', 'video', 'social', 'growth', 'press', 'monetisation', 'distribution', 'legal'],
    );

    const id = blocks['legal']!.id;
    assert.equal((await api.call('PATCH', `/api/marketplace/blocks/${id}`, s.staff.accessToken, { name: 'x' })).statusCode, 403);
    const bad = await api.call('PATCH', `/api/marketplace/blocks/${id}`, s.admin.accessToken, { monthlyCents: -1 });
    assert.deepEqual(issuePaths(bad.json()), ['monthlyCents']);
    assert.equal((await api.call('PATCH', `/api/marketplace/blocks/${crypto.randomUUID()}`, s.admin.accessToken, { active: true })).statusCode, 404);
    const patched = await api.call('PATCH', `/api/marketplace/blocks/${id}`, s.admin.accessToken, {
      name: 'Legal',
      description: 'Contracts',
      diagnosticCents: 11000,
      oneShotCents: 110000,
      monthlyCents: 26000,
      active: false,
    });
    assert.equal(patched.statusCode, 200, patched.body);
    const block = patched.json<BlockJson>();
    assert.deepEqual(
      [block.name, block.description, block.diagnosticCents, block.oneShotCents, block.monthlyCents, block.active],
      ['Legal', 'Contracts', 11000, 110000, 26000, false],
    );
    assert.equal((await api.call('GET', '/api/marketplace/blocks', s.artist.accessToken)).json().items.length, 9);
    assert.equal((await api.call('GET', '/api/marketplace/blocks?includeInactive=true', s.staff.accessToken)).json().items.length, 10);
    const refused = await request(s.staff.accessToken, { blockId: id, artistId: mine.id, format: 'diagnostic' });
    assert.equal(refused.statusCode, 409);
    await api.call('PATCH', `/api/marketplace/blocks/${id}`, s.admin.accessToken, { active: true });
  });

  test('requests: staff for any artist, an artist for themself only; price copied for the format', async () => {
    const byStaff = await makeMission(theirs, 'video', 'monthly');
    assert.equal(byStaff.status, 'requested');
    assert.equal(byStaff.priceCents, 80000);
    assert.equal(byStaff.artistId, theirs.id);
    assert.equal(byStaff.requestedBy, s.staff.id);
    assert.equal(byStaff.expert, null);
    assert.deepEqual(
      byStaff.history.map((h) => [h.fromStatus, h.toStatus, h.changedBy?.id]),
      [[null, 'requested', s.staff.id]],
    );

    const own = await request(s.artist.accessToken, { blockId: blocks['music']!.id, artistId: mine.id, format: 'diagnostic', brief: 'Mixing' });
    assert.equal(own.statusCode, 201, own.body);
    assert.equal(own.json<MissionJson>().priceCents, 10000);
    assert.equal(own.json<MissionJson>().requestedBy, s.artist.id);
    const viaMe = await post(s.artist.accessToken, '/api/me/marketplace/requests', { blockId: blocks['music']!.id, format: 'one_shot' });
    assert.equal(viaMe.statusCode, 201, viaMe.body);
    assert.deepEqual([viaMe.json<MissionJson>().artistId, viaMe.json<MissionJson>().priceCents], [mine.id, 150000]);

    // Another artist's id: 404 and nothing created.
    const before = (await api.call('GET', `/api/marketplace/missions?artistId=${theirs.id}`, s.staff.accessToken)).json().items.length;
    const foreign = await request(s.artist.accessToken, { blockId: blocks['music']!.id, artistId: theirs.id, format: 'diagnostic' });
    assert.equal(foreign.statusCode, 404);
    assert.equal((await api.call('GET', `/api/marketplace/missions?artistId=${theirs.id}`, s.staff.accessToken)).json().items.length, before);

    const badFormat = await request(s.staff.accessToken, { blockId: blocks['music']!.id, artistId: mine.id, format: 'yearly' });
    assert.deepEqual(issuePaths(badFormat.json()), ['format']);
    assert.equal((await request(s.staff.accessToken, { blockId: crypto.randomUUID(), artistId: mine.id, format: 'diagnostic' })).statusCode, 404);
    assert.equal((await request(s.staff.accessToken, { blockId: blocks['music']!.id, artistId: crypto.randomUUID(), format: 'diagnostic' })).statusCode, 404);
    assert.equal((await request(expert.accessToken, { blockId: blocks['music']!.id, artistId: mine.id, format: 'diagnostic' })).statusCode, 403);
    assert.equal((await post(s.staff.accessToken, '/api/me/marketplace/requests', { blockId: blocks['music']!.id, format: 'one_shot' })).statusCode, 403);

    const archived = await api.make(s.staff.accessToken);
    await api.archive(s.staff.accessToken, archived.id);
    const refused = await request(s.staff.accessToken, { blockId: blocks['music']!.id, artistId: archived.id, format: 'diagnostic' });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.json().error.message, /archived/);
  });

  test('the whole life of a mission: assign, reassign, start, deliver, ask changes, accept', async () => {
    const mission = await makeMission(mine, 'growth', 'one_shot');
    assert.equal(mission.priceCents, 100000);

    const notExpert = await assign(s.staff.accessToken, mission.id, s.staff.id);
    assert.equal(notExpert.statusCode, 400);
    assert.deepEqual(issuePaths(notExpert.json()), ['expertId']);
    assert.deepEqual(issuePaths((await assign(s.staff.accessToken, mission.id, crypto.randomUUID())).json()), ['expertId']);
    const disabled = await signedIn(system, 'expert');
    await system.ctx.platform.database.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, disabled.id));
    assert.deepEqual(issuePaths((await assign(s.staff.accessToken, mission.id, disabled.id)).json()), ['expertId']);
    assert.equal((await assign(expert.accessToken, mission.id, expert.id)).statusCode, 403);
    assert.equal((await assign(s.staff.accessToken, crypto.randomUUID(), expert.id)).statusCode, 404);

    // Before assignment the expert cannot see it.
    assert.equal((await getMission(expert.accessToken, mission.id)).statusCode, 404);

    const assigned = await assign(s.staff.accessToken, mission.id, otherExpert.id);
    assert.equal(assigned.statusCode, 200, assigned.body);
    assert.deepEqual(assigned.json<MissionJson>().expert, { id: otherExpert.id, name: otherExpert.name });
    assert.equal((await assign(s.staff.accessToken, mission.id, otherExpert.id)).statusCode, 409, 'the same expert again');
    const reassigned = (await assign(s.staff.accessToken, mission.id, expert.id)).json<MissionJson>();
    assert.equal(reassigned.status, 'assigned');
    assert.equal(reassigned.expert?.id, expert.id);
    assert.equal(reassigned.history.at(-1)?.reason, `reassigned from ${otherExpert.name} to ${expert.name}`);
    assert.equal((await getMission(otherExpert.accessToken, mission.id)).statusCode, 404, 'the previous expert lost it');
    assert.equal((await setStatus(otherExpert.accessToken, mission.id, 'in_progress')).statusCode, 404);

    // Only the assigned expert starts and delivers; the team cannot do it for them.
    const staffStart = await setStatus(s.staff.accessToken, mission.id, 'in_progress');
    assert.equal(staffStart.statusCode, 403);
    assert.match(staffStart.json().error.message, /assigned expert/);
    assert.equal((await setStatus(s.artist.accessToken, mission.id, 'in_progress')).statusCode, 403);
    const skip = await setStatus(expert.accessToken, mission.id, 'delivered');
    assert.equal(skip.statusCode, 409);
    assert.match(skip.json().error.message, /from assigned to delivered/);
    assert.equal((await deliver(expert.accessToken, mission.id, { title: 'Too early' })).statusCode, 409);

    const started = (await setStatus(expert.accessToken, mission.id, 'in_progress')).json<MissionJson>();
    assert.equal(started.status, 'in_progress');
    assert.ok(started.startedAt);
    assert.equal((await assign(s.staff.accessToken, mission.id, otherExpert.id)).statusCode, 409, 'no reassignment once started');
    const empty = await setStatus(expert.accessToken, mission.id, 'delivered');
    assert.equal(empty.statusCode, 409);
    assert.match(empty.json().error.message, /deliverable/);

    const badUrl = await deliver(expert.accessToken, mission.id, { title: 'Script', url: 'javascript:alert(1)' });
    assert.equal(badUrl.statusCode, 400);
    assert.deepEqual(issuePaths(badUrl.json()), ['url']);
    assert.deepEqual(issuePaths((await deliver(expert.accessToken, mission.id, { title: ' ' })).json()), ['title']);
    assert.equal((await deliver(otherExpert.accessToken, mission.id, { title: 'Not mine' })).statusCode, 404);
    assert.equal((await deliver(s.staff.accessToken, mission.id, { title: 'Staff' })).statusCode, 403);
    const added = await deliver(expert.accessToken, mission.id, { title: 'Campaign plan', url: 'https://example.com/plan.pdf', note: 'v1' });
    assert.equal(added.statusCode, 201, added.body);
    assert.deepEqual((({ title, url, note }) => ({ title, url, note }))(added.json()), {
      title: 'Campaign plan',
      url: 'https://example.com/plan.pdf',
      note: 'v1',
    });

    const delivered = (await setStatus(expert.accessToken, mission.id, 'delivered')).json<MissionJson>();
    assert.equal(delivered.status, 'delivered');
    assert.ok(delivered.deliveredAt);
    assert.equal((await setStatus(expert.accessToken, mission.id, 'accepted')).statusCode, 403, 'the expert does not accept their own work');
    assert.equal((await setStatus(s.staff.accessToken, mission.id, 'cancelled')).statusCode, 409, 'a delivered mission is not cancelled');

    // The artist asks changes: back in progress, the delivery date cleared until the next delivery.
    const changes = (await setStatus(s.artist.accessToken, mission.id, 'in_progress', 'Add the budget')).json<MissionJson>();
    assert.equal(changes.status, 'in_progress');
    assert.equal(changes.deliveredAt, null);
    assert.equal(changes.startedAt, started.startedAt, 'startedAt keeps the first start');
    await deliver(expert.accessToken, mission.id, { title: 'Campaign plan v2', url: 'http://example.com/plan-v2.pdf' });
    assert.equal((await setStatus(expert.accessToken, mission.id, 'delivered')).statusCode, 200);
    const accepted = await setStatus(s.artist.accessToken, mission.id, 'accepted');
    assert.equal(accepted.statusCode, 200, accepted.body);
    const done = accepted.json<MissionJson>();
    assert.equal(done.status, 'accepted');
    assert.ok(done.acceptedAt);
    assert.equal((await setStatus(s.staff.accessToken, mission.id, 'in_progress')).statusCode, 409);

    assert.deepEqual(
      done.history.map((h) => [h.fromStatus, h.toStatus, h.changedBy?.id]),
      [
        [null, 'requested', s.staff.id],
        ['requested', 'assigned', s.staff.id],
        ['assigned', 'assigned', s.staff.id],
        ['assigned', 'in_progress', expert.id],
        ['in_progress', 'delivered', expert.id],
        ['delivered', 'in_progress', s.artist.id],
        ['in_progress', 'delivered', expert.id],
        ['delivered', 'accepted', s.artist.id],
      ],
    );
    assert.equal(done.history[5]!.reason, 'Add the budget');
    assert.deepEqual(
      done.deliverables.map((d) => [d.title, d.createdBy?.id]),
      [
        ['Campaign plan', expert.id],
        ['Campaign plan v2', expert.id],
      ],
    );
    const viaTeam = (await getMission(s.admin.accessToken, mission.id)).json<MissionJson>();
    assert.deepEqual(viaTeam.history, done.history);
  });

  test('staff cancel; assigned is only reached through the assign route; unknown statuses are 400', async () => {
    const requested = await makeMission();
    assert.equal((await setStatus(s.artist.accessToken, requested.id, 'cancelled')).statusCode, 403);
    const viaStatus = await setStatus(s.staff.accessToken, requested.id, 'assigned');
    assert.equal(viaStatus.statusCode, 409);
    assert.match(viaStatus.json().error.message, /assign/);
    assert.deepEqual(issuePaths((await setStatus(s.staff.accessToken, requested.id, 'done')).json()), ['to']);
    const cancelled = (await setStatus(s.staff.accessToken, requested.id, 'cancelled', 'Budget')).json<MissionJson>();
    assert.equal(cancelled.status, 'cancelled');
    assert.ok(cancelled.cancelledAt);
    assert.equal((await assign(s.staff.accessToken, requested.id, expert.id)).statusCode, 409);

    const working = await inProgress();
    assert.equal((await setStatus(s.admin.accessToken, working.id, 'cancelled')).json<MissionJson>().status, 'cancelled');
    assert.equal((await deliver(expert.accessToken, working.id, { title: 'Late' })).statusCode, 409);
  });

  test('visibility: experts see theirs, artists their own record’s; others are 404 and nothing changes', async () => {
    const mineAssigned = await inProgress();
    const theirsMission = await makeMission(theirs, 'press', 'diagnostic');
    assert.equal((await assign(s.staff.accessToken, theirsMission.id, otherExpert.id)).statusCode, 200);

    const list = (token: string, query = '') => api.call('GET', `/api/marketplace/missions${query}`, token);
    const ids = async (token: string, query = '') => (await list(token, query)).json<{ items: MissionJson[] }>().items.map((m) => m.id);

    const expertIds = await ids(expert.accessToken);
    assert.ok(expertIds.includes(mineAssigned.id) && !expertIds.includes(theirsMission.id));
    for (const m of (await list(expert.accessToken)).json<{ items: MissionJson[] }>().items) assert.equal(m.expert?.id, expert.id);
    assert.deepEqual(await ids(expert.accessToken, `?expertId=${otherExpert.id}`), []);
    const artistItems = (await list(s.artist.accessToken)).json<{ items: MissionJson[] }>().items;
    assert.ok(artistItems.length > 0 && artistItems.every((m) => m.artistId === mine.id));
    assert.deepEqual(await ids(s.artist.accessToken, `?artistId=${theirs.id}`), []);
    const otherArtistItems = (await list(otherArtist.accessToken)).json<{ items: MissionJson[] }>().items;
    assert.equal(otherArtistItems[0]?.id, theirsMission.id, 'most recently requested first');
    assert.ok(otherArtistItems.every((m) => m.artistId === theirs.id));

    const team = (await list(s.staff.accessToken, `?artistId=${theirs.id}&status=assigned&expertId=${otherExpert.id}&blockId=${blocks['press']!.id}`)).json<{
      items: MissionJson[];
    }>().items;
    assert.deepEqual(
      team.map((m) => m.id),
      [theirsMission.id],
    );
    const all = (await list(s.staff.accessToken, '?limit=500')).json<{ items: MissionJson[] }>().items;
    assert.ok(all.some((m) => m.artistId === mine.id) && all.some((m) => m.artistId === theirs.id));
    assert.equal((await list(s.staff.accessToken, '?status=open')).statusCode, 400);

    // Reaching someone else's mission: 404, as for a missing id, and nothing changes.
    for (const token of [expert.accessToken, s.artist.accessToken]) {
      assert.equal((await getMission(token, theirsMission.id)).statusCode, 404);
      assert.equal((await setStatus(token, theirsMission.id, 'in_progress')).statusCode, 404);
    }
    assert.equal((await deliver(expert.accessToken, theirsMission.id, { title: 'x' })).statusCode, 404);
    assert.equal((await getMission(s.staff.accessToken, crypto.randomUUID())).statusCode, 404);
    const unchanged = (await getMission(s.staff.accessToken, theirsMission.id)).json<MissionJson>();
    assert.equal(unchanged.status, 'assigned');
    assert.equal(unchanged.history.length, 2);
    assert.equal(unchanged.deliverables.length, 0);

    const sponsor = await register(system.app, 'sponsor');
    assert.equal((await list(sponsor.accessToken)).statusCode, 403);
    assert.equal((await getMission(sponsor.accessToken, theirsMission.id)).statusCode, 403);
  });

  test('concurrent changes of one mission: exactly one 200 and one 409', async () => {
    for (let round = 0; round < 3; round++) {
      const mission = await inProgress();
      assert.equal((await setStatus(expert.accessToken, mission.id, 'delivered')).statusCode, 200);
      const results = await Promise.all([setStatus(s.artist.accessToken, mission.id, 'accepted'), setStatus(s.staff.accessToken, mission.id, 'in_progress')]);
      assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 409], results.map((r) => r.body).join('\n'));
      const after = (await getMission(s.staff.accessToken, mission.id)).json<MissionJson>();
      assert.equal(after.history.length, 5);
      assert.equal(after.status, results.find((r) => r.statusCode === 200)!.json<MissionJson>().status);
    }
    const mission = await makeMission();
    // The same expert twice: whichever order they run in, the second is refused.
    const assigns = await Promise.all([assign(s.staff.accessToken, mission.id, expert.id), assign(s.admin.accessToken, mission.id, expert.id)]);
    assert.deepEqual(assigns.map((r) => r.statusCode).sort(), [200, 409], assigns.map((r) => r.body).join('\n'));
    assert.equal((await getMission(s.staff.accessToken, mission.id)).json<MissionJson>().history.length, 2);
    // The guard itself: a change from a status the mission has left updates nothing.
    const { db } = system.ctx.platform.database;
    assert.equal(await system.ctx.repos.marketplace.transition(db, mission.id, 'requested', 'assigned'), undefined);
    const [row] = await db.select().from(missions).where(eq(missions.id, mission.id));
    assert.equal(row?.status, 'assigned');
  });
});
