import holidayJp from '@holiday-jp/holiday_jp';
import { describe, expect, it } from 'vitest';
import { addBusinessDays, createBusinessCalendar, nextBusinessDay, type BusinessCalendar } from './calendar.js';
import { holidayIndex, holidayYears } from './holiday-index.js';
import { seedHolidays } from './holiday-seeds.js';
import { holidaysModule, holidaysVersion } from '../workspace/calendar-check.js';
import { errorCode } from '../../test/helpers/errors.js';

const japan = createBusinessCalendar({ holidays: 'JP' }, { language: 'ja' });
const us = createBusinessCalendar({ holidays: 'US' }, { language: 'en' });
/** 年末年始: the office closes 12-29 to 01-03; 01-01 is 元日 anyway. */
const japanNewYear = createBusinessCalendar(
  { holidays: 'JP', closures: ['2026-12-29', '2026-12-30', '2026-12-31', '2027-01-02', '2027-01-03'] },
  { language: 'ja' },
);

describe('Japanese public holidays', () => {
  it.each([
    ['2026-11-03', '文化の日'],
    ['2026-11-23', '勤労感謝の日'],
    ['2026-04-29', '昭和の日'],
    ['2026-05-03', '憲法記念日'],
    ['2026-05-04', 'みどりの日'],
    ['2026-05-05', 'こどもの日'],
    ['2026-09-22', '国民の休日'],
    ['2027-01-01', '元日'],
  ])('%s is %s', (date, name) => {
    expect(japan.whyNot(date)).toEqual({ date, reason: 'holiday', name });
    expect(japan.isBusinessDay(date)).toBe(false);
  });

  it('counts the 振替休日 of Golden Week 2026 (05-03 is a Sunday, so 05-06 is off)', () => {
    // date-holidays names it after 憲法記念日, the Sunday holiday it replaces;
    // @holiday-jp/holiday_jp calls it こどもの日 振替休日. The date is what matters.
    expect(japan.whyNot('2026-05-06')).toEqual({ date: '2026-05-06', reason: 'holiday', name: '憲法記念日 (振替休日)' });
    expect(japan.isBusinessDay('2026-05-07')).toBe(true);
  });

  it('names a holiday on a weekend as the holiday, not the weekend', () => {
    expect(japan.whyNot('2026-05-03')?.reason).toBe('holiday'); // a Sunday
  });

  it('leaves bank holidays and observances as business days', () => {
    expect(japan.isBusinessDay('2026-01-02')).toBe(true); // 銀行休業日 (bank)
    expect(japan.isBusinessDay('2026-12-31')).toBe(true); // 大晦日 (bank): a closure if the company closes
    expect(japan.isBusinessDay('2026-12-25')).toBe(true); // クリスマス (observance)
  });

  it('names holidays in English when asked', () => {
    const english = createBusinessCalendar({ holidays: 'JP' }, { language: 'en' });
    expect(english.whyNot('2026-11-23')?.name).toBe('Labor Thanksgiving Day');
    expect(english.whyNot('2026-11-03')?.name).toBe('Culture Day');
  });

  it('names holidays in the country’s own language when no language is given', () => {
    expect(createBusinessCalendar({ holidays: 'JP' }).whyNot('2027-01-01')?.name).toBe('元日');
  });

  it('agrees with @holiday-jp/holiday_jp on every public holiday of 2026–2028', () => {
    const expected = Object.keys(holidayJp.holidays).filter((date) => date >= '2026-01-01' && date <= '2028-12-31');
    const actual: string[] = [];
    for (let day = new Date(Date.UTC(2026, 0, 1)); day.getUTCFullYear() <= 2028; day.setUTCDate(day.getUTCDate() + 1)) {
      const date = day.toISOString().slice(0, 10);
      if (japan.whyNot(date)?.reason === 'holiday') actual.push(date);
    }
    expect(expected.length).toBeGreaterThan(45);
    expect(actual).toEqual(expected);
  });
});

describe('US public holidays', () => {
  it('has Thanksgiving on 2026-11-26, and the day after only where it is a public holiday', () => {
    expect(us.whyNot('2026-11-26')).toEqual({ date: '2026-11-26', reason: 'holiday', name: 'Thanksgiving Day' });
    expect(us.isBusinessDay('2026-11-27')).toBe(true); // an observance federally
    const california = createBusinessCalendar({ holidays: 'US-CA' }, { language: 'en' });
    expect(california.whyNot('2026-11-27')).toEqual({ date: '2026-11-27', reason: 'holiday', name: 'Day after Thanksgiving Day' });
    expect(california.whyNot('2026-03-31')?.name).toBe('César Chávez Day');
    expect(us.isBusinessDay('2026-03-31')).toBe(true);
  });

  it('observes Independence Day on Friday 2026-07-03 (07-04 is a Saturday): date-holidays marks it public', () => {
    expect(us.whyNot('2026-07-03')).toEqual({ date: '2026-07-03', reason: 'holiday', name: 'Independence Day (substitute day)' });
    expect(us.whyNot('2026-07-04')).toEqual({ date: '2026-07-04', reason: 'holiday', name: 'Independence Day' });
    expect(addBusinessDays(us, '2026-07-02', 1).date).toBe('2026-07-06');
  });

  it('observes New Year’s Day 2028 (a Saturday) on Friday 2027-12-31, across the year boundary', () => {
    expect(us.whyNot('2027-12-31')?.name).toBe("New Year's Day (substitute day)");
  });

  it('leaves observances and optional days as business days', () => {
    expect(us.isBusinessDay('2026-12-24')).toBe(true); // Christmas Eve: optional
    expect(us.isBusinessDay('2026-04-15')).toBe(true); // Tax Day: observance
  });
});

describe('weekends and closures', () => {
  it('defaults the weekend to Saturday and Sunday, with no public holidays', () => {
    const plain = createBusinessCalendar(undefined);
    expect(plain.whyNot('2026-11-21')).toEqual({ date: '2026-11-21', reason: 'weekend' });
    expect(plain.whyNot('2026-11-22')).toEqual({ date: '2026-11-22', reason: 'weekend' });
    expect(plain.isBusinessDay('2026-11-23')).toBe(true); // 勤労感謝の日, but no holiday calendar
    expect(createBusinessCalendar({}).isBusinessDay('2026-11-26')).toBe(true);
  });

  it('treats holidays: none as no public holidays', () => {
    const none = createBusinessCalendar({ holidays: 'none', closures: ['2026-11-24'] });
    expect(none.isBusinessDay('2026-11-03')).toBe(true);
    expect(none.whyNot('2026-11-24')).toEqual({ date: '2026-11-24', reason: 'closure' });
  });

  it('takes a custom weekend (Friday and Saturday)', () => {
    const gulf = createBusinessCalendar({ weekend: ['fri', 'sat'] });
    expect(gulf.whyNot('2026-11-27')).toEqual({ date: '2026-11-27', reason: 'weekend' });
    expect(gulf.whyNot('2026-11-28')).toEqual({ date: '2026-11-28', reason: 'weekend' });
    expect(gulf.isBusinessDay('2026-11-29')).toBe(true); // Sunday
    expect(addBusinessDays(gulf, '2026-11-26', 1)).toEqual({
      date: '2026-11-29',
      skipped: [
        { date: '2026-11-27', reason: 'weekend' },
        { date: '2026-11-28', reason: 'weekend' },
      ],
    });
  });

  it('takes an empty weekend: every day is a business day but closures and holidays', () => {
    const always = createBusinessCalendar({ weekend: [], closures: ['2026-11-22'] });
    expect(always.isBusinessDay('2026-11-21')).toBe(true);
    expect(always.isBusinessDay('2026-11-22')).toBe(false);
  });

  it('reports a closure on a weekday, and a closure on a weekend as a closure', () => {
    expect(japanNewYear.whyNot('2026-12-29')).toEqual({ date: '2026-12-29', reason: 'closure' });
    expect(japanNewYear.whyNot('2027-01-02')).toEqual({ date: '2027-01-02', reason: 'closure' }); // a Saturday
    expect(japanNewYear.whyNot('2027-01-01')).toEqual({ date: '2027-01-01', reason: 'holiday', name: '元日' });
  });

  it('refuses a weekend of every day, an unknown holiday calendar, and a malformed closure', () => {
    expect(errorCode(() => createBusinessCalendar({ weekend: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] }))).toBe('CONFIG_BAD_CALENDAR');
    expect(errorCode(() => createBusinessCalendar({ holidays: 'XX' }))).toBe('CONFIG_BAD_CALENDAR');
    expect(errorCode(() => createBusinessCalendar({ holidays: 'US-ZZ' }))).toBe('CONFIG_BAD_CALENDAR');
    expect(errorCode(() => createBusinessCalendar({ closures: ['2026-02-30'] }))).toBe('RangeError');
  });

  it('refuses dates that are not YYYY-MM-DD', () => {
    for (const bad of ['2026-2-3', '2026-02-30', '20260203', '2026-02-03T00:00', '']) {
      expect(errorCode(() => japan.isBusinessDay(bad))).toBe('RangeError');
    }
  });
});

describe('addBusinessDays', () => {
  it('returns the date itself for 0 days on a business day, else the next business day', () => {
    expect(addBusinessDays(japan, '2026-11-24', 0)).toEqual({ date: '2026-11-24', skipped: [] });
    expect(addBusinessDays(japan, '2026-11-21', 0)).toEqual({
      date: '2026-11-24',
      skipped: [
        { date: '2026-11-21', reason: 'weekend' },
        { date: '2026-11-22', reason: 'weekend' },
        { date: '2026-11-23', reason: 'holiday', name: '勤労感謝の日' },
      ],
    });
  });

  it('counts after the start: from Friday, 1 business day passes the weekend and 勤労感謝の日', () => {
    expect(addBusinessDays(japan, '2026-11-20', 1)).toEqual({
      date: '2026-11-24',
      skipped: [
        { date: '2026-11-21', reason: 'weekend' },
        { date: '2026-11-22', reason: 'weekend' },
        { date: '2026-11-23', reason: 'holiday', name: '勤労感謝の日' },
      ],
    });
    expect(addBusinessDays(japan, '2026-11-20', 5).date).toBe('2026-11-30');
  });

  it('from a non-business day, 1 business day is the first business day (the start is not listed)', () => {
    expect(addBusinessDays(japan, '2026-11-21', 1)).toEqual({
      date: '2026-11-24',
      skipped: [
        { date: '2026-11-22', reason: 'weekend' },
        { date: '2026-11-23', reason: 'holiday', name: '勤労感謝の日' },
      ],
    });
  });

  it('passes over the whole of Golden Week 2026', () => {
    const { date, skipped } = addBusinessDays(japan, '2026-05-01', 1);
    expect(date).toBe('2026-05-07');
    expect(skipped.map((day) => `${day.date} ${day.reason} ${day.name ?? ''}`.trim())).toEqual([
      '2026-05-02 weekend',
      '2026-05-03 holiday 憲法記念日',
      '2026-05-04 holiday みどりの日',
      '2026-05-05 holiday こどもの日',
      '2026-05-06 holiday 憲法記念日 (振替休日)',
    ]);
    expect(addBusinessDays(japan, '2026-04-28', 1).date).toBe('2026-04-30'); // over 昭和の日
  });

  it('passes over 年末年始 (closures 12-29 to 01-03 around 元日)', () => {
    expect(addBusinessDays(japanNewYear, '2026-12-28', 1)).toEqual({
      date: '2027-01-04',
      skipped: [
        { date: '2026-12-29', reason: 'closure' },
        { date: '2026-12-30', reason: 'closure' },
        { date: '2026-12-31', reason: 'closure' },
        { date: '2027-01-01', reason: 'holiday', name: '元日' },
        { date: '2027-01-02', reason: 'closure' },
        { date: '2027-01-03', reason: 'closure' },
      ],
    });
    expect(addBusinessDays(japanNewYear, '2026-12-25', 3).date).toBe('2027-01-05');
    // Without the closures only 元日 and the weekend are off.
    expect(addBusinessDays(japan, '2026-12-28', 4).date).toBe('2027-01-04');
  });

  it('goes backwards for negative days, listing the skipped days in the order walked', () => {
    expect(addBusinessDays(japanNewYear, '2027-01-04', -1)).toEqual({
      date: '2026-12-28',
      skipped: [
        { date: '2027-01-03', reason: 'closure' },
        { date: '2027-01-02', reason: 'closure' },
        { date: '2027-01-01', reason: 'holiday', name: '元日' },
        { date: '2026-12-31', reason: 'closure' },
        { date: '2026-12-30', reason: 'closure' },
        { date: '2026-12-29', reason: 'closure' },
      ],
    });
    expect(addBusinessDays(japan, '2026-11-24', -1).date).toBe('2026-11-20');
    expect(addBusinessDays(japan, '2026-11-22', -1).date).toBe('2026-11-20'); // from a Sunday
    expect(addBusinessDays(us, '2026-11-30', -2)).toEqual({
      date: '2026-11-25',
      skipped: [
        { date: '2026-11-29', reason: 'weekend' },
        { date: '2026-11-28', reason: 'weekend' },
        { date: '2026-11-26', reason: 'holiday', name: 'Thanksgiving Day' },
      ],
    });
  });

  it('is the inverse of itself between business days', () => {
    for (const start of ['2026-04-24', '2026-11-20', '2026-12-28']) {
      for (const days of [1, 3, 7, 20]) {
        const forward = addBusinessDays(japanNewYear, start, days).date;
        expect(addBusinessDays(japanNewYear, forward, -days).date).toBe(start);
      }
    }
  });

  it('counts a long run across a year: 250 business days from 2026-01-05', () => {
    const plain = createBusinessCalendar(undefined);
    // 250 weekdays after Monday 2026-01-05 is 50 whole weeks later.
    expect(addBusinessDays(plain, '2026-01-05', 250).date).toBe('2026-12-21');
  });

  it('refuses fractional days and a calendar with no business day in reach', () => {
    expect(errorCode(() => addBusinessDays(japan, '2026-11-20', 1.5))).toBe('RangeError');
    const never: BusinessCalendar = { isBusinessDay: () => false, whyNot: (date) => ({ date, reason: 'closure' }) };
    expect(errorCode(() => addBusinessDays(never, '2026-11-20', 1))).toBe('CALENDAR_NO_BUSINESS_DAY');
    expect(errorCode(() => nextBusinessDay(never, '2026-11-20'))).toBe('CALENDAR_NO_BUSINESS_DAY');
  });
});

describe('nextBusinessDay', () => {
  it('is the date itself on a business day', () => {
    expect(nextBusinessDay(japan, '2026-11-24')).toEqual({ date: '2026-11-24', skipped: [] });
  });

  it('moves past 元日 and the closures, listing the start first', () => {
    const { date, skipped } = nextBusinessDay(japanNewYear, '2026-12-29');
    expect(date).toBe('2027-01-04');
    expect(skipped.map((day) => day.date)).toEqual(['2026-12-29', '2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02', '2027-01-03']);
  });
});

describe('cost', () => {
  it('shares holidays between calendars and memoises answers', () => {
    expect(holidayIndex('JP', 'ja')).toBe(holidayIndex('JP', 'ja'));
    expect(holidayIndex('JP', 'en')).not.toBe(holidayIndex('JP', 'ja'));
    expect(japan.whyNot('2026-11-23')).toBe(japan.whyNot('2026-11-23'));
    expect(Object.isFrozen(japan.whyNot('2026-11-23'))).toBe(true);
  });

  it('builds a calendar per lead cheaply once the year is loaded', () => {
    createBusinessCalendar({ holidays: 'JP' }).isBusinessDay('2026-11-23');
    const started = performance.now();
    for (let lead = 0; lead < 10_000; lead += 1) {
      const calendar = createBusinessCalendar({ holidays: 'JP', closures: ['2026-12-29'] });
      calendar.isBusinessDay('2026-11-23');
      addBusinessDays(calendar, '2026-11-20', 3);
    }
    // ~50 ms here; the bound only catches a per-calendar holiday computation (~20 ms each).
    expect(performance.now() - started).toBeLessThan(3_000);
  });
});

describe('holidays kept by the validation cache', () => {
  it('are the years date-holidays gives, a holiday spilling into the next January included', () => {
    const years = holidayYears('DE', 'en', 2026, 2027);
    expect(years).toMatchObject({ code: 'DE', language: 'en', from: 2026, to: 2027 });
    const names = new Map(years.names);
    // Against date-holidays itself, not the index the years came from.
    const source = new (holidaysModule())({ country: 'DE' }, { types: ['public'], languages: ['en'] });
    const expected = [...source.getHolidays(2026), ...source.getHolidays(2027)].filter((holiday) => holiday.type === 'public');
    expect(expected.length).toBeGreaterThan(15);
    for (const holiday of expected) expect(names.get(holiday.date.slice(0, 10))).toBe(holiday.name);
    expect([...names.keys()].every((date) => date >= '2026-01-01' && date <= '2028-12-31')).toBe(true);
    // Eswatini's Incwala starts on 2026-12-28 and lasts six days: its January days are kept.
    const incwala = new Map(holidayYears('SZ', 'en', 2025, 2026).names);
    expect(incwala.get('2026-12-28')).toBe('Incwala Festival');
    expect(incwala.get('2027-01-02')).toBe('Incwala Festival');
  });

  it('seeded, answer January of the year after from the seed and January of the first year as date-holidays does', () => {
    const computed = holidayYears('SZ', 'en', 2025, 2026);
    seedHolidays({ ...computed, code: 'SZ', language: 'ja' });
    const seeded = holidayIndex('SZ', 'ja');
    expect(seeded.nameOn('2027-01-02')).toBe('Incwala Festival');
    // January 2025 also asks for 2024's Incwala, which is computed (in this index's
    // language) and joins the seeded name of the day.
    const firstJanuary = seeded.nameOn('2025-01-01');
    expect(firstJanuary).toContain("New Year's Day");
    expect(firstJanuary).toContain('Incwala');
  });

  it('answer a seeded calendar without computing its years; years outside them are computed', () => {
    // A made-up holiday date-holidays would never give shows the seed is what answers.
    seedHolidays({ code: 'AT', language: 'ja', from: 2026, to: 2027, names: [['2026-06-15', 'seeded day']], source: holidaysVersion() });
    const seeded = holidayIndex('AT', 'ja');
    expect(seeded.nameOn('2026-06-15')).toBe('seeded day');
    expect(seeded.nameOn('2026-12-25')).toBeUndefined();
    // 2028 was not seeded: computed from date-holidays (Christmas is a public holiday in Austria).
    expect(seeded.nameOn('2028-12-25')).toBeDefined();
    // A calendar already in use keeps its own answers.
    seedHolidays({ code: 'AT', language: 'ja', from: 2026, to: 2027, names: [['2026-06-16', 'second seed']], source: holidaysVersion() });
    expect(holidayIndex('AT', 'ja').nameOn('2026-06-16')).toBeUndefined();
  });

  it('computed by another version of date-holidays are computed again', () => {
    seedHolidays({ code: 'CH', language: 'en', from: 2026, to: 2027, names: [['2026-06-15', 'stale day']], source: '0.0.1 0.0.1' });
    expect(holidayIndex('CH', 'en').nameOn('2026-06-15')).toBeUndefined();
    expect(holidayIndex('CH', 'en').nameOn('2026-12-25')).toBe('Christmas Day');
  });
});
