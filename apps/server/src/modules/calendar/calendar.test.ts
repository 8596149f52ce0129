import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { register, startTestSystem, type TestSystem } from '../../test/harness.ts';
import { artistsApi, issuePaths, sessions, signedIn, type ArtistJson } from '../artists/artists.test-helpers.ts';

interface EventJson {
  id: string;
  kind: string;
  title: string;
  startsAt: string;
  endsAt: string;
  allDay: boolean;
  location: string;
  artistId: string | null;
  ownerId: string | null;
  source: string | null;
  cancelledAt: string | null;
}
interface EntryJson {
  origin: 'event' | 'task';
  id: string;
  eventId: string | null;
  taskId: string | null;
  kind: string;
  title: string;
  startsAt: string;
  endsAt: string;
  ownerId: string | null;
  ownerName: string | null;
  artistId: string | null;
  artistName: string | null;
  taskStatus: string | null;
  readOnly: boolean;
}

describe('calendar', () => {
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

  const create = (body: Record<string, unknown>, token = s.staff.accessToken) => api.call('POST', '/api/calendar/events', token, body);
  const make = async (body: Record<string, unknown>): Promise<EventJson> => {
    const res = await create({ kind: 'meeting', title: 'Meeting', ...body });
    assert.equal(res.statusCode, 201, res.body);
    return res.json<EventJson>();
  };
  const range = async (query: string, token = s.staff.accessToken) => {
    const res = await api.call('GET', `/api/calendar?${query}`, token);
    assert.equal(res.statusCode, 200, res.body);
    return res.json<{ from: string; to: string; entries: EntryJson[] }>().entries;
  };

  test('create, read, change and cancel an event; fields are validated by name', async () => {
    const e = await make({ title: 'Coaching 1', startsAt: '2031-01-05T10:00:00Z', endsAt: '2031-01-05T11:30:00Z', location: 'Marseille', artistId: artist.id });
    assert.equal(e.ownerId, s.staff.id, 'the caller owns it by default');
    assert.equal(e.location, 'Marseille');
    assert.equal(e.allDay, false);
    assert.equal(e.source, null);
    const moment = await make({ kind: 'deadline', title: 'Master due', startsAt: '2031-01-06T12:00:00Z' });
    assert.equal(moment.endsAt, moment.startsAt, 'endsAt defaults to startsAt');

    const patched = await api.call('PATCH', `/api/calendar/events/${e.id}`, s.admin.accessToken, { endsAt: '2031-01-05T12:00:00Z', ownerId: s.admin.id });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json().endsAt, '2031-01-05T12:00:00.000Z');
    assert.equal(patched.json().ownerId, s.admin.id);
    assert.equal((await api.call('GET', `/api/calendar/events/${e.id}`, s.staff.accessToken)).json().endsAt, '2031-01-05T12:00:00.000Z');

    const bad: [Record<string, unknown>, string][] = [
      [{ kind: 'meeting', title: 'x', startsAt: '2031-01-05T10:00:00Z', endsAt: '2031-01-05T09:59:59Z' }, 'endsAt'],
      [{ kind: 'party', title: 'x', startsAt: '2031-01-05T10:00:00Z' }, 'kind'],
      [{ kind: 'meeting', title: '', startsAt: '2031-01-05T10:00:00Z' }, 'title'],
      [{ kind: 'meeting', title: 'x', startsAt: 'Monday' }, 'startsAt'],
      [{ kind: 'meeting', title: 'x', startsAt: '2031-01-05T10:00:00Z', ownerId: s.artist.id }, 'ownerId'],
      [{ kind: 'meeting', title: 'x', startsAt: '2031-01-05T10:00:00Z', artistId: '00000000-0000-4000-8000-000000000000' }, 'artistId'],
    ];
    for (const [body, field] of bad) {
      const res = await create(body);
      assert.equal(res.statusCode, 400, `${field}: ${res.body}`);
      assert.ok(issuePaths(res.json()).includes(field), `${field}: ${res.body}`);
    }
    const backwards = await api.call('PATCH', `/api/calendar/events/${e.id}`, s.staff.accessToken, { startsAt: '2031-01-05T13:00:00Z' });
    assert.equal(backwards.statusCode, 400);
    assert.deepEqual(issuePaths(backwards.json()), ['endsAt']);

    const gone = await api.make(s.staff.accessToken);
    await api.archive(s.staff.accessToken, gone.id);
    assert.equal((await create({ kind: 'meeting', title: 'x', startsAt: '2031-01-05T10:00:00Z', artistId: gone.id })).statusCode, 409);

    const missing = '00000000-0000-4000-8000-000000000000';
    assert.equal((await api.call('GET', `/api/calendar/events/${missing}`, s.staff.accessToken)).statusCode, 404);
    assert.equal((await api.call('PATCH', `/api/calendar/events/${missing}`, s.staff.accessToken, { title: 'x' })).statusCode, 404);
    assert.equal((await api.call('POST', `/api/calendar/events/${missing}/cancel`, s.staff.accessToken)).statusCode, 404);

    const cancelled = await api.call('POST', `/api/calendar/events/${e.id}/cancel`, s.staff.accessToken);
    assert.equal(cancelled.statusCode, 200);
    const at = cancelled.json().cancelledAt as string;
    assert.ok(at);
    assert.equal(
      (await api.call('POST', `/api/calendar/events/${e.id}/cancel`, s.staff.accessToken)).json().cancelledAt,
      at,
      'cancelling twice keeps the date',
    );
    assert.equal((await api.call('PATCH', `/api/calendar/events/${e.id}`, s.staff.accessToken, { title: 'y' })).statusCode, 409);
  });

  test('a range: overlapping events and open tasks due in it as read-only deadlines; filters; the 62-day limit', async () => {
    const other = await api.make(s.staff.accessToken);
    const from = '2032-03-01T00:00:00Z';
    const to = '2032-03-08T00:00:00Z';
    const before = await make({ title: 'Ends at from', startsAt: '2032-02-28T10:00:00Z', endsAt: from });
    const across = await make({ title: 'Across the start', startsAt: '2032-02-29T22:00:00Z', endsAt: '2032-03-01T02:00:00Z', artistId: other.id });
    const atFrom = await make({ kind: 'reminder', title: 'At from', startsAt: from });
    const inside = await make({ kind: 'stream', title: 'Inside', startsAt: '2032-03-03T18:00:00Z', endsAt: '2032-03-03T20:00:00Z', ownerId: s.admin.id });
    const atTo = await make({ title: 'Starts at to', startsAt: to, endsAt: '2032-03-08T01:00:00Z' });
    const cancelled = await make({ title: 'Cancelled', startsAt: '2032-03-04T10:00:00Z', endsAt: '2032-03-04T11:00:00Z' });
    await api.call('POST', `/api/calendar/events/${cancelled.id}/cancel`, s.staff.accessToken);

    const task = (body: Record<string, unknown>) => api.call('POST', '/api/tasks', s.staff.accessToken, { title: 'Task', ...body }).then((r) => r.json());
    const due = await task({ title: 'Deliver artwork', dueAt: '2032-03-05T17:00:00Z', artistId: other.id, assigneeId: s.admin.id });
    const doneTask = await task({ title: 'Done', dueAt: '2032-03-05T17:00:00Z', status: 'done' });
    const archivedTask = await task({ title: 'Archived', dueAt: '2032-03-05T17:00:00Z' });
    await api.call('POST', `/api/tasks/${archivedTask.id}/archive`, s.staff.accessToken);
    await task({ title: 'Later', dueAt: '2032-04-05T17:00:00Z' });
    void doneTask;

    const entries = await range(`from=${from}&to=${to}`);
    assert.deepEqual(
      entries.map((x) => x.title),
      ['Across the start', 'At from', 'Inside', 'Deliver artwork'],
    );
    const deadline = entries.find((x) => x.origin === 'task')!;
    assert.equal(deadline.kind, 'deadline');
    assert.equal(deadline.taskId, due.id);
    assert.equal(deadline.eventId, null);
    assert.equal(deadline.taskStatus, 'todo');
    assert.equal(deadline.readOnly, true);
    assert.equal(deadline.startsAt, '2032-03-05T17:00:00.000Z');
    assert.equal(deadline.ownerId, s.admin.id);
    const ev = entries.find((x) => x.id === inside.id)!;
    assert.equal(ev.origin, 'event');
    assert.equal(ev.eventId, inside.id);
    assert.equal(ev.readOnly, false);
    assert.ok(!entries.some((x) => [before.id, atTo.id, cancelled.id].includes(x.id)));
    void across;
    void atFrom;

    assert.deepEqual(
      (await range(`from=${from}&to=${to}&includeCancelled=true`)).map((x) => x.title),
      ['Across the start', 'At from', 'Inside', 'Cancelled', 'Deliver artwork'],
    );
    assert.deepEqual(
      (await range(`from=${from}&to=${to}&artistId=${other.id}`)).map((x) => x.title),
      ['Across the start', 'Deliver artwork'],
    );
    assert.deepEqual(
      (await range(`from=${from}&to=${to}&ownerId=${s.admin.id}`)).map((x) => x.title),
      ['Inside', 'Deliver artwork'],
    );
    assert.deepEqual(
      (await range(`from=${from}&to=${to}&kinds=stream,reminder`)).map((x) => x.title),
      ['At from', 'Inside'],
    );
    assert.deepEqual(
      (await range(`from=${from}&to=${to}&kinds=deadline`)).map((x) => x.title),
      ['Deliver artwork'],
    );
    // Done tasks leave the calendar.
    await api.call('POST', `/api/tasks/${due.id}/move`, s.staff.accessToken, { status: 'done' });
    assert.deepEqual(await range(`from=${from}&to=${to}&kinds=deadline`), []);

    const tooLong = await api.call('GET', '/api/calendar?from=2032-01-01T00:00:00Z&to=2032-03-05T00:00:00Z', s.staff.accessToken);
    assert.equal(tooLong.statusCode, 400);
    assert.deepEqual(issuePaths(tooLong.json()), ['to']);
    assert.equal((await api.call('GET', '/api/calendar?from=2032-01-01T00:00:00Z&to=2032-03-03T00:00:00Z', s.staff.accessToken)).statusCode, 200, '62 days');
    const reversed = await api.call('GET', `/api/calendar?from=${to}&to=${from}`, s.staff.accessToken);
    assert.deepEqual(issuePaths(reversed.json()), ['to']);
    assert.equal((await api.call('GET', `/api/calendar?from=${from}`, s.staff.accessToken)).statusCode, 400);
    assert.deepEqual(issuePaths((await api.call('GET', `/api/calendar?from=${from}&to=${to}&kinds=meeting,party`, s.staff.accessToken)).json()), ['kinds']);
  });

  test("entries carry the artist's stage name and the owner's (or assignee's) name", async () => {
    const from = '2033-06-01T00:00:00Z';
    const to = '2033-06-08T00:00:00Z';
    const staffName = (await api.call('GET', '/api/auth/me', s.staff.accessToken)).json<{ user: { name: string } }>().user.name;
    const event = await make({ title: 'Named', startsAt: '2033-06-02T10:00:00Z', artistId: artist.id });
    const bare = await make({ title: 'Bare', startsAt: '2033-06-03T10:00:00Z', ownerId: null });
    const task = await api.call('POST', '/api/tasks', s.staff.accessToken, {
      title: 'Due',
      dueAt: '2033-06-04T10:00:00Z',
      artistId: artist.id,
      assigneeId: s.staff.id,
    });
    assert.equal(task.statusCode, 201, task.body);
    const entries = await range(`from=${from}&to=${to}`);
    const byId = new Map(entries.map((e) => [e.id, e]));
    assert.equal(byId.get(event.id)!.artistName, artist.stageName);
    assert.equal(byId.get(event.id)!.ownerName, staffName, 'the caller owns it by default');
    assert.equal(byId.get(bare.id)!.artistName, null);
    assert.equal(byId.get(bare.id)!.ownerName, null);
    const deadline = byId.get(task.json<{ id: string }>().id)!;
    assert.equal(deadline.origin, 'task');
    assert.equal(deadline.artistName, artist.stageName);
    assert.equal(deadline.ownerName, staffName);
  });

  test('upsertFromSource and cancelBySource: one event per source, updated, cancelled, revived; read-only through the API', async () => {
    const { calendar } = system.ctx.services;
    const source = `villa-slot:${crypto.randomUUID()}`;
    const first = await calendar.upsertFromSource(source, {
      kind: 'villa',
      title: 'Villa day 1',
      startsAt: new Date('2033-07-01T08:00:00Z'),
      endsAt: new Date('2033-07-01T22:00:00Z'),
      artistId: artist.id,
    });
    assert.equal(first.source, source);
    assert.equal(first.kind, 'villa');
    const second = await calendar.upsertFromSource(source, {
      kind: 'villa',
      title: 'Villa day 1 (moved)',
      startsAt: new Date('2033-07-02T08:00:00Z'),
      endsAt: new Date('2033-07-02T22:00:00Z'),
      location: 'Cassis',
    });
    assert.equal(second.id, first.id, 'updated, not duplicated');
    assert.equal(second.title, 'Villa day 1 (moved)');
    assert.equal(second.location, 'Cassis');
    assert.equal(second.artistId, null);
    let entries = await range('from=2033-07-01T00:00:00Z&to=2033-07-05T00:00:00Z');
    assert.deepEqual(
      entries.map((x) => [x.id, x.startsAt, x.readOnly]),
      [[first.id, '2033-07-02T08:00:00.000Z', true]],
    );

    // The team changes such an event where it comes from, not here.
    assert.equal((await api.call('PATCH', `/api/calendar/events/${first.id}`, s.staff.accessToken, { title: 'x' })).statusCode, 409);
    assert.equal((await api.call('POST', `/api/calendar/events/${first.id}/cancel`, s.staff.accessToken)).statusCode, 409);

    const cancelled = await calendar.cancelBySource(source);
    assert.ok(cancelled?.cancelledAt);
    assert.equal((await calendar.cancelBySource(source))?.cancelledAt, cancelled.cancelledAt, 'repeating is harmless');
    assert.equal(await calendar.cancelBySource('villa-slot:none'), null);
    assert.deepEqual(await range('from=2033-07-01T00:00:00Z&to=2033-07-05T00:00:00Z'), []);
    const revived = await calendar.upsertFromSource(source, {
      kind: 'villa',
      title: 'Villa day 1',
      startsAt: new Date('2033-07-02T08:00:00Z'),
      endsAt: new Date('2033-07-02T22:00:00Z'),
    });
    assert.equal(revived.id, first.id);
    assert.equal(revived.cancelledAt, null);

    await assert.rejects(
      calendar.upsertFromSource(`stream:${crypto.randomUUID()}`, {
        kind: 'stream',
        title: 'x',
        startsAt: new Date('2033-07-02T10:00:00Z'),
        endsAt: new Date('2033-07-02T09:00:00Z'),
      }),
      { status: 400 },
    );
    // Inside the caller's transaction: rolled back with it.
    const rolledBack = `stream:${crypto.randomUUID()}`;
    await assert.rejects(
      system.ctx.platform.database.db.transaction(async (tx) => {
        await calendar.upsertFromSource(
          rolledBack,
          { kind: 'stream', title: 'Live', startsAt: new Date('2033-07-03T18:00:00Z'), endsAt: new Date('2033-07-03T20:00:00Z') },
          tx,
        );
        throw new Error('the villa change failed');
      }),
      /the villa change failed/,
    );
    assert.equal(await system.ctx.repos.calendar.findBySource(rolledBack), undefined);
    entries = await range('from=2033-07-01T00:00:00Z&to=2033-07-05T00:00:00Z');
    assert.equal(entries.length, 1);
  });

  test('artists, experts and sponsors get 403 and change nothing', async () => {
    const e = await make({ title: 'Team only', startsAt: '2034-01-01T10:00:00Z' });
    const expert = await signedIn(system, 'expert');
    const sponsor = await register(system.app, 'sponsor');
    for (const token of [s.artist.accessToken, expert.accessToken, sponsor.accessToken]) {
      const results = await Promise.all([
        api.call('GET', '/api/calendar?from=2034-01-01T00:00:00Z&to=2034-01-02T00:00:00Z', token),
        create({ kind: 'meeting', title: 'x', startsAt: '2034-01-01T10:00:00Z' }, token),
        api.call('GET', `/api/calendar/events/${e.id}`, token),
        api.call('PATCH', `/api/calendar/events/${e.id}`, token, { title: 'changed' }),
        api.call('POST', `/api/calendar/events/${e.id}/cancel`, token),
      ]);
      for (const res of results) assert.equal(res.statusCode, 403, res.body);
    }
    assert.deepEqual((await api.call('GET', `/api/calendar/events/${e.id}`, s.staff.accessToken)).json(), e);
    assert.deepEqual(
      (await range('from=2034-01-01T00:00:00Z&to=2034-01-02T00:00:00Z')).map((x) => x.title),
      ['Team only'],
    );
  });
});
