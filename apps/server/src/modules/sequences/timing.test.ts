import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_DAYTIME_WINDOW, DEFAULT_MARKETING_WINDOWS, type WindowOptions } from '../notifications/windows.ts';
import { WELCOME_STEP_DELAYS } from './defaults.ts';
import { delayLabel, stepDueAt, stepSendTime } from './timing.ts';

const paris: WindowOptions = { timeZone: 'Europe/Paris', marketing: DEFAULT_MARKETING_WINDOWS, daytime: DEFAULT_DAYTIME_WINDOW };
const iso = (d: Date) => d.toISOString();
const DAY = 1440;

describe('step timing', () => {
  it('counts delays from the start of the enrolment, not from the previous step', () => {
    const start = new Date('2026-11-24T09:15:00Z'); // Tuesday 10:15 Paris
    assert.equal(iso(stepDueAt(start, 0, 'Europe/Paris')), '2026-11-24T09:15:00.000Z');
    assert.equal(iso(stepDueAt(start, 120, 'Europe/Paris')), '2026-11-24T11:15:00.000Z');
    assert.equal(iso(stepDueAt(start, 3 * DAY, 'Europe/Paris')), '2026-11-27T09:15:00.000Z');
    assert.equal(iso(stepDueAt(start, 6 * DAY + 90, 'Europe/Paris')), '2026-11-30T10:45:00.000Z');
  });

  it('keeps the wall-clock time of whole-day delays across the spring DST change', () => {
    // Friday 27 March 2026 10:00 Paris (UTC+1); clocks go forward on Sunday the 29th.
    const start = new Date('2026-03-27T09:00:00Z');
    // D3: Monday 30 March 10:00 Paris, now UTC+2 — 71 hours later, not 72.
    assert.equal(iso(stepDueAt(start, 3 * DAY, 'Europe/Paris')), '2026-03-30T08:00:00.000Z');
    // +2h stays two elapsed hours.
    assert.equal(iso(stepDueAt(start, 120, 'Europe/Paris')), '2026-03-27T11:00:00.000Z');
  });

  it('keeps the wall-clock time of whole-day delays across the autumn DST change', () => {
    // Saturday 24 Oct 2026 19:00 Paris (UTC+2); clocks go back on Sunday the 25th.
    const start = new Date('2026-10-24T17:00:00Z');
    assert.equal(iso(stepDueAt(start, DAY, 'Europe/Paris')), '2026-10-25T18:00:00.000Z'); // Sunday 19:00 UTC+1
    // In New York the change is a week later: the same delay there is exactly 24 h.
    assert.equal(iso(stepDueAt(start, DAY, 'America/New_York')), '2026-10-25T17:00:00.000Z');
  });

  it('applies the daytime window: a late-evening sign-up gets its D0 and +2h messages the next morning', () => {
    // Friday 27 Nov 2026 22:30 Paris.
    const start = new Date('2026-11-27T21:30:00Z');
    const d0 = stepSendTime(start, { delayMinutes: 0, windowRule: 'daytime' }, paris);
    const h2 = stepSendTime(start, { delayMinutes: 120, windowRule: 'daytime' }, paris);
    assert.equal(iso(d0), '2026-11-28T08:00:00.000Z'); // Saturday 09:00
    assert.equal(iso(h2), '2026-11-28T08:00:00.000Z');
    // D3 (Monday 22:30) moves to Tuesday 09:00, not to the marketing window.
    assert.equal(iso(stepSendTime(start, { delayMinutes: 3 * DAY, windowRule: 'daytime' }, paris)), '2026-12-01T08:00:00.000Z');
  });

  it('the same Friday sign-up under the marketing rule would wait until Tuesday for everything (why welcome uses daytime)', () => {
    const start = new Date('2026-11-27T15:00:00Z'); // Friday 16:00 Paris
    const sends = [0, 120, 3 * DAY].map((delayMinutes) => iso(stepSendTime(start, { delayMinutes, windowRule: 'marketing' }, paris)));
    assert.deepEqual(sends, ['2026-12-01T09:00:00.000Z', '2026-12-01T09:00:00.000Z', '2026-12-01T09:00:00.000Z']);
  });

  it('applies the window across the spring DST change in local time', () => {
    // Thursday 26 March 2026 19:30 Paris (UTC+1), D1 marketing: Friday is outside the days → Tuesday 31 March 10:00 (UTC+2).
    const start = new Date('2026-03-26T18:30:00Z');
    assert.equal(iso(stepSendTime(start, { delayMinutes: DAY, windowRule: 'marketing' }, paris)), '2026-03-31T08:00:00.000Z');
    // Saturday 28 March 21:00 Paris + D1 daytime: Sunday 29 March (the change day) 21:00 → Monday 30 March 09:00 UTC+2.
    const saturday = new Date('2026-03-28T20:00:00Z');
    assert.equal(iso(stepSendTime(saturday, { delayMinutes: DAY, windowRule: 'daytime' }, paris)), '2026-03-30T07:00:00.000Z');
  });

  it('"any" steps go when due, unless the recipient is in quiet hours', () => {
    const start = new Date('2026-11-27T21:30:00Z');
    assert.equal(iso(stepSendTime(start, { delayMinutes: 60, windowRule: 'any' }, paris)), '2026-11-27T22:30:00.000Z');
    const quiet = { ...paris, quiet: { start: '22:00', end: '07:30', timeZone: 'Europe/Paris' } };
    assert.equal(iso(stepSendTime(start, { delayMinutes: 60, windowRule: 'any' }, quiet)), '2026-11-28T06:30:00.000Z');
  });

  it('the default welcome sequence: a Wednesday 11:00 sign-up gets D0, +2h, D3, D5, D6, D7 at those times', () => {
    const start = new Date('2026-11-25T10:00:00Z'); // Wednesday 11:00 Paris
    const sends = WELCOME_STEP_DELAYS.map((delayMinutes) => iso(stepSendTime(start, { delayMinutes, windowRule: 'daytime' }, paris)));
    assert.deepEqual(sends, [
      '2026-11-25T10:00:00.000Z',
      '2026-11-25T12:00:00.000Z',
      '2026-11-28T10:00:00.000Z',
      '2026-11-30T10:00:00.000Z',
      '2026-12-01T10:00:00.000Z',
      '2026-12-02T10:00:00.000Z',
    ]);
  });

  it('labels delays as staff read them', () => {
    assert.deepEqual([0, 120, 3 * DAY, 6 * DAY + 90].map(delayLabel), ['D0', '+2h', 'D3', 'D6 +1h 30 min']);
  });
});
