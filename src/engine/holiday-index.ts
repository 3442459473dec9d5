/*
 * Public holidays come from date-holidays (https://github.com/commenthol/date-holidays),
 * © commenthol and contributors: code under ISC; holiday data (drawn from Wikipedia)
 * under Creative Commons Attribution — its package.json says CC-BY-3.0, its LICENSE
 * file CC BY-SA 3.0 (https://creativecommons.org/licenses/by-sa/3.0/). The attributions
 * are in node_modules/date-holidays/LICENSE.
 */
import type Holidays from 'date-holidays';
import { DateTime } from 'luxon';
import { CadenceError } from '../errors.js';
import { checkHolidayCalendar, holidaysModule, holidaysVersion } from '../workspace/calendar-check.js';
import { holidayKey, holidaySeed, type HolidayYears } from './holiday-seeds.js';

/** The public holidays of one date-holidays calendar (`JP`, `US`, `US-CA`), by local date. */
export interface HolidayIndex {
  /** The holiday's name on that local date (`YYYY-MM-DD`), or undefined on an ordinary day. */
  nameOn(date: string): string | undefined;
}

/**
 * One index per calendar and language for the whole process: a tick builds a business
 * calendar for each of thousands of leads, while date-holidays takes ~20 ms to compute
 * a year, so each year is computed once, on first use.
 */
/** An index that can also hand out whole years (for the validation cache). */
type YearsIndex = HolidayIndex & { years(from: number, to: number): HolidayYears };

const indexes = new Map<string, YearsIndex>();

export function holidayIndex(code: string, language?: 'en' | 'ja'): HolidayIndex {
  return indexOf(code, language);
}

function indexOf(code: string, language: 'en' | 'ja' | undefined): YearsIndex {
  const key = holidayKey(code, language);
  let index = indexes.get(key);
  if (index === undefined) {
    // Years the validation cache kept need not be computed (nor date-holidays loaded),
    // unless another version of date-holidays computed them.
    const seed = holidaySeed(code, language);
    index = createHolidayIndex(code, language, seed?.source === holidaysVersion() ? seed : undefined);
    indexes.set(key, index);
  }
  return index;
}

/** The holidays of years `from` to `to` of a calendar, for the validation cache (computed here with date-holidays). */
export function holidayYears(code: string, language: 'en' | 'ja' | undefined, from: number, to: number): HolidayYears {
  return indexOf(code, language).years(from, to);
}

function createHolidayIndex(code: string, language: 'en' | 'ja' | undefined, seed?: HolidayYears): YearsIndex {
  // A seed comes from a validation, which checked the code.
  const check = seed ? { ok: true as const } : checkHolidayCalendar(code);
  if (!check.ok) {
    throw new CadenceError('CONFIG_BAD_CALENDAR', `holiday calendar ${check.message}`, {
      hint: check.guess ? `did you mean "${check.guess}"?` : 'use a country code such as JP or US, a region such as US-CA, or none',
    });
  }
  const [country, state, region] = code.split('-') as [string, string | undefined, string | undefined];
  let source: Holidays | undefined;
  const names = new Map<string, string>(seed?.names);
  const loadedYears = new Set<number>();
  if (seed) for (let year = seed.from; year <= seed.to; year++) loadedYears.add(year);

  function load(year: number): void {
    if (loadedYears.has(year)) return;
    loadedYears.add(year);
    source ??= new (holidaysModule())(
      { country, ...(state ? { state } : {}), ...(region ? { region } : {}) },
      // Without a language date-holidays names holidays in the country's own (元日 for JP).
      { types: ['public'], ...(language ? { languages: [language] } : {}) },
    );
    for (const holiday of source.getHolidays(year)) {
      if (holiday.type !== 'public') continue;
      for (const date of wholeDays(holiday.date, holiday.end.getTime() - holiday.start.getTime())) {
        const earlier = names.get(date);
        names.set(date, earlier === undefined || earlier === holiday.name ? holiday.name : `${earlier} / ${holiday.name}`);
      }
    }
  }

  return {
    nameOn(date) {
      const year = Number(date.slice(0, 4));
      load(year);
      // A holiday of several days that starts in late December runs into January.
      if (date.slice(5, 7) === '01') load(year - 1);
      return names.get(date);
    },
    years(from, to) {
      for (let year = from; year <= to; year++) load(year);
      const inYears = [...names].filter(([date]) => {
        const year = Number(date.slice(0, 4));
        return year >= from && year <= to + 1;
      });
      return { code, ...(language ? { language } : {}), from, to, names: inYears.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)), source: holidaysVersion() };
    },
  };
}

const HOUR = 3_600_000;

/**
 * The local dates a holiday takes whole. `start` is date-holidays' local
 * `YYYY-MM-DD hh:mm:ss`; a holiday that starts after midnight or lasts under a day
 * (China's half-day 国际妇女节 from 12:00) closes no business day.
 */
function wholeDays(start: string, durationMs: number): string[] {
  if (start.slice(11, 19) !== '00:00:00') return [];
  // ±2 h of slack: a day with a daylight-saving change lasts 23 or 25 hours.
  const days = Math.floor((durationMs + 2 * HOUR) / (24 * HOUR));
  const first = DateTime.fromISO(start.slice(0, 10), { zone: 'utc' });
  return Array.from({ length: days }, (_, offset) => first.plus({ days: offset }).toISODate()!);
}
