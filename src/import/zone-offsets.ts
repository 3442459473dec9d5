import { IANAZone } from 'luxon';

export const MINUTE = 60_000;
const QUARTER_HOUR = 15 * MINUTE;

// Offsets change only at whole quarter hours (UTC) in every current zone, so one lookup per
// zone and quarter hour serves every row in it: Intl is consulted once, not once a row.
const offsetCaches = new Map<string, Map<number, number>>();

/** The zone's offset from UTC in minutes at `instant` (epoch milliseconds). */
export function offsetAt(zone: string, instant: number): number {
  let cache = offsetCaches.get(zone);
  if (cache === undefined) offsetCaches.set(zone, (cache = new Map()));
  const bucket = Math.floor(instant / QUARTER_HOUR);
  let offset = cache.get(bucket);
  if (offset === undefined) {
    offset = IANAZone.create(zone).offset(instant);
    if (cache.size >= 50_000) cache.clear();
    cache.set(bucket, offset);
  }
  return offset;
}

/**
 * The instant a wall-clock time names in `zone`, the wall time given as if it were UTC
 * (`Date.UTC(...)`). luxon's method: a time skipped by a daylight-saving change moves
 * forward by the change; a repeated one takes the first guess that fits.
 */
export function wallToInstant(wall: number, zone: string): number {
  const guess = offsetAt(zone, wall);
  const first = wall - guess * MINUTE;
  const o2 = offsetAt(zone, first);
  if (o2 === guess) return first;
  const second = wall - o2 * MINUTE;
  const o3 = offsetAt(zone, second);
  if (o3 === o2) return second;
  return wall - Math.min(o2, o3) * MINUTE;
}

/** ISO 8601 in `zone` with milliseconds and offset: `2026-12-01T10:00:00.000+09:00`. */
export function isoInZone(instant: number, zone: string): string {
  const offset = offsetAt(zone, instant);
  return new Date(instant + offset * MINUTE).toISOString().slice(0, 23) + formatOffset(offset);
}

const offsetTexts = new Map<number, string>();

/** `+09:00` for 540; a zone has few offsets, so each is written once. */
export function formatOffset(offset: number): string {
  let text = offsetTexts.get(offset);
  if (text === undefined) {
    const abs = Math.abs(offset);
    text = `${offset < 0 ? '-' : '+'}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
    offsetTexts.set(offset, text);
  }
  return text;
}

const TWO_DIGITS: readonly string[] = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));

/** `05` for 5: from a table, since a date-time cell needs six of them. */
export function pad2(n: number): string {
  return TWO_DIGITS[n] ?? String(n).padStart(2, '0');
}
