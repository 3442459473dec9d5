import { describe, expect, it } from 'vitest';
import { CellError } from './cell.js';
import { convertDate, convertDateTime } from './dates.js';
import { offsetAt } from './zone-offsets.js';

function failure(result: unknown): { code: string; message: string } {
  expect(result).toBeInstanceOf(CellError);
  return result as CellError;
}

describe('convertDate', () => {
  it.each([
    ['2026-12-01', '2026-12-01'],
    ['2026/12/01', '2026-12-01'],
    ['2026/1/5', '2026-01-05'],
    ['2026-1-5', '2026-01-05'],
    ['2026.12.01', '2026-12-01'],
    ['2026年12月1日', '2026-12-01'],
    ['２０２６年１２月１日', '2026-12-01'],
    ['２０２６／１２／０１', '2026-12-01'],
    [' 2028-02-29 ', '2028-02-29'],
    ['2000-02-29', '2000-02-29'],
  ])('%j → %s', (raw, date) => {
    expect(convertDate(raw)).toBe(date);
  });

  it.each([
    ['2026-02-30', '"2026-02-30" is not a real date (use YYYY-MM-DD or YYYY/MM/DD)'],
    ['2026-02-29', '"2026-02-29" is not a real date (use YYYY-MM-DD or YYYY/MM/DD)'],
    ['1900-02-29', '"1900-02-29" is not a real date (use YYYY-MM-DD or YYYY/MM/DD)'],
    ['2026-13-01', '"2026-13-01" is not a real date (use YYYY-MM-DD or YYYY/MM/DD)'],
    ['2026/04/31', '"2026/04/31" is not a real date (use YYYY-MM-DD or YYYY/MM/DD)'],
    ['12/01/2026', '"12/01/2026" is not a date (use YYYY-MM-DD or YYYY/MM/DD)'],
    ['2026-12/01', '"2026-12/01" is not a date (use YYYY-MM-DD or YYYY/MM/DD)'],
    ['next week', '"next week" is not a date (use YYYY-MM-DD or YYYY/MM/DD)'],
    ['2026-12-01T10:00', '"2026-12-01T10:00" is not a date (use YYYY-MM-DD or YYYY/MM/DD)'],
  ])('%j is IMPORT_BAD_DATE', (raw, message) => {
    expect(failure(convertDate(raw))).toEqual({ code: 'IMPORT_BAD_DATE', message });
  });

  it('treats a blank cell as no value', () => {
    expect(convertDate('  ')).toBeUndefined();
  });
});

describe('convertDateTime', () => {
  it.each([
    ['2026-12-01 10:00', 'Asia/Tokyo', '2026-12-01T10:00:00.000+09:00'],
    ['2026/12/01 10:00', 'Asia/Tokyo', '2026-12-01T10:00:00.000+09:00'],
    ['2026/1/5 9:05', 'Asia/Tokyo', '2026-01-05T09:05:00.000+09:00'],
    ['2026-12-01T10:00:30', 'Asia/Tokyo', '2026-12-01T10:00:30.000+09:00'],
    ['2026-12-01 10:00:30.25', 'Asia/Tokyo', '2026-12-01T10:00:30.250+09:00'],
    ['2026年12月1日 10:00', 'Asia/Tokyo', '2026-12-01T10:00:00.000+09:00'],
    ['2026年12月1日10時30分', 'Asia/Tokyo', '2026-12-01T10:30:00.000+09:00'],
    ['2026年12月1日 10時', 'Asia/Tokyo', '2026-12-01T10:00:00.000+09:00'],
    ['２０２６／１２／０１　１０：００', 'Asia/Tokyo', '2026-12-01T10:00:00.000+09:00'],
    // With an offset the instant is kept, written in the workspace zone.
    ['2026-12-01T01:00:00Z', 'Asia/Tokyo', '2026-12-01T10:00:00.000+09:00'],
    ['2026-12-01T10:00:00+09:00', 'America/New_York', '2026-11-30T20:00:00.000-05:00'],
    ['2026-12-01 10:00 +0900', 'Europe/London', '2026-12-01T01:00:00.000+00:00'],
    ['2026-07-01T10:00:00-07', 'America/Los_Angeles', '2026-07-01T10:00:00.000-07:00'],
    // Daylight saving: summer and winter offsets, and a skipped hour moved forward (as luxon does).
    ['2026-07-01 09:00', 'America/New_York', '2026-07-01T09:00:00.000-04:00'],
    ['2026-01-15 09:00', 'America/New_York', '2026-01-15T09:00:00.000-05:00'],
    ['2026-03-08 02:30', 'America/New_York', '2026-03-08T03:30:00.000-04:00'],
    ['2026-10-04 02:30', 'Australia/Sydney', '2026-10-04T03:30:00.000+11:00'],
    ['2026-12-01 10:00', 'Asia/Kathmandu', '2026-12-01T10:00:00.000+05:45'],
  ])('%j in %s → %s', (raw, zone, iso) => {
    expect(convertDateTime(raw, zone)).toBe(iso);
  });

  it.each([
    ['2026-12-01', 'has no time of day'],
    ['2026-02-30 10:00', 'is not a real date and time'],
    ['2026-12-01 25:00', 'is not a real date and time'],
    ['2026-12-01 10:60', 'is not a real date and time'],
    ['2026-12-01T10:00+25:00', 'is not a real date and time'],
    ['12/01/2026 10:00 AM', 'is not a date and time'],
    ['tomorrow 10am', 'is not a date and time'],
  ])('%j is IMPORT_BAD_DATETIME: %s', (raw, problem) => {
    const { code, message } = failure(convertDateTime(raw, 'Asia/Tokyo'));
    expect(code).toBe('IMPORT_BAD_DATETIME');
    expect(message).toContain(`"${raw}" ${problem}`);
    expect(message).toContain('use YYYY-MM-DD HH:MM');
  });

  it('agrees with Intl about offsets across a year of quarter hours', () => {
    const formatter = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', timeZoneName: 'longOffset' });
    const start = Date.UTC(2026, 0, 1);
    for (let instant = start; instant < start + 365 * 86_400_000; instant += 7 * 3_600_000 + 15 * 60_000) {
      const name = formatter.formatToParts(instant).find((part) => part.type === 'timeZoneName')!.value;
      expect(offsetAt('America/New_York', instant), new Date(instant).toISOString()).toBe(name === 'GMT-04:00' ? -240 : -300);
    }
  });

  it('switches offset exactly at a transition, with the quarter-hour cache on both sides', () => {
    const transition = Date.parse('2026-03-08T07:00:00Z');
    expect(offsetAt('America/New_York', transition - 10 * 60_000)).toBe(-300);
    expect(offsetAt('America/New_York', transition - 1)).toBe(-300);
    expect(offsetAt('America/New_York', transition)).toBe(-240);
    expect(offsetAt('America/New_York', transition + 14 * 60_000)).toBe(-240);
  });
});
