import { CronExpressionParser, type CronExpression } from 'cron-parser';
import { IANAZone } from 'luxon';
import { CadenceError } from '../errors.js';

/**
 * A delivery window: the local minutes (a cron expression, evaluated in the lead's zone)
 * when an email may go out.
 *
 * An instant is inside when its local minute, read with the UTC offset in force at that
 * instant, matches. So across daylight-saving changes:
 * - spring forward: the skipped local minutes (02:00–02:59 on 2026-03-08 in New York)
 *   do not exist and are never inside. A window of only 02:30 has no opening that day;
 *   the next is 02:30 the following day. (cron-parser alone would answer 03:30, a
 *   minute the window does not contain.)
 * - fall back: the repeated local minutes (01:00–01:59 on 2026-11-01) are inside on
 *   both passes. (cron-parser alone skips the second pass.)
 */
export interface DeliveryWindow {
  /** The first allowed minute at or after `at` (an instant), or undefined if none within `horizonDays` (default 400). */
  nextOpening(at: Date): Date | undefined;
  /** Whether the minute containing `at` is allowed. */
  contains(at: Date): boolean;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Wider than any daylight-saving shift (at most 2 h in the tz database). */
const DST_REACH = 3 * 60 * MINUTE;
/** cron-parser answers once for each minute of a gap it shifts: 120 at most for a 2 h shift. */
const MAX_SHIFTED_ANSWERS = 10_000;

/** Parsed expressions, shared by every window with the same cron and zone. */
interface ParsedWindow {
  /** undefined: a well-formed expression no date can match, such as `0 0 30 2 *`. */
  expression: CronExpression | undefined;
  zone: IANAZone;
  /** The last answer, since a tick asks the same question for every lead in a zone. */
  last?: { at: number; horizonDays: number; opening: Date | undefined };
}

const parsedWindows = new Map<string, ParsedWindow>();

/**
 * A delivery window for a 5-field cron expression of allowed minutes (`* 9-17 * * 1-5`)
 * in an IANA zone. Throws a CadenceError for a bad zone or expression (the workspace
 * validator reports those first).
 */
export function createDeliveryWindow(cron: string, zone: string, options: { horizonDays?: number } = {}): DeliveryWindow {
  const parsed = parsedWindow(cron, zone);
  const horizonDays = options.horizonDays ?? 400;

  function contains(at: Date): boolean {
    const instant = at.getTime();
    if (Number.isNaN(instant)) throw new RangeError('contains: `at` is an invalid Date');
    return parsed.expression !== undefined && matches(parsed.expression, minuteStart(instant));
  }

  function nextOpening(at: Date): Date | undefined {
    if (contains(at)) return at;
    const instant = at.getTime();
    const last = parsed.last;
    let opening: Date | undefined;
    if (last !== undefined && last.at === instant && last.horizonDays === horizonDays) opening = last.opening;
    else {
      opening = parsed.expression && findOpening(parsed.expression, parsed.zone, instant, instant + horizonDays * DAY);
      parsed.last = { at: instant, horizonDays, opening };
    }
    // A copy: the kept answer must survive a caller that mutates the Date it got.
    return opening && new Date(opening);
  }

  return { nextOpening, contains };
}

function parsedWindow(cron: string, zone: string): ParsedWindow {
  const key = `${zone} ${cron}`;
  let parsed = parsedWindows.get(key);
  if (parsed === undefined) {
    if (!IANAZone.isValidZone(zone)) {
      throw new CadenceError('BAD_TIMEZONE', `"${zone}" is not an IANA time zone`, { hint: 'use a name like Asia/Tokyo or America/New_York' });
    }
    parsed = { expression: parseCron(cron, zone), zone: IANAZone.create(zone) };
    parsedWindows.set(key, parsed);
  }
  return parsed;
}

function parseCron(cron: string, zone: string): CronExpression | undefined {
  // currentDate is reset before every search; a fixed one keeps parsing off the clock.
  const parse = (text: string) => CronExpressionParser.parse(text, { tz: zone, currentDate: 0 });
  let expression: CronExpression;
  try {
    expression = parse(cron);
  } catch (error) {
    if (neverMatches(cron, parse)) return undefined;
    throw badCron(cron, (error as Error).message);
  }
  const seconds = expression.fields.second.values;
  if (seconds.length !== 1 || seconds[0] !== 0) throw badCron(cron, 'has a seconds field; a delivery window is a set of minutes');
  return expression;
}

/**
 * cron-parser refuses a day of month that none of the months has (`0 0 30 2 *`). That
 * is a well-formed window that never opens, not a typo: the same expression with any
 * month parses.
 */
function neverMatches(cron: string, parse: (text: string) => CronExpression): boolean {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) return false;
  fields[3] = '*';
  try {
    parse(fields.join(' '));
    return true;
  } catch {
    return false;
  }
}

function badCron(cron: string, reason: string): CadenceError {
  return new CadenceError('CONFIG_BAD_CRON', `delivery window "${cron}": ${reason.replace(/^Error: /, '')}`, {
    hint: 'write five fields: minute hour day-of-month month day-of-week, like "* 9-17 * * 1-5"',
  });
}

function minuteStart(instant: number): number {
  return Math.floor(instant / MINUTE) * MINUTE;
}

function matches(expression: CronExpression, minute: number): boolean {
  return expression.includesDate(new Date(minute));
}

/** The first matching minute after `instant` (itself outside the window), up to `horizon`. */
function findOpening(expression: CronExpression, zone: IANAZone, instant: number, horizon: number): Date | undefined {
  let opening: number | undefined;
  expression.reset(new Date(instant));
  for (let shifted = 0; shifted <= MAX_SHIFTED_ANSWERS; shifted += 1) {
    const next = nextMatch(expression);
    if (next === undefined || next > horizon) break;
    // cron-parser moves a minute of a spring-forward gap to the same wall time an hour
    // later; that minute is not in the window, so look further.
    if (matches(expression, next)) {
      opening = next;
      break;
    }
  }
  const bound = Math.min(opening ?? horizon, horizon);
  const secondPass = zone.offset(instant - DST_REACH) > zone.offset(instant + DST_REACH) ? scanFallBack(expression, instant, bound) : undefined;
  const found = secondPass ?? opening;
  return found === undefined ? undefined : new Date(found);
}

function nextMatch(expression: CronExpression): number | undefined {
  try {
    return expression.next().getTime();
  } catch (error) {
    // cron-parser gives up on an expression it cannot satisfy within its loop limit.
    if (/loop limit|out of the time span/i.test((error as Error).message)) return undefined;
    throw error;
  }
}

/**
 * Near a fall-back change cron-parser skips the second pass of the repeated hour, which
 * is inside the window when its wall-clock minutes are. Walk those few hours minute by
 * minute: this runs only for an `instant` within 3 hours of such a change.
 */
function scanFallBack(expression: CronExpression, instant: number, before: number): number | undefined {
  const end = Math.min(before, instant + DST_REACH);
  for (let minute = minuteStart(instant) + MINUTE; minute < end; minute += MINUTE) {
    if (matches(expression, minute)) return minute;
  }
  return undefined;
}
