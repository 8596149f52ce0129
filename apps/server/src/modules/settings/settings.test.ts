import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_SCORING } from '@mona/shared';
import { bearer, register, signInAs, startTestSystem, type TestSystem } from '../../test/harness.ts';

describe('settings', () => {
  let system: TestSystem;
  let admin: string;
  let staff: string;
  let artist: string;
  before(async () => {
    system = await startTestSystem();
    admin = (await signInAs(system, 'admin')).accessToken;
    staff = (await signInAs(system, 'staff')).accessToken;
    artist = (await register(system.app)).accessToken;
  });
  after(async () => system.close());

  const put = (token: string, value: unknown) => system.app.inject({ method: 'PUT', url: '/api/settings/scoring', headers: bearer(token), payload: { value } });

  test('the team reads every setting with its default; others cannot', async () => {
    const res = await system.app.inject({ method: 'GET', url: '/api/settings', headers: bearer(staff) });
    assert.equal(res.statusCode, 200);
    const scoring = res.json().settings.find((s: { key: string }) => s.key === 'scoring');
    assert.equal(scoring.isDefault, true);
    assert.deepEqual(scoring.value, DEFAULT_SCORING);
    assert.equal((await system.app.inject({ method: 'GET', url: '/api/settings', headers: bearer(artist) })).statusCode, 403);
  });

  test('an admin changes the tier thresholds; the service reads them back', async () => {
    const value = { ...DEFAULT_SCORING, tierThresholds: { starter: 30, coprod: 50, premium: 70, spark_ready: 90 } };
    const res = await put(admin, value);
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().isDefault, false);
    assert.deepEqual(await system.ctx.services.settings.get('scoring'), value);
    // Every artist is re-rated with the new rules, in the background.
    const waiting = await system.ctx.queue.list('waiting', 50);
    assert.ok(waiting.some((j) => j.name === 'scoring.recompute-all'));
  });

  test('thresholds out of order, a wrong type or an unknown field are 400 on the field, and nothing changes', async () => {
    const before = await system.ctx.services.settings.get('scoring');
    const disorder = await put(admin, { ...DEFAULT_SCORING, tierThresholds: { starter: 60, coprod: 50, premium: 70, spark_ready: 90 } });
    assert.equal(disorder.statusCode, 400);
    assert.equal(disorder.json().error.details.issues[0].path, 'value.tierThresholds');
    const wrongType = await put(admin, { ...DEFAULT_SCORING, bonusPoints: 'five' });
    assert.equal(wrongType.statusCode, 400);
    assert.equal(wrongType.json().error.details.issues[0].path, 'value.bonusPoints');
    assert.equal((await put(admin, { ...DEFAULT_SCORING, extra: 1 })).statusCode, 400);
    assert.equal((await system.app.inject({ method: 'PUT', url: '/api/settings/unknown', headers: bearer(admin), payload: { value: 1 } })).statusCode, 400);
    assert.deepEqual(await system.ctx.services.settings.get('scoring'), before);
  });

  test('staff cannot change settings', async () => {
    assert.equal((await put(staff, DEFAULT_SCORING)).statusCode, 403);
  });
});
