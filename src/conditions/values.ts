import type { ConditionLiteral } from './ast.js';

/**
 * A lead value as the comparisons see it, which is also how SQLite holds it: text, a
 * number, or `null` for "empty". The evaluator and the SQL functions both go through
 * here, which is what keeps `evaluateCondition` and `conditionToSql` in agreement.
 */
export type ComparableValue = string | number | null;

/**
 * `undefined`, `null`, `''` and `NaN` are empty (null); booleans become 1 and 0 (as SQLite
 * and JSON in SQLite store them); a `Date` becomes its ISO string (UTC); a bigint becomes
 * a number; anything else compares as its `String()`.
 */
export function toComparable(value: unknown): ComparableValue {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isNaN(value) ? null : value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  const text = String(value);
  return text === '' ? null : text;
}

const NUMERIC = /^[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|Infinity)$/;

/** A number, or text that is written as one (`"42"`, `"-3.5"`, `"1e3"`); else undefined. */
export function asNumber(value: string | number): number | undefined {
  if (typeof value === 'number') return value;
  return NUMERIC.test(value) ? Number(value) : undefined;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/;

/**
 * The instant of an ISO 8601 date (`2026-12-01`) or date-time (`2026-12-01T09:00:00+09:00`),
 * in epoch milliseconds; undefined when the text is not one or names an impossible date.
 * Without an offset the time is read at `defaultOffset` (an ISO offset such as `-05:00`;
 * UTC when none is given), so the answer never depends on the machine's time zone.
 */
export function isoInstant(text: string, defaultOffset = 'Z'): number | undefined {
  const match = ISO.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zone = defaultOffset] = match;
  const date = new Date(0);
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  if (date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) return undefined;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return undefined;
  date.setUTCHours(Number(hour), Number(minute), Number(second), Number(fraction.padEnd(3, '0').slice(0, 3)));
  let offset = 0;
  if (zone.toUpperCase() !== 'Z') {
    const digits = zone.replace(':', '');
    const hours = Number(digits.slice(1, 3));
    const minutes = Number(digits.slice(3, 5));
    if (hours > 23 || minutes > 59) return undefined;
    offset = (digits.startsWith('-') ? -1 : 1) * (hours * 60 + minutes) * 60_000;
  }
  return date.getTime() - offset;
}

function sign(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Code-point order, the order SQLite's BINARY collation gives UTF-8 text. */
function compareText(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const difference = left[i]!.codePointAt(0)! - right[i]!.codePointAt(0)!;
    if (difference !== 0) return Math.sign(difference);
  }
  return sign(left.length, right.length);
}

/**
 * Orders a non-empty value against a literal: as numbers when both are numbers or
 * numeric text; as instants when both are ISO dates; as text (code-point order) when
 * both are text. A number against non-numeric text has no order: undefined.
 */
export function orderValues(value: string | number, literal: string | number): number | undefined {
  const left = asNumber(value);
  const right = asNumber(literal);
  if (left !== undefined && right !== undefined) return sign(left, right);
  if (typeof value === 'number' || typeof literal === 'number') return undefined;
  const instants = instantPair(value, literal);
  if (instants) return sign(instants[0], instants[1]);
  return compareText(value, literal);
}

/**
 * Two ISO values as instants, when both are. A side written without an offset (a date
 * `2026-12-03`, or `2026-12-03 09:00`) is read in the other side's offset when that has
 * one: `meeting_at < "2026-12-03"` means before midnight on the 3rd where the meeting is,
 * not in UTC. Two dates compare as dates.
 */
function instantPair(left: string, right: string): [number, number] | undefined {
  const leftOffset = offsetOf(left);
  const rightOffset = offsetOf(right);
  const a = isoInstant(left, rightOffset ?? 'Z');
  const b = isoInstant(right, leftOffset ?? 'Z');
  return a === undefined || b === undefined ? undefined : [a, b];
}

function offsetOf(text: string): string | undefined {
  const match = ISO.exec(text);
  return match?.[8];
}

/**
 * Equality of a non-empty value and a literal. With a number on either side, numeric
 * (`5` equals `"5.0"`); two ISO dates, the same instant; any other two texts, exactly
 * equal — so `"0312"` does not equal `"312"` (phone numbers, postcodes).
 */
export function valuesEqual(value: string | number, literal: string | number): boolean {
  if (typeof value === 'number' || typeof literal === 'number') {
    const left = asNumber(value);
    return left !== undefined && left === asNumber(literal);
  }
  if (value === literal) return true;
  const instants = instantPair(value, literal);
  return instants !== undefined && instants[0] === instants[1];
}

/** What a value means as a boolean: 1, `"1"`, `"true"` (any case) are true; 0, `"0"`, `"false"` false. */
export function truthOf(value: string | number): boolean | undefined {
  const number = asNumber(value);
  if (number !== undefined) return number === 1 ? true : number === 0 ? false : undefined;
  const lower = value.toString().toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : undefined;
}

/** `null` and `""` as literals both mean "empty": `x = null` is `x is empty`. */
export function isEmptyLiteral(literal: ConditionLiteral): boolean {
  return literal.type === 'null' || (literal.type === 'string' && literal.value === '');
}

/** Whether a value equals a literal, for `=`, `!=`, `in` and `not in`. */
export function matchesLiteral(value: ComparableValue, literal: ConditionLiteral): boolean {
  if (isEmptyLiteral(literal)) return value === null;
  if (value === null || literal.type === 'null') return false;
  if (literal.type === 'boolean') return truthOf(value) === literal.value;
  return valuesEqual(value, literal.value);
}

/** The form `contains` and `starts with` compare: NFKC-normalised (full-width → half-width), lower-cased. */
export function textKey(value: string | number): string {
  return String(value).normalize('NFKC').toLowerCase();
}
