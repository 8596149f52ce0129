import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { CONTENT_KINDS, COST_CATEGORIES, VILLA_STATUSES, VILLA_TRANSITIONS } from '@mona/shared';
import { startTestSystem, type TestSystem } from '../../test/harness.ts';
import { artistsApi, issuePaths, sessions } from '../artists/artists.test-helpers.ts';
import { calendarEvents } from '../calendar/calendar.tables.ts';
import { streams } from '../streams/streams.tables.ts';
import { DEFAULT_CONTENT_TARGETS, villaTransitionRefusal } from './villas.service.ts';
import { villaStatusChanges } from './villas.tables.ts';

interface VillaJson {
  id: string;
  name: string;
  place: string;
  arrivalOn: string;
  departureOn: string;
  timeZone: string;
  capacity: number;
  maxPerGenre: number;
  status: string;
  participantsCount: number;
  sponsorsCount: number;
  applicationsByStatus: Record<string, number>;
  allowedTransitions: string[];
  history: { fromStatus: string | null; toStatus: string; reason: string; changedBy: { id: string } | null }[];
}
interface SlotJson {
  id: string;
  day: number;
  title: string;
  kind: string;
  startsAt: string;
  endsAt: string;
  room: string;
  artistIds: string[];
  staffIds: string[];
  streamId: string | null;
}
interface ScheduleJson {
  timeZone: string;
  days: { day: number; label: string; date: string; slots: SlotJson[] }[];
}
interface LineJson {
  id: string;
  kind: string;
  category: string;
  plannedCents: number;
  actualCents: number;
  overBudget: boolean;
}
interface BudgetJson {
  costs: LineJson[];
  revenues: LineJson[];
  totals: {
    costs: { plannedCents: number; actualCents: number };
    revenues: { plannedCents: number; actualCents: number };
    margin: { plannedCents: number; actualCents: number };
    breakEven: { revenueNeeded: { plannedCents: number }; revenueMissing: { plannedCents: number; actualCents: number } };
  };
  overBudget: boolean;
}

test('the villa transition rule follows VILLA_TRANSITIONS and says why', () => {
  for (const from of VILLA_STATUSES) {
    for (const to of VILLA_STATUSES) assert.equal(villaTransitionRefusal(from, to) === null, VILLA_TRANSITIONS[from].includes(to), `${from} → ${to}`);
  }
  assert.equal(villaTransitionRefusal('planning', 'full'), 'from planning a villa can only become open');
  assert.equal(villaTransitionRefusal('completed', 'open'), 'completed is final');
});

describe('villas', () => {
  let system: TestSystem;
  let api: ReturnType<typeof artistsApi>;
  let s: Awaited<ReturnType<typeof sessions>>;
  type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  const call = (method: Method, url: string, token: string, payload?: unknown) =>
    system.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
  let counter = 0;
  async function makeVilla(extra: Record<string, unknown> = {}): Promise<VillaJson> {
    counter += 1;
    const res = await call('POST', '/api/villas', s.staff.accessToken, {
      name: `Villa ${counter}`,
      place: 'Marseille',
      arrivalOn: '2027-07-04',
      capacity: 10,
      ...extra,
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json<VillaJson>();
  }
  const schedule = async (id: string, token = s.staff.accessToken) => {
    const res = await call('GET', `/api/villas/${id}/schedule`, token);
    assert.equal(res.statusCode, 200, res.body);
    return res.json<ScheduleJson>();
  };
  const eventBySource = async (source: string) =>
    (await system.ctx.platform.database.db.select().from(calendarEvents).where(eq(calendarEvents.source, source)))[0];
  const streamBySlot = async (slotId: string) => (await system.ctx.platform.database.db.select().from(streams).where(eq(streams.slotId, slotId)))[0];

  before(async () => {
    system = await startTestSystem();
    api = artistsApi(system);
    s = await sessions(system);
  });
  after(async () => system.close());

  test('staff create a villa: planning, history, default plan with streams and calendar events, cost lines, content targets', async () => {
    const villa = await makeVilla({ description: 'Sea view' });
    assert.equal(villa.status, 'planning');
    assert.equal(villa.timeZone, 'Europe/Paris');
    assert.equal(villa.maxPerGenre, 2);
    assert.equal(villa.departureOn, '2027-07-11');
    assert.equal(villa.participantsCount, 0);
    assert.equal(villa.sponsorsCount, 0);
    assert.equal(villa.applicationsByStatus.pending, 0);
    assert.deepEqual(villa.allowedTransitions, ['open']);
    assert.deepEqual(
      villa.history.map((h) => [h.fromStatus, h.toStatus, h.changedBy?.id]),
      [[null, 'planning', s.staff.id]],
    );

    const plan = await schedule(villa.id);
    assert.deepEqual(
      plan.days.map((d) => [d.label, d.date]),
      [
        ['J-1', '2027-07-04'],
        ['J1', '2027-07-05'],
        ['J2', '2027-07-06'],
        ['J3', '2027-07-07'],
        ['J4', '2027-07-08'],
        ['J5', '2027-07-09'],
        ['J6', '2027-07-10'],
        ['J7', '2027-07-11'],
      ],
    );
    assert.equal(plan.days[0]!.slots[0]!.startsAt, '2027-07-04T14:00:00.000Z'); // 16:00 in Paris (UTC+2)
    const live = plan.days[1]!.slots.find((x) => x.kind === 'live')!;
    assert.equal(live.startsAt, '2027-07-05T18:00:00.000Z');
    assert.ok(live.streamId);
    const streamed = plan.days.flatMap((d) => d.slots).filter((x) => x.kind === 'live' || x.kind === 'showcase');
    assert.equal(streamed.length, 6);
    assert.ok(streamed.every((x) => x.streamId));
    const stream = await streamBySlot(live.id);
    assert.equal(stream?.status, 'scheduled');
    assert.equal(stream?.villaId, villa.id);
    assert.equal(stream?.scheduledStart.toISOString(), live.startsAt);
    const liveEvent = await eventBySource(`villa-slot:${live.id}`);
    assert.equal(liveEvent?.kind, 'stream');
    assert.equal(liveEvent?.startsAt.toISOString(), live.startsAt);
    const stay = await eventBySource(`villa:${villa.id}`);
    assert.equal(stay?.kind, 'villa');
    assert.equal(stay?.startsAt.toISOString(), '2027-07-03T22:00:00.000Z');
    assert.equal(stay?.endsAt.toISOString(), '2027-07-11T22:00:00.000Z');
    assert.equal(stay?.location, 'Marseille');

    const budget = (await call('GET', `/api/villas/${villa.id}/budget`, s.staff.accessToken)).json<BudgetJson>();
    assert.deepEqual(
      budget.costs.map((l) => [l.category, l.plannedCents, l.actualCents]),
      COST_CATEGORIES.map((c) => [c, 0, 0]),
    );
    assert.deepEqual(budget.revenues, []);
    assert.equal(budget.overBudget, false);

    const targets = (await call('GET', `/api/villas/${villa.id}/content-targets`, s.staff.accessToken)).json<{
      items: { kind: string; target: number; delivered: number }[];
    }>();
    assert.deepEqual(
      targets.items,
      CONTENT_KINDS.map((kind) => ({ kind, target: DEFAULT_CONTENT_TARGETS[kind], delivered: 0 })),
    );
    assert.equal(DEFAULT_CONTENT_TARGETS.capsules, 14);
  });

  test('input errors are 400 on the field; only the team writes', async () => {
    const body = { name: 'V', place: 'P', arrivalOn: '2027-07-04', capacity: 10 };
    const tooBig = await call('POST', '/api/villas', s.staff.accessToken, { ...body, capacity: 13 });
    assert.equal(tooBig.statusCode, 400);
    assert.deepEqual(issuePaths(tooBig.json()), ['capacity']);
    const zone = await call('POST', '/api/villas', s.staff.accessToken, { ...body, timeZone: 'Mars/Olympus' });
    assert.equal(zone.statusCode, 400);
    assert.deepEqual(issuePaths(zone.json()), ['timeZone']);
    const date = await call('POST', '/api/villas', s.staff.accessToken, { ...body, arrivalOn: '04/07/2027' });
    assert.deepEqual(issuePaths(date.json()), ['arrivalOn']);
    assert.equal((await call('POST', '/api/villas', s.artist.accessToken, body)).statusCode, 403);
    assert.equal((await call('POST', '/api/villas', '', body)).statusCode, 401);
    const villa = await makeVilla();
    assert.equal((await call('PATCH', `/api/villas/${villa.id}`, s.artist.accessToken, { name: 'x' })).statusCode, 403);
    assert.equal((await call('POST', `/api/villas/${villa.id}/status`, s.artist.accessToken, { to: 'open' })).statusCode, 403);
    assert.equal((await call('GET', `/api/villas/${villa.id}/budget`, s.artist.accessToken)).statusCode, 403);
    assert.equal((await call('PATCH', `/api/villas/${crypto.randomUUID()}`, s.staff.accessToken, { name: 'x' })).statusCode, 404);
  });

  test('artists see villas past planning only; planning villas are 404 to them', async () => {
    const planning = await makeVilla();
    const open = await makeVilla();
    assert.equal((await call('POST', `/api/villas/${open.id}/status`, s.staff.accessToken, { to: 'open', reason: 'Call open' })).statusCode, 200);
    const artistList = (await call('GET', '/api/villas', s.artist.accessToken)).json<{ items: VillaJson[] }>().items.map((v) => v.id);
    assert.ok(artistList.includes(open.id));
    assert.ok(!artistList.includes(planning.id));
    assert.equal((await call('GET', `/api/villas/${planning.id}`, s.artist.accessToken)).statusCode, 404);
    assert.equal((await call('GET', `/api/villas/${planning.id}/schedule`, s.artist.accessToken)).statusCode, 404);
    assert.equal((await call('GET', `/api/villas/${open.id}`, s.artist.accessToken)).statusCode, 200);
    assert.equal((await schedule(open.id, s.artist.accessToken)).days.length, 8);
    const onlyPlanning = (await call('GET', '/api/villas?status=planning', s.artist.accessToken)).json<{ items: VillaJson[] }>().items;
    assert.deepEqual(onlyPlanning, []);
    const teamPlanning = (await call('GET', '/api/villas?status=planning', s.staff.accessToken)).json<{ items: VillaJson[] }>().items;
    assert.ok(teamPlanning.some((v) => v.id === planning.id) && teamPlanning.every((v) => v.status === 'planning'));
    const both = (await call('GET', '/api/villas?status=planning&status=open', s.staff.accessToken)).json<{ items: VillaJson[] }>().items;
    assert.ok(both.some((v) => v.id === open.id) && both.some((v) => v.id === planning.id));
    const past = await makeVilla({ arrivalOn: '2020-01-01' });
    const upcoming = (await call('GET', '/api/villas?upcoming=true', s.staff.accessToken)).json<{ items: VillaJson[] }>().items.map((v) => v.id);
    assert.ok(upcoming.includes(planning.id) && !upcoming.includes(past.id));
    assert.equal((await call('GET', '/api/villas?includeArchived=true', s.artist.accessToken)).statusCode, 403);
  });

  test('status changes follow VILLA_TRANSITIONS with history; illegal ones are 409 with the reason; concurrent ones cannot both win', async () => {
    const villa = await makeVilla();
    const illegal = await call('POST', `/api/villas/${villa.id}/status`, s.staff.accessToken, { to: 'full' });
    assert.equal(illegal.statusCode, 409);
    assert.match(illegal.json().error.message, /from planning a villa can only become open/);
    const opened = await call('POST', `/api/villas/${villa.id}/status`, s.staff.accessToken, { to: 'open', reason: 'Call open' });
    assert.equal(opened.statusCode, 200, opened.body);
    assert.deepEqual(
      opened.json<VillaJson>().history.map((h) => [h.fromStatus, h.toStatus, h.reason]),
      [
        [null, 'planning', 'created'],
        ['planning', 'open', 'Call open'],
      ],
    );
    // Two people close the call at once. Whichever order the database serialises them in, one
    // wins and the other is refused: either it read "open" and the status changed meanwhile, or
    // it read "full", and full → full is not a transition. (Open → full and open → in progress
    // would both be right one after the other, since full → in progress is legal.)
    const results = await Promise.all([
      call('POST', `/api/villas/${villa.id}/status`, s.staff.accessToken, { to: 'full' }),
      call('POST', `/api/villas/${villa.id}/status`, s.admin.accessToken, { to: 'full' }),
    ]);
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 409]);
    const rows = await system.ctx.platform.database.db.select().from(villaStatusChanges).where(eq(villaStatusChanges.villaId, villa.id));
    assert.equal(rows.length, 3);

    // The service method the applications module calls, inside its own transaction.
    const fresh = await makeVilla();
    await system.ctx.platform.database.db.transaction(async (tx) => {
      await system.ctx.services.villas.setStatusInTx(tx, fresh.id, 'planning', 'open', 'by test', null);
      await system.ctx.services.villas.setStatusInTx(tx, fresh.id, 'open', 'full', 'capacity reached', null);
    });
    await assert.rejects(
      system.ctx.platform.database.db.transaction((tx) => system.ctx.services.villas.setStatusInTx(tx, fresh.id, 'open', 'full', 'stale', null)),
      /status changed meanwhile/,
    );
    const after = (await call('GET', `/api/villas/${fresh.id}`, s.staff.accessToken)).json<VillaJson>();
    assert.equal(after.status, 'full');
    assert.deepEqual(after.allowedTransitions, ['open', 'in_progress']);
  });

  test('slots: day from the villa zone, 400 outside J-1..J7, overlaps 409 naming the clash, live slots are streams and calendar events', async () => {
    const villa = await makeVilla();
    const artist = await api.make(s.staff.accessToken);
    const base = { title: 'Duet session', kind: 'session', startsAt: '2027-07-06T08:00:00Z', endsAt: '2027-07-06T09:00:00Z', room: 'Booth' };
    const created = await call('POST', `/api/villas/${villa.id}/slots`, s.staff.accessToken, { ...base, artistIds: [artist.id], staffIds: [s.staff.id] });
    assert.equal(created.statusCode, 201, created.body);
    const slot = created.json<SlotJson>();
    assert.equal(slot.day, 2);
    assert.equal(slot.streamId, null);

    const outside = await call('POST', `/api/villas/${villa.id}/slots`, s.staff.accessToken, {
      ...base,
      startsAt: '2027-07-03T21:00:00Z',
      endsAt: '2027-07-03T21:30:00Z',
    });
    assert.equal(outside.statusCode, 400);
    assert.deepEqual(issuePaths(outside.json()), ['startsAt']);
    const backwards = await call('POST', `/api/villas/${villa.id}/slots`, s.staff.accessToken, { ...base, endsAt: '2027-07-06T07:00:00Z' });
    assert.deepEqual(issuePaths(backwards.json()), ['endsAt']);
    const ghost = await call('POST', `/api/villas/${villa.id}/slots`, s.staff.accessToken, { ...base, room: 'Attic', artistIds: [crypto.randomUUID()] });
    assert.deepEqual(issuePaths(ghost.json()), ['artistIds']);
    const notTeam = await call('POST', `/api/villas/${villa.id}/slots`, s.staff.accessToken, { ...base, room: 'Attic', staffIds: [s.artist.id] });
    assert.deepEqual(issuePaths(notTeam.json()), ['staffIds']);
    assert.equal((await call('POST', `/api/villas/${villa.id}/slots`, s.artist.accessToken, base)).statusCode, 403);
    assert.equal((await call('POST', `/api/villas/${crypto.randomUUID()}/slots`, s.staff.accessToken, base)).statusCode, 404);

    const sameArtist = await call('POST', `/api/villas/${villa.id}/slots`, s.staff.accessToken, {
      ...base,
      room: 'Attic',
      startsAt: '2027-07-06T08:30:00Z',
      endsAt: '2027-07-06T09:30:00Z',
      artistIds: [artist.id],
    });
    assert.equal(sameArtist.statusCode, 409);
    assert.match(sameArtist.json().error.message, /artist .* is already in "Duet session"/);
    assert.equal(sameArtist.json().error.details.clash.slotId, slot.id);
    const sameStaff = await call('POST', `/api/villas/${villa.id}/slots`, s.staff.accessToken, { ...base, room: 'Attic', staffIds: [s.staff.id] });
    assert.equal(sameStaff.json().error.details.clash.by, 'staff');
    const sameRoom = await call('POST', `/api/villas/${villa.id}/slots`, s.staff.accessToken, base);
    assert.equal(sameRoom.statusCode, 409);
    assert.match(sameRoom.json().error.message, /the room Booth/);
    // The default plan's rooms count too: J2 creation session in the Studio is 10:00–13:00 Paris.
    const studio = await call('POST', `/api/villas/${villa.id}/slots`, s.staff.accessToken, { ...base, room: 'Studio' });
    assert.equal(studio.statusCode, 409);
    assert.match(studio.json().error.message, /Creation session/);

    // Turning it into a live slot makes a stream and a stream event; moving it moves them; a session again cancels them.
    const live = await call('PATCH', `/api/villas/${villa.id}/slots/${slot.id}`, s.staff.accessToken, { kind: 'live', title: 'Acoustic live' });
    assert.equal(live.statusCode, 200, live.body);
    assert.ok(live.json<SlotJson>().streamId);
    assert.equal((await streamBySlot(slot.id))?.status, 'scheduled');
    assert.equal((await eventBySource(`villa-slot:${slot.id}`))?.kind, 'stream');
    const moved = await call('PATCH', `/api/villas/${villa.id}/slots/${slot.id}`, s.staff.accessToken, {
      startsAt: '2027-07-07T06:00:00Z',
      endsAt: '2027-07-07T07:00:00Z',
    });
    assert.equal(moved.json<SlotJson>().day, 3);
    assert.equal((await streamBySlot(slot.id))?.scheduledStart.toISOString(), '2027-07-07T06:00:00.000Z');
    assert.equal((await eventBySource(`villa-slot:${slot.id}`))?.startsAt.toISOString(), '2027-07-07T06:00:00.000Z');
    assert.equal(
      (
        await call('PATCH', `/api/villas/${villa.id}/slots/${slot.id}`, s.staff.accessToken, {
          startsAt: '2027-07-12T06:00:00Z',
          endsAt: '2027-07-12T07:00:00Z',
        })
      ).statusCode,
      400,
    );
    assert.equal((await call('PATCH', `/api/villas/${villa.id}/slots/${crypto.randomUUID()}`, s.staff.accessToken, { title: 'x' })).statusCode, 404);

    const deleted = await call('DELETE', `/api/villas/${villa.id}/slots/${slot.id}`, s.staff.accessToken);
    assert.equal(deleted.statusCode, 204);
    assert.equal((await eventBySource(`villa-slot:${slot.id}`))?.cancelledAt instanceof Date, true);
    const orphan = (await system.ctx.platform.database.db.select().from(streams).where(eq(streams.villaId, villa.id))).filter((x) => x.status === 'cancelled');
    assert.equal(orphan.length, 1);
    assert.equal((await call('DELETE', `/api/villas/${villa.id}/slots/${slot.id}`, s.staff.accessToken)).statusCode, 404);

    // Deleting a default live slot cancels its stream too.
    const defaultLive = (await schedule(villa.id)).days[1]!.slots.find((x) => x.kind === 'live')!;
    assert.equal((await call('DELETE', `/api/villas/${villa.id}/slots/${defaultLive.id}`, s.staff.accessToken)).statusCode, 204);
    assert.equal((await eventBySource(`villa-slot:${defaultLive.id}`))?.cancelledAt instanceof Date, true);
  });

  test('concurrent slots for the same room cannot both pass', async () => {
    const villa = await makeVilla();
    const body = (title: string) => ({ title, kind: 'workshop', startsAt: '2027-07-08T05:00:00Z', endsAt: '2027-07-08T06:00:00Z', room: 'Garden' });
    const results = await Promise.all([1, 2, 3, 4].map((i) => call('POST', `/api/villas/${villa.id}/slots`, s.staff.accessToken, body(`Yoga ${i}`))));
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [201, 409, 409, 409]);
    const garden = (await schedule(villa.id)).days.flatMap((d) => d.slots).filter((x) => x.room === 'Garden');
    assert.equal(garden.length, 1);
  });

  test('moving a villa moves its schedule, streams and calendar events, keeping days and local times', async () => {
    const villa = await makeVilla();
    const before = (await schedule(villa.id)).days[1]!.slots.find((x) => x.kind === 'live')!;
    const res = await call('PATCH', `/api/villas/${villa.id}`, s.staff.accessToken, { arrivalOn: '2027-11-07', name: 'Winter villa' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json<VillaJson>().departureOn, '2027-11-14');
    const after = (await schedule(villa.id)).days[1]!;
    assert.equal(after.date, '2027-11-08');
    const live = after.slots.find((x) => x.id === before.id)!;
    assert.equal(live.startsAt, '2027-11-08T19:00:00.000Z'); // still 20:00 in Paris, now UTC+1
    assert.equal((await streamBySlot(live.id))?.scheduledStart.toISOString(), live.startsAt);
    const event = await eventBySource(`villa-slot:${live.id}`);
    assert.equal(event?.startsAt.toISOString(), live.startsAt);
    assert.match(event?.title ?? '', /^Winter villa: /);
    const stay = await eventBySource(`villa:${villa.id}`);
    assert.equal(stay?.startsAt.toISOString(), '2027-11-06T23:00:00.000Z');
    assert.equal(stay?.title, 'Villa Winter villa');

    const archived = await call('POST', `/api/villas/${villa.id}/archive`, s.staff.accessToken);
    assert.equal(archived.statusCode, 200);
    assert.ok((await eventBySource(`villa:${villa.id}`))?.cancelledAt);
    assert.equal((await streamBySlot(live.id))?.status, 'cancelled');
    assert.equal((await call('PATCH', `/api/villas/${villa.id}`, s.staff.accessToken, { name: 'x' })).statusCode, 409);
    const list = (await call('GET', '/api/villas', s.staff.accessToken)).json<{ items: VillaJson[] }>().items;
    assert.ok(!list.some((v) => v.id === villa.id));
    const withArchived = (await call('GET', '/api/villas?includeArchived=true', s.staff.accessToken)).json<{ items: VillaJson[] }>().items;
    assert.ok(withArchived.some((v) => v.id === villa.id));
  });

  test('budget: lines CRUD in cents, totals, margin, break-even and the over-budget alert', async () => {
    const villa = await makeVilla();
    const url = `/api/villas/${villa.id}/budget`;
    const budget = async () => (await call('GET', url, s.staff.accessToken)).json<BudgetJson>();
    const venue = (await budget()).costs.find((l) => l.category === 'venue')!;
    assert.equal((await call('PATCH', `${url}/lines/${venue.id}`, s.staff.accessToken, { plannedCents: 1_000_000, actualCents: 1_100_000 })).statusCode, 200);
    const sponsors = await call('POST', `${url}/lines`, s.staff.accessToken, {
      kind: 'revenue',
      category: 'sponsors',
      plannedCents: 2_500_000,
      actualCents: 500_000,
    });
    assert.equal(sponsors.statusCode, 201, sponsors.body);
    const b = await budget();
    assert.deepEqual(b.totals.costs, { plannedCents: 1_000_000, actualCents: 1_100_000 });
    assert.deepEqual(b.totals.revenues, { plannedCents: 2_500_000, actualCents: 500_000 });
    assert.deepEqual(b.totals.margin, { plannedCents: 1_500_000, actualCents: -600_000 });
    assert.equal(b.totals.breakEven.revenueNeeded.plannedCents, 1_000_000);
    assert.deepEqual(b.totals.breakEven.revenueMissing, { plannedCents: 0, actualCents: 600_000 });
    assert.equal(b.costs.find((l) => l.id === venue.id)?.overBudget, true);
    assert.equal(b.overBudget, true);

    const negative = await call('PATCH', `${url}/lines/${venue.id}`, s.staff.accessToken, { actualCents: -1 });
    assert.equal(negative.statusCode, 400);
    assert.deepEqual(issuePaths(negative.json()), ['actualCents']);
    const fraction = await call('POST', `${url}/lines`, s.staff.accessToken, { kind: 'cost', category: 'food', plannedCents: 10.5 });
    assert.deepEqual(issuePaths(fraction.json()), ['plannedCents']);
    const wrongCategory = await call('POST', `${url}/lines`, s.staff.accessToken, { kind: 'revenue', category: 'venue' });
    assert.equal(wrongCategory.statusCode, 400);
    assert.deepEqual(issuePaths(wrongCategory.json()), ['category']);
    assert.equal((await call('POST', `${url}/lines`, s.artist.accessToken, { kind: 'cost', category: 'food' })).statusCode, 403);

    assert.equal((await call('PATCH', `${url}/lines/${venue.id}`, s.staff.accessToken, { actualCents: 900_000 })).statusCode, 200);
    assert.equal((await budget()).overBudget, false);
    const line = sponsors.json<LineJson>();
    assert.equal((await call('DELETE', `${url}/lines/${line.id}`, s.staff.accessToken)).statusCode, 204);
    assert.equal((await call('DELETE', `${url}/lines/${line.id}`, s.staff.accessToken)).statusCode, 404);
    assert.deepEqual((await budget()).revenues, []);
    assert.equal((await call('GET', `/api/villas/${crypto.randomUUID()}/budget`, s.staff.accessToken)).statusCode, 404);
  });

  test('content targets: set target and delivered per kind', async () => {
    const villa = await makeVilla();
    const url = `/api/villas/${villa.id}/content-targets`;
    const put = await call('PUT', `${url}/duets`, s.staff.accessToken, { delivered: 3 });
    assert.equal(put.statusCode, 200, put.body);
    assert.deepEqual(put.json(), { kind: 'duets', target: 4, delivered: 3 });
    assert.deepEqual((await call('PUT', `${url}/photos`, s.staff.accessToken, { target: 500, delivered: 120 })).json(), {
      kind: 'photos',
      target: 500,
      delivered: 120,
    });
    const bad = await call('PUT', `${url}/photos`, s.staff.accessToken, { target: -2 });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(issuePaths(bad.json()), ['target']);
    assert.equal((await call('PUT', `${url}/holograms`, s.staff.accessToken, { target: 1 })).statusCode, 400);
    assert.equal((await call('PUT', `${url}/duets`, s.artist.accessToken, { target: 1 })).statusCode, 403);
    const items = (await call('GET', url, s.staff.accessToken)).json<{ items: { kind: string; target: number; delivered: number }[] }>().items;
    assert.deepEqual(
      items.find((i) => i.kind === 'duets'),
      { kind: 'duets', target: 4, delivered: 3 },
    );
  });
});
