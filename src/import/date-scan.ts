/**
 * Allocation-free reading of the forms most cells use, `2026-12-01`, `2026/1/5` and
 * `2026-12-01 10:00[:30]`, which the converters try before their regular expressions
 * (which also know 年月日, fractions and offsets). Results are packed into one number:
 * a date as YYYYMMDD, a time as HHMMSS; -1 when the text is not in that form.
 */

/** `YYYY-M-D` with `-`, `/` or `.` (the same twice) filling text[0, end). */
export function scanDate(text: string, end: number): number {
  if (end < 8 || end > 10) return -1;
  const separator = text.charCodeAt(4);
  if (separator !== 0x2d && separator !== 0x2f && separator !== 0x2e) return -1;
  const second = text.charCodeAt(6) === separator ? 6 : text.charCodeAt(7) === separator ? 7 : -1;
  if (second < 0 || end - second < 2 || end - second > 3) return -1;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, second);
  const day = digits(text, second + 1, end);
  if (year < 1000 || month < 0 || day < 0) return -1;
  return year * 10000 + month * 100 + day;
}

/** `H:MM`, `HH:MM` or `HH:MM:SS` filling text[start, text.length). */
export function scanTime(text: string, start: number): number {
  if (start < 0) return -1;
  const colon = text.charCodeAt(start + 1) === 0x3a ? start + 1 : text.charCodeAt(start + 2) === 0x3a ? start + 2 : -1;
  if (colon < 0) return -1;
  const hour = digits(text, start, colon);
  const minute = digits(text, colon + 1, colon + 3);
  let second = 0;
  if (text.length === colon + 6 && text.charCodeAt(colon + 3) === 0x3a) second = digits(text, colon + 4, colon + 6);
  else if (text.length !== colon + 3) return -1;
  if (hour < 0 || minute < 0 || second < 0) return -1;
  return hour * 10000 + minute * 100 + second;
}

/** Where the time starts after a `YYYY-M-D` date: past one `T` or a run of spaces; -1 if not there. */
export function timeStart(text: string, dateEnd: number): number {
  const at = text.charCodeAt(dateEnd);
  if (at === 0x54 || at === 0x74) return dateEnd + 1;
  let i = dateEnd;
  while (text.charCodeAt(i) === 0x20) i++;
  return i > dateEnd ? i : -1;
}

/** Where a `YYYY-M-D` date at the start of a date-time ends: the first `T` or space. */
export function dateEnd(text: string): number {
  for (let i = 8; i <= 10 && i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x20 || code === 0x54 || code === 0x74) return i;
  }
  return -1;
}

function digits(text: string, from: number, to: number): number {
  if (to <= from) return -1;
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}
