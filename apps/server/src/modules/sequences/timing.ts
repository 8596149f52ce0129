import { DateTime } from 'luxon';
import type { WindowRule } from '@mona/shared';
import { nextSendTime, type WindowOptions } from '../notifications/windows.ts';

const MINUTES_PER_DAY = 1440;

/**
 * When a step falls due: `delayMinutes` after the start of the enrolment.
 * Whole days count as calendar days in `timeZone` (a D3 step of an enrolment
 * started on Friday 10:00 is due on Monday 10:00 local time, also across a
 * daylight-saving change), the remaining minutes as elapsed time.
 */
export function stepDueAt(startedAt: Date, delayMinutes: number, timeZone: string): Date {
  const days = Math.floor(delayMinutes / MINUTES_PER_DAY);
  const minutes = delayMinutes - days * MINUTES_PER_DAY;
  return DateTime.fromJSDate(startedAt, { zone: timeZone }).plus({ days }).plus({ minutes }).toJSDate();
}

/**
 * The earliest instant a step's message may go out: its due time, moved into
 * the step's send window (and out of the recipient's quiet hours when the
 * options carry them). The notifications service applies the same rule when
 * the message is composed; this is what the editor and tests reason with.
 */
export function stepSendTime(startedAt: Date, step: { delayMinutes: number; windowRule: WindowRule }, options: WindowOptions): Date {
  return nextSendTime(stepDueAt(startedAt, step.delayMinutes, options.timeZone), step.windowRule, options);
}

/** "D3", "+2h", "D6 +30 min": how staff read a delay (days, hours, minutes from the start). */
export function delayLabel(delayMinutes: number): string {
  const days = Math.floor(delayMinutes / MINUTES_PER_DAY);
  const hours = Math.floor((delayMinutes % MINUTES_PER_DAY) / 60);
  const minutes = delayMinutes % 60;
  const rest = [hours ? `${hours}h` : '', minutes ? `${minutes} min` : ''].filter(Boolean).join(' ');
  if (days === 0) return rest ? `+${rest}` : 'D0';
  return rest ? `D${days} +${rest}` : `D${days}`;
}
