import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { PIPELINE_STAGES, type PipelineStage } from '@mona/shared';
import { startTestSystem, type TestSystem } from '../../test/harness.ts';
import { artistsApi, sessions, type ArtistJson } from '../artists/artists.test-helpers.ts';
import { moveRefusal } from './pipeline.service.ts';

type Move = { fromStage: string | null; toStage: string; reason: string; movedAt: string; movedBy: { id: string; name: string } | null };

test('the move rule: one stage forward, any stage back', () => {
  const allowed: [PipelineStage, PipelineStage][] = [
    ['prospect', 'checkup'],
    ['checkup', 'prescription'],
    ['execution', 'retention'],
    ['retention', 'prospect'],
    ['prescription', 'checkup'],
  ];
  for (const [from, to] of allowed) assert.equal(moveRefusal(from, to), null, `${from} → ${to}`);
  for (const [from, to] of [
    ['prospect', 'prospect'],
    ['prospect', 'prescription'],
    ['checkup', 'retention'],
  ] as [PipelineStage, PipelineStage][]) {
    assert.ok(moveRefusal(from, to), `${from} → ${to}`);
  }
});

describe('pipeline: moves, history, board', () => {
  let system: TestSystem;
  let api: ReturnType<typeof artistsApi>;
  let s: Awaited<ReturnType<typeof sessions>>;
  before(async () => {
    system = await startTestSystem();
    api = artistsApi(system);
    s = await sessions(system);
  });
  after(async () => system.close());

  test('a legal move updates the artist, records the move with its mover and an artist.stage_changed event', async () => {
    const artist = await api.make(s.staff.accessToken);
    const res = await api.move(s.staff.accessToken, artist.id, 'checkup', 'Audit booked');
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json<{ artist: ArtistJson; move: Move }>();
    assert.equal(body.artist.stage, 'checkup');
    assert.ok(body.artist.stageChangedAt > artist.stageChangedAt);
    assert.equal(body.move.fromStage, 'prospect');
    assert.equal(body.move.toStage, 'checkup');
    assert.equal(body.move.reason, 'Audit booked');
    assert.equal(body.move.movedAt, body.artist.stageChangedAt);
    assert.deepEqual(body.move.movedBy, { id: s.staff.id, name: s.staff.name });

    const [event] = await system.ctx.events.list({ name: 'artist.stage_changed', aggregateId: artist.id });
    assert.deepEqual(event?.payload, { artistId: artist.id, fromStage: 'prospect', toStage: 'checkup', movedBy: s.staff.id, reason: 'Audit booked' });
  });

  test('illegal moves are 409 naming from and to, and change nothing', async () => {
    const artist = await api.make(s.staff.accessToken, { stage: 'checkup' });
    for (const to of ['checkup', 'execution', 'retention']) {
      const res = await api.move(s.staff.accessToken, artist.id, to);
      assert.equal(res.statusCode, 409, to);
      assert.equal(res.json().error.code, 'conflict');
      assert.match(res.json().error.message, new RegExp(`from checkup to ${to}`));
    }
    const bad = await api.move(s.staff.accessToken, artist.id, 'famous');
    assert.equal(bad.statusCode, 400);

    await api.archive(s.staff.accessToken, artist.id);
    const archived = await api.move(s.staff.accessToken, artist.id, 'prescription');
    assert.equal(archived.statusCode, 409);
    assert.match(archived.json().error.message, /from checkup to prescription: the artist is archived/);

    const now = (await api.get(s.staff.accessToken, artist.id)).json<ArtistJson>();
    assert.equal(now.stage, 'checkup');
    assert.equal(now.stageChangedAt, artist.stageChangedAt);
    assert.equal((await api.history(s.staff.accessToken, artist.id)).json().moves.length, 1);
    assert.equal((await system.ctx.events.list({ name: 'artist.stage_changed', aggregateId: artist.id })).length, 1);
  });

  test('forward one by one to the end, back to any earlier stage; the history lists it newest first', async () => {
    const artist = await api.make(s.admin.accessToken);
    for (const to of PIPELINE_STAGES.slice(1)) assert.equal((await api.move(s.staff.accessToken, artist.id, to)).statusCode, 200, to);
    assert.equal((await api.move(s.admin.accessToken, artist.id, 'checkup', 'Plan to redo')).statusCode, 200);

    const res = await api.history(s.staff.accessToken, artist.id);
    assert.equal(res.statusCode, 200);
    const moves = res.json<{ moves: Move[] }>().moves;
    assert.deepEqual(
      moves.map((m) => [m.fromStage, m.toStage]),
      [
        ['retention', 'checkup'],
        ['execution', 'retention'],
        ['prescription', 'execution'],
        ['checkup', 'prescription'],
        ['prospect', 'checkup'],
        [null, 'prospect'],
      ],
    );
    assert.equal(moves[0]!.movedBy?.name, s.admin.name);
    assert.equal(moves[0]!.reason, 'Plan to redo');
    assert.equal(moves[1]!.movedBy?.name, s.staff.name);
    for (let i = 1; i < moves.length; i++) assert.ok(moves[i - 1]!.movedAt >= moves[i]!.movedAt);
    assert.equal((await system.ctx.events.list({ name: 'artist.stage_changed', aggregateId: artist.id })).length, 6);
  });

  test('two concurrent moves of one artist: exactly one 200 and one 409', async () => {
    for (let round = 0; round < 5; round++) {
      const artist = await api.make(s.staff.accessToken);
      const results = await Promise.all([api.move(s.staff.accessToken, artist.id, 'checkup'), api.move(s.admin.accessToken, artist.id, 'checkup')]);
      assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 409], results.map((r) => r.body).join('\n'));
      const moves = (await api.history(s.staff.accessToken, artist.id)).json<{ moves: Move[] }>().moves;
      assert.deepEqual(
        moves.map((m) => m.toStage),
        ['checkup', 'prospect'],
      );
      assert.equal((await system.ctx.events.list({ name: 'artist.stage_changed', aggregateId: artist.id })).length, 2);
      // The guard itself: a move from a stage the artist has left updates nothing.
      assert.equal(await system.ctx.repos.artists.moveStage(system.ctx.platform.database.db, artist.id, 'prospect', 'checkup'), undefined);
    }
  });

  test('the board: active artists per stage, most recently moved first, capped with the column total', async () => {
    const made: ArtistJson[] = [];
    for (let i = 0; i < 3; i++) made.push(await api.make(s.staff.accessToken, { stage: 'execution' }));
    const archived = await api.make(s.staff.accessToken, { stage: 'execution' });
    await api.archive(s.staff.accessToken, archived.id);

    const res = await api.call('GET', '/api/pipeline/board?perStage=2', s.staff.accessToken);
    assert.equal(res.statusCode, 200, res.body);
    const board = res.json<{ columns: { stage: string; total: number; artists: { id: string; stageName: string; stageChangedAt: string }[] }[] }>();
    assert.deepEqual(
      board.columns.map((c) => c.stage),
      [...PIPELINE_STAGES],
    );
    const execution = board.columns.find((c) => c.stage === 'execution')!;
    assert.equal(execution.total, 3);
    assert.deepEqual(
      execution.artists.map((a) => a.id),
      [made[2]!.id, made[1]!.id],
    );
    assert.deepEqual(Object.keys(execution.artists[0]!).sort(), ['assigneeId', 'id', 'scoreTotal', 'stageChangedAt', 'stageName', 'tier']);
    for (const column of board.columns) assert.ok(column.artists.length <= 2 && column.total >= column.artists.length);
    const full = (await api.call('GET', '/api/pipeline/board', s.staff.accessToken)).json<typeof board>();
    const total = full.columns.reduce((n, c) => n + c.total, 0);
    const listed = (await api.list(s.staff.accessToken, 'limit=100')).json<{ items: unknown[] }>().items.length;
    assert.equal(total, listed);
    assert.equal((await api.call('GET', '/api/pipeline/board?perStage=0', s.staff.accessToken)).statusCode, 400);
  });
});

describe('pipeline stats: a worked example', () => {
  let system: TestSystem;
  let api: ReturnType<typeof artistsApi>;
  let s: Awaited<ReturnType<typeof sessions>>;
  before(async () => {
    system = await startTestSystem();
    api = artistsApi(system);
    s = await sessions(system);
    // The artist account's sign-up opened a prospect record: archived, so the counts are this example's only.
    const own = await api.call('GET', '/api/me/artist', s.artist.accessToken);
    assert.equal((await api.archive(s.staff.accessToken, own.json<ArtistJson>().id)).statusCode, 200);
  });
  after(async () => system.close());

  test('conversion and median time in stage over [2020-01-10, 2020-01-20)', async () => {
    const at = (day: number, hour = 0) => new Date(Date.UTC(2020, 0, day, hour));
    // Each artist's moves, as history written with explicit dates (the API stamps moves with now()).
    // Their creation moves are dated today, outside the period.
    const story: Record<string, { now: PipelineStage; moves: [PipelineStage | null, PipelineStage, Date][] }> = {
      // In prospect from before the period; converts on the 12th; then on to prescription on the 15th.
      A: {
        now: 'prescription',
        moves: [
          [null, 'prospect', at(1)],
          ['prospect', 'checkup', at(12)],
          ['checkup', 'prescription', at(15)],
        ],
      },
      // Enters prospect on the 11th and stays.
      B: { now: 'prospect', moves: [[null, 'prospect', at(11)]] },
      // Left prospect before the period; in checkup through it; prescription after it.
      C: {
        now: 'prescription',
        moves: [
          [null, 'prospect', at(5)],
          ['prospect', 'checkup', at(8)],
          ['checkup', 'prescription', at(25)],
        ],
      },
      // Back and forth: counts once in each conversion.
      D: {
        now: 'checkup',
        moves: [
          [null, 'prospect', at(11)],
          ['prospect', 'checkup', at(13, 12)],
          ['checkup', 'prospect', at(14)],
          ['prospect', 'checkup', at(16)],
        ],
      },
      // Enters exactly at the end of the period, which is exclusive.
      E: { now: 'prospect', moves: [[null, 'prospect', at(20)]] },
      // Leaves prospect exactly at the start, which is inclusive: in prospect, and converted.
      F: {
        now: 'checkup',
        moves: [
          [null, 'prospect', at(2)],
          ['prospect', 'checkup', at(10)],
        ],
      },
    };
    const { db } = system.ctx.platform.database;
    for (const [name, { now, moves }] of Object.entries(story)) {
      const artist = await api.make(s.staff.accessToken, { stageName: `Stats ${name}`, stage: now });
      for (const [fromStage, toStage, movedAt] of moves) {
        await system.ctx.repos.pipeline.insertMove(db, { artistId: artist.id, fromStage, toStage, movedBy: s.staff.id, movedAt });
      }
    }
    // G: entered execution on the 3rd and never moved, dated consistently (entry move and stageChangedAt):
    // in execution through the whole period although none of its moves falls in it.
    const g = await api.make(s.staff.accessToken, { stageName: 'Stats G', stage: 'execution' });
    await db.execute(sql`update pipeline_moves set moved_at = ${at(3).toISOString()}::timestamptz where artist_id = ${g.id}`);
    await db.execute(sql`update artists set stage_changed_at = ${at(3).toISOString()}::timestamptz where id = ${g.id}`);
    const archived = await api.make(s.staff.accessToken, { stage: 'retention' });
    await api.archive(s.staff.accessToken, archived.id);

    const res = await api.call('GET', '/api/pipeline/stats?from=2020-01-10T00:00:00Z&to=2020-01-20T00:00:00Z', s.staff.accessToken);
    assert.equal(res.statusCode, 200, res.body);
    const stats = res.json();
    assert.equal(stats.from, '2020-01-10T00:00:00.000Z');
    assert.equal(stats.to, '2020-01-20T00:00:00.000Z');
    // Now, active artists only: B, E in prospect; D, F in checkup; A, C in prescription; G in execution.
    assert.deepEqual(stats.counts, [
      { stage: 'prospect', count: 2 },
      { stage: 'checkup', count: 2 },
      { stage: 'prescription', count: 2 },
      { stage: 'execution', count: 1 },
      { stage: 'retention', count: 0 },
    ]);
    // prospect → checkup: A (12th), D (13th and 16th, once), F (10th) = 3
    //   over those in prospect during the period: A, B, D, F = 4 (C left on the 8th, E came on the 20th).
    // checkup → prescription: A (15th) = 1 over A, C, D, F = 4.
    // prescription → execution: 0 over A (from the 15th) = 1.
    // execution → retention: 0 over G = 1.
    assert.deepEqual(stats.conversions, [
      { fromStage: 'prospect', toStage: 'checkup', inStage: 4, converted: 3, rate: 0.75 },
      { fromStage: 'checkup', toStage: 'prescription', inStage: 4, converted: 1, rate: 0.25 },
      { fromStage: 'prescription', toStage: 'execution', inStage: 1, converted: 0, rate: 0 },
      { fromStage: 'execution', toStage: 'retention', inStage: 1, converted: 0, rate: 0 },
    ]);
    // Completed stays with both moves in the period:
    //   prospect: D 11th → 13th 12:00 = 60 h, D 14th → 16th = 48 h → median 54
    //   checkup: A 12th → 15th = 72 h, D 13th 12:00 → 14th = 12 h, F 10th → (none: still open) → median 42
    //   A's prospect stay began on the 1st and C's checkup ends on the 25th: left out.
    assert.deepEqual(stats.timeInStage, [
      { stage: 'prospect', medianHours: 54, samples: 2 },
      { stage: 'checkup', medianHours: 42, samples: 2 },
      { stage: 'prescription', medianHours: null, samples: 0 },
      { stage: 'execution', medianHours: null, samples: 0 },
      { stage: 'retention', medianHours: null, samples: 0 },
    ]);

    // The default period is the last 90 days: only today's creation moves, no conversion.
    const recent = (await api.call('GET', '/api/pipeline/stats', s.staff.accessToken)).json();
    assert.equal(Date.parse(recent.to) - Date.parse(recent.from), 90 * 86_400_000);
    assert.equal(recent.conversions[0].converted, 0);
    assert.equal(recent.conversions[0].inStage, 3, 'B and E were created in prospect today, and so was the sign-up record of the artist account');

    const reversed = await api.call('GET', '/api/pipeline/stats?from=2020-01-20T00:00:00Z&to=2020-01-10T00:00:00Z', s.staff.accessToken);
    assert.equal(reversed.statusCode, 400);
    assert.equal((await api.call('GET', '/api/pipeline/stats', s.artist.accessToken)).statusCode, 403);
  });
});
