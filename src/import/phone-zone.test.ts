import { IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { CALLING_CODE_ZONES, isNorthAmericanZone, zoneForPhone } from './phone-zone.js';

describe('zoneForPhone', () => {
  it.each([
    ['+81 3-1234-5678', 'Asia/Tokyo', 'Asia/Tokyo'],
    ['+81-90-1234-5678', 'Europe/London', 'Asia/Tokyo'],
    ['+44 20 7946 0958', 'Asia/Tokyo', 'Europe/London'],
    ['+49 30 123456', 'Asia/Tokyo', 'Europe/Berlin'],
    ['+33 1 23 45 67 89', 'Asia/Tokyo', 'Europe/Paris'],
    ['+82 2-123-4567', 'Asia/Tokyo', 'Asia/Seoul'],
    ['+86 10 1234 5678', 'Asia/Tokyo', 'Asia/Shanghai'],
    ['+65 6123 4567', 'Asia/Tokyo', 'Asia/Singapore'],
    ['+61 2 9876 5432', 'Asia/Tokyo', 'Australia/Sydney'],
    ['+91 22 1234 5678', 'Asia/Tokyo', 'Asia/Kolkata'],
    ['+852 2123 4567', 'Asia/Tokyo', 'Asia/Hong_Kong'],
    ['+886 2 1234 5678', 'Asia/Tokyo', 'Asia/Taipei'],
    ['+7 495 123-45-67', 'Asia/Tokyo', 'Europe/Moscow'],
    ['+(44) 20 7946 0958', 'Asia/Tokyo', 'Europe/London'],
    // +1: the workspace's own zone when it is North American, New York otherwise.
    ['+1 415-555-0100', 'America/Los_Angeles', 'America/Los_Angeles'],
    ['+1 (312) 555-0100', 'America/Chicago', 'America/Chicago'],
    ['+1 415-555-0100', 'Asia/Tokyo', 'America/New_York'],
    ['+1 415-555-0100', 'America/Sao_Paulo', 'America/New_York'],
  ])('%s with workspace %s → %s', (phone, workspace, zone) => {
    expect(zoneForPhone(phone, workspace)).toBe(zone);
  });

  it.each([
    ['03-1234-5678'],
    ['090-1234-5678'],
    ['(415) 555-0100'],
    ['+212 5 22 12 34 56'], // Morocco: not in the table
    ['+'],
    ['+x81'],
    [''],
  ])('%j says nothing about the zone', (phone) => {
    expect(zoneForPhone(phone, 'Asia/Tokyo')).toBeUndefined();
  });

  it('has about forty codes, every zone valid, and no code a prefix of another', () => {
    const codes = Object.keys(CALLING_CODE_ZONES);
    expect(codes.length).toBeGreaterThanOrEqual(40);
    for (const [code, zone] of Object.entries(CALLING_CODE_ZONES)) {
      expect(IANAZone.isValidZone(zone), zone).toBe(true);
      expect(codes.filter((other) => other !== code && other.startsWith(code)), code).toEqual([]);
      expect(code.startsWith('1'), code).toBe(false);
    }
  });

  it.each([
    ['America/Los_Angeles', true],
    ['America/Indiana/Indianapolis', true],
    ['Pacific/Honolulu', true],
    ['America/Toronto', true],
    ['America/Sao_Paulo', false],
    ['America/Mexico_City', false],
    ['Asia/Tokyo', false],
  ])('%s is North American: %s', (zone, expected) => {
    expect(isNorthAmericanZone(zone)).toBe(expected);
  });
});
