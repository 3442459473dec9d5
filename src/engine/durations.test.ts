import { describe, expect, it } from 'vitest';
import { isCadenceError } from '../errors.js';
import { createBusinessCalendar } from './calendar.js';
import { addDuration, parseDuration, type ParsedDuration } from './durations.js';

const TOKYO = 'Asia/Tokyo';
const NEW_YORK = 'America/New_York';
const japan = createBusinessCalendar({ holidays: 'JP' }, { language: 'ja' });
const us = createBusinessCalendar({ holidays: 'US' }, { language: 'en' });

function add(start: string, duration: string, zone: string, calendar?: Parameters<typeof addDuration>[3]) {
  const result = addDuration(new Date(start), parseDuration(duration), zone, calendar);
  return { at: result.at.toISOString(), skipped: result.skipped.map((day) => day.date) };
}

describe('parseDuration', () => {
  it.each<[string, ParsedDuration]>([
    ['30m', { amount: 30, unit: 'm' }],
    ['4h', { amount: 4, unit: 'h' }],
    ['2d', { amount: 2, unit: 'd' }],
    ['1w', { amount: 1, unit: 'w' }],
    ['3mo', { amount: 3, unit: 'mo' }],
    ['0d', { amount: 0, unit: 'd' }],
    ['-1d', { amount: -1, unit: 'd' }],
    ['+90m', { amount: 90, unit: 'm' }],
    ['-3mo', { amount: -3, unit: 'mo' }],
    ['+90d', { amount: 90, unit: 'd' }],
  ])('reads %s', (text, expected) => {
    expect(parseDuration(text)).toEqual(expected);
  });

  it('reads -0d as 0, not -0', () => {
    expect(Object.is(parseDuration('-0d').amount, 0)).toBe(true);
  });

  it.each(['', '1', 'd', '1x', '1.5d', ' 1d', '1d ', '1 d', '1D', '1M', '--1d', '+-1d', '1mo1d', 'mo', '99999999999999999999d'])(
    'refuses %j',
    (text) => {
      let code: string | undefined;
      try {
        parseDuration(text);
      } catch (error) {
        code = isCadenceError(error) ? error.code : undefined;
      }
      expect(code).toBe('BAD_DURATION');
    },
  );
});

describe('addDuration: minutes and hours are elapsed time', () => {
  it('adds and subtracts elapsed time', () => {
    expect(add('2026-11-24T00:00:00Z', '30m', TOKYO).at).toBe('2026-11-24T00:30:00.000Z');
    expect(add('2026-11-24T00:00:00Z', '+90m', TOKYO).at).toBe('2026-11-24T01:30:00.000Z');
    expect(add('2026-11-24T00:00:00Z', '-30m', TOKYO).at).toBe('2026-11-23T23:30:00.000Z');
  });

  it('crosses spring forward by elapsed hours: 01:30 EST + 1h = 03:30 EDT', () => {
    expect(add('2026-03-08T06:30:00Z', '1h', NEW_YORK).at).toBe('2026-03-08T07:30:00.000Z');
  });

  it('ignores the business calendar: 4h after Friday 17:00 is Friday 21:00', () => {
    expect(add('2026-11-20T08:00:00Z', '4h', TOKYO, japan)).toEqual({ at: '2026-11-20T12:00:00.000Z', skipped: [] });
  });
});

describe('addDuration: calendar days, weeks and months keep the local time', () => {
  it('keeps 09:00 across spring forward (a 23-hour day) and fall back (a 25-hour day)', () => {
    expect(add('2026-03-07T14:00:00Z', '1d', NEW_YORK).at).toBe('2026-03-08T13:00:00.000Z'); // 09:00 EST → 09:00 EDT
    expect(add('2026-10-31T13:00:00Z', '1d', NEW_YORK).at).toBe('2026-11-01T14:00:00.000Z'); // 09:00 EDT → 09:00 EST
    expect(add('2026-03-09T13:00:00Z', '-2d', NEW_YORK).at).toBe('2026-03-07T14:00:00.000Z');
  });

  it('moves a local time that does not exist forward by the gap: 02:30 → 03:30 EDT', () => {
    expect(add('2026-03-07T07:30:00Z', '1d', NEW_YORK).at).toBe('2026-03-08T07:30:00.000Z');
  });

  it('keeps the starting offset for a local time that happens twice', () => {
    expect(add('2026-10-31T05:30:00Z', '1d', NEW_YORK).at).toBe('2026-11-01T05:30:00.000Z'); // 01:30 EDT
    expect(add('2026-11-02T06:30:00Z', '-1d', NEW_YORK).at).toBe('2026-11-01T06:30:00.000Z'); // 01:30 EST
  });

  it('counts the local date, not the UTC date', () => {
    // 2026-11-23T20:00Z is Tuesday 05:00 in Tokyo but Monday in UTC.
    expect(add('2026-11-23T20:00:00Z', '1d', TOKYO).at).toBe('2026-11-24T20:00:00.000Z');
  });

  it('adds weeks as seven days', () => {
    expect(add('2026-11-20T01:00:00Z', '1w', TOKYO).at).toBe('2026-11-27T01:00:00.000Z');
    expect(add('2026-10-26T13:00:00Z', '1w', NEW_YORK).at).toBe('2026-11-02T14:00:00.000Z'); // 09:00 EDT → 09:00 EST
  });

  it('adds months, clamping to the end of a shorter month', () => {
    expect(add('2026-01-31T01:00:00Z', '1mo', TOKYO).at).toBe('2026-02-28T01:00:00.000Z');
    expect(add('2027-03-31T01:00:00Z', '-3mo', TOKYO).at).toBe('2026-12-31T01:00:00.000Z');
    expect(add('2026-02-15T14:00:00Z', '3mo', NEW_YORK).at).toBe('2026-05-15T13:00:00.000Z'); // 09:00 EST → 09:00 EDT
  });

  it('adds nothing for 0', () => {
    expect(add('2026-11-21T01:00:00Z', '0d', TOKYO)).toEqual({ at: '2026-11-21T01:00:00.000Z', skipped: [] });
  });
});

describe('addDuration: with a calendar, days and weeks are business days', () => {
  it('passes the weekend and 勤労感謝の日: Friday 10:00 + 1d = Tuesday 10:00', () => {
    const result = addDuration(new Date('2026-11-20T01:00:00Z'), parseDuration('1d'), TOKYO, japan);
    expect(result.at.toISOString()).toBe('2026-11-24T01:00:00.000Z');
    expect(result.skipped).toEqual([
      { date: '2026-11-21', reason: 'weekend' },
      { date: '2026-11-22', reason: 'weekend' },
      { date: '2026-11-23', reason: 'holiday', name: '勤労感謝の日' },
    ]);
  });

  it('counts a week as 5 business days', () => {
    expect(add('2026-11-16T01:00:00Z', '1w', TOKYO, japan)).toEqual({
      at: '2026-11-24T01:00:00.000Z',
      skipped: ['2026-11-21', '2026-11-22', '2026-11-23'],
    });
    expect(add('2026-11-16T01:00:00Z', '2w', TOKYO, createBusinessCalendar(undefined)).at).toBe('2026-11-30T01:00:00.000Z');
  });

  it('goes back for negative days', () => {
    expect(add('2026-11-24T01:00:00Z', '-1d', TOKYO, japan)).toEqual({
      at: '2026-11-20T01:00:00.000Z',
      skipped: ['2026-11-23', '2026-11-22', '2026-11-21'],
    });
  });

  it('moves 0d on a non-business day to the next business day at the same time', () => {
    // Monday 2026-11-23 05:00 JST (勤労感謝の日), still Sunday in UTC
    expect(add('2026-11-22T20:00:00Z', '0d', TOKYO, japan)).toEqual({ at: '2026-11-23T20:00:00.000Z', skipped: ['2026-11-23'] });
  });

  it('keeps 09:00 local across spring forward and Thanksgiving in New York', () => {
    expect(add('2026-03-06T14:00:00Z', '1d', NEW_YORK, us).at).toBe('2026-03-09T13:00:00.000Z'); // Fri 09:00 EST → Mon 09:00 EDT
    expect(add('2026-11-25T14:00:00Z', '1d', NEW_YORK, us)).toEqual({ at: '2026-11-27T14:00:00.000Z', skipped: ['2026-11-26'] });
  });

  it('leaves months as calendar months, even onto a holiday', () => {
    expect(add('2026-10-23T01:00:00Z', '1mo', TOKYO, japan)).toEqual({ at: '2026-11-23T01:00:00.000Z', skipped: [] });
  });
});

describe('addDuration: bad input', () => {
  it('refuses an unknown zone and an invalid Date', () => {
    let code: string | undefined;
    try {
      addDuration(new Date('2026-11-24T00:00:00Z'), parseDuration('1d'), 'Asia/Tokio');
    } catch (error) {
      code = isCadenceError(error) ? error.code : undefined;
    }
    expect(code).toBe('BAD_TIMEZONE');
    expect(() => addDuration(new Date(Number.NaN), parseDuration('1h'), TOKYO)).toThrow(RangeError);
  });
});
