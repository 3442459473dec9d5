import { DateTime } from 'luxon';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
/** Date shapes, each giving [year?, month, day] from its groups. */
const SHAPES: { pattern: RegExp; parts: (match: RegExpExecArray) => [string | undefined, string, string] }[] = [
  { pattern: /(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})/g, parts: (m) => [m[1], m[2]!, m[3]!] },
  { pattern: /(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日/g, parts: (m) => [m[1], m[2]!, m[3]!] },
  { pattern: new RegExp(`\\b${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b(?:,?\\s+(\\d{4}))?`, 'gi'), parts: (m) => [m[3], String(MONTHS.indexOf(m[1]!.slice(0, 3).toLowerCase()) + 1), m[2]!] },
  { pattern: new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}(?:,?\\s+(\\d{4}))?`, 'gi'), parts: (m) => [m[3], String(MONTHS.indexOf(m[2]!.slice(0, 3).toLowerCase()) + 1), m[1]!] },
];
/** Japanese text writes month/day with a slash (1/6(火)); English text is left alone (6/1 or 1/6?). */
const JAPANESE_SLASH = /(?<![\d/])(\d{1,2})\/(\d{1,2})(?![\d/])/g;

/** Words around a date that say the person is back on it (the date is the return). */
const BACK_BEFORE = /\b(back|return(?:ing)?|returns|in the office|resume|available again)\b[^.\n]{0,30}$/i;
const BACK_AFTER = /^\s*(?:\([^)]{1,3}\)|（[^）]{1,3}）)?\s*(?:より|から|以降|に)*\s*(?:出社|戻り|戻ります|帰社|復帰|通常|対応|返信|ご返信|連絡|ご連絡)/;
/** Words that say the absence lasts until the date (the return is the next day). */
const UNTIL_BEFORE = /\b(until|till|through|thru|to|-|–)\s*(?:and including\s*)?(?:\w+day,?\s*)?$/i;
const UNTIL_AFTER = /^\s*(?:\([^)]{1,3}\)|（[^）]{1,3}）)?\s*(?:まで|迄)/;

/**
 * The return date an out-of-office reply states, read from its subject and text in
 * English or Japanese ("back on January 6", "until Jan 5", "1月6日より出社",
 * "1月5日(月)まで不在"): the start of that day in `zone`. A date without a year is the
 * next one on or after the message. Undefined when no date is stated as a return or an
 * end of absence, or the date found is not within 180 days after the message.
 */
export function readReturnDate(subject: string, text: string, received: Date, zone: string): Date | undefined {
  const body = `${subject}\n${text}`.normalize('NFKC');
  const japanese = /[\u3040-\u30ff\u4e00-\u9fff]/.test(body);
  const shapes = japanese ? [...SHAPES, { pattern: JAPANESE_SLASH, parts: (m: RegExpExecArray): [string | undefined, string, string] => [undefined, m[1]!, m[2]!] }] : SHAPES;
  const start = DateTime.fromJSDate(received, { zone }).startOf('day');
  let best: DateTime | undefined;
  const taken: [number, number][] = [];
  for (const shape of shapes) {
    for (const match of body.matchAll(shape.pattern)) {
      const from = match.index;
      const to = from + match[0].length;
      if (taken.some(([a, b]) => from < b && to > a)) continue;
      taken.push([from, to]);
      const [year, month, day] = shape.parts(match as RegExpExecArray);
      const date = dateOf(year, Number(month), Number(day), start, zone);
      if (!date) continue;
      const before = body.slice(Math.max(0, from - 60), from);
      const after = body.slice(to, to + 20);
      const back = BACK_BEFORE.test(before) || BACK_AFTER.test(after) ? date : UNTIL_AFTER.test(after) || UNTIL_BEFORE.test(before) ? date.plus({ days: 1 }) : undefined;
      if (back && back > start && back <= start.plus({ days: 180 }) && (!best || back > best)) best = back;
    }
  }
  return best?.toJSDate();
}

function dateOf(year: string | undefined, month: number, day: number, start: DateTime, zone: string): DateTime | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const make = (y: number): DateTime => DateTime.fromObject({ year: y, month, day }, { zone });
  if (year) {
    const date = make(Number(year));
    return date.isValid ? date : undefined;
  }
  let date = make(start.year);
  if (date.isValid && date < start.minus({ days: 7 })) date = make(start.year + 1);
  return date.isValid ? date : undefined;
}
