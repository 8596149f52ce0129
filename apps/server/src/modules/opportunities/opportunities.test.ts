import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { OPPORTUNITY_STAGES, type OpportunityStage } from '@mona/shared';
import { register, startTestSystem, type TestSystem } from '../../test/harness.ts';
import { artistsApi, issuePaths, sessions, signedIn, type ArtistJson } from '../artists/artists.test-helpers.ts';
import { stageMoveRefusal, weightedCents } from './opportunities.service.ts';

interface OpportunityJson {
  id: string;
  artistId: string;
  title: string;
  valueCents: number;
  probability: number;
  weightedValueCents: number;
  stage: string;
  expectedCloseOn: string | null;
  ownerId: string | null;
  notes: string;
  closedAt: string | null;
  archivedAt: string | null;
  updatedAt: string;
}

test('the stage rule: open → any other stage; closed → open stages only', () => {
  for (const from of ['discovery', 'proposal', 'negotiation'] as OpportunityStage[]) {
    for (const to of OPPORTUNITY_STAGES) assert.equal(stageMoveRefusal(from, to) === null, from !== to, `${from} → ${to}`);
  }
  for (const [from, to] of [
    ['won', 'lost'],
    ['lost', 'won'],
    ['won', 'won'],
  ] as [OpportunityStage, OpportunityStage][]) {
    assert.ok(stageMoveRefusal(from, to), `${from} → ${to}`);
  }
  assert.equal(stageMoveRefusal('lost', 'discovery'), null);
  assert.equal(stageMoveRefusal('won', 'negotiation'), null);
  assert.equal(weightedCents(333, 50), 167, 'half a cent rounds up');
  assert.equal(weightedCents(100_000, 0), 0);
});

describe('opportunities', () => {
  let system: TestSystem;
  let api: ReturnType<typeof artistsApi>;
  let s: Awaited<ReturnType<typeof sessions>>;
  let artist: ArtistJson;
  before(async () => {
    system = await startTestSystem();
    api = artistsApi(system);
    s = await sessions(system);
    artist = await api.make(s.staff.accessToken);
  });
  after(async () => system.close());

  const create = (artistId: string, body: Record<string, unknown>, token = s.staff.accessToken) =>
    api.call('POST', `/api/artists/${artistId}/opportunities`, token, body);
  const make = async (artistId: string, body: Record<string, unknown>): Promise<OpportunityJson> => {
    const res = await create(artistId, { title: 'Deal', valueCents: 100_00, ...body });
    assert.equal(res.statusCode, 201, res.body);
    return res.json<OpportunityJson>();
  };
  const moveTo = (id: string, stage: string, extra: Record<string, unknown> = {}) =>
    api.call('POST', `/api/opportunities/${id}/stage`, s.staff.accessToken, { stage, ...extra });

  test('create, read, change, archive; value in integer cents and probability 0–100 are checked by field', async () => {
    const o = await make(artist.id, { title: 'MONA 390', valueCents: 390_00, probability: 40, expectedCloseOn: '2030-03-31', notes: 'Warm' });
    assert.equal(o.stage, 'discovery');
    assert.equal(o.valueCents, 39000);
    assert.equal(o.probability, 40);
    assert.equal(o.weightedValueCents, 15600);
    assert.equal(o.expectedCloseOn, '2030-03-31');
    assert.equal(o.ownerId, s.staff.id, 'the caller owns it by default');
    assert.equal(o.closedAt, null);
    assert.equal((await make(artist.id, {})).probability, 10, 'discovery default');

    const patched = await api.call('PATCH', `/api/opportunities/${o.id}`, s.admin.accessToken, {
      valueCents: 490_00,
      ownerId: s.admin.id,
      expectedCloseOn: null,
    });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json().valueCents, 49000);
    assert.equal(patched.json().ownerId, s.admin.id);
    assert.equal(patched.json().expectedCloseOn, null);
    assert.equal((await api.call('GET', `/api/opportunities/${o.id}`, s.staff.accessToken)).json().valueCents, 49000);

    const bad: [Record<string, unknown>, string][] = [
      [{ title: 'x', valueCents: 12.5 }, 'valueCents'],
      [{ title: 'x', valueCents: -1 }, 'valueCents'],
      [{ title: 'x', valueCents: '100' }, 'valueCents'],
      [{ title: 'x' }, 'valueCents'],
      [{ title: 'x', valueCents: 1, probability: 101 }, 'probability'],
      [{ title: 'x', valueCents: 1, probability: -1 }, 'probability'],
      [{ title: 'x', valueCents: 1, probability: 33.3 }, 'probability'],
      [{ title: 'x', valueCents: 1, stage: 'signed' }, 'stage'],
      [{ title: 'x', valueCents: 1, expectedCloseOn: '31/03/2030' }, 'expectedCloseOn'],
      [{ title: 'x', valueCents: 1, ownerId: s.artist.id }, 'ownerId'],
      [{ title: '', valueCents: 1 }, 'title'],
      [{ title: 'x', valueCents: 1, stage: 'won', probability: 50 }, 'probability'],
    ];
    for (const [body, field] of bad) {
      const res = await create(artist.id, body);
      assert.equal(res.statusCode, 400, `${field}: ${res.body}`);
      assert.ok(issuePaths(res.json()).includes(field), `${field}: ${res.body}`);
    }
    const badPatch = await api.call('PATCH', `/api/opportunities/${o.id}`, s.staff.accessToken, { valueCents: 1.5 });
    assert.deepEqual(issuePaths(badPatch.json()), ['valueCents']);

    const missing = '00000000-0000-4000-8000-000000000000';
    assert.equal((await create(missing, { title: 'x', valueCents: 1 })).statusCode, 404);
    assert.equal((await api.call('GET', `/api/opportunities/${missing}`, s.staff.accessToken)).statusCode, 404);
    assert.equal((await api.call('PATCH', `/api/opportunities/${missing}`, s.staff.accessToken, { notes: 'x' })).statusCode, 404);
    assert.equal((await moveTo(missing, 'won')).statusCode, 404);
    assert.equal((await api.call('GET', `/api/artists/${missing}/opportunities`, s.staff.accessToken)).statusCode, 404);

    const gone = await api.make(s.staff.accessToken);
    await api.archive(s.staff.accessToken, gone.id);
    const refused = await create(gone.id, { title: 'x', valueCents: 1 });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.json().error.message, /archived/);

    const archived = await api.call('POST', `/api/opportunities/${o.id}/archive`, s.staff.accessToken);
    assert.ok(archived.json().archivedAt);
    assert.equal((await api.call('PATCH', `/api/opportunities/${o.id}`, s.staff.accessToken, { notes: 'x' })).statusCode, 409);
    const archivedMove = await moveTo(o.id, 'proposal');
    assert.equal(archivedMove.statusCode, 409);
    assert.match(archivedMove.json().error.message, /archived/);
    const forArtist = (await api.call('GET', `/api/artists/${artist.id}/opportunities`, s.staff.accessToken)).json().items;
    assert.ok(!forArtist.some((x: OpportunityJson) => x.id === o.id));
  });

  test('stages: open moves freely; won/lost close it; a closed one only re-opens; illegal moves are 409 with the reason', async () => {
    const o = await make(artist.id, { probability: 20 });
    const skip = await moveTo(o.id, 'negotiation');
    assert.equal(skip.statusCode, 200, skip.body);
    assert.equal(skip.json().probability, 20, 'kept when not given');
    const back = await moveTo(o.id, 'proposal', { probability: 35 });
    assert.equal(back.json().probability, 35);
    const same = await moveTo(o.id, 'proposal');
    assert.equal(same.statusCode, 409);
    assert.match(same.json().error.message, /from proposal to proposal: the opportunity is already proposal/);

    const won = await moveTo(o.id, 'won');
    assert.equal(won.statusCode, 200);
    assert.ok(won.json().closedAt);
    assert.equal(won.json().probability, 100);
    assert.equal(won.json().weightedValueCents, won.json().valueCents);

    const flip = await moveTo(o.id, 'lost');
    assert.equal(flip.statusCode, 409);
    assert.match(flip.json().error.message, /from won to lost: a won opportunity is closed; re-open it/);
    const frozen = await api.call('PATCH', `/api/opportunities/${o.id}`, s.staff.accessToken, { valueCents: 5, notes: 'x' });
    assert.equal(frozen.statusCode, 409);
    assert.match(frozen.json().error.message, /re-open it before changing valueCents/);
    const notes = await api.call('PATCH', `/api/opportunities/${o.id}`, s.staff.accessToken, { notes: 'Signed on Monday' });
    assert.equal(notes.statusCode, 200);
    assert.equal(notes.json().notes, 'Signed on Monday');
    assert.equal(notes.json().stage, 'won');

    const reopened = await moveTo(o.id, 'negotiation');
    assert.equal(reopened.statusCode, 200);
    assert.equal(reopened.json().closedAt, null);
    assert.equal(reopened.json().probability, 60, 'stage default when re-opening');
    const lost = await moveTo(o.id, 'lost', { probability: 0 });
    assert.equal(lost.json().probability, 0);
    assert.ok(lost.json().closedAt);
    const wrong = await moveTo(o.id, 'discovery', { probability: 200 });
    assert.deepEqual(issuePaths(wrong.json()), ['probability']);
    assert.deepEqual(issuePaths((await moveTo(o.id, 'maybe')).json()), ['stage']);

    const recorded = await make(artist.id, { stage: 'won' });
    assert.ok(recorded.closedAt);
    assert.equal(recorded.probability, 100);
  });

  test('two concurrent moves of one opportunity: one wins, the other is 409', async () => {
    for (let round = 0; round < 3; round++) {
      const o = await make(artist.id, {});
      const results = await Promise.all([moveTo(o.id, 'won'), moveTo(o.id, 'lost')]);
      assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 409], results.map((r) => r.body).join('\n'));
      const winner = results.find((r) => r.statusCode === 200)!.json().stage;
      assert.equal((await api.call('GET', `/api/opportunities/${o.id}`, s.staff.accessToken)).json().stage, winner);
    }
  });

  test('the pipeline: count, value and weighted value per stage and over open stages; the list with filters', async () => {
    const a = await api.make(s.staff.accessToken);
    const owner = await signedIn(system, 'staff');
    const mk = (stage: string, valueCents: number, probability?: number) =>
      make(a.id, { stage, valueCents, ownerId: owner.id, ...(probability === undefined ? {} : { probability }) });
    await mk('discovery', 100_00, 10); // weighted 1000
    await mk('discovery', 333, 50); // weighted round(166.5) = 167
    await mk('proposal', 250_00, 30); // 7500
    await mk('negotiation', 1_000_00, 75); // 75000
    await mk('won', 500_00); // 100 % → 50000
    await mk('lost', 200_00); // 0 % → 0
    const archived = await mk('proposal', 999_99, 90);
    await api.call('POST', `/api/opportunities/${archived.id}/archive`, s.staff.accessToken);

    const res = await api.call('GET', `/api/opportunities/pipeline?ownerId=${owner.id}`, s.staff.accessToken);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), {
      stages: [
        { stage: 'discovery', count: 2, valueCents: 10333, weightedValueCents: 1167 },
        { stage: 'proposal', count: 1, valueCents: 25000, weightedValueCents: 7500 },
        { stage: 'negotiation', count: 1, valueCents: 100000, weightedValueCents: 75000 },
        { stage: 'won', count: 1, valueCents: 50000, weightedValueCents: 50000 },
        { stage: 'lost', count: 1, valueCents: 20000, weightedValueCents: 0 },
      ],
      open: { count: 4, valueCents: 135333, weightedValueCents: 83667 },
    });
    const byArtist = (await api.call('GET', `/api/opportunities/pipeline?artistId=${a.id}`, s.staff.accessToken)).json();
    assert.equal(byArtist.open.count, 4);
    const nobody = (await api.call('GET', `/api/opportunities/pipeline?ownerId=${s.artist.id}`, s.staff.accessToken)).json();
    assert.deepEqual(nobody.open, { count: 0, valueCents: 0, weightedValueCents: 0 });
    assert.equal(nobody.stages.length, 5);

    const list = async (q: string) => (await api.call('GET', `/api/opportunities?${q}`, s.staff.accessToken)).json();
    assert.equal((await list(`ownerId=${owner.id}`)).items.length, 6);
    assert.equal((await list(`ownerId=${owner.id}&stage=discovery`)).items.length, 2);
    assert.equal((await list(`ownerId=${owner.id}&open=false`)).items.length, 2);
    assert.equal((await list(`artistId=${a.id}&archived=true`)).items[0].id, archived.id);
    const page1 = await list(`ownerId=${owner.id}&limit=4`);
    const page2 = await list(`ownerId=${owner.id}&limit=4&cursor=${page1.nextCursor}`);
    assert.equal(page1.items.length, 4);
    assert.equal(page2.items.length, 2);
    assert.equal(page2.nextCursor, null);
    assert.equal(new Set([...page1.items, ...page2.items].map((o: OpportunityJson) => o.id)).size, 6);
    assert.equal((await api.call('GET', '/api/opportunities?stage=maybe', s.staff.accessToken)).statusCode, 400);
    assert.equal((await api.call('GET', `/api/artists/${a.id}/opportunities`, s.staff.accessToken)).json().items.length, 6);
  });

  test('artists, experts and sponsors get 403 and change nothing', async () => {
    const o = await make(artist.id, { title: 'Confidential' });
    const expert = await signedIn(system, 'expert');
    const sponsor = await register(system.app, 'sponsor');
    for (const token of [s.artist.accessToken, expert.accessToken, sponsor.accessToken]) {
      const results = await Promise.all([
        create(artist.id, { title: 'x', valueCents: 1 }, token),
        api.call('GET', `/api/artists/${artist.id}/opportunities`, token),
        api.call('GET', '/api/opportunities', token),
        api.call('GET', '/api/opportunities/pipeline', token),
        api.call('GET', `/api/opportunities/${o.id}`, token),
        api.call('PATCH', `/api/opportunities/${o.id}`, token, { valueCents: 1 }),
        api.call('POST', `/api/opportunities/${o.id}/stage`, token, { stage: 'won' }),
        api.call('POST', `/api/opportunities/${o.id}/archive`, token),
      ]);
      for (const res of results) assert.equal(res.statusCode, 403, res.body);
    }
    assert.deepEqual((await api.call('GET', `/api/opportunities/${o.id}`, s.staff.accessToken)).json(), o);
  });
});
