import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_DAYTIME_WINDOW, DEFAULT_MARKETING_WINDOWS, nextSendTime, type WindowOptions } from './windows.ts';

const paris: WindowOptions = { timeZone: 'Europe/Paris', marketing: DEFAULT_MARKETING_WINDOWS, daytime: DEFAULT_DAYTIME_WINDOW };
const iso = (d: Date) => d.toISOString();

describe('nextSendTime', () => {
  it('keeps a due time that is inside the marketing window (Tuesday 11:30 Paris, winter: UTC+1)', () => {
    assert.equal(iso(nextSendTime(new Date('2026-11-24T10:30:00Z'), 'marketing', paris)), '2026-11-24T10:30:00.000Z');
  });

  it('moves a lunch-gap time to the evening range of the same day', () => {
    // Wednesday 15:00 Paris → 18:00 Paris.
    assert.equal(iso(nextSendTime(new Date('2026-11-25T14:00:00Z'), 'marketing', paris)), '2026-11-25T17:00:00.000Z');
  });

  it('moves Thursday night to the next Tuesday 10:00, across the weekend', () => {
    // Thursday 26 Nov 21:00 Paris → Tuesday 1 Dec 10:00 Paris.
    assert.equal(iso(nextSendTime(new Date('2026-11-26T20:00:00Z'), 'marketing', paris)), '2026-12-01T09:00:00.000Z');
  });

  it('reads the window in Paris wall-clock time across the spring DST change', () => {
    // Friday 27 March 2026 12:00 Paris (UTC+1) → Tuesday 31 March 10:00 Paris, now UTC+2.
    assert.equal(iso(nextSendTime(new Date('2026-03-27T11:00:00Z'), 'marketing', paris)), '2026-03-31T08:00:00.000Z');
  });

  it('reads the window in Paris wall-clock time across the autumn DST change', () => {
    // Thursday 22 Oct 2026 20:30 Paris (UTC+2) → Tuesday 27 Oct 10:00 Paris (UTC+1 since the 25th).
    assert.equal(iso(nextSendTime(new Date('2026-10-22T18:30:00Z'), 'marketing', paris)), '2026-10-27T09:00:00.000Z');
  });

  it('sends daytime steps every day between 09:00 and 20:00', () => {
    // Saturday 23:00 Paris → Sunday 09:00 Paris.
    assert.equal(iso(nextSendTime(new Date('2026-11-28T22:00:00Z'), 'daytime', paris)), '2026-11-29T08:00:00.000Z');
    // Sunday 15:00 stays.
    assert.equal(iso(nextSendTime(new Date('2026-11-29T14:00:00Z'), 'daytime', paris)), '2026-11-29T14:00:00.000Z');
  });

  it('lets "any" go at once, unless the recipient is in quiet hours', () => {
    const at3am = new Date('2026-11-28T02:00:00Z');
    assert.equal(iso(nextSendTime(at3am, 'any', paris)), iso(at3am));
    const quiet = { ...paris, quiet: { start: '22:00', end: '08:00', timeZone: 'Europe/Paris' } };
    assert.equal(iso(nextSendTime(at3am, 'any', quiet)), '2026-11-28T07:00:00.000Z');
  });

  it('applies quiet hours in the recipient zone on top of the window', () => {
    // Recipient in Montreal (UTC-5) quiet 00:00–12:00 local = 06:00–18:00 Paris: Tuesday 10:00 Paris waits until 18:00 Paris.
    const options = { ...paris, quiet: { start: '00:00', end: '12:00', timeZone: 'America/Montreal' } };
    assert.equal(iso(nextSendTime(new Date('2026-11-24T09:00:00Z'), 'marketing', options)), '2026-11-24T17:00:00.000Z');
  });

  it('skips a whole window that is quiet and goes to the next one', () => {
    // Quiet 09:00–15:00 Paris on a Tuesday 10:00 start: the 10–14h range is quiet, the 18–20h range is not.
    const options = { ...paris, quiet: { start: '09:00', end: '15:00', timeZone: 'Europe/Paris' } };
    assert.equal(iso(nextSendTime(new Date('2026-11-24T09:00:00Z'), 'marketing', options)), '2026-11-24T17:00:00.000Z');
  });

  it('refuses a window spec with no day', () => {
    assert.throws(() =>
      nextSendTime(new Date('2026-11-24T09:00:00Z'), 'marketing', { ...paris, marketing: { days: [], ranges: [{ start: '10:00', end: '11:00' }] } }),
    );
  });
});
