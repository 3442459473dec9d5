/**
 * Holidays a validation computed (kept in the validation cache), handed to the holiday
 * index when a calendar is first built. A module of its own with nothing to load, so
 * that reading the cache costs a command that never builds a calendar (a tick with
 * nothing due) no more than this.
 */
export interface HolidayYears {
  code: string;
  language?: 'en' | 'ja';
  /** The years computed, first and last. */
  from: number;
  to: number;
  /** Local date and name of each holiday those years give (a holiday of the last spills into January after it). */
  names: [string, string][];
  /** The versions of date-holidays and its parser that gave them: another version computes again. */
  source: string;
}

const seeds = new Map<string, HolidayYears>();

export const holidayKey = (code: string, language: 'en' | 'ja' | undefined): string => `${code}\u0000${language ?? ''}`;

/** Remembers years a validation computed; the first seed for a calendar counts. */
export function seedHolidays(years: HolidayYears): void {
  const key = holidayKey(years.code, years.language);
  if (!seeds.has(key)) seeds.set(key, years);
}

/** The years seeded for a calendar, if any. */
export function holidaySeed(code: string, language: 'en' | 'ja' | undefined): HolidayYears | undefined {
  return seeds.get(holidayKey(code, language));
}
