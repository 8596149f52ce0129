import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addDays, defaultPlan, findClash, localInstant, localParts, reanchor, stayRange, villaDayOf } from './schedule.ts';

const at = (iso: string) => new Date(iso);

test('local instants follow the zone, across DST changes', () => {
  // Paris is UTC+2 in summer, UTC+1 in winter; the change of 2027 is on Sunday 31 October.
  assert.equal(localInstant('2027-10-30', 20, 0, 'Europe/Paris').toISOString(), '2027-10-30T18:00:00.000Z');
  assert.equal(localInstant('2027-10-31', 20, 0, 'Europe/Paris').toISOString(), '2027-10-31T19:00:00.000Z');
  assert.equal(localInstant('2027-06-01', 9, 30, 'America/New_York').toISOString(), '2027-06-01T13:30:00.000Z');
  assert.deepEqual(localParts(at('2027-10-31T19:00:00Z'), 'Europe/Paris'), { date: '2027-10-31', hour: 20, minute: 0 });
  assert.equal(addDays('2027-12-30', 3), '2028-01-02');
});

test('the default plan: J-1 to J7 of PRODUCT.md, in the villa time zone, keeping local hours over a DST change', () => {
  // Arrival Wednesday 27 October 2027: the clocks go back during the stay (night of 30 to 31).
  const plan = defaultPlan('2027-10-27', 'Europe/Paris');
  const local = (s: (typeof plan)[number]) => {
    const a = localParts(s.startsAt, 'Europe/Paris');
    const b = localParts(s.endsAt, 'Europe/Paris');
    return `${a.date} ${String(a.hour).padStart(2, '0')}:${String(a.minute).padStart(2, '0')}-${String(b.hour).padStart(2, '0')}:${String(b.minute).padStart(2, '0')}`;
  };
  assert.deepEqual(new Set(plan.map((s) => s.day)), new Set([0, 1, 2, 3, 4, 5, 6, 7]));
  const arrival = plan.filter((s) => s.day === 0);
  assert.deepEqual(
    arrival.map((s) => [s.title, s.kind, local(s)]),
    [
      ['Arrival and settling in', 'session', '2027-10-27 16:00-18:00'],
      ['Welcome dinner', 'meal', '2027-10-27 19:30-21:00'],
      ['Icebreaker', 'session', '2027-10-27 21:00-22:30'],
    ],
  );
  const lives = plan.filter((s) => s.kind === 'live');
  assert.equal(lives.length, 5);
  assert.deepEqual(
    lives.map((s) => [s.day, local(s)]),
    [
      [1, '2027-10-28 20:00-22:00'],
      [2, '2027-10-29 20:00-22:00'],
      [3, '2027-10-30 20:00-22:00'],
      [4, '2027-10-31 20:00-22:00'],
      [5, '2027-11-01 20:00-22:00'],
    ],
  );
  // 20:00 is 18:00 UTC before the change and 19:00 UTC after it.
  assert.equal(lives[2]!.startsAt.toISOString(), '2027-10-30T18:00:00.000Z');
  assert.equal(lives[3]!.startsAt.toISOString(), '2027-10-31T19:00:00.000Z');
  for (let day = 1; day <= 5; day++) {
    const kinds = plan.filter((s) => s.day === day).map((s) => s.kind);
    assert.ok(kinds.includes('session') && kinds.includes('live'), `J${day}`);
    assert.ok(kinds.includes('workshop') || kinds.includes('masterclass'), `J${day}`);
  }
  const showcase = plan.filter((s) => s.kind === 'showcase');
  assert.deepEqual(
    showcase.map((s) => [s.day, local(s)]),
    [[6, '2027-11-02 20:00-23:00']],
  );
  assert.deepEqual(
    plan.filter((s) => s.day === 7).map((s) => s.kind),
    ['debrief', 'debrief'],
  );
  // Every slot is on its own day, ends after it starts, and the default plan never clashes with itself.
  for (const s of plan) {
    assert.equal(villaDayOf('2027-10-27', s.startsAt, 'Europe/Paris'), s.day, s.title);
    assert.ok(s.endsAt > s.startsAt, s.title);
  }
  const occupancy = plan.map((s, i) => ({ ...s, id: String(i), artistIds: [], staffIds: [] }));
  for (const s of occupancy) assert.equal(findClash(s, occupancy), null, s.title);
});

test('villa days: J-1 to J7 in the villa zone, null outside', () => {
  assert.equal(villaDayOf('2027-07-04', at('2027-07-03T21:59:00Z'), 'Europe/Paris'), null); // 23:59 on 3 July in Paris
  assert.equal(villaDayOf('2027-07-04', at('2027-07-03T22:00:00Z'), 'Europe/Paris'), 0);
  assert.equal(villaDayOf('2027-07-04', at('2027-07-11T21:59:00Z'), 'Europe/Paris'), 7);
  assert.equal(villaDayOf('2027-07-04', at('2027-07-11T22:00:00Z'), 'Europe/Paris'), null);
  assert.equal(villaDayOf('2027-07-04', at('2027-07-04T02:00:00Z'), 'America/New_York'), null); // still 3 July in New York
  const stay = stayRange('2027-07-04', 'Europe/Paris');
  assert.deepEqual([stay.startsAt.toISOString(), stay.endsAt.toISOString()], ['2027-07-03T22:00:00.000Z', '2027-07-11T22:00:00.000Z']);
});

test('reanchor keeps the villa day and local time when the villa moves', () => {
  const from = { arrivalOn: '2027-07-04', timeZone: 'Europe/Paris' };
  // J3 20:00 in July (UTC+2) becomes J3 20:00 in November (UTC+1), and then J3 20:00 in Montreal.
  const moved = reanchor(at('2027-07-07T18:00:00Z'), from, { arrivalOn: '2027-11-07', timeZone: 'Europe/Paris' });
  assert.equal(moved.toISOString(), '2027-11-10T19:00:00.000Z');
  const montreal = reanchor(moved, { arrivalOn: '2027-11-07', timeZone: 'Europe/Paris' }, { arrivalOn: '2027-11-07', timeZone: 'America/Toronto' });
  assert.equal(montreal.toISOString(), '2027-11-11T01:00:00.000Z');
});

test('clashes: the same artist, team member or room at overlapping times, with half-open intervals', () => {
  const base = {
    title: 'Live',
    startsAt: at('2027-07-05T18:00:00Z'),
    endsAt: at('2027-07-05T20:00:00Z'),
    room: 'Live stage',
    artistIds: ['a1'],
    staffIds: ['s1'],
  };
  const existing = [{ ...base, id: 'x' }];
  const later = { ...base, startsAt: at('2027-07-05T20:00:00Z'), endsAt: at('2027-07-05T21:00:00Z') };
  assert.equal(findClash(later, existing), null, 'back to back is fine');
  const overlapping = { startsAt: at('2027-07-05T19:00:00Z'), endsAt: at('2027-07-05T21:00:00Z'), title: 'Other' };
  assert.deepEqual(
    (({ by, who, slotId }) => ({ by, who, slotId }))(findClash({ ...overlapping, room: '', artistIds: ['a2', 'a1'], staffIds: [] }, existing)!),
    { by: 'artist', who: 'a1', slotId: 'x' },
  );
  assert.equal(findClash({ ...overlapping, room: '', artistIds: [], staffIds: ['s1'] }, existing)?.by, 'staff');
  assert.equal(findClash({ ...overlapping, room: ' live STAGE ', artistIds: [], staffIds: [] }, existing)?.by, 'room');
  assert.equal(findClash({ ...overlapping, room: 'Studio', artistIds: ['a2'], staffIds: ['s2'] }, existing), null);
  assert.equal(findClash({ ...overlapping, room: '', artistIds: [], staffIds: [] }, [{ ...existing[0]!, room: '' }]), null, 'no room is no clash');
  assert.equal(findClash({ ...base, id: 'x' }, existing), null, 'a slot does not clash with itself');
});
