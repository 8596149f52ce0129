import { DELIVERABLE_METRICS, type DeliverableMetric } from '@mona/shared';

/**
 * The sponsor report, as pure functions: promised vs delivered per deliverable
 * and the cumulative progress over the villa's days, in the villa's time zone.
 *
 * Villa days: day 0 is J-1 (the arrival date `arrivalOn`, a local date), day 1
 * is J1 … day 7 is J7 (departure). A delivery is placed on the villa day of its
 * local date in the villa's time zone; deliveries before J-1 count from J-1,
 * deliveries after J7 are the "after" bucket (day 8), so its cumulative value
 * is the total delivered.
 *
 * Final rule: the villa ends at the end of J7, i.e. local midnight starting
 * arrivalOn + 8 days; the report is final 30 days after that, from local
 * midnight (villa time zone) starting the date arrivalOn + 38 days (= J7 + 31).
 * Before that instant the report is "live".
 */

export const VILLA_END_OFFSET_DAYS = 8;
export const FINAL_AFTER_END_DAYS = 30;
/** Day index of the "after J7" bucket. */
export const AFTER_DAY = 8;

/** The local calendar date (YYYY-MM-DD) of an instant in an IANA time zone. */
export function localDate(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

const dayNumber = (date: string) => Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);

/** A local date plus (or minus) whole days. */
export function addDays(date: string, days: number): string {
  return new Date((dayNumber(date) + days) * 86_400_000).toISOString().slice(0, 10);
}

/** The villa day of an instant: 0 for J-1 … 7 for J7; negative before, > 7 after. */
export function villaDay(instant: Date, arrivalOn: string, timeZone: string): number {
  return dayNumber(localDate(instant, timeZone)) - dayNumber(arrivalOn);
}

/** Offset of the zone from UTC at an instant, in ms (positive east of Greenwich). */
function zoneOffsetMs(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant of local midnight starting `date` in the zone. */
export function zonedMidnight(date: string, timeZone: string): Date {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  let guess = utcMidnight - zoneOffsetMs(new Date(utcMidnight), timeZone);
  guess = utcMidnight - zoneOffsetMs(new Date(guess), timeZone);
  return new Date(guess);
}

/** When the report becomes final: local midnight starting arrivalOn + 38 days (see the module comment). */
export function finalFrom(arrivalOn: string, timeZone: string): Date {
  return zonedMidnight(addDays(arrivalOn, VILLA_END_OFFSET_DAYS + FINAL_AFTER_END_DAYS), timeZone);
}

export const dayLabel = (day: number) => (day === 0 ? 'J-1' : day === AFTER_DAY ? 'after' : `J${day}`);

export interface ReportInput {
  arrivalOn: string;
  timeZone: string;
  now: Date;
  deliverables: { metric: DeliverableMetric; promised: number }[];
  records: { metric: DeliverableMetric; amount: number; occurredAt: Date }[];
}

export interface DeliverableLine {
  metric: DeliverableMetric;
  promised: number;
  delivered: number;
  /** delivered / promised × 100, one decimal; may pass 100; null when nothing is promised. */
  percent: number | null;
}

export interface DayProgress {
  /** 0 = J-1 … 7 = J7, 8 = after J7. */
  day: number;
  label: string;
  /** Local date of the day; null for "after". */
  date: string | null;
  /** Cumulative delivered per deliverable up to the end of that day. */
  delivered: Partial<Record<DeliverableMetric, number>>;
}

export interface ReportData {
  final: boolean;
  finalFrom: Date;
  deliverables: DeliverableLine[];
  days: DayProgress[];
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

export function percentOf(delivered: number, promised: number): number | null {
  return promised > 0 ? round((delivered / promised) * 100, 1) : null;
}

/** Builds the report's numbers. Deliverables are listed in DELIVERABLE_METRICS order. */
export function buildReport(input: ReportInput): ReportData {
  const order = (m: DeliverableMetric) => DELIVERABLE_METRICS.indexOf(m);
  const deliverables = [...input.deliverables].sort((a, b) => order(a.metric) - order(b.metric));
  const perDay = new Map<string, number[]>();
  for (const d of deliverables)
    perDay.set(
      d.metric,
      Array.from({ length: AFTER_DAY + 1 }, () => 0),
    );
  for (const r of input.records) {
    const buckets = perDay.get(r.metric);
    if (!buckets) continue;
    const day = Math.min(Math.max(villaDay(r.occurredAt, input.arrivalOn, input.timeZone), 0), AFTER_DAY);
    buckets[day] = buckets[day]! + r.amount;
  }
  const lines: DeliverableLine[] = deliverables.map((d) => {
    const delivered = round(
      perDay.get(d.metric)!.reduce((a, b) => a + b, 0),
      6,
    );
    return { metric: d.metric, promised: d.promised, delivered, percent: percentOf(delivered, d.promised) };
  });
  const running = new Map<string, number>();
  const days: DayProgress[] = [];
  for (let day = 0; day <= AFTER_DAY; day++) {
    const delivered: Partial<Record<DeliverableMetric, number>> = {};
    for (const d of deliverables) {
      const total = (running.get(d.metric) ?? 0) + perDay.get(d.metric)![day]!;
      running.set(d.metric, total);
      delivered[d.metric] = round(total, 6);
    }
    days.push({ day, label: dayLabel(day), date: day === AFTER_DAY ? null : addDays(input.arrivalOn, day), delivered });
  }
  const from = finalFrom(input.arrivalOn, input.timeZone);
  return { final: input.now.getTime() >= from.getTime(), finalFrom: from, deliverables: lines, days };
}
