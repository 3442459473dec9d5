import { describe, expect, it } from 'vitest';
import type { Lead } from '../store/leads.js';
import { displayWidth } from '../util/width.js';
import { formatLeadTable } from './leads-output.js';

const lead = (email: string, fields: Lead['fields']): Lead => ({ id: 1, email, fields, createdAt: '', updatedAt: '' });

describe('the lead table', () => {
  it('keeps columns aligned with full-width Japanese text', () => {
    const table = formatLeadTable([
      lead('sato.kenji@sakura-kogyo.example.co.jp', { full_name: '佐藤 健二', company: '株式会社さくら工業', status: 'MQL', owner: 'sato' }),
      lead('olivia@example.com', { full_name: 'Olivia Bennett', company: 'Northwind Traders', status: 'new' }),
    ]);
    const lines = table.trimEnd().split('\n');
    const statusColumn = lines.map((line) => displayWidth(line.slice(0, line.search(/(MQL|new|status)/))));
    expect(new Set(statusColumn).size).toBe(1);
    expect(lines[1]).toContain('sato.kenji@sakura-kogyo.example.co.jp');
  });

  it('cuts a cell past its column with an ellipsis', () => {
    const table = formatLeadTable([lead('a@example.com', { company: '株式会社とても長い会社名のテストのための会社名です' })]);
    expect(table).toContain('…');
  });
});

describe('a long lead table', () => {
  it('formats 200,000 leads (cadence leads --limit 200000) without overflowing the stack', () => {
    const leads = Array.from({ length: 200_000 }, (_, index) => lead(`lead${index}@example.com`, { full_name: `Lead ${index}`, status: 'new' }));
    const widest = 'the-widest-address-of-them-all@example.com';
    leads[123_456] = lead(widest, { full_name: 'Wide', status: 'new' });
    const lines = formatLeadTable(leads).trimEnd().split('\n');
    expect(lines).toHaveLength(200_001);
    // The widest cell anywhere in the column sets its width for every row.
    expect(lines[0]!.startsWith(`${'email'.padEnd(widest.length)}  name`)).toBe(true);
    expect(lines[123_457]!.startsWith(`${widest}  Wide`)).toBe(true);
    expect(lines[1]!.startsWith(`${'lead0@example.com'.padEnd(widest.length)}  Lead 0`)).toBe(true);
  });
});
