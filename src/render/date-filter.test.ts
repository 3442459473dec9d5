import { describe, expect, it } from 'vitest';
import { formatDate } from './date-filter.js';
import { createLiquid } from './liquid.js';

describe('the date filter', () => {
  it('renders a date-time in the lead’s zone, not the server’s', () => {
    expect(formatDate('2026-12-28T14:00:00.000+09:00', '%H:%M', 'Asia/Tokyo', 'ja')).toBe('14:00');
    expect(formatDate('2026-12-28T05:00:00Z', '%Y-%m-%d %H:%M', 'America/New_York', 'en')).toBe('2026-12-28 00:00');
  });

  it('names days and months in the lead’s language, with unpadded forms', () => {
    expect(formatDate('2026-12-24T10:00:00+09:00', '%Y年%-m月%-d日(%a) %H:%M', 'Asia/Tokyo', 'ja')).toBe('2026年12月24日(木) 10:00');
    expect(formatDate('2026-12-24T10:00:00-05:00', '%A, %B %-d, %Y at %-I:%M %p', 'America/New_York', 'en')).toBe('Thursday, December 24, 2026 at 10:00 AM');
  });

  it('keeps a date without a time on its day', () => {
    expect(formatDate('2027-03-31', '%Y/%m/%d', 'America/Los_Angeles', 'en')).toBe('2027/03/31');
  });

  it('is what templates get from {{ x | date }}', () => {
    const liquid = createLiquid();
    const context = { lead: { meeting_at: '2026-12-28T14:00:00+09:00', timezone: 'Asia/Tokyo', language: 'ja' } };
    expect(liquid.parseAndRenderSync('【明日{{ lead.meeting_at | date: "%H:%M" }}〜】', context)).toBe('【明日14:00〜】');
  });
});
