import { CadenceError } from '../errors.js';
import type { CalendarDefinition, Weekday } from '../workspace/types.js';
import { holidayIndex, type HolidayIndex } from './holiday-index.js';
import { stepLocalDate, weekdayOf } from './local-date.js';

/** A date that is not a business day, and why: what a simulation shows as "moved past". */
export interface SkippedDay {
  /** The local date, `YYYY-MM-DD`. */
  date: string;
  reason: 'weekend' | 'holiday' | 'closure';
  /** The holiday's name in the calendar's language, e.g. 勤労感謝の日 or Thanksgiving Day. */
  name?: string;
}

export interface BusinessCalendar {
  /** Whether the local date (YYYY-MM-DD) is a business day. */
  isBusinessDay(date: string): boolean;
  /** Why a date is not a business day, or undefined. */
  whyNot(date: string): SkippedDay | undefined;
}

/** luxon's weekday numbers: 1 = Monday … 7 = Sunday. */
const WEEKDAY_NUMBERS: Record<Weekday, number> = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 };

/**
 * A business calendar from cadence.yaml's `calendar:`: `weekend` (default sat + sun),
 * the public holidays of `holidays` (a date-holidays code; `none` or absent: none) and
 * company `closures`. A date that is several things at once reports the most telling
 * reason: a holiday (it has a name), then a closure, then the weekend.
 *
 * Building one is cheap (holidays are shared by every calendar with the same code and
 * language, and computed a year at a time on first use); answers are memoised per date.
 */
export function createBusinessCalendar(
  definition: CalendarDefinition | undefined,
  options: { language?: 'en' | 'ja' } = {},
): BusinessCalendar {
  const weekend = new Set((definition?.weekend ?? ['sat', 'sun']).map((day) => WEEKDAY_NUMBERS[day]));
  if (weekend.size === 7) {
    throw new CadenceError('CONFIG_BAD_CALENDAR', 'calendar.weekend names every day of the week, so no day is a business day', {
      hint: 'list only the days off, e.g. weekend: [sat, sun]',
    });
  }
  const closures = new Set(definition?.closures ?? []);
  for (const closure of closures) weekdayOf(closure); // throws on a malformed date
  const code = definition?.holidays;
  const holidays: HolidayIndex | undefined = code === undefined || code === 'none' ? undefined : holidayIndex(code, options.language);
  const answers = new Map<string, SkippedDay | null>();

  function whyNot(date: string): SkippedDay | undefined {
    const known = answers.get(date);
    if (known !== undefined) return known ?? undefined;
    const weekday = weekdayOf(date);
    const name = holidays?.nameOn(date);
    let answer: SkippedDay | null = null;
    if (name !== undefined) answer = { date, reason: 'holiday', name };
    else if (closures.has(date)) answer = { date, reason: 'closure' };
    else if (weekend.has(weekday)) answer = { date, reason: 'weekend' };
    answers.set(date, answer === null ? null : Object.freeze(answer));
    return answers.get(date) ?? undefined;
  }

  return { isBusinessDay: (date) => whyNot(date) === undefined, whyNot };
}

/** More non-business days in a row than any real calendar has: a calendar with no business days. */
const MAX_DAYS_OFF_IN_A_ROW = 3_660;

/**
 * The local date `days` business days after `date` (0 = `date` itself if a business
 * day, else the next business day), with every non-business day passed over. Negative
 * days go backwards.
 *
 * Counting starts after `date` (like a spreadsheet's WORKDAY): from Saturday, 1 business
 * day is Monday. `skipped` lists the non-business days passed over, in the order walked
 * (descending when going backwards); `date` itself is among them only for `days = 0`,
 * when it is the day that had to move.
 */
export function addBusinessDays(calendar: BusinessCalendar, date: string, days: number): { date: string; skipped: SkippedDay[] } {
  if (!Number.isInteger(days)) throw new RangeError(`business days must be a whole number, not ${days}`);
  if (days === 0) return nextBusinessDay(calendar, date);
  const step = days < 0 ? -1 : 1;
  const skipped: SkippedDay[] = [];
  let remaining = Math.abs(days);
  let current = date;
  let daysOffInARow = 0;
  while (remaining > 0) {
    current = stepLocalDate(current, step);
    const why = calendar.whyNot(current);
    if (why === undefined) {
      remaining -= 1;
      daysOffInARow = 0;
    } else {
      skipped.push(why);
      daysOffInARow += 1;
      if (daysOffInARow > MAX_DAYS_OFF_IN_A_ROW) throw noBusinessDay(date);
    }
  }
  return { date: current, skipped };
}

/** The first business day on or after `date`; `skipped` lists the days passed over, `date` first. */
export function nextBusinessDay(calendar: BusinessCalendar, date: string): { date: string; skipped: SkippedDay[] } {
  const skipped: SkippedDay[] = [];
  let current = date;
  for (let why = calendar.whyNot(current); why !== undefined; why = calendar.whyNot(current)) {
    skipped.push(why);
    if (skipped.length > MAX_DAYS_OFF_IN_A_ROW) throw noBusinessDay(date);
    current = stepLocalDate(current, 1);
  }
  return { date: current, skipped };
}

function noBusinessDay(date: string): CadenceError {
  return new CadenceError('CALENDAR_NO_BUSINESS_DAY', `the business calendar has no business day within ten years of ${date}`, {
    hint: 'check calendar.weekend and calendar.closures in cadence.yaml',
  });
}

const calendars = new WeakMap<object, BusinessCalendar>();

/** The workspace's business calendar, made once per loaded config. */
export function workspaceCalendar(config: { calendar?: CalendarDefinition; language?: 'en' | 'ja' }): BusinessCalendar {
  let calendar = calendars.get(config);
  if (!calendar) calendars.set(config, (calendar = createBusinessCalendar(config.calendar, config.language ? { language: config.language } : {})));
  return calendar;
}
