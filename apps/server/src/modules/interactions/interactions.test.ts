import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { register, startTestSystem, type TestSystem } from '../../test/harness.ts';
import { artistsApi, issuePaths, sessions, signedIn, type ArtistJson } from '../artists/artists.test-helpers.ts';

interface InteractionJson {
  id: string;
  artistId: string;
  kind: string;
  occurredAt: string;
  summary: string;
  outcome: string;
  nextAction: string | null;
  nextActionDueAt: string | null;
  assigneeId: string | null;
  taskId: string | null;
  task: { id: string; status: string; dueAt: string | null; completedAt: string | null; archivedAt: string | null } | null;
  archivedAt: string | null;
}
interface TaskJson {
  id: string;
  title: string;
  status: string;
  assigneeId: string | null;
  dueAt: string | null;
  tags: string[];
  artistId: string | null;
  interactionId: string | null;
  archivedAt: string | null;
  updatedAt: string;
}

describe('interactions', () => {
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

  const record = (artistId: string, body: Record<string, unknown>, token = s.staff.accessToken) =>
    api.call('POST', `/api/artists/${artistId}/interactions`, token, body);
  const make = async (artistId: string, body: Record<string, unknown>): Promise<InteractionJson> => {
    const res = await record(artistId, { kind: 'call', summary: 'Talked', ...body });
    assert.equal(res.statusCode, 201, res.body);
    return res.json<InteractionJson>();
  };
  const patch = (id: string, body: Record<string, unknown>) => api.call('PATCH', `/api/interactions/${id}`, s.staff.accessToken, body);
  const task = async (id: string): Promise<TaskJson> => (await api.call('GET', `/api/tasks/${id}`, s.staff.accessToken)).json<TaskJson>();
  const tasksOf = async (interactionId: string) => system.ctx.repos.tasks.byInteraction(interactionId);

  test('a next action with a due date creates a follow-up task in the same transaction; without a date, none', async () => {
    const created = await make(artist.id, {
      kind: 'meeting',
      occurredAt: '2030-01-10T09:00:00Z',
      summary: 'Studio visit',
      outcome: 'Keen on the 390 offer',
      nextAction: 'Send the 390 proposal',
      nextActionDueAt: '2030-01-15T17:00:00Z',
      assigneeId: s.admin.id,
    });
    assert.equal(created.kind, 'meeting');
    assert.equal(created.occurredAt, '2030-01-10T09:00:00.000Z');
    assert.equal(created.outcome, 'Keen on the 390 offer');
    assert.ok(created.taskId);
    assert.equal(created.task?.id, created.taskId);
    assert.equal(created.task?.status, 'todo');
    const t = await task(created.taskId);
    assert.equal(t.title, 'Send the 390 proposal');
    assert.equal(t.dueAt, '2030-01-15T17:00:00.000Z');
    assert.equal(t.assigneeId, s.admin.id);
    assert.equal(t.artistId, artist.id);
    assert.equal(t.interactionId, created.id);
    assert.deepEqual(t.tags, ['follow-up']);

    const undated = await make(artist.id, { nextAction: 'Think about it' });
    assert.equal(undated.taskId, null);
    assert.equal(undated.task, null);
    assert.equal((await tasksOf(undated.id)).length, 0);
    assert.ok(Date.now() - Date.parse(undated.occurredAt) < 60_000, 'occurredAt defaults to now');
  });

  test('invalid input is 400 on its field; unknown artist 404; archived artist 409; nothing is written', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ kind: 'fax', summary: 'x' }, 'kind'],
      [{ kind: 'call', summary: '' }, 'summary'],
      [{ kind: 'call', summary: 'x', nextActionDueAt: '2030-01-01T00:00:00Z' }, 'nextActionDueAt'],
      [{ kind: 'call', summary: 'x', nextAction: 'Do', nextActionDueAt: 'soon' }, 'nextActionDueAt'],
      [{ kind: 'call', summary: 'x', nextAction: 'Do', nextActionDueAt: '2030-01-01T00:00:00Z', assigneeId: s.artist.id }, 'assigneeId'],
      [{ kind: 'call', summary: 'x', assigneeId: '00000000-0000-4000-8000-000000000000' }, 'assigneeId'],
    ];
    const fresh = await api.make(s.staff.accessToken);
    for (const [body, field] of cases) {
      const res = await record(fresh.id, body);
      assert.equal(res.statusCode, 400, `${field}: ${res.body}`);
      assert.ok(issuePaths(res.json()).includes(field), `${field}: ${res.body}`);
    }
    assert.equal((await api.call('GET', `/api/artists/${fresh.id}/interactions`, s.staff.accessToken)).json().items.length, 0);
    assert.equal((await api.call('GET', `/api/tasks?artistId=${fresh.id}&archived=all`, s.staff.accessToken)).json().items.length, 0);

    assert.equal((await record('00000000-0000-4000-8000-000000000000', { kind: 'call', summary: 'x' })).statusCode, 404);
    assert.equal((await api.call('GET', '/api/artists/00000000-0000-4000-8000-000000000000/interactions', s.staff.accessToken)).statusCode, 404);
    assert.equal((await api.call('GET', '/api/interactions/00000000-0000-4000-8000-000000000000', s.staff.accessToken)).statusCode, 404);
    assert.equal((await patch('00000000-0000-4000-8000-000000000000', { summary: 'y' })).statusCode, 404);

    await api.archive(s.staff.accessToken, fresh.id);
    const archived = await record(fresh.id, { kind: 'call', summary: 'x', nextAction: 'Do', nextActionDueAt: '2030-01-01T00:00:00Z' });
    assert.equal(archived.statusCode, 409);
    assert.match(archived.json().error.message, /archived/);
    assert.equal((await api.call('GET', `/api/tasks?artistId=${fresh.id}&archived=all`, s.staff.accessToken)).json().items.length, 0);
    assert.equal((await api.call('GET', `/api/artists/${fresh.id}/interactions`, s.staff.accessToken)).statusCode, 200, 'still readable');
  });

  test('the timeline: newest first, paged by cursor, with the follow-up task status as it is now', async () => {
    const a = await api.make(s.staff.accessToken);
    const days = [3, 1, 5, 2, 4];
    const made: InteractionJson[] = [];
    for (const day of days) {
      made.push(
        await make(a.id, {
          summary: `Day ${day}`,
          occurredAt: `2029-06-0${day}T10:00:00Z`,
          ...(day === 5 ? { nextAction: 'Follow up', nextActionDueAt: '2029-06-20T10:00:00Z' } : {}),
        }),
      );
    }
    const followUp = made[2]!;
    await api.call('POST', `/api/tasks/${followUp.taskId}/move`, s.staff.accessToken, { status: 'in_progress' });

    const first = (await api.call('GET', `/api/artists/${a.id}/interactions?limit=2`, s.staff.accessToken)).json();
    assert.deepEqual(
      first.items.map((i: InteractionJson) => i.summary),
      ['Day 5', 'Day 4'],
    );
    assert.equal(first.items[0].task.status, 'in_progress');
    const second = (await api.call('GET', `/api/artists/${a.id}/interactions?limit=2&cursor=${first.nextCursor}`, s.staff.accessToken)).json();
    assert.deepEqual(
      second.items.map((i: InteractionJson) => i.summary),
      ['Day 3', 'Day 2'],
    );
    const third = (await api.call('GET', `/api/artists/${a.id}/interactions?limit=2&cursor=${second.nextCursor}`, s.staff.accessToken)).json();
    assert.deepEqual(
      third.items.map((i: InteractionJson) => i.summary),
      ['Day 1'],
    );
    assert.equal(third.nextCursor, null);
    const bad = await api.call('GET', `/api/artists/${a.id}/interactions?cursor=eyJrIjoxfQ`, s.staff.accessToken);
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(issuePaths(bad.json()), ['cursor']);

    const archived = await api.call('POST', `/api/interactions/${made[1]!.id}/archive`, s.staff.accessToken);
    assert.equal(archived.statusCode, 200);
    const all = (await api.call('GET', `/api/artists/${a.id}/interactions`, s.staff.accessToken)).json();
    assert.deepEqual(
      all.items.map((i: InteractionJson) => i.summary),
      ['Day 5', 'Day 4', 'Day 3', 'Day 2'],
    );
    const onlyArchived = (await api.call('GET', `/api/artists/${a.id}/interactions?archived=true`, s.staff.accessToken)).json();
    assert.deepEqual(
      onlyArchived.items.map((i: InteractionJson) => i.summary),
      ['Day 1'],
    );
  });

  test('editing the next action, due date or assignee updates the open task; clearing it archives the task', async () => {
    const i = await make(artist.id, { nextAction: 'Send contract', nextActionDueAt: '2030-02-01T10:00:00Z', assigneeId: s.staff.id });
    const taskId = i.taskId!;

    const edited = await patch(i.id, {
      nextAction: 'Send signed contract',
      nextActionDueAt: '2030-02-03T10:00:00Z',
      assigneeId: s.admin.id,
      outcome: 'Agreed',
    });
    assert.equal(edited.statusCode, 200, edited.body);
    assert.equal(edited.json().taskId, taskId, 'the same task');
    assert.equal(edited.json().outcome, 'Agreed');
    const t = await task(taskId);
    assert.equal(t.title, 'Send signed contract');
    assert.equal(t.dueAt, '2030-02-03T10:00:00.000Z');
    assert.equal(t.assigneeId, s.admin.id);

    // A summary-only edit leaves the task alone.
    const before = await task(taskId);
    await patch(i.id, { summary: 'Talked about the contract' });
    assert.equal((await task(taskId)).updatedAt, before.updatedAt);

    // Clearing the next action clears its due date and archives the open task.
    const cleared = await patch(i.id, { nextAction: null });
    assert.equal(cleared.statusCode, 200, cleared.body);
    assert.equal(cleared.json().nextAction, null);
    assert.equal(cleared.json().nextActionDueAt, null);
    assert.equal(cleared.json().taskId, null);
    assert.ok((await task(taskId)).archivedAt);

    // A due next action again: a new task.
    const again = await patch(i.id, { nextAction: 'Call back', nextActionDueAt: '2030-03-01T10:00:00Z' });
    assert.ok(again.json().taskId);
    assert.notEqual(again.json().taskId, taskId);
    assert.equal((await task(again.json().taskId)).title, 'Call back');
    assert.equal((await tasksOf(i.id)).length, 2);

    // Clearing only the due date archives it too; a due date without a next action is refused.
    const undated = await patch(i.id, { nextActionDueAt: null });
    assert.equal(undated.json().taskId, null);
    assert.equal(undated.json().nextAction, 'Call back');
    assert.ok((await task(again.json().taskId)).archivedAt);
    const refused = await patch(i.id, { nextAction: null, nextActionDueAt: '2030-03-01T10:00:00Z' });
    assert.equal(refused.statusCode, 400);
    assert.deepEqual(issuePaths(refused.json()), ['nextActionDueAt']);
    assert.equal((await patch(i.id, { assigneeId: s.artist.id })).statusCode, 400);
  });

  test('a done follow-up task is history: edits leave it, and clearing does not archive it', async () => {
    const i = await make(artist.id, { nextAction: 'Book studio', nextActionDueAt: '2030-04-01T10:00:00Z' });
    await api.call('POST', `/api/tasks/${i.taskId}/move`, s.staff.accessToken, { status: 'done' });
    const done = await task(i.taskId!);
    const edited = await patch(i.id, { nextAction: 'Book a bigger studio', nextActionDueAt: '2030-04-02T10:00:00Z' });
    assert.equal(edited.statusCode, 200);
    assert.equal(edited.json().task.status, 'done');
    const after = await task(i.taskId!);
    assert.equal(after.title, 'Book studio');
    assert.equal(after.updatedAt, done.updatedAt);
    await patch(i.id, { nextAction: null });
    assert.equal((await task(i.taskId!)).archivedAt, null);
    assert.equal((await tasksOf(i.id)).length, 1);
  });

  test('archiving an interaction archives its open task; an archived interaction cannot be edited', async () => {
    const i = await make(artist.id, { nextAction: 'Mix review', nextActionDueAt: '2030-05-01T10:00:00Z' });
    const res = await api.call('POST', `/api/interactions/${i.id}/archive`, s.admin.accessToken);
    assert.equal(res.statusCode, 200);
    assert.ok(res.json().archivedAt);
    assert.ok(res.json().task.archivedAt);
    assert.ok((await task(i.taskId!)).archivedAt);
    const edit = await patch(i.id, { summary: 'late edit' });
    assert.equal(edit.statusCode, 409);
    assert.equal((await api.call('GET', `/api/interactions/${i.id}`, s.staff.accessToken)).json().summary, 'Talked');
  });

  test('artists (even the artist concerned), experts and sponsors get 403 and change nothing', async () => {
    const own = await api.make(s.staff.accessToken);
    await api.call('POST', `/api/artists/${own.id}/link-user`, s.staff.accessToken, { userId: s.artist.id });
    const i = await make(own.id, { summary: 'Internal note' });
    const expert = await signedIn(system, 'expert');
    const sponsor = await register(system.app, 'sponsor');
    for (const token of [s.artist.accessToken, expert.accessToken, sponsor.accessToken]) {
      const results = await Promise.all([
        record(own.id, { kind: 'call', summary: 'x' }, token),
        api.call('GET', `/api/artists/${own.id}/interactions`, token),
        api.call('GET', `/api/interactions/${i.id}`, token),
        api.call('PATCH', `/api/interactions/${i.id}`, token, { summary: 'changed' }),
        api.call('POST', `/api/interactions/${i.id}/archive`, token),
      ]);
      for (const res of results) assert.equal(res.statusCode, 403, res.body);
    }
    const timeline = (await api.call('GET', `/api/artists/${own.id}/interactions?archived=all`, s.staff.accessToken)).json();
    assert.deepEqual(
      timeline.items.map((x: InteractionJson) => [x.summary, x.archivedAt]),
      [['Internal note', null]],
    );
  });
});
