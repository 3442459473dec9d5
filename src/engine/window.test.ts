import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { createDeliveryWindow } from './window.js';
import { errorCode } from '../../test/helpers/errors.js';

const NEW_YORK = 'America/New_York';
const TOKYO = 'Asia/Tokyo';
const at = (iso: string) => new Date(iso);
const iso = (date: Date | undefined) => date?.toISOString();

describe('a business-hours window in Tokyo (no daylight saving)', () => {
  const window = createDeliveryWindow('* 9-17 * * 1-5', TOKYO);

  it('contains the minutes from 09:00 to 17:59 on weekdays', () => {
    expect(window.contains(at('2026-11-24T00:00:00Z'))).toBe(true); // Tue 09:00 JST
    expect(window.contains(at('2026-11-23T23:59:59.999Z'))).toBe(false); // 08:59:59.999
    expect(window.contains(at('2026-11-24T08:59:59.999Z'))).toBe(true); // 17:59:59.999
    expect(window.contains(at('2026-11-24T09:00:00Z'))).toBe(false); // 18:00
    expect(window.contains(at('2026-11-28T03:00:00Z'))).toBe(false); // Saturday 12:00
  });

  it('returns `at` itself, unrounded, inside the window', () => {
    const inside = at('2026-11-24T03:17:42.123Z');
    expect(window.nextOpening(inside)).toBe(inside);
  });

  it('returns the start of the next allowed minute outside it', () => {
    expect(iso(window.nextOpening(at('2026-11-23T23:59:30Z')))).toBe('2026-11-24T00:00:00.000Z'); // 08:59:30 → 09:00
    expect(iso(window.nextOpening(at('2026-11-24T09:00:00Z')))).toBe('2026-11-25T00:00:00.000Z'); // 18:00 → next 09:00
    expect(iso(window.nextOpening(at('2026-11-27T09:30:00Z')))).toBe('2026-11-30T00:00:00.000Z'); // Fri 18:30 → Mon 09:00
    expect(iso(window.nextOpening(at('2026-11-28T03:00:00Z')))).toBe('2026-11-30T00:00:00.000Z'); // Saturday → Monday
  });

  it('opens at 09:00 JST = 00:00 UTC every weekday of the year', () => {
    const evening = DateTime.fromISO('2026-01-01T20:00', { zone: TOKYO });
    for (let day = 0; day < 365; day += 1) {
      const opening = window.nextOpening(evening.plus({ days: day }).toJSDate())!;
      const local = DateTime.fromJSDate(opening, { zone: TOKYO });
      expect(local.toFormat('HH:mm')).toBe('09:00');
      expect(local.weekday).toBeLessThanOrEqual(5);
      expect(opening.getUTCHours()).toBe(0);
    }
  });
});

describe('a business-hours window in New York across daylight saving', () => {
  const window = createDeliveryWindow('* 9-17 * * 1-5', NEW_YORK);

  it('opens at 09:00 local before and after spring forward (2026-03-08)', () => {
    expect(iso(window.nextOpening(at('2026-03-05T12:00:00Z')))).toBe('2026-03-05T14:00:00.000Z'); // Thu 09:00 EST
    expect(iso(window.nextOpening(at('2026-03-06T23:00:00Z')))).toBe('2026-03-09T13:00:00.000Z'); // Mon 09:00 EDT
    expect(window.contains(at('2026-03-09T12:59:00Z'))).toBe(false); // 08:59 EDT (was 07:59 EST)
    expect(window.contains(at('2026-03-09T21:59:00Z'))).toBe(true); // 17:59 EDT
    expect(window.contains(at('2026-03-09T22:00:00Z'))).toBe(false); // 18:00 EDT
  });

  it('opens at 09:00 local before and after fall back (2026-11-01)', () => {
    expect(iso(window.nextOpening(at('2026-10-30T12:00:00Z')))).toBe('2026-10-30T13:00:00.000Z'); // Fri 09:00 EDT
    expect(iso(window.nextOpening(at('2026-10-30T23:00:00Z')))).toBe('2026-11-02T14:00:00.000Z'); // Mon 09:00 EST
    expect(window.contains(at('2026-11-02T13:30:00Z'))).toBe(false); // 08:30 EST
    expect(window.contains(at('2026-11-02T22:59:00Z'))).toBe(true); // 17:59 EST
  });
});

describe('daylight-saving edges', () => {
  it('spring forward: 02:30 does not exist on 2026-03-08, so a 02:30 window next opens on 03-09', () => {
    const window = createDeliveryWindow('30 2 * * *', NEW_YORK);
    expect(iso(window.nextOpening(at('2026-03-07T00:00:00Z')))).toBe('2026-03-07T07:30:00.000Z'); // 02:30 EST
    expect(iso(window.nextOpening(at('2026-03-07T12:00:00Z')))).toBe('2026-03-09T06:30:00.000Z'); // 02:30 EDT
    // cron-parser alone answers 03:30 EDT on 03-08: that minute is not in the window.
    expect(window.contains(at('2026-03-08T07:30:00Z'))).toBe(false);
  });

  it('spring forward: an hour-2 window has no minutes on 2026-03-08', () => {
    const window = createDeliveryWindow('* 2 * * *', NEW_YORK);
    expect(iso(window.nextOpening(at('2026-03-08T05:00:00Z')))).toBe('2026-03-09T06:00:00.000Z');
    expect(window.contains(at('2026-03-08T07:00:00Z'))).toBe(false); // 03:00 EDT
    // a window spanning the gap opens at the first minute after it
    expect(iso(createDeliveryWindow('* 2-3 * * *', NEW_YORK).nextOpening(at('2026-03-08T06:30:00Z')))).toBe('2026-03-08T07:00:00.000Z');
  });

  it('fall back: 01:30 happens twice on 2026-11-01 and both are inside', () => {
    const window = createDeliveryWindow('30 1 * * *', NEW_YORK);
    expect(iso(window.nextOpening(at('2026-11-01T05:00:00Z')))).toBe('2026-11-01T05:30:00.000Z'); // 01:30 EDT
    expect(iso(window.nextOpening(at('2026-11-01T05:31:00Z')))).toBe('2026-11-01T06:30:00.000Z'); // 01:30 EST
    expect(iso(window.nextOpening(at('2026-11-01T06:31:00Z')))).toBe('2026-11-02T06:30:00.000Z');
    expect(window.contains(at('2026-11-01T05:30:10Z'))).toBe(true);
    expect(window.contains(at('2026-11-01T06:30:10Z'))).toBe(true);
  });

  it('fall back: the second pass of a quarter-hour window is found from between the passes', () => {
    const window = createDeliveryWindow('*/15 1 * * *', NEW_YORK);
    expect(iso(window.nextOpening(at('2026-11-01T05:50:00Z')))).toBe('2026-11-01T06:00:00.000Z'); // 01:50 EDT → 01:00 EST
    expect(iso(window.nextOpening(at('2026-11-01T06:05:00Z')))).toBe('2026-11-01T06:15:00.000Z'); // inside the second pass
  });

  it('agrees with a minute-by-minute luxon scan around both transitions', () => {
    const rules: Array<[string, (local: DateTime) => boolean]> = [
      ['* 9-17 * * 1-5', (local) => local.hour >= 9 && local.hour <= 17 && local.weekday <= 5],
      ['30 2 * * *', (local) => local.hour === 2 && local.minute === 30],
      ['*/15 1 * * *', (local) => local.hour === 1 && local.minute % 15 === 0],
      ['0,30 1-3 * * *', (local) => local.hour >= 1 && local.hour <= 3 && local.minute % 30 === 0],
      ['59 0,1 * * *', (local) => (local.hour === 0 || local.hour === 1) && local.minute === 59],
    ];
    for (const transition of ['2026-03-08T07:00:00Z', '2026-11-01T06:00:00Z']) {
      const centre = Date.parse(transition);
      for (const [cron, allowed] of rules) {
        const window = createDeliveryWindow(cron, NEW_YORK);
        for (let offset = -4 * 60; offset <= 4 * 60; offset += 13) {
          const start = centre + offset * 60_000 + 17_000;
          expect(iso(window.nextOpening(new Date(start))), `${cron} from ${new Date(start).toISOString()}`).toBe(iso(scan(start, allowed)));
        }
      }
    }
  });
});

/** The first instant at or after `start` whose local New York minute is allowed: the slow, obvious answer. */
function scan(start: number, allowed: (local: DateTime) => boolean): Date | undefined {
  if (allowed(DateTime.fromMillis(start, { zone: NEW_YORK }))) return new Date(start);
  for (let minute = Math.floor(start / 60_000) * 60_000 + 60_000; minute < start + 4 * 86_400_000; minute += 60_000) {
    if (allowed(DateTime.fromMillis(minute, { zone: NEW_YORK }))) return new Date(minute);
  }
  return undefined;
}

describe('windows that rarely or never open', () => {
  it('never opens for a day of month no month has (0 0 30 2 *)', () => {
    const window = createDeliveryWindow('0 0 30 2 *', TOKYO);
    expect(window.nextOpening(at('2026-01-01T00:00:00Z'))).toBeUndefined();
    expect(window.contains(at('2026-03-02T15:00:00Z'))).toBe(false);
  });

  it('finds 29 February within the horizon, and not beyond it', () => {
    const window = createDeliveryWindow('0 0 29 2 *', 'UTC');
    expect(iso(window.nextOpening(at('2027-03-01T00:00:00Z')))).toBe('2028-02-29T00:00:00.000Z');
    expect(window.nextOpening(at('2028-03-01T00:00:00Z'))).toBeUndefined(); // 2032 is past 400 days
    const patient = createDeliveryWindow('0 0 29 2 *', 'UTC', { horizonDays: 1_500 });
    expect(iso(patient.nextOpening(at('2028-03-01T00:00:00Z')))).toBe('2032-02-29T00:00:00.000Z');
  });

  it('honours a short horizon', () => {
    const window = createDeliveryWindow('0 9 * * 1', TOKYO, { horizonDays: 1 });
    expect(window.nextOpening(at('2026-11-24T03:00:00Z'))).toBeUndefined(); // Tuesday; Monday is 6 days off
    expect(iso(createDeliveryWindow('0 9 * * 1', TOKYO).nextOpening(at('2026-11-24T03:00:00Z')))).toBe('2026-11-30T00:00:00.000Z');
  });

  it('treats day of month and day of week as either-or, as cron does', () => {
    const window = createDeliveryWindow('0 9 30 2 1', TOKYO); // 30 Feb or any Monday in February
    expect(iso(window.nextOpening(at('2026-01-01T00:00:00Z')))).toBe('2026-02-02T00:00:00.000Z');
  });
});

describe('bad input', () => {
  it('refuses an unknown zone, a malformed expression and a seconds field', () => {
    expect(errorCode(() => createDeliveryWindow('* 9-17 * * 1-5', 'Asia/Tokio'))).toBe('BAD_TIMEZONE');
    expect(errorCode(() => createDeliveryWindow('* 25 * * *', TOKYO))).toBe('CONFIG_BAD_CRON');
    expect(errorCode(() => createDeliveryWindow('not a cron', TOKYO))).toBe('CONFIG_BAD_CRON');
    expect(errorCode(() => createDeliveryWindow('30 * 9-17 * * 1-5', TOKYO))).toBe('CONFIG_BAD_CRON');
  });

  it('accepts predefined expressions such as @daily (whole minutes)', () => {
    expect(iso(createDeliveryWindow('@daily', TOKYO).nextOpening(at('2026-11-24T03:00:00Z')))).toBe('2026-11-24T15:00:00.000Z');
  });

  it('refuses an invalid Date', () => {
    const window = createDeliveryWindow('* * * * *', TOKYO);
    expect(errorCode(() => window.contains(new Date(Number.NaN)))).toBe('RangeError');
    expect(errorCode(() => window.nextOpening(new Date(Number.NaN)))).toBe('RangeError');
  });
});

describe('cost', () => {
  it('answers thousands of calls quickly, inside and outside the window', () => {
    const window = createDeliveryWindow('* 9-17 * * 1-5', NEW_YORK);
    const started = performance.now();
    for (let lead = 0; lead < 5_000; lead += 1) {
      window.nextOpening(new Date(Date.parse('2026-11-24T15:00:00Z') + lead * 1_000)); // inside
      createDeliveryWindow('* 9-17 * * 1-5', NEW_YORK).nextOpening(new Date(Date.parse('2026-11-24T23:00:00Z') + lead * 1_000)); // outside
    }
    // ~0.3 s here; the bound catches re-parsing or a minute-by-minute search.
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('gives the same answer to the same question (the last answer is kept)', () => {
    const window = createDeliveryWindow('0 9 * * *', TOKYO);
    const evening = at('2026-11-24T12:00:00Z');
    const first = window.nextOpening(evening);
    expect(window.nextOpening(new Date(evening))).toEqual(first);
    first!.setTime(0); // a caller that mutates its answer does not change the next one
    expect(iso(window.nextOpening(evening))).toBe('2026-11-25T00:00:00.000Z');
    expect(iso(window.nextOpening(at('2026-11-25T12:00:00Z')))).toBe('2026-11-26T00:00:00.000Z');
    expect(iso(window.nextOpening(evening))).toBe('2026-11-25T00:00:00.000Z');
  });
});
