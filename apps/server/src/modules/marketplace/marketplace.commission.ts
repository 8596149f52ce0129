import { z } from 'zod';

// Pure rules of the expert commission, and the setting that holds its tiers.

export interface CommissionTier {
  /** The tier applies from this many missions delivered in the month. */
  fromMissions: number;
  /** The agency's share of each mission's price, in percent. */
  ratePercent: number;
}

export interface MarketplaceSettings {
  commissionTiers: CommissionTier[];
}

/** PRODUCT.md: 25 %, 20 % from 5 missions a month, 15 % from 10. */
export const DEFAULT_MARKETPLACE: MarketplaceSettings = {
  commissionTiers: [
    { fromMissions: 0, ratePercent: 25 },
    { fromMissions: 5, ratePercent: 20 },
    { fromMissions: 10, ratePercent: 15 },
  ],
};

export const marketplaceSettingsSchema = z
  .strictObject({
    commissionTiers: z
      .array(
        z.strictObject({
          fromMissions: z.number().int().min(0).max(1000),
          ratePercent: z.number().int().min(0).max(100),
        }),
      )
      .min(1, 'Give at least one tier')
      .max(20)
      .refine((tiers) => tiers[0]?.fromMissions === 0, 'The first tier starts at 0 missions')
      .refine((tiers) => tiers.every((t, i) => i === 0 || t.fromMissions > tiers[i - 1]!.fromMissions), 'Tiers must start at increasing mission counts'),
  })
  .describe('Expert commission: the agency share of a mission price, by missions delivered in the month') satisfies z.ZodType<MarketplaceSettings>;

/** The rate of the highest tier whose threshold the month's delivered missions reach. */
export function commissionRate(tiers: readonly CommissionTier[], deliveredInMonth: number): number {
  let rate = tiers[0]?.ratePercent ?? 0;
  for (const tier of tiers) if (deliveredInMonth >= tier.fromMissions) rate = tier.ratePercent;
  return rate;
}

/** The agency's commission on one price, in cents, rounded half up to the cent. */
export function commissionCents(priceCents: number, ratePercent: number): number {
  return Math.round((priceCents * ratePercent) / 100);
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
export const TIME_ZONE = 'Europe/Paris';

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

/** The instant of local midnight on the first day of a month in `zone` (never inside a DST change, which happens at night's 2–3 h). */
function monthStart(year: number, month: number, zone: string): Date {
  const guess = Date.UTC(year, month - 1, 1);
  return new Date(guess - zoneOffsetMs(guess - zoneOffsetMs(guess, zone), zone));
}

/** A calendar month `YYYY-MM` in Europe/Paris as the UTC interval [from, to). */
export function monthRange(month: string, zone = TIME_ZONE): { from: Date; to: Date } {
  const match = MONTH.exec(month);
  if (!match) throw new Error(`Not a month: ${month}`);
  const year = Number(match[1]);
  const m = Number(match[2]);
  return { from: monthStart(year, m, zone), to: m === 12 ? monthStart(year + 1, 1, zone) : monthStart(year, m + 1, zone) };
}

/** The current month `YYYY-MM` in Europe/Paris. */
export function currentMonth(now = new Date(), zone = TIME_ZONE): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit' }).formatToParts(now);
  return `${parts.find((p) => p.type === 'year')!.value}-${parts.find((p) => p.type === 'month')!.value}`;
}

export const monthSchema = z.string().regex(MONTH, 'Give a month as YYYY-MM');

export interface CommissionLine {
  priceCents: number;
  commissionCents: number;
  payoutCents: number;
}

/**
 * The month's statement: one rate for all of the month's missions, chosen by
 * how many there are; each line's commission rounded to the cent, the totals
 * the sums of the lines, payout = price − commission.
 */
export function commissionStatement<M extends { priceCents: number }>(
  tiers: readonly CommissionTier[],
  missions: readonly M[],
): { count: number; ratePercent: number; grossCents: number; commissionCents: number; payoutCents: number; lines: (M & CommissionLine)[] } {
  const ratePercent = commissionRate(tiers, missions.length);
  const lines = missions.map((m) => {
    const commission = commissionCents(m.priceCents, ratePercent);
    return { ...m, commissionCents: commission, payoutCents: m.priceCents - commission };
  });
  const sum = (pick: (l: CommissionLine) => number) => lines.reduce((n, l) => n + pick(l), 0);
  return {
    count: missions.length,
    ratePercent,
    grossCents: sum((l) => l.priceCents),
    commissionCents: sum((l) => l.commissionCents),
    payoutCents: sum((l) => l.payoutCents),
    lines,
  };
}
