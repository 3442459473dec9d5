import { describe, expect, it } from 'vitest';
import { createBusinessCalendar } from './calendar.js';
import { snoozeUntil } from './task-snooze.js';

describe('snoozeUntil', () => {
  const japan = createBusinessCalendar({ holidays: 'JP' });

  it('tomorrow morning is the next working morning in the rep’s zone', () => {
    // Tuesday 10:30 in Tokyo → Wednesday 09:00.
    expect(snoozeUntil('morning', new Date('2026-12-01T01:30:00Z'), 'Asia/Tokyo', '09:00', japan).toISOString()).toBe('2026-12-02T00:00:00.000Z');
    // Friday 10:30 → Monday 09:00, not Saturday.
    expect(snoozeUntil('morning', new Date('2026-12-04T01:30:00Z'), 'Asia/Tokyo', '09:00', japan).toISOString()).toBe('2026-12-07T00:00:00.000Z');
    // Friday 2026-11-20 → Tuesday 11-24: Monday 11-23 is Labour Thanksgiving Day.
    expect(snoozeUntil('morning', new Date('2026-11-20T01:30:00Z'), 'Asia/Tokyo', '09:00', japan).toISOString()).toBe('2026-11-24T00:00:00.000Z');
    // Without a calendar, simply the next day.
    expect(snoozeUntil('morning', new Date('2026-12-04T01:30:00Z'), 'Asia/Tokyo', '09:00').toISOString()).toBe('2026-12-05T00:00:00.000Z');
  });
});
