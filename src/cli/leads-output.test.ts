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
