import { CellError, quote } from './cell.js';
import { dateEnd, scanDate, scanTime, timeStart } from './date-scan.js';
import { nfkc } from './normalize-text.js';
import { formatOffset, isoInZone, MINUTE, offsetAt, pad2, wallToInstant } from './zone-offsets.js';

/**
 * Dates and date-times in the forms spreadsheets and Japanese forms write them (after
 * NFKC, so full-width digits work): `2026-12-01`, `2026/12/01`, `2026/1/5`, `2026.12.01`,
 * `2026年12月1日`. Day-first and month-first forms (`01/12/2026`) are refused: which one
 * a file means cannot be told from a single cell.
 */
const DATE_PART = String.raw`([1-9]\d{3})(?:([-/.])(\d{1,2})\2(\d{1,2})|年\s*(\d{1,2})月\s*(\d{1,2})日)`;
const TIME_PART = String.raw`(\d{1,2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?|時(?:\s*(\d{1,2})分)?)`;
const OFFSET_PART = String.raw`([Zz]|[+-]\d{2}(?::?\d{2})?)`;
const DATE = new RegExp(`^${DATE_PART}$`);
const DATE_TIME = new RegExp(String.raw`^${DATE_PART}(?:[Tt]|\s+|(?<=日))${TIME_PART}\s*${OFFSET_PART}?$`);

const DATE_FORMS = 'use YYYY-MM-DD or YYYY/MM/DD';
const DATE_TIME_FORMS = 'use YYYY-MM-DD HH:MM or YYYY/MM/DD HH:MM in the workspace time zone, or ISO 8601 with an offset such as 2026-12-01T10:00:00+09:00';

/** A `date` cell as `YYYY-MM-DD`; `IMPORT_BAD_DATE` for another form or a day that does not exist. */
export function convertDate(raw: string): string | undefined | CellError {
  const text = nfkc(raw).trim();
  if (text === '') return undefined;
  let packed = scanDate(text, text.length);
  if (packed < 0) {
    const match = DATE.exec(text);
    if (!match) return new CellError('IMPORT_BAD_DATE', `${quote(raw.trim())} is not a date (${DATE_FORMS})`);
    packed = Number(match[1]) * 10000 + Number(match[3] ?? match[5]) * 100 + Number(match[4] ?? match[6]);
  }
  const year = Math.floor(packed / 10000);
  const month = Math.floor(packed / 100) % 100;
  const day = packed % 100;
  if (!isRealDate(year, month, day)) return new CellError('IMPORT_BAD_DATE', `${quote(raw.trim())} is not a real date (${DATE_FORMS})`);
  return text.length === 10 && text.charCodeAt(4) === 0x2d && text.charCodeAt(7) === 0x2d ? text : `${year}-${pad2(month)}-${pad2(day)}`;
}

/**
 * A `datetime` cell as ISO 8601 in the workspace zone (`2026-12-01T10:00:00.000+09:00`).
 * With an offset (`Z`, `+09:00`) the instant is kept; without one the wall time is read in
 * `zone` (a time skipped by a daylight-saving change moves forward, as luxon does). A date
 * alone is refused: a meeting needs its time. `IMPORT_BAD_DATETIME` otherwise.
 */
export function convertDateTime(raw: string, zone: string): string | undefined | CellError {
  const text = nfkc(raw).trim();
  if (text === '') return undefined;
  const end = dateEnd(text);
  const date = end < 0 ? -1 : scanDate(text, end);
  const time = date < 0 ? -1 : scanTime(text, timeStart(text, end));
  if (time >= 0) return localDateTime(raw, Math.floor(date / 10000), Math.floor(date / 100) % 100, date % 100, Math.floor(time / 10000), Math.floor(time / 100) % 100, time % 100, 0, zone);

  const match = DATE_TIME.exec(text);
  if (!match) {
    const problem = DATE.test(text) ? 'has no time of day' : 'is not a date and time';
    return new CellError('IMPORT_BAD_DATETIME', `${quote(raw.trim())} ${problem} (${DATE_TIME_FORMS})`);
  }
  const year = Number(match[1]);
  const month = Number(match[3] ?? match[5]);
  const day = Number(match[4] ?? match[6]);
  const hour = Number(match[7]);
  const minute = Number(match[8] ?? match[11] ?? 0);
  const second = Number(match[9] ?? 0);
  const millisecond = match[10] === undefined ? 0 : Number(match[10].slice(0, 3).padEnd(3, '0'));
  if (match[12] === undefined) return localDateTime(raw, year, month, day, hour, minute, second, millisecond, zone);
  const offset = parseOffset(match[12]);
  if (!isRealDateTime(year, month, day, hour, minute, second) || Number.isNaN(offset)) return notReal(raw);
  return isoInZone(Date.UTC(year, month - 1, day, hour, minute, second, millisecond) - offset * MINUTE, zone);
}

function localDateTime(raw: string, year: number, month: number, day: number, hour: number, minute: number, second: number, millisecond: number, zone: string): string | CellError {
  if (!isRealDateTime(year, month, day, hour, minute, second)) return notReal(raw);
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  const instant = wallToInstant(wall, zone);
  const offset = offsetAt(zone, instant);
  // A wall time skipped by daylight saving moved: write the instant's own wall time.
  if (instant + offset * MINUTE !== wall) return isoInZone(instant, zone);
  // The common case, written from its parts, without a Date.
  const fraction = millisecond < 10 ? `00${millisecond}` : millisecond < 100 ? `0${millisecond}` : String(millisecond);
  return `${year}-${pad2(month)}-${pad2(day)}T${pad2(hour)}:${pad2(minute)}:${pad2(second)}.${fraction}${formatOffset(offset)}`;
}

function notReal(raw: string): CellError {
  return new CellError('IMPORT_BAD_DATETIME', `${quote(raw.trim())} is not a real date and time (${DATE_TIME_FORMS})`);
}

function isRealDateTime(year: number, month: number, day: number, hour: number, minute: number, second: number): boolean {
  return isRealDate(year, month, day) && hour <= 23 && minute <= 59 && second <= 59;
}

function isRealDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Minutes east of UTC; NaN for an impossible offset. */
function parseOffset(text: string): number {
  if (text === 'Z' || text === 'z') return 0;
  const digits = text.replace(':', '');
  const hours = Number(digits.slice(1, 3));
  const minutes = digits.length > 3 ? Number(digits.slice(3, 5)) : 0;
  if (hours > 18 || minutes > 59) return Number.NaN;
  return (text[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
}
