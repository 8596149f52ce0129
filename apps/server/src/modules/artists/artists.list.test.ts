import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { startTestSystem, type TestSystem } from '../../test/harness.ts';
import { artistsApi, issuePaths, sessions, type ArtistJson } from './artists.test-helpers.ts';

type Page = { items: ArtistJson[]; nextCursor: string | null };

describe('artists list: filters, search, sort, cursor pages', () => {
  let system: TestSystem;
  let api: ReturnType<typeof artistsApi>;
  let s: Awaited<ReturnType<typeof sessions>>;
  let token: string;
  const ids: string[] = [];

  before(async () => {
    system = await startTestSystem();
    api = artistsApi(system);
    s = await sessions(system);
    token = s.staff.accessToken;
    // The artist account's sign-up opened a record: archived, so the list holds exactly this file's 30.
    const own = await api.call('GET', '/api/me/artist', s.artist.accessToken);
    assert.equal((await api.archive(token, own.json<ArtistJson>().id)).statusCode, 200);
    // 30 artists in this file's own database; every fifth shares a score, so ties need the id.
    for (let i = 0; i < 30; i++) {
      const artist = await api.make(token, {
        stageName: `Walker ${String.fromCharCode(97 + (i % 26))}${i}`,
        genres: i % 3 === 0 ? ['Jazz', 'soul'] : ['rap'],
        city: i % 2 === 0 ? 'Marseille' : 'Lyon',
        bio: i === 7 ? 'Pianiste et compositrice de musique électronique' : '',
        stage: i % 4 === 0 ? 'checkup' : 'prospect',
        ...(i % 5 === 0 ? { assigneeId: s.admin.id } : {}),
      });
      ids.push(artist.id);
    }
    // Scores are the scoring module's to set; here they are written straight in, as its cache.
    await system.ctx.platform.database.db.execute(
      sql`update artists set score_total = (abs(hashtext(id::text)) % 6) * 20, tier = case when (abs(hashtext(id::text)) % 6) * 20 >= 80 then 'premium' else 'prospect' end`,
    );
  });
  after(async () => system.close());

  const list = async (query: string): Promise<Page> => {
    const res = await api.list(token, query);
    assert.equal(res.statusCode, 200, res.body);
    return res.json<Page>();
  };

  /** Every page of a listing, following nextCursor. */
  const walk = async (query: string): Promise<{ items: ArtistJson[]; pages: number }> => {
    const items: ArtistJson[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = await list(`${query}${cursor ? `&cursor=${cursor}` : ''}`);
      items.push(...page.items);
      cursor = page.nextCursor;
      pages += 1;
      assert.ok(pages < 100, 'the walk ends');
    } while (cursor);
    return { items, pages };
  };

  test('defaults: newest first, 25 a page, a cursor to the rest', async () => {
    const page = await list('');
    assert.equal(page.items.length, 25);
    assert.ok(page.nextCursor);
    for (let i = 1; i < page.items.length; i++) assert.ok(page.items[i - 1]!.createdAt >= page.items[i]!.createdAt);
    assert.equal(page.items[0]!.id, ids.at(-1));
  });

  for (const [sort, order] of [
    ['createdAt', 'asc'],
    ['createdAt', 'desc'],
    ['stageName', 'asc'],
    ['stageName', 'desc'],
    ['score', 'asc'],
    ['score', 'desc'],
  ] as const) {
    test(`sort=${sort}&order=${order}: walking pages of 7 gives every artist once, in order`, async () => {
      const { items, pages } = await walk(`sort=${sort}&order=${order}&limit=7`);
      assert.equal(pages, 5);
      assert.equal(items.length, 30);
      assert.equal(new Set(items.map((a) => a.id)).size, 30, 'no duplicates');
      assert.deepEqual(new Set(items.map((a) => a.id)), new Set(ids), 'no gaps');
      const key = (a: ArtistJson) => (sort === 'score' ? a.scoreTotal : sort === 'stageName' ? a.stageName : a.createdAt);
      for (let i = 1; i < items.length; i++) {
        const [prev, next] = [key(items[i - 1]!), key(items[i]!)];
        if (order === 'asc') assert.ok(prev <= next, `${prev} <= ${next}`);
        else assert.ok(prev >= next, `${prev} >= ${next}`);
      }
    });
  }

  test('filters: stage, tier, genre, city (any case), assignee; they combine', async () => {
    const byStage = await walk('stage=checkup&limit=100');
    assert.equal(byStage.items.length, 8);
    assert.ok(byStage.items.every((a) => a.stage === 'checkup'));

    const premium = (await list('tier=premium&limit=100')).items;
    assert.ok(premium.length > 0 && premium.every((a) => a.tier === 'premium' && a.scoreTotal >= 80));

    const jazz = (await list('genre=JAZZ&limit=100')).items;
    assert.equal(jazz.length, 10);
    assert.ok(jazz.every((a) => a.genres.includes('jazz')));

    const lyon = (await list('city=lYoN&limit=100')).items;
    assert.equal(lyon.length, 15);
    assert.ok(lyon.every((a) => a.city === 'Lyon'));

    const assigned = (await list(`assigneeId=${s.admin.id}&limit=100`)).items;
    assert.equal(assigned.length, 6);

    // i % 3 == 0 and i % 2 == 0 and i % 4 == 0: 0, 12, 24
    const combined = (await list('genre=jazz&city=marseille&stage=checkup&limit=100')).items;
    assert.deepEqual(combined.map((a) => a.stageName).sort(), ['Walker a0', 'Walker m12', 'Walker y24']);
  });

  test('q matches words of the stage name and bio by prefix, all words required, punctuation ignored', async () => {
    assert.deepEqual(
      (await list('q=pian')).items.map((a) => a.stageName),
      ['Walker h7'],
    );
    assert.deepEqual(
      (await list(`q=${encodeURIComponent('électro compos')}`)).items.map((a) => a.stageName),
      ['Walker h7'],
    );
    assert.deepEqual((await list('q=pianiste%20rap')).items, []);
    assert.equal((await walk('q=walk&limit=100')).items.length, 30);
    // tsquery syntax in the input is stripped, not run.
    assert.deepEqual(
      (await list(`q=${encodeURIComponent("pian:* | !'&(")}`)).items.map((a) => a.stageName),
      ['Walker h7'],
    );
  });

  test('a tampered, foreign or malformed cursor is 400', async () => {
    const page = await list('limit=5');
    const cursor = page.nextCursor!;
    const flipped = cursor.slice(0, -3) + (cursor.at(-3) === 'A' ? 'B' : 'A') + cursor.slice(-2);
    for (const [query, label] of [
      [`limit=5&cursor=${flipped}`, 'one character changed'],
      [`limit=5&cursor=${cursor}&sort=score`, 'made for another sort'],
      [`limit=5&cursor=${cursor}&order=asc`, 'made for another order'],
      ['limit=5&cursor=bm90LWEtY3Vyc29y', 'not ours'],
      ['limit=5&cursor=%25%25%25', 'not base64url'],
    ]) {
      const res = await api.list(token, query);
      assert.equal(res.statusCode, 400, label);
      assert.deepEqual(issuePaths(res.json()), ['cursor'], label);
    }
    assert.equal((await api.list(token, `limit=5&cursor=${cursor}`)).statusCode, 200);
  });

  test('bad query values are 400 on their field', async () => {
    for (const [query, path] of [
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['sort=followers', 'sort'],
      ['stage=famous', 'stage'],
      ['archived=maybe', 'archived'],
      ['assigneeId=me', 'assigneeId'],
      ['colour=red', 'colour'],
    ]) {
      const res = await api.list(token, query);
      assert.equal(res.statusCode, 400, query);
      assert.deepEqual(issuePaths(res.json()), [path], query);
    }
  });
});
