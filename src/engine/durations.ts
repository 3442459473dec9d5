import { DateTime, IANAZone } from 'luxon';
import { CadenceError } from '../errors.js';
import { addBusinessDays, type BusinessCalendar, type SkippedDay } from './calendar.js';
import { daysBetween } from './local-date.js';

export interface ParsedDuration {
  /** Negative for a signed offset such as `-1d`. */
  amount: number;
  unit: 'm' | 'h' | 'd' | 'w' | 'mo';
}

const DURATION = /^([+-]?)(\d+)(mo|m|h|d|w)$/;

/**
 * `30m`, `4h`, `2d`, `1w`, `3mo`, and signed offsets `-1d`, `+90m`. The workspace
 * validator rejects anything else before it gets here, so a bad one is a bug upstream.
 */
export function parseDuration(text: string): ParsedDuration {
  const match = DURATION.exec(text);
  const magnitude = match ? Number(match[2]) : Number.NaN;
  if (!match || !Number.isSafeInteger(magnitude)) {
    throw new CadenceError('BAD_DURATION', `"${text}" is not a duration`, { hint: 'write a number and a unit: 30m, 4h, 2d, 1w or 3mo' });
  }
  // `-0d` is 0, not -0: the two compare equal but print differently.
  const amount = match[1] === '-' && magnitude !== 0 ? -magnitude : magnitude;
  return { amount, unit: match[3] as ParsedDuration['unit'] };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Adds a duration to an instant in a zone: m/h as elapsed time; d/w/mo as local
 * calendar days/weeks/months keeping the local time (DST-safe with luxon); with
 * `calendar` given, d and w count business days (w = 5 business days) keeping the
 * local time of day.
 *
 * - m and h ignore the calendar: `4h` after Friday 17:00 is Friday 21:00.
 * - mo always counts calendar months, calendar or not, and a month-end clamps
 *   (01-31 + 1mo = 02-28); the result may fall on a non-business day.
 * - A local time that does not exist on the target day (the spring-forward gap) moves
 *   forward by the gap (02:30 → 03:30); one that occurs twice (fall-back) keeps the
 *   starting instant's UTC offset when it can. This is luxon's `plus`.
 * - Business days count from the local date of `at` as {@link addBusinessDays} does:
 *   from Saturday 10:00, `1d` is Monday 10:00 and `0d` moves to Monday 10:00 too.
 */
export function addDuration(
  at: Date,
  duration: ParsedDuration,
  zone: string,
  calendar?: BusinessCalendar,
): { at: Date; skipped: SkippedDay[] } {
  if (Number.isNaN(at.getTime())) throw new RangeError('addDuration: `at` is an invalid Date');
  const { amount, unit } = duration;
  if (unit === 'm') return { at: new Date(at.getTime() + amount * MINUTE), skipped: [] };
  if (unit === 'h') return { at: new Date(at.getTime() + amount * HOUR), skipped: [] };
  const local = inZone(at, zone);
  if (unit === 'mo') return { at: local.plus({ months: amount }).toJSDate(), skipped: [] };
  const days = unit === 'w' ? amount * (calendar ? 5 : 7) : amount;
  if (calendar === undefined) return { at: local.plus({ days }).toJSDate(), skipped: [] };
  const from = local.toISODate()!;
  const business = addBusinessDays(calendar, from, days);
  return { at: local.plus({ days: daysBetween(from, business.date) }).toJSDate(), skipped: business.skipped };
}

function inZone(at: Date, zone: string): DateTime {
  if (!IANAZone.isValidZone(zone)) {
    throw new CadenceError('BAD_TIMEZONE', `"${zone}" is not an IANA time zone`, { hint: 'use a name like Asia/Tokyo or America/New_York' });
  }
  return DateTime.fromJSDate(at, { zone });
}
