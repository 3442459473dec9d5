import { describe, expect, it } from 'vitest';
import { dateEnd, scanDate, scanTime, timeStart } from './date-scan.js';

describe('scanDate', () => {
  it.each([
    ['2026-12-01', 20261201],
    ['2026/1/5', 20260105],
    ['2026.12.1', 20261201],
    ['2026-02-30', 20260230], // the form is right; whether the day exists is the caller's question
    ['2026-12/01', -1],
    ['26-12-01', -1],
    ['0999-12-01', -1],
    ['2026-123-1', -1],
    ['2026-1-123', -1],
    ['2026-1a-01', -1],
    ['2026年12月1日', -1],
    ['', -1],
  ])('%j → %d', (text, packed) => {
    expect(scanDate(text, text.length)).toBe(packed);
  });
});

describe('scanTime, timeStart and dateEnd', () => {
  it.each([
    ['2026-12-01 10:00', 100000],
    ['2026-12-01T9:05', 90500],
    ['2026/1/5   23:59:59', 235959],
    ['2026-12-01 10:00+09:00', -1],
    ['2026-12-01T10:00:00Z', -1],
    ['2026-12-01 10:00:30.25', -1],
    ['2026-12-01 10', -1],
    ['2026-12-01 1:0', -1],
    ['2026-12-01', -1],
  ])('%j → %d', (text, packed) => {
    const end = dateEnd(text);
    expect(end < 0 ? -1 : scanTime(text, timeStart(text, end))).toBe(packed);
  });
});
