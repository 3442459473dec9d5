import { DateTime } from 'luxon';

/**
 * strftime directives (as Liquid's `date` filter takes them) and their luxon tokens.
 * `%-m` and friends drop the padding, as in Ruby and liquidjs.
 */
const DIRECTIVES: Record<string, string> = {
  Y: 'yyyy', y: 'yy', m: 'MM', '-m': 'M', d: 'dd', '-d': 'd', e: 'd', H: 'HH', '-H': 'H', I: 'hh', '-I': 'h',
  M: 'mm', S: 'ss', p: 'a', a: 'ccc', A: 'cccc', b: 'LLL', B: 'LLLL', j: 'ooo', Z: 'ZZZZ', z: 'ZZZ', F: 'yyyy-MM-dd', R: 'HH:mm', T: 'HH:mm:ss',
};

/**
 * Liquid's `date` filter in the lead's time zone and language: a meeting at 14:00 in
 * Tokyo reads 14:00 in the email, whatever the zone of the server that renders it, and
 * `%a` is 木 for a Japanese lead. A date without a time (2027-03-31) is that day.
 */
export function formatDate(value: unknown, format: string, zone: string, language: string | undefined): string {
  const moment = toDateTime(value, zone);
  if (!moment) return value === undefined || value === null ? '' : String(value);
  const local = moment.setLocale(language === 'ja' ? 'ja-JP' : 'en-US');
  return format.replace(/%(-?[A-Za-z%])/g, (directive: string, name: string) => {
    if (name === '%') return '%';
    const token = DIRECTIVES[name];
    return token ? local.toFormat(token) : directive;
  });
}

function toDateTime(value: unknown, zone: string): DateTime | undefined {
  if (value instanceof Date) return DateTime.fromJSDate(value, { zone });
  if (typeof value === 'number') return DateTime.fromMillis(value, { zone });
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const text = value.trim();
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(text) ? DateTime.fromISO(text, { zone }) : DateTime.fromISO(text, { zone, setZone: false });
  return parsed.isValid ? parsed.setZone(zone) : undefined;
}
