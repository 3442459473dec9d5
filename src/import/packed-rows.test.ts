import { describe, expect, it } from 'vitest';
import { LEAD_COLUMNS } from '../store/leads.js';
import { customFieldOrder, emptyPack, packRow, PackedReader } from './packed-rows.js';
import type { ImportRow } from './write-batch.js';

const AT = '2026-11-30T00:00:00.000Z';

function roundTrip(row: ImportRow, runDefaults = {}, emailCell?: string): { reader: PackedReader; rest: string } {
  const rows = emptyPack();
  packRow(rows, row, runDefaults, customFieldOrder(['renewal', 'tier']), emailCell);
  return { reader: new PackedReader(rows), rest: rows.rests[0]! };
}

describe('packed rows', () => {
  it('read back as the row: own fields, defaults, the composed full name, custom fields, cells', () => {
    const row: ImportRow = { line: 7, email: 'taro@example.jp', fields: { last_name: '山田', first_name: '太郎', company: '㈱サンプル', tier: 'A', renewal: '2027-01-15' }, defaults: { timezone: 'Asia/Tokyo' }, doNotContact: true, cells: ['TARO@example.jp', '山田', '太郎'] };
    const { reader } = roundTrip(row, { owner: 'sato' }, 'TARO@example.jp');
    expect(reader.line(0)).toBe(7);
    expect(reader.email(0)).toBe('taro@example.jp');
    expect(reader.emailCell(0)).toBe('TARO@example.jp');
    expect(reader.doNotContact(0)).toBe(true);
    expect(reader.row(0, { owner: 'sato' })).toEqual({ line: 7, email: 'taro@example.jp', fields: row.fields, defaults: { timezone: 'Asia/Tokyo' }, doNotContact: true, cells: row.cells });
    const params = reader.insertParams(0, AT);
    const column = (name: string): unknown => params[1 + LEAD_COLUMNS.indexOf(name as (typeof LEAD_COLUMNS)[number])];
    expect(params[0]).toBe('taro@example.jp');
    expect(column('full_name')).toBe('山田 太郎');
    expect(column('owner')).toBe('sato');
    expect(column('timezone')).toBe('Asia/Tokyo');
    expect(column('title')).toBeNull();
    expect(params.slice(-3)).toEqual(['{"renewal":"2027-01-15","tier":"A"}', AT, AT]);
  });

  it('keeps a value with a NUL in it whole (binary junk in a cell), and an address that is its own cell', () => {
    const row: ImportRow = { line: 3, email: 'a@example.com', fields: { company: 'Acme\0Corp', title: 'CEO', tier: 'x\0y' }, defaults: {}, doNotContact: false };
    const { reader, rest } = roundTrip(row, {}, 'a@example.com');
    expect(rest.startsWith('\u0002')).toBe(true);
    expect(reader.row(0, {})).toEqual({ line: 3, email: 'a@example.com', fields: row.fields, defaults: {}, doNotContact: false });
    expect(reader.emailCell(0)).toBe('a@example.com');
    expect(reader.insertParams(0, AT)[1 + LEAD_COLUMNS.indexOf('company')]).toBe('Acme\0Corp');
  });
});
