import { describe, expect, it } from 'vitest';
import { randomBytesPooled } from './random.js';

describe('randomBytesPooled', () => {
  it('never hands out the same bytes twice, across refills of the pool', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) seen.add(randomBytesPooled(12).toString('hex'));
    expect(seen.size).toBe(5000);
    const a = randomBytesPooled(8);
    const copy = Buffer.from(a);
    for (let i = 0; i < 3000; i++) randomBytesPooled(12);
    expect(a.equals(copy)).toBe(true);
  });
});
