import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { count, eq } from 'drizzle-orm';
import { register, signInAs, startTestSystem, type TestSystem } from '../../test/harness.ts';
import { marketFitAssessments } from './scoring.tables.ts';
import { api, createArtist, signUpRecord } from './scoring.test-helpers.ts';

const FULL = {
  audienceAlignment: { demographicMatch: 60, geographicReach: 70, genreDemand: 80 },
  marketOpportunity: { trendMomentum: 50, playlistPotential: null, syncPotential: 100 },
  monetisationReadiness: { revenueStreams: null, merchReadiness: null, liveReadiness: null },
  competitivePositioning: { differentiation: 90, brandConsistency: 90, nicheStrength: 91 },
};

const everywhere = (value: number | null) => ({
  audienceAlignment: { demographicMatch: value, geographicReach: value, genreDemand: value },
  marketOpportunity: { trendMomentum: value, playlistPotential: value, syncPotential: value },
  monetisationReadiness: { revenueStreams: value, merchReadiness: value, liveReadiness: value },
  competitivePositioning: { differentiation: value, brandConsistency: value, nicheStrength: value },
});

describe('market fit', () => {
  let system: TestSystem;
  let call: ReturnType<typeof api>;
  let staff: { accessToken: string; name: string };
  before(async () => {
    system = await startTestSystem();
    call = api(system);
    staff = await signInAs(system, 'staff');
  });
  after(async () => system.close());

  const stored = async (artistId: string) => {
    const [row] = await system.ctx.platform.database.db.select({ n: count() }).from(marketFitAssessments).where(eq(marketFitAssessments.artistId, artistId));
    return row!.n;
  };

  test('an assessment is computed, stored with its inputs and assessor, and read back newest first', async () => {
    const id = await createArtist(system);
    const res = await call.postMarketFit(staff.accessToken, id, FULL);
    assert.equal(res.statusCode, 201, res.body);
    const body = res.json();
    // Worked out in packages/shared/src/scoring.test.ts.
    assert.deepEqual(body.dimensions, { audienceAlignment: 70, marketOpportunity: 75, monetisationReadiness: 0, competitivePositioning: 90 });
    assert.equal(body.overall, 59);
    assert.equal(body.category, 'market_development');
    assert.equal(body.confidence, 67);
    assert.deepEqual(body.inputs, FULL);
    assert.equal(body.assessedBy.name, staff.name);

    const second = await call.postMarketFit(staff.accessToken, id, everywhere(85));
    assert.equal(second.json().category, 'market_ready');
    assert.equal(second.json().confidence, 100);

    const read = await call.marketFit(staff.accessToken, id);
    assert.equal(read.statusCode, 200, read.body);
    assert.equal(read.json().latest.id, second.json().id);
    assert.deepEqual(
      read.json().history.map((a: { id: string }) => a.id),
      [second.json().id, body.id],
    );
    assert.deepEqual(read.json().history[1].inputs, FULL);
    assert.equal((await call.marketFit(staff.accessToken, id, '?limit=1')).json().history.length, 1);
  });

  test('bounds: every sub-score unknown is 0 with no confidence; all 100 is 100', async () => {
    const id = await createArtist(system);
    const none = (await call.postMarketFit(staff.accessToken, id, everywhere(null))).json();
    assert.deepEqual([none.overall, none.confidence, none.category], [0, 0, 'market_research']);
    const top = (await call.postMarketFit(staff.accessToken, id, everywhere(100))).json();
    assert.deepEqual([top.overall, top.confidence, top.category], [100, 100, 'market_ready']);
  });

  test('out-of-range, fractional, missing or unknown sub-scores are 400 on the field, and nothing is stored', async () => {
    const id = await createArtist(system);
    const cases: [unknown, string][] = [
      [{ ...FULL, audienceAlignment: { ...FULL.audienceAlignment, genreDemand: 101 } }, 'audienceAlignment.genreDemand'],
      [{ ...FULL, marketOpportunity: { ...FULL.marketOpportunity, trendMomentum: -1 } }, 'marketOpportunity.trendMomentum'],
      [{ ...FULL, competitivePositioning: { ...FULL.competitivePositioning, nicheStrength: 50.5 } }, 'competitivePositioning.nicheStrength'],
      [{ ...FULL, competitivePositioning: { ...FULL.competitivePositioning, nicheStrength: '50' } }, 'competitivePositioning.nicheStrength'],
      [{ ...FULL, audienceAlignment: { ...FULL.audienceAlignment, vibe: 50 } }, 'audienceAlignment.vibe'],
      [{ ...FULL, fanbase: {} }, 'fanbase'],
      [{ ...FULL, audienceAlignment: { demographicMatch: 1, geographicReach: 2 } }, 'audienceAlignment.genreDemand'],
    ];
    for (const [body, path] of cases) {
      const res = await call.postMarketFit(staff.accessToken, id, body);
      assert.equal(res.statusCode, 400, `${path}: ${res.body}`);
      assert.equal(res.json().error.details.issues[0].path, path, res.body);
    }
    const { monetisationReadiness: _left, ...missing } = FULL;
    assert.equal((await call.postMarketFit(staff.accessToken, id, missing)).statusCode, 400);
    assert.equal(await stored(id), 0);
  });

  test('only the team assesses; the artist reads their own; others get 404', async () => {
    const account = await register(system.app);
    const own = await signUpRecord(system, account.user.id);
    const other = await createArtist(system);
    await call.postMarketFit(staff.accessToken, own, FULL);
    assert.equal((await call.postMarketFit(account.accessToken, own, FULL)).statusCode, 403);
    const read = await call.marketFit(account.accessToken, own);
    assert.equal(read.statusCode, 200);
    assert.equal(read.json().history.length, 1);
    assert.equal((await call.marketFit(account.accessToken, other)).statusCode, 404);
    assert.equal((await call.postMarketFit(staff.accessToken, '00000000-0000-4000-8000-000000000000', FULL)).statusCode, 404);
    assert.equal(await stored(own), 1);
  });
});
