import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TASK_STATUSES } from '@mona/shared';
import { register, startTestSystem, type TestSystem } from '../../test/harness.ts';
import { artistsApi, issuePaths, sessions, signedIn } from '../artists/artists.test-helpers.ts';
import { positionBetween } from './tasks.service.ts';

interface TaskJson {
  id: string;
  title: string;
  status: string;
  priority: string;
  position: number;
  assigneeId: string | null;
  dueAt: string | null;
  tags: string[];
  artistId: string | null;
  artistName: string | null;
  assigneeName: string | null;
  updatedAt: string;
  completedAt: string | null;
  archivedAt: string | null;
}
type Board = { columns: { status: string; total: number; tasks: TaskJson[] }[] };

test('positionBetween: midpoint, one step past a lone neighbour, null when there is no room', () => {
  assert.equal(positionBetween(null, null), 1024);
  assert.equal(positionBetween(2048, null), 3072);
  assert.equal(positionBetween(null, 1024), 0);
  assert.equal(positionBetween(1024, 2048), 1536);
  assert.equal(positionBetween(1, 1 + Number.EPSILON), null);
  assert.equal(positionBetween(5, 5), null);
  assert.equal(positionBetween(6, 5), null);
});

describe('tasks', () => {
  let system: TestSystem;
  let api: ReturnType<typeof artistsApi>;
  let s: Awaited<ReturnType<typeof sessions>>;
  let tagN = 0;
  const uniqueTag = () => `t${++tagN}-${Math.random().toString(36).slice(2, 7)}`;
  before(async () => {
    system = await startTestSystem();
    api = artistsApi(system);
    s = await sessions(system);
  });
  after(async () => system.close());

  const make = async (body: Record<string, unknown>, token = s.staff.accessToken): Promise<TaskJson> => {
    const res = await api.call('POST', '/api/tasks', token, { title: 'A task', ...body });
    assert.equal(res.statusCode, 201, res.body);
    return res.json<TaskJson>();
  };
  const board = async (query: string): Promise<Board> => {
    const res = await api.call('GET', `/api/tasks/board?${query}`, s.staff.accessToken);
    assert.equal(res.statusCode, 200, res.body);
    return res.json<Board>();
  };
  const column = async (tag: string, status = 'todo') => (await board(`tag=${tag}`)).columns.find((c) => c.status === status)!.tasks;
  const move = (id: string, body: Record<string, unknown>, token = s.staff.accessToken) => api.call('POST', `/api/tasks/${id}/move`, token, body);

  test('create, read, change and archive a task; fields are validated by name', async () => {
    const artist = await api.make(s.staff.accessToken);
    const task = await make({
      title: '  Call the label ',
      priority: 'high',
      assigneeId: s.admin.id,
      dueAt: '2030-05-01T10:00:00+02:00',
      tags: ['Press', 'press', 'radio'],
      artistId: artist.id,
    });
    assert.equal(task.title, 'Call the label');
    assert.equal(task.status, 'todo');
    assert.equal(task.priority, 'high');
    assert.equal(task.dueAt, '2030-05-01T08:00:00.000Z');
    assert.deepEqual(task.tags, ['press', 'radio']);
    assert.equal(task.artistId, artist.id);
    assert.equal(task.completedAt, null);

    const patched = await api.call('PATCH', `/api/tasks/${task.id}`, s.admin.accessToken, { title: 'Call the label back', dueAt: null, assigneeId: null });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json().title, 'Call the label back');
    assert.equal(patched.json().dueAt, null);
    assert.equal(patched.json().assigneeId, null);
    assert.equal(patched.json().priority, 'high');
    assert.equal((await api.call('GET', `/api/tasks/${task.id}`, s.staff.accessToken)).json().title, 'Call the label back');

    const bad: [Record<string, unknown>, string][] = [
      [{ title: '' }, 'title'],
      [{ title: 'x', priority: 'asap' }, 'priority'],
      [{ title: 'x', dueAt: 'tomorrow' }, 'dueAt'],
      [{ title: 'x', assigneeId: s.artist.id }, 'assigneeId'],
      [{ title: 'x', artistId: '00000000-0000-4000-8000-000000000000' }, 'artistId'],
      [{ title: 'x', status: 'someday' }, 'status'],
    ];
    for (const [body, field] of bad) {
      const res = await api.call('POST', '/api/tasks', s.staff.accessToken, body);
      assert.equal(res.statusCode, 400, `${field}: ${res.body}`);
      assert.ok(issuePaths(res.json()).includes(field), `${field}: ${res.body}`);
    }
    assert.equal((await api.call('PATCH', `/api/tasks/${task.id}`, s.staff.accessToken, { status: 'done' })).statusCode, 400, 'status only through move');

    const archivedArtist = await api.make(s.staff.accessToken);
    await api.archive(s.staff.accessToken, archivedArtist.id);
    const refused = await api.call('POST', '/api/tasks', s.staff.accessToken, { title: 'x', artistId: archivedArtist.id });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.json().error.message, /archived/);

    const missing = '00000000-0000-4000-8000-000000000001';
    assert.equal((await api.call('GET', `/api/tasks/${missing}`, s.staff.accessToken)).statusCode, 404);
    assert.equal((await api.call('PATCH', `/api/tasks/${missing}`, s.staff.accessToken, { title: 'y' })).statusCode, 404);
    assert.equal((await move(missing, { status: 'done' })).statusCode, 404);
    assert.equal((await api.call('POST', `/api/tasks/${missing}/archive`, s.staff.accessToken)).statusCode, 404);

    const archived = await api.call('POST', `/api/tasks/${task.id}/archive`, s.staff.accessToken);
    assert.equal(archived.statusCode, 200);
    assert.ok(archived.json().archivedAt);
    assert.equal((await api.call('PATCH', `/api/tasks/${task.id}`, s.staff.accessToken, { title: 'z' })).statusCode, 409);
    assert.equal((await move(task.id, { status: 'done' })).statusCode, 409);
    const tasksOfArtist = (await api.call('GET', `/api/artists/${artist.id}/tasks`, s.staff.accessToken)).json().items;
    assert.equal(tasksOfArtist.length, 0, 'an archived task is off the artist page');
    const listed = (await api.call('GET', `/api/tasks?artistId=${artist.id}&archived=true`, s.staff.accessToken)).json().items;
    assert.deepEqual(
      listed.map((t: TaskJson) => t.id),
      [task.id],
    );
  });

  test('the board: columns in order, cards by position, filters', async () => {
    const tag = uniqueTag();
    const artist = await api.make(s.staff.accessToken);
    const a = await make({ title: 'A', tags: [tag], assigneeId: s.staff.id, priority: 'urgent', dueAt: '2030-01-01T00:00:00Z', artistId: artist.id });
    const b = await make({ title: 'B', tags: [tag], assigneeId: s.admin.id, dueAt: '2030-03-01T00:00:00Z' });
    const c = await make({ title: 'C', tags: [tag], status: 'review' });
    const d = await make({ title: 'D', tags: [tag], status: 'done' });
    const gone = await make({ title: 'E', tags: [tag] });
    await api.call('POST', `/api/tasks/${gone.id}/archive`, s.staff.accessToken);
    await make({ title: 'other tag' });

    const full = await board(`tag=${tag}`);
    assert.deepEqual(
      full.columns.map((col) => col.status),
      [...TASK_STATUSES],
    );
    const ids = (bd: Board) => Object.fromEntries(bd.columns.map((col) => [col.status, col.tasks.map((t) => t.title)]));
    assert.deepEqual(ids(full), { todo: ['A', 'B'], in_progress: [], review: ['C'], done: ['D'] });
    assert.deepEqual(
      full.columns.map((col) => col.total),
      [2, 0, 1, 1],
    );
    assert.ok(a.position < b.position, 'a new task goes to the bottom');
    assert.ok(d.completedAt, 'created in done: completed');
    assert.equal(c.completedAt, null);

    assert.deepEqual(ids(await board(`tag=${tag}&assigneeId=${s.admin.id}`)).todo, ['B']);
    assert.deepEqual(ids(await board(`tag=${tag}&artistId=${artist.id}`)).todo, ['A']);
    assert.deepEqual(ids(await board(`tag=${tag}&priority=urgent`)).todo, ['A']);
    assert.deepEqual(ids(await board(`tag=${tag}&dueBefore=2030-02-01T00:00:00Z`)).todo, ['A']);
    const mine = await api.call('GET', `/api/tasks/board?tag=${tag}&mine=true`, s.admin.accessToken);
    assert.deepEqual(ids(mine.json<Board>()).todo, ['B']);
    const capped = await board(`tag=${tag}&perColumn=1`);
    assert.equal(capped.columns[0]!.tasks.length, 1);
    assert.equal(capped.columns[0]!.total, 2);
    const contradiction = await api.call('GET', `/api/tasks/board?mine=true&assigneeId=${s.staff.id}`, s.admin.accessToken);
    assert.equal(contradiction.statusCode, 400);
    assert.deepEqual(issuePaths(contradiction.json()), ['mine']);

    // The list: soonest due first, undated last, paged.
    const first = (await api.call('GET', `/api/tasks?tag=${tag}&limit=2`, s.staff.accessToken)).json();
    assert.deepEqual(
      first.items.map((t: TaskJson) => t.title),
      ['A', 'B'],
    );
    assert.ok(first.nextCursor);
    const second = (await api.call('GET', `/api/tasks?tag=${tag}&limit=2&cursor=${first.nextCursor}`, s.staff.accessToken)).json();
    assert.deepEqual(second.items.map((t: TaskJson) => t.title).sort(), ['C', 'D']);
    assert.equal(second.nextCursor, null);
    assert.equal((await api.call('GET', `/api/tasks?cursor=garbage!`, s.staff.accessToken)).statusCode, 400);
    assert.deepEqual(
      (await api.call('GET', `/api/tasks?tag=${tag}&status=review`, s.staff.accessToken)).json().items.map((t: TaskJson) => t.title),
      ['C'],
    );

    const artistTasks = await api.call('GET', `/api/artists/${artist.id}/tasks`, s.staff.accessToken);
    assert.deepEqual(
      artistTasks.json().items.map((t: TaskJson) => t.id),
      [a.id],
    );
    assert.equal((await api.call('GET', `/api/artists/00000000-0000-4000-8000-000000000000/tasks`, s.staff.accessToken)).statusCode, 404);
  });

  test("cards carry the artist's stage name and the assignee's name, on every read", async () => {
    const tag = uniqueTag();
    const artist = await api.make(s.staff.accessToken);
    const staffName = (await api.call('GET', '/api/auth/me', s.staff.accessToken)).json<{ user: { name: string } }>().user.name;
    const linked = await make({ title: 'Linked', tags: [tag], artistId: artist.id, assigneeId: s.staff.id });
    const bare = await make({ title: 'Bare', tags: [tag] });
    assert.equal(linked.artistName, artist.stageName, 'on create');
    assert.equal(linked.assigneeName, staffName);
    assert.equal(bare.artistName, null);
    assert.equal(bare.assigneeName, null);

    const cards = await column(tag);
    const byId = new Map(cards.map((t) => [t.id, t]));
    assert.equal(byId.get(linked.id)!.artistName, artist.stageName, 'on the board');
    assert.equal(byId.get(linked.id)!.assigneeName, staffName);
    assert.equal(byId.get(bare.id)!.artistName, null);

    const listed = (await api.call('GET', `/api/tasks?tag=${tag}`, s.staff.accessToken)).json<{ items: TaskJson[] }>().items;
    assert.equal(listed.find((t) => t.id === linked.id)!.artistName, artist.stageName, 'in the list');
    const ofArtist = (await api.call('GET', `/api/artists/${artist.id}/tasks`, s.staff.accessToken)).json<{ items: TaskJson[] }>().items;
    assert.equal(ofArtist[0]!.assigneeName, staffName, "on the artist's tasks");

    // Reassigning or moving answers with the new names.
    const patched = await api.call('PATCH', `/api/tasks/${linked.id}`, s.staff.accessToken, { assigneeId: s.admin.id, artistId: null });
    assert.equal(patched.statusCode, 200, patched.body);
    const adminName = (await api.call('GET', '/api/auth/me', s.admin.accessToken)).json<{ user: { name: string } }>().user.name;
    assert.equal(patched.json<TaskJson>().assigneeName, adminName);
    assert.equal(patched.json<TaskJson>().artistName, null);
    const moved = await move(linked.id, { status: 'review' });
    assert.equal(moved.json<TaskJson>().assigneeName, adminName, 'after a move');
    const read = await api.call('GET', `/api/tasks/${linked.id}`, s.staff.accessToken);
    assert.equal(read.json<TaskJson>().assigneeName, adminName, 'on a single read');
  });

  test('a drop between two cards writes only the moved row; done sets completedAt, leaving done clears it', async () => {
    const tag = uniqueTag();
    const [a, b, c] = [await make({ title: 'A', tags: [tag] }), await make({ title: 'B', tags: [tag] }), await make({ title: 'C', tags: [tag] })];
    const x = await make({ title: 'X', tags: [tag], status: 'in_progress' });
    const before = await column(tag);

    const res = await move(x.id, { status: 'todo', afterId: a.id, beforeId: b.id });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().status, 'todo');
    assert.ok(res.json().position > a.position && res.json().position < b.position);
    const after = await column(tag);
    assert.deepEqual(
      after.map((t) => t.title),
      ['A', 'X', 'B', 'C'],
    );
    for (const card of before) {
      const now = after.find((t) => t.id === card.id)!;
      assert.equal(now.position, card.position, `${card.title} kept its position`);
      assert.equal(now.updatedAt, card.updatedAt, `${card.title} was not written`);
    }

    // afterId alone: just below it; beforeId alone: just above it; nothing: the bottom.
    await move(c.id, { status: 'todo', afterId: a.id });
    assert.deepEqual(
      (await column(tag)).map((t) => t.title),
      ['A', 'C', 'X', 'B'],
    );
    await move(a.id, { status: 'todo', beforeId: b.id });
    assert.deepEqual(
      (await column(tag)).map((t) => t.title),
      ['C', 'X', 'A', 'B'],
    );
    await move(c.id, { status: 'todo' });
    assert.deepEqual(
      (await column(tag)).map((t) => t.title),
      ['X', 'A', 'B', 'C'],
    );

    const done = await move(b.id, { status: 'done' });
    assert.equal(done.statusCode, 200);
    const completedAt = done.json().completedAt as string;
    assert.ok(completedAt);
    const stillDone = await move(b.id, { status: 'done', position: -5 });
    assert.equal(stillDone.json().completedAt, completedAt, 'a move within done keeps the completion date');
    assert.equal(stillDone.json().position, -5);
    const reopened = await move(b.id, { status: 'review' });
    assert.equal(reopened.json().completedAt, null);

    // A neighbour from another column (a stale board) is 409; an unknown one is 400 on its field.
    const stale = await move(a.id, { status: 'todo', afterId: b.id });
    assert.equal(stale.statusCode, 409);
    assert.deepEqual(issuePaths(stale.json()), ['afterId']);
    const unknown = await move(a.id, { status: 'todo', beforeId: '00000000-0000-4000-8000-000000000000' });
    assert.equal(unknown.statusCode, 400);
    assert.deepEqual(issuePaths(unknown.json()), ['beforeId']);
    assert.deepEqual(issuePaths((await move(a.id, { status: 'todo', afterId: a.id })).json()), ['afterId']);
    assert.deepEqual(issuePaths((await move(a.id, { status: 'todo', afterId: x.id, position: 3 })).json()), ['position']);
    assert.deepEqual(issuePaths((await move(a.id, { status: 'later' })).json()), ['status']);
  });

  test('two concurrent drops into the same slot both land, in a consistent order with distinct positions', async () => {
    for (let round = 0; round < 3; round++) {
      const tag = uniqueTag();
      const top = await make({ title: 'top', tags: [tag] });
      const bottom = await make({ title: 'bottom', tags: [tag] });
      const p = await make({ title: 'P', tags: [tag], status: 'review' });
      const q = await make({ title: 'Q', tags: [tag], status: 'in_progress' });
      const results = await Promise.all([
        move(p.id, { status: 'todo', afterId: top.id }),
        move(q.id, { status: 'todo', afterId: top.id, beforeId: bottom.id }),
      ]);
      assert.deepEqual(
        results.map((r) => r.statusCode),
        [200, 200],
        results.map((r) => r.body).join('\n'),
      );
      const cards = await column(tag);
      assert.equal(cards.length, 4);
      assert.equal(cards[0]!.title, 'top');
      assert.equal(cards[3]!.title, 'bottom');
      assert.deepEqual(
        cards
          .slice(1, 3)
          .map((t) => t.title)
          .sort(),
        ['P', 'Q'],
      );
      const positions = cards.map((t) => t.position);
      assert.equal(new Set(positions).size, 4, `distinct positions: ${positions.join(', ')}`);
      for (let i = 1; i < positions.length; i++) assert.ok(positions[i - 1]! < positions[i]!, `ascending: ${positions.join(', ')}`);
    }
    // Two concurrent moves of one card to different columns: it ends in exactly one, completedAt matching it.
    const tag = uniqueTag();
    const card = await make({ title: 'R', tags: [tag] });
    await Promise.all([move(card.id, { status: 'done' }), move(card.id, { status: 'review' })]);
    const bd = await board(`tag=${tag}`);
    const holding = bd.columns.filter((col) => col.tasks.some((t) => t.id === card.id));
    assert.equal(holding.length, 1);
    const final = holding[0]!.tasks[0]!;
    assert.equal(final.completedAt !== null, holding[0]!.status === 'done');
  });

  test('when two neighbours leave no room, the column is renumbered and the order kept', async () => {
    const tag = uniqueTag();
    const status = 'in_progress';
    const a = await make({ title: 'A', tags: [tag], status });
    const b = await make({ title: 'B', tags: [tag], status });
    const x = await make({ title: 'X', tags: [tag] });
    // Squeeze A and B together, as after very many drops between them.
    await move(a.id, { status, position: 1 });
    await move(b.id, { status, position: 1 + Number.EPSILON });
    const res = await move(x.id, { status, afterId: a.id, beforeId: b.id });
    assert.equal(res.statusCode, 200, res.body);
    const cards = await column(tag, status);
    assert.deepEqual(
      cards.map((t) => t.title),
      ['A', 'X', 'B'],
    );
    assert.ok(cards[1]!.position - cards[0]!.position > 1, 'room again after renumbering');
  });

  test('artists, experts and sponsors get 403 and change nothing', async () => {
    const tag = uniqueTag();
    const task = await make({ title: 'Internal', tags: [tag] });
    const expert = await signedIn(system, 'expert');
    const sponsor = await register(system.app, 'sponsor');
    const artist = await api.make(s.staff.accessToken);
    for (const token of [s.artist.accessToken, expert.accessToken, sponsor.accessToken]) {
      const calls = [
        api.call('POST', '/api/tasks', token, { title: 'x', tags: [tag] }),
        api.call('GET', '/api/tasks', token),
        api.call('GET', '/api/tasks/board', token),
        api.call('GET', `/api/tasks/${task.id}`, token),
        api.call('PATCH', `/api/tasks/${task.id}`, token, { title: 'hacked' }),
        move(task.id, { status: 'done' }, token),
        api.call('POST', `/api/tasks/${task.id}/archive`, token),
        api.call('GET', `/api/artists/${artist.id}/tasks`, token),
      ];
      for (const res of await Promise.all(calls)) assert.equal(res.statusCode, 403, res.body);
    }
    const now = (await api.call('GET', `/api/tasks/${task.id}`, s.staff.accessToken)).json<TaskJson>();
    assert.deepEqual(now, task);
    assert.equal((await column(tag)).length, 1);
    // Services check the role too, not only the routes.
    await assert.rejects(system.ctx.services.tasks.create({ id: s.artist.id, role: 'artist' }, { title: 'x' }), { status: 403 });
  });
});
