import { afterEach, describe, expect, it } from 'vitest';
import { SeenAddresses } from './seen-addresses.js';

const opened: SeenAddresses[] = [];
const tmpdir = process.env.TMPDIR;
afterEach(() => {
  while (opened.length) opened.pop()!.close();
  if (tmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = tmpdir;
});

function seen(hashOf?: (address: string) => number): SeenAddresses {
  const set = new SeenAddresses(hashOf);
  opened.push(set);
  return set;
}

describe('SeenAddresses', () => {
  it('gives 0 for an address not seen before, and the first line for one seen', () => {
    const set = seen();
    expect(set.firstLine('taro@example.co.jp', 2)).toBe(0);
    expect(set.firstLine('hanako@example.jp', 3)).toBe(0);
    expect(set.firstLine('taro@example.co.jp', 9)).toBe(2);
    expect(set.firstLine('taro@example.co.jp', 12)).toBe(2);
    expect(set.firstLine('hanako@example.jp', 40)).toBe(3);
  });

  it('keeps every address exactly over many rows, as it grows and spills to its temporary file', () => {
    const set = seen();
    const rows = 200_000;
    let wrong = 0;
    for (let i = 0; i < rows; i++) if (set.firstLine(`user${i}@example${i % 97}.com`, i + 2) !== 0) wrong++;
    for (let i = 0; i < rows; i += 7) if (set.firstLine(`user${i}@example${i % 97}.com`, rows + i) !== i + 2) wrong++;
    expect(wrong).toBe(0);
    expect(set.firstLine('user1@example2.com', 1)).toBe(0);
  });

  it('tells addresses whose hashes are equal apart by their text (any text: Latin-1 or not)', () => {
    const set = seen(() => 1);
    const addresses = ['a@x.com', 'b@x.com', 'café@x.com', '山田@例え.jp', 'A@x.com'];
    addresses.forEach((address, i) => expect(set.firstLine(address, 10 + i)).toBe(0));
    addresses.forEach((address, i) => expect(set.firstLine(address, 100 + i)).toBe(10 + i));
  });

  it('keeps addresses apart whose hashes differ but choose the same slot, through growth', () => {
    const set = seen((address) => ((address.length << 16) | 7) >>> 0);
    const addresses = Array.from({ length: 6000 }, (_, i) => `${'x'.repeat(i % 40)}${i}@example.com`);
    addresses.forEach((address, i) => expect(set.firstLine(address, 2 + i)).toBe(0));
    addresses.forEach((address, i) => expect(set.firstLine(address, 9000 + i)).toBe(2 + i));
  });

  it('works in memory when no temporary file can be made', () => {
    process.env.TMPDIR = '/nonexistent/cadence-test';
    const set = seen();
    for (let i = 0; i < 20_000; i++) set.firstLine(`user${i}@example.com`, i + 2);
    expect(set.firstLine('user19999@example.com', 1)).toBe(20_001);
    expect(set.firstLine('user0@example.com', 1)).toBe(2);
  });
});
