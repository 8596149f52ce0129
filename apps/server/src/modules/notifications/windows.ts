import { DateTime } from 'luxon';
import type { WindowRule } from '@mona/shared';

/** "HH:MM" wall-clock time. */
export type ClockTime = string;

/** Days (ISO weekday: 1 Monday … 7 Sunday) and time ranges of those days when a message may go out. */
export interface WindowSpec {
  days: readonly number[];
  ranges: readonly { start: ClockTime; end: ClockTime }[];
}

/** A recipient's quiet hours, in their own time zone; may cross midnight (22:00–08:00). */
export interface QuietHours {
  start: ClockTime;
  end: ClockTime;
  timeZone: string;
}

export interface WindowOptions {
  /** The zone the windows are read in (default Europe/Paris). */
  timeZone: string;
  marketing: WindowSpec;
  daytime: WindowSpec;
  quiet?: QuietHours | null;
}

export const DEFAULT_MARKETING_WINDOWS: WindowSpec = {
  days: [2, 3, 4],
  ranges: [
    { start: '10:00', end: '14:00' },
    { start: '18:00', end: '20:00' },
  ],
};
export const DEFAULT_DAYTIME_WINDOW: WindowSpec = { days: [1, 2, 3, 4, 5, 6, 7], ranges: [{ start: '09:00', end: '20:00' }] };

const SEARCH_DAYS = 15;

function parseClock(value: ClockTime): { hour: number; minute: number } {
  const match = /^(\d{1,2}):(\d{2})$/.exec(value);
  if (!match) throw new Error(`Not a HH:MM time: ${value}`);
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

/** Wall-clock `time` on the local day of `day` in its zone; a time skipped by a DST change moves forward by the gap. */
function at(day: DateTime, time: ClockTime): DateTime {
  const { hour, minute } = parseClock(time);
  return day.set({ hour, minute, second: 0, millisecond: 0 });
}

/** The [start, end) intervals of a window spec that end after `from`, in order, over the next days. */
function* openings(spec: WindowSpec, from: DateTime, zone: string): Generator<{ start: DateTime; end: DateTime }> {
  const first = from.setZone(zone).startOf('day').minus({ days: 1 });
  for (let i = 0; i <= SEARCH_DAYS; i++) {
    const day = first.plus({ days: i });
    if (!spec.days.includes(day.weekday)) continue;
    const ranges = spec.ranges
      .map((range) => {
        const start = at(day, range.start);
        let end = at(day, range.end);
        if (end <= start) end = at(day.plus({ days: 1 }), range.end);
        return { start, end };
      })
      .sort((a, b) => a.start.toMillis() - b.start.toMillis());
    for (const range of ranges) if (range.end > from) yield range;
  }
}

/** If `instant` falls in quiet hours, the instant they end; otherwise null. */
function quietUntil(instant: DateTime, quiet: QuietHours): DateTime | null {
  const local = instant.setZone(quiet.timeZone);
  for (const offset of [-1, 0]) {
    const day = local.startOf('day').plus({ days: offset });
    const start = at(day, quiet.start);
    let end = at(day, quiet.end);
    if (end <= start) end = at(day.plus({ days: 1 }), quiet.end);
    if (local >= start && local < end) return end;
  }
  return null;
}

/**
 * The first instant at or after `due` when a message of this window rule may be
 * sent: inside the rule's window (read in `timeZone`) and outside the
 * recipient's quiet hours (read in theirs). `any` only waits for quiet hours
 * when it is given them. Throws when no instant exists in the next two weeks
 * (a window spec with no day or no range).
 */
export function nextSendTime(due: Date, rule: WindowRule, options: WindowOptions): Date {
  let candidate = DateTime.fromJSDate(due, { zone: options.timeZone });
  const spec = rule === 'marketing' ? options.marketing : rule === 'daytime' ? options.daytime : null;
  // Each round either returns or moves the candidate past a quiet period or into a later opening.
  for (let round = 0; round < 64; round++) {
    if (!spec) {
      const until = options.quiet ? quietUntil(candidate, options.quiet) : null;
      if (!until) return candidate.toJSDate();
      candidate = until.setZone(options.timeZone);
      continue;
    }
    let moved = false;
    for (const opening of openings(spec, candidate, options.timeZone)) {
      const start = opening.start > candidate ? opening.start : candidate;
      const until = options.quiet ? quietUntil(start, options.quiet) : null;
      if (!until) return start.toJSDate();
      if (until < opening.end) {
        // Quiet hours end inside this opening: check from there (another quiet period cannot start before it ends).
        candidate = until.setZone(options.timeZone);
        moved = true;
        break;
      }
      // The whole rest of this opening is quiet: try the next one.
    }
    if (!moved) break;
  }
  throw new Error(`No send time within ${SEARCH_DAYS} days for rule ${rule}`);
}
