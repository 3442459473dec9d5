import { describe, expect, it } from 'vitest';
import { readReturnDate } from './ooo-return.js';

const received = new Date('2026-12-02T16:00:00Z');
const read = (subject: string, text: string, zone = 'Asia/Tokyo'): string | undefined => readReturnDate(subject, text, received, zone)?.toISOString();

describe('readReturnDate', () => {
  it('reads an English return date ("back on"), at the start of that day in the zone', () => {
    expect(read('Out of Office', 'I will be back on Monday, December 14.', 'America/New_York')).toBe('2026-12-14T05:00:00.000Z');
    expect(read('Automatic reply', 'Returning 7 January 2027; limited access to email.', 'Europe/London')).toBe('2027-01-07T00:00:00.000Z');
  });

  it('reads the end of an absence ("until", "まで") as a return the next day', () => {
    expect(read('Out of office', 'I am away until Jan 5 with no access to email.', 'America/New_York')).toBe('2027-01-06T05:00:00.000Z');
    expect(read('不在のお知らせ', '12月10日(木)まで不在にしております。')).toBe('2026-12-10T15:00:00.000Z');
  });

  it('reads a Japanese return day (より出社, 1/6(水)に戻ります)', () => {
    expect(read('自動応答', '2027年1月6日より出社いたします。')).toBe('2027-01-05T15:00:00.000Z');
    expect(read('自動返信', '出張のため不在です。1/6(水)に戻ります。')).toBe('2027-01-05T15:00:00.000Z');
    expect(read('自動返信', '休暇のため不在です。1/6(水)以降に返信いたします。')).toBe('2027-01-05T15:00:00.000Z');
  });

  it('reads full-width digits (NFKC)', () => {
    expect(read('不在', '１２月２４日から１月４日まで休暇をいただいております。')).toBe('2027-01-04T15:00:00.000Z');
  });

  it('gives nothing for a date that is not a return, a past date or one too far away', () => {
    expect(read('Out of office', 'Your message of December 1 was received.', 'UTC')).toBeUndefined();
    expect(read('Out of office', 'I was back on 2026-11-20.', 'UTC')).toBeUndefined();
    expect(read('Out of office', 'Back on 2028-01-01.', 'UTC')).toBeUndefined();
    expect(read('Out of office', 'I am travelling with limited access.', 'UTC')).toBeUndefined();
  });
});
