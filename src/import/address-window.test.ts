import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { AddressWindow, addressKey, MAX_WINDOW_ROWS } from './address-window.js';
import { emptyPack, packRow, type PackedRows } from './packed-rows.js';

/** A pack of rows with these addresses, on consecutive lines from `firstLine`. */
function pack(emails: readonly string[], firstLine: number): PackedRows {
  const rows = emptyPack();
  emails.forEach((email, index) => packRow(rows, { line: firstLine + index, email, fields: { company: `Co ${firstLine + index}` }, defaults: {}, doNotContact: false }, {}, []));
  return rows;
}

/** The window's rows in the order it writes them, as [address, line]. */
function order(window: AddressWindow): [string, number][] {
  return Array.from(window.chunks, (chunk, k) => {
    const reader = window.readers[chunk]!;
    const index = window.indexes[k]!;
    return [reader.email(index), reader.line(index)];
  });
}

describe('AddressWindow', () => {
  it('puts the rows of several read batches in address order, a repeated address in file order', () => {
    const window = new AddressWindow([pack(['mika@example.jp', 'aoi@example.jp', 'zen@example.com'], 2), pack(['aoi@example.jp', 'ken@example.com'], 5)]);
    expect(order(window)).toEqual([
      ['aoi@example.jp', 3],
      ['aoi@example.jp', 5],
      ['ken@example.com', 6],
      ['mika@example.jp', 2],
      ['zen@example.com', 4],
    ]);
    expect(window.lastLine).toBe(6);
    expect(window.size).toBe(5);
    expect(window.remaining).toBe(5);
  });

  it('orders by the first five characters only: beyond them, file order', () => {
    const window = new AddressWindow([pack(['sales-b@x.com', 'sales-a@x.com', 'sale@x.com'], 10)]);
    expect(order(window).map(([email]) => email)).toEqual(['sale@x.com', 'sales-b@x.com', 'sales-a@x.com']);
  });

  it('never puts two addresses in the opposite order to the store’s index (bytes of UTF-8, ASCII first)', () => {
    const emails = ['éz@x.de', 'üa@x.de', 'aéz@x.de', 'aüa@x.de', 'ü@example.de', 'u@example.com', 'A@x.io'.toLowerCase(), '0@x.io', 'a.b@x.io', 'a+b@x.io', 'a_b@x.io', 'a-b@x.io', '山田@example.jp', 'a@b.c', 'ab@c.de', 'abcdef@x.io', 'abcde@x.io', 'z@x.io'];
    const db = new Database(':memory:');
    const stored = db.prepare(`SELECT value FROM json_each(?) ORDER BY value`).pluck().all(JSON.stringify(emails)) as string[];
    for (let i = 0; i < stored.length; i++) {
      for (let j = i + 1; j < stored.length; j++) expect(addressKey(stored[i]!), `${stored[i]} before ${stored[j]}`).toBeLessThanOrEqual(addressKey(stored[j]!));
    }
    db.close();
  });

  it('refuses more rows than its keys can number', () => {
    const big = emptyPack();
    big.count = MAX_WINDOW_ROWS + 1;
    expect(() => new AddressWindow([big])).toThrow(RangeError);
  });
});
