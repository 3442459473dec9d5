import { describe, expect, it } from 'vitest';
import { displayWidth, padEnd, truncate } from './width.js';

describe('display width', () => {
  it('counts full-width and CJK characters as two columns', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('山田 太郎')).toBe(9);
    expect(displayWidth('ＡＢＣ')).toBe(6);
    expect(displayWidth('ｶﾀｶﾅ')).toBe(4);
  });

  it('pads and truncates by columns, not characters', () => {
    expect(padEnd('株式会社', 10)).toBe('株式会社  ');
    expect(truncate('株式会社さくら工業', 9)).toBe('株式会社…');
    expect(displayWidth(truncate('株式会社さくら工業', 9))).toBeLessThanOrEqual(9);
    expect(truncate('short', 9)).toBe('short');
  });
});
