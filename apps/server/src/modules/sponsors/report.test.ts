import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addDays, buildReport, finalFrom, localDate, percentOf, villaDay, zonedMidnight } from './report.ts';
import { purchaseRefusal } from './sponsors.service.ts';

test('local dates and villa days follow the villa time zone', () => {
  // 23:30 UTC on 14 June is already 15 June in Paris (UTC+2) but still 14 June in New York.
  const instant = new Date('2027-06-14T23:30:00Z');
  assert.equal(localDate(instant, 'Europe/Paris'), '2027-06-15');
  assert.equal(localDate(instant, 'America/New_York'), '2027-06-14');
  assert.equal(villaDay(instant, '2027-06-14', 'Europe/Paris'), 1);
  assert.equal(villaDay(instant, '2027-06-14', 'America/New_York'), 0);
  assert.equal(villaDay(new Date('2027-06-01T12:00:00Z'), '2027-06-14', 'Europe/Paris'), -13);
  assert.equal(addDays('2027-02-27', 2), '2027-03-01');
  assert.equal(addDays('2027-01-01', -1), '2026-12-31');
});

test('local midnight and the final rule: arrivalOn + 38 days at local midnight, across a DST change', () => {
  assert.equal(zonedMidnight('2027-06-14', 'Europe/Paris').toISOString(), '2027-06-13T22:00:00.000Z');
  assert.equal(zonedMidnight('2027-01-14', 'Europe/Paris').toISOString(), '2027-01-13T23:00:00.000Z');
  assert.equal(zonedMidnight('2027-06-14', 'UTC').toISOString(), '2027-06-14T00:00:00.000Z');
  // Arrival 2027-03-01 (winter time); + 38 days = 2027-04-08, summer time in Paris.
  assert.equal(finalFrom('2027-03-01', 'Europe/Paris').toISOString(), '2027-04-07T22:00:00.000Z');
  assert.equal(finalFrom('2027-06-14', 'America/New_York').toISOString(), '2027-07-22T04:00:00.000Z');
});

test('percent: one decimal, may pass 100, null when nothing is promised', () => {
  assert.equal(percentOf(5, 8), 62.5);
  assert.equal(percentOf(1, 3), 33.3);
  assert.equal(percentOf(12, 8), 150);
  assert.equal(percentOf(4, 0), null);
});

test('the report: promised vs delivered, cumulative per villa day, live then final', () => {
  const at = (iso: string) => new Date(iso);
  const input = {
    arrivalOn: '2027-06-14',
    timeZone: 'Europe/Paris',
    now: at('2027-07-21T21:59:59Z'),
    deliverables: [
      { metric: 'mentions' as const, promised: 12 },
      { metric: 'logo_hours' as const, promised: 8 },
      { metric: 'leads' as const, promised: 0 },
    ],
    records: [
      { metric: 'logo_hours' as const, amount: 1, occurredAt: at('2027-06-10T10:00:00Z') }, // before J-1: counts on J-1
      { metric: 'logo_hours' as const, amount: 2, occurredAt: at('2027-06-14T21:59:00Z') }, // 23:59 Paris, J-1
      { metric: 'logo_hours' as const, amount: 2, occurredAt: at('2027-06-14T22:00:00Z') }, // 00:00 Paris, J1
      { metric: 'mentions' as const, amount: 5, occurredAt: at('2027-06-18T18:00:00Z') }, // J4
      { metric: 'mentions' as const, amount: 4, occurredAt: at('2027-06-21T18:00:00Z') }, // J7
      { metric: 'mentions' as const, amount: 4, occurredAt: at('2027-06-25T18:00:00Z') }, // after
      { metric: 'leads' as const, amount: 3, occurredAt: at('2027-06-16T18:00:00Z') }, // J2
      { metric: 'reach' as const, amount: 999, occurredAt: at('2027-06-16T18:00:00Z') }, // not promised: ignored
    ],
  };
  const report = buildReport(input);
  assert.equal(report.final, false);
  assert.equal(report.finalFrom.toISOString(), '2027-07-21T22:00:00.000Z');
  assert.deepEqual(report.deliverables, [
    { metric: 'logo_hours', promised: 8, delivered: 5, percent: 62.5 },
    { metric: 'mentions', promised: 12, delivered: 13, percent: 108.3 },
    { metric: 'leads', promised: 0, delivered: 3, percent: null },
  ]);
  assert.deepEqual(
    report.days.map((d) => [d.label, d.date]),
    [
      ['J-1', '2027-06-14'],
      ['J1', '2027-06-15'],
      ['J2', '2027-06-16'],
      ['J3', '2027-06-17'],
      ['J4', '2027-06-18'],
      ['J5', '2027-06-19'],
      ['J6', '2027-06-20'],
      ['J7', '2027-06-21'],
      ['after', null],
    ],
  );
  assert.deepEqual(
    report.days.map((d) => d.delivered.logo_hours),
    [3, 5, 5, 5, 5, 5, 5, 5, 5],
  );
  assert.deepEqual(
    report.days.map((d) => d.delivered.mentions),
    [0, 0, 0, 0, 5, 5, 5, 9, 13],
  );
  assert.deepEqual(
    report.days.map((d) => d.delivered.leads),
    [0, 0, 3, 3, 3, 3, 3, 3, 3],
  );
  assert.equal(report.days[0]!.delivered.reach, undefined);

  assert.equal(buildReport({ ...input, now: at('2027-07-21T22:00:00Z') }).final, true);
  const empty = buildReport({ ...input, records: [] });
  assert.deepEqual(
    empty.deliverables.map((d) => d.delivered),
    [0, 0, 0],
  );
});

test('purchase rules: closed villa, 4 sponsors, one principal, one per exclusive sector', () => {
  const open = { status: 'open', archivedAt: null };
  const deal = (packageCode: string, exclusiveSector: string | null = null) => ({ packageCode, exclusiveSector });
  assert.equal(purchaseRefusal(open, [], deal('principal')), null);
  assert.equal(purchaseRefusal({ status: 'completed', archivedAt: null }, [], deal('event')), 'this villa is completed');
  assert.equal(purchaseRefusal({ status: 'open', archivedAt: new Date() }, [], deal('event')), 'this villa is archived');
  const four = [deal('activation'), deal('activation'), deal('event'), deal('category', 'telecom')];
  assert.equal(purchaseRefusal(open, four, deal('event')), 'this villa already has 4 sponsors');
  assert.equal(purchaseRefusal(open, four.slice(0, 3), deal('event')), null);
  assert.equal(purchaseRefusal(open, [deal('principal')], deal('principal')), 'this villa already has a principal sponsor');
  assert.equal(purchaseRefusal(open, [deal('category', 'telecom')], deal('category', 'telecom')), 'the telecom category is already taken for this villa');
  assert.equal(purchaseRefusal(open, [deal('category', 'telecom')], deal('category', 'beverages')), null);
});
