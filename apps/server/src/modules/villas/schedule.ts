import type { SlotKind } from '@mona/shared';

// Pure schedule rules of a villa: local days in the villa's time zone, the default plan, overlaps.
// Times are computed with Intl in the villa's IANA zone, so a plan across a DST change keeps its wall-clock hours.

/** Villa days: 0 is J-1 (arrival), 1…7 are J1…J7. */
export const FIRST_DAY = 0;
export const LAST_DAY = 7;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Offset of `zone` from UTC at `instant`, in milliseconds (positive east of Greenwich). */
function zoneOffsetMs(instant: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return local - (instant - (instant % 1000));
}

/** True when `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** `date` (YYYY-MM-DD) plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  const match = DATE.exec(date);
  if (!match) throw new Error(`Not a date: ${date}`);
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + days)).toISOString().slice(0, 10);
}

/** The instant of local wall-clock `date` `hour`:`minute` in `zone` (a time skipped by a DST change resolves to the later offset). */
export function localInstant(date: string, hour: number, minute: number, zone: string): Date {
  const match = DATE.exec(date);
  if (!match) throw new Error(`Not a date: ${date}`);
  const guess = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), hour, minute);
  return new Date(guess - zoneOffsetMs(guess - zoneOffsetMs(guess, zone), zone));
}

/** The local date (YYYY-MM-DD) and wall-clock time of `instant` in `zone`. */
export function localParts(instant: Date, zone: string): { date: string; hour: number; minute: number } {
  const local = new Date(instant.getTime() + zoneOffsetMs(instant.getTime(), zone));
  return { date: local.toISOString().slice(0, 10), hour: local.getUTCHours(), minute: local.getUTCMinutes() };
}

/** Which villa day (0 = J-1 … 7 = J7) `instant` falls on in `zone`, or null outside the stay. */
export function villaDayOf(arrivalOn: string, instant: Date, zone: string): number | null {
  const { date } = localParts(instant, zone);
  const day = Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${arrivalOn}T00:00:00Z`)) / 86_400_000);
  return day >= FIRST_DAY && day <= LAST_DAY ? day : null;
}

/** The whole stay: local midnight of J-1 to local midnight after J7, in `zone`. */
export function stayRange(arrivalOn: string, zone: string): { startsAt: Date; endsAt: Date } {
  return { startsAt: localInstant(arrivalOn, 0, 0, zone), endsAt: localInstant(addDays(arrivalOn, LAST_DAY + 1), 0, 0, zone) };
}

/**
 * The same villa day and wall-clock time after the villa moved (new arrival day)
 * or changed zone: J3 20:00 stays J3 20:00.
 */
export function reanchor(instant: Date, from: { arrivalOn: string; timeZone: string }, to: { arrivalOn: string; timeZone: string }): Date {
  const { date, hour, minute } = localParts(instant, from.timeZone);
  const offsetDays = Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${from.arrivalOn}T00:00:00Z`)) / 86_400_000);
  return localInstant(addDays(to.arrivalOn, offsetDays), hour, minute, to.timeZone);
}

export interface PlannedSlot {
  day: number;
  title: string;
  kind: SlotKind;
  startsAt: Date;
  endsAt: Date;
  room: string;
}

/** Rooms of the default plan. */
export const DEFAULT_ROOMS = { studio: 'Studio', workshop: 'Workshop room', stage: 'Live stage', dining: 'Dining room', lounge: 'Lounge' } as const;

type Item = [day: number, from: string, to: string, kind: SlotKind, title: string, room: string];

/** The default day plan of PRODUCT.md, as local times. Workshops alternate with masterclasses (J2, J4). */
export function defaultPlanItems(): Item[] {
  const { studio, workshop, stage, dining, lounge } = DEFAULT_ROOMS;
  const items: Item[] = [
    [0, '16:00', '18:00', 'session', 'Arrival and settling in', lounge],
    [0, '19:30', '21:00', 'meal', 'Welcome dinner', dining],
    [0, '21:00', '22:30', 'session', 'Icebreaker', lounge],
  ];
  for (let day = 1; day <= 5; day++) {
    const masterclass = day % 2 === 0;
    items.push(
      [day, '10:00', '13:00', 'session', 'Creation session', studio],
      [day, '13:00', '14:00', 'meal', 'Lunch', dining],
      [day, '14:30', '16:30', masterclass ? 'masterclass' : 'workshop', masterclass ? 'Masterclass' : 'Workshop', workshop],
      [day, '16:30', '18:30', 'session', 'Production', studio],
      [day, '18:45', '19:45', 'meal', 'Dinner', dining],
      [day, '20:00', '22:00', 'live', `Live J${day}`, stage],
    );
  }
  items.push(
    [6, '10:00', '13:00', 'session', 'Showcase rehearsal', stage],
    [6, '13:00', '14:00', 'meal', 'Lunch', dining],
    [6, '18:00', '19:30', 'meal', 'Dinner', dining],
    [6, '20:00', '23:00', 'showcase', 'Public showcase', stage],
    [7, '10:00', '12:00', 'debrief', 'Debrief', lounge],
    [7, '12:00', '14:00', 'debrief', 'Departure', lounge],
  );
  return items;
}

const hm = (s: string) => s.split(':').map(Number) as [number, number];

/** The default plan of a villa arriving on `arrivalOn` (J-1), as instants in `zone`. */
export function defaultPlan(arrivalOn: string, zone: string): PlannedSlot[] {
  return defaultPlanItems().map(([day, from, to, kind, title, room]) => {
    const date = addDays(arrivalOn, day);
    return { day, title, kind, room, startsAt: localInstant(date, ...hm(from), zone), endsAt: localInstant(date, ...hm(to), zone) };
  });
}

/** Slots whose people or room overlap are refused. */
export interface SlotOccupancy {
  id?: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  room: string;
  artistIds: readonly string[];
  staffIds: readonly string[];
}

export interface Clash {
  slotId: string | undefined;
  title: string;
  startsAt: Date;
  endsAt: Date;
  by: 'artist' | 'staff' | 'room';
  /** The artist or staff id, or the room name. */
  who: string;
}

/** Half-open intervals: a slot ending at 18:00 does not overlap one starting at 18:00. */
export const overlaps = (a: { startsAt: Date; endsAt: Date }, b: { startsAt: Date; endsAt: Date }) =>
  a.startsAt.getTime() < b.endsAt.getTime() && b.startsAt.getTime() < a.endsAt.getTime();

const roomKey = (room: string) => room.trim().toLowerCase();

/** The first slot of `others` (other than the candidate itself) sharing a person or the room with `candidate` at the same time, or null. */
export function findClash(candidate: SlotOccupancy, others: readonly SlotOccupancy[]): Clash | null {
  for (const other of others) {
    if (candidate.id !== undefined && other.id === candidate.id) continue;
    if (!overlaps(candidate, other)) continue;
    const base = { slotId: other.id, title: other.title, startsAt: other.startsAt, endsAt: other.endsAt };
    const artist = candidate.artistIds.find((a) => other.artistIds.includes(a));
    if (artist) return { ...base, by: 'artist', who: artist };
    const staff = candidate.staffIds.find((s) => other.staffIds.includes(s));
    if (staff) return { ...base, by: 'staff', who: staff };
    if (roomKey(candidate.room) && roomKey(candidate.room) === roomKey(other.room)) return { ...base, by: 'room', who: other.room };
  }
  return null;
}

/** Slot kinds that are broadcast: they become scheduled streams and stream events of the calendar. */
export const STREAMED_KINDS: readonly SlotKind[] = ['live', 'showcase'];
