import { DateTime } from 'luxon';

/**
 * Local dates are plain `YYYY-MM-DD` strings with no zone: the caller has already
 * converted an instant to the lead's zone. The arithmetic runs in UTC so that no
 * daylight-saving change can shift a date.
 */
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The date as a luxon DateTime at midnight UTC; throws on anything but a real `YYYY-MM-DD` date. */
export function parseLocalDate(date: string): DateTime {
  const parsed = LOCAL_DATE.test(date) ? DateTime.fromISO(date, { zone: 'utc' }) : undefined;
  if (parsed === undefined || !parsed.isValid) throw new RangeError(`"${date}" is not a local date (YYYY-MM-DD)`);
  return parsed;
}

interface LocalDay {
  /** 1 = Monday … 7 = Sunday, as luxon counts. */
  weekday: number;
  next: string;
  previous: string;
}

/**
 * Day facts for every date seen, shared by all calendars: a tick walks the same few
 * weeks of dates for thousands of leads, and luxon takes microseconds per parse.
 */
const localDays = new Map<string, LocalDay>();
const MAX_LOCAL_DAYS = 100_000;

function localDay(date: string): LocalDay {
  let day = localDays.get(date);
  if (day === undefined) {
    const parsed = parseLocalDate(date);
    day = { weekday: parsed.weekday, next: parsed.plus({ days: 1 }).toISODate()!, previous: parsed.minus({ days: 1 }).toISODate()! };
    if (localDays.size >= MAX_LOCAL_DAYS) localDays.clear();
    localDays.set(date, day);
  }
  return day;
}

/** The weekday of a local date: 1 = Monday … 7 = Sunday. Throws on a malformed date. */
export function weekdayOf(date: string): number {
  return localDay(date).weekday;
}

/** The local date one day after (`step` 1) or before (`step` -1) `date`. */
export function stepLocalDate(date: string, step: 1 | -1): string {
  const day = localDay(date);
  return step === 1 ? day.next : day.previous;
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round(parseLocalDate(to).diff(parseLocalDate(from), 'days').days);
}
