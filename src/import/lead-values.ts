import { IANAZone } from 'luxon';
import { didYouMean } from '../util/did-you-mean.js';
import { CellError, type CellConverter, quote } from './cell.js';
import { codeText } from './normalize-text.js';
import { enumConverter } from './values.js';

const DASH_LIKE = /[\u2010-\u2015\u2212\u30fc\ufe63]/g;
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * A phone cell: NFKC (full-width digits, `＋`, `－`, `（）`), and the dashes Japanese
 * input produces (`ー`, `‐`, `−`) made `-`: `０３ー１２３４ー５６７８` → `03-1234-5678`.
 * Not validated further: extensions, notes and local formats vary too much.
 */
export function convertPhone(raw: string): string | undefined {
  const text = codeText(raw);
  if (text === undefined) return undefined;
  return NON_ASCII.test(text) ? text.replace(DASH_LIKE, '-') : text;
}

// The zones a file names repeat: validate each spelling once (Intl is slow to ask).
const zoneSpellings = new Map<string, string | CellError>();
let knownZoneList: string[] | undefined;

/**
 * A timezone cell: an IANA zone name, `Area/Location` (luxon's `IANAZone.isValidZone`),
 * or UTC/GMT, case fixed (`asia/tokyo` → `Asia/Tokyo`); IMPORT_BAD_TIMEZONE otherwise,
 * with a suggestion for a typo or an abbreviation. Abbreviations are refused although ICU
 * accepts many: it reads `BST` as Asia/Dhaka, `IST` as Kolkata and `EST` as Panama (no
 * daylight saving), which is rarely what a CSV means.
 */
export function convertTimeZone(raw: string): string | undefined | CellError {
  const text = codeText(raw);
  if (text === undefined) return undefined;
  let zone = zoneSpellings.get(text);
  if (zone === undefined) {
    zone = checkZone(text);
    if (zoneSpellings.size < 10_000) zoneSpellings.set(text, zone);
  }
  return zone;
}

// Suggestions only: an abbreviation names an offset, or several zones, not one zone's rules.
const ABBREVIATIONS: ReadonlyMap<string, string> = new Map([
  ['jst', 'Asia/Tokyo'], ['kst', 'Asia/Seoul'], ['hkt', 'Asia/Hong_Kong'], ['sgt', 'Asia/Singapore'], ['ist', 'Asia/Kolkata'],
  ['pst', 'America/Los_Angeles'], ['pdt', 'America/Los_Angeles'], ['mst', 'America/Denver'], ['mdt', 'America/Denver'],
  ['cst', 'America/Chicago'], ['cdt', 'America/Chicago'], ['est', 'America/New_York'], ['edt', 'America/New_York'],
  ['hst', 'Pacific/Honolulu'], ['gmt', 'Europe/London'], ['bst', 'Europe/London'], ['cet', 'Europe/Paris'],
  ['cest', 'Europe/Paris'], ['eet', 'Europe/Athens'], ['aest', 'Australia/Sydney'], ['aedt', 'Australia/Sydney'],
]);

function checkZone(text: string): string | CellError {
  const lower = text.toLowerCase();
  if (lower === 'utc') return 'UTC';
  if (text.includes('/') && IANAZone.isValidZone(text)) return canonicalCase(text);
  const suggestion = ABBREVIATIONS.get(lower) ?? linkTarget(text) ?? didYouMean(text, knownZones());
  const hint = suggestion === undefined ? 'use an IANA zone name such as Asia/Tokyo or America/New_York' : `did you mean ${suggestion}?`;
  return new CellError('IMPORT_BAD_TIMEZONE', `${quote(text)} is not an IANA time zone (${hint})`);
}

/** For an old slash-less name ICU knows (`Japan`, `EST5EDT`), the Area/Location it stands for. */
function linkTarget(text: string): string | undefined {
  if (!IANAZone.isValidZone(text)) return undefined;
  const resolved = new Intl.DateTimeFormat('en-US', { timeZone: text }).resolvedOptions().timeZone;
  return resolved.includes('/') ? resolved : undefined;
}

function knownZones(): string[] {
  return (knownZoneList ??= Intl.supportedValuesOf('timeZone'));
}

/**
 * The zone as the tz database spells it (`asia/tokyo` → `Asia/Tokyo`) when ICU can tell;
 * else as written, which every consumer still reads, since zone names are case-insensitive.
 */
function canonicalCase(zone: string): string {
  const lower = zone.toLowerCase();
  const resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  if (resolved.toLowerCase() === lower) return resolved;
  return knownZones().find((name) => name.toLowerCase() === lower) ?? zone;
}

/** The `language` cell: en or ja, also written as English/英語 or Japanese/日本語/jp. */
export const convertLanguage: CellConverter = enumConverter('language', ['en', 'ja'], {
  english: 'en', 英語: 'en', eng: 'en', japanese: 'ja', 日本語: 'ja', jp: 'ja', jpn: 'ja',
});
