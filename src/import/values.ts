import { CellError, type CellConverter, quote } from './cell.js';
import { codeText } from './normalize-text.js';

const NUMBER = /^[+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)$/;
const COMMAS = /,/g;
const MINUS_SIGNS = /[\u2212\u2012\u2013\ufe63]/g;

/**
 * A `number` cell: NFKC (full-width digits), `,` thousands separators (`1,234.5`), a
 * leading sign (also `−`). Anything else, such as `12abc` or `¥1,000`, is IMPORT_BAD_NUMBER.
 */
export function convertNumber(raw: string): number | undefined | CellError {
  const digits = plainDigits(raw);
  if (digits >= 0) return digits;
  let text = codeText(raw);
  if (text === undefined) return undefined;
  if (!NUMBER.test(text)) {
    text = text.replace(MINUS_SIGNS, '-');
    if (!NUMBER.test(text)) {
      return new CellError('IMPORT_BAD_NUMBER', `${quote(raw.trim())} is not a number (use digits, optionally with a sign, thousands separators and a decimal point: -1,234.5)`);
    }
  }
  return Number(text.includes(',') ? text.replace(COMMAS, '') : text);
}

/** The value of a cell of 1 to 15 ASCII digits and nothing else (most number cells); else -1. */
function plainDigits(raw: string): number {
  if (raw.length === 0 || raw.length > 15) return -1;
  let value = 0;
  for (let i = 0; i < raw.length; i++) {
    const digit = raw.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

const TRUE_WORDS = ['true', 'yes', 'y', '1', 'on', 't', 'はい', '○', '◯', '〇', '●', '✓', '✔', '有', 'あり', '済'];
const FALSE_WORDS = ['false', 'no', 'n', '0', 'off', 'f', 'いいえ', '×', '✕', '✗', '無', 'なし', '未'];
const BOOLEAN_WORDS: ReadonlyMap<string, boolean> = new Map([
  ...TRUE_WORDS.map((word) => [word, true] as const),
  ...FALSE_WORDS.map((word) => [word, false] as const),
]);

/** A `boolean` cell: true/false, yes/no, 1/0, はい/いいえ, ○/× and a few more, any case; else IMPORT_BAD_BOOLEAN. */
export function convertBoolean(raw: string): boolean | undefined | CellError {
  const text = codeText(raw);
  if (text === undefined) return undefined;
  const value = BOOLEAN_WORDS.get(text.toLowerCase());
  if (value !== undefined) return value;
  return new CellError('IMPORT_BAD_BOOLEAN', `${quote(raw.trim())} is not true or false (use true/false, yes/no, 1/0, はい/いいえ or ○/×)`);
}

const PLACEHOLDER_DASHES = /^[-\u2010-\u2015\u2212\u30fc]+$/;

/**
 * The do-not-contact column: a false word (`false`, `no`, `0`, `いいえ`, `×`, `なし`…) is
 * false; any other non-blank text (`yes`, `配信停止`, `DNC`) is true, erring towards "do not
 * contact". A lone dash (`-`, `－`, `ー`), the spreadsheet way of writing "nothing", is blank.
 */
export function convertDoNotContact(raw: string): boolean | undefined {
  const text = codeText(raw);
  if (text === undefined || PLACEHOLDER_DASHES.test(text)) return undefined;
  return BOOLEAN_WORDS.get(text.toLowerCase()) !== false;
}

/**
 * An `enum` cell: compared after NFKC and case-insensitively, stored in the declared
 * spelling (`ＰＲＩＣＩＮＧ` → `pricing`); IMPORT_BAD_ENUM names the allowed values.
 * `synonyms` are further accepted spellings (keys already lower-case NFKC).
 */
export function enumConverter(field: string, values: readonly string[], synonyms: Readonly<Record<string, string>> = {}): CellConverter {
  const lookup = new Map<string, string>(Object.entries(synonyms));
  for (const value of values) lookup.set(value.normalize('NFKC').trim().toLowerCase(), value);
  // Declared spellings match as written, before the case-folding lookup.
  for (const value of values) lookup.set(value, value);
  const allowed = values.join(', ');
  const declared = lookup.size;
  return (raw) => {
    const known = lookup.get(raw);
    if (known !== undefined) return known;
    const text = codeText(raw);
    if (text === undefined) return undefined;
    const value = lookup.get(text) ?? lookup.get(text.toLowerCase());
    // A column repeats a few spellings (SECURITY, ｓｅｃｕｒｉｔｙ): remember each as written.
    if (value !== undefined && lookup.size < declared + 1000) lookup.set(raw, value);
    return value ?? new CellError('IMPORT_BAD_ENUM', `${quote(raw.trim())} is not a value of ${field} (use one of: ${allowed})`);
  };
}
