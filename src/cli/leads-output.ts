import type { LeadDetails } from '../leads/show.js';
import type { Lead } from '../store/leads.js';
import { displayWidth, padEnd, truncate } from '../util/width.js';

/** Each column's widest allowed cell, in display columns; narrower when the data is. */
const COLUMNS: { title: string; max: number; value: (lead: Lead) => string }[] = [
  { title: 'email', max: 48, value: (lead) => lead.email },
  { title: 'name', max: 20, value: (lead) => String(lead.fields.full_name ?? '') },
  { title: 'company', max: 28, value: (lead) => String(lead.fields.company ?? '') },
  { title: 'status', max: 10, value: (lead) => String(lead.fields.status ?? '') },
  { title: 'owner', max: 12, value: (lead) => String(lead.fields.owner ?? '') },
];

/** Leads as an aligned table; columns stay aligned with full-width Japanese text. */
export function formatLeadTable(leads: readonly Lead[]): string {
  const rows = [COLUMNS.map((column) => column.title), ...leads.map((lead) => COLUMNS.map((column) => column.value(lead)))];
  // A loop, not Math.max(...cells): spreading a column of 200,000 leads overflows the stack.
  const widths = COLUMNS.map((column, index) => {
    let widest = 0;
    for (const row of rows) widest = Math.max(widest, displayWidth(row[index]!));
    return Math.min(column.max, widest);
  });
  return rows.map((row) => `${row.map((cell, index) => padEnd(truncate(cell, widths[index]!), widths[index]!)).join('  ').trimEnd()}\n`).join('');
}

export function formatLeadDetails(details: LeadDetails): string {
  const { lead, suppression, events } = details;
  const names = Object.keys(lead.fields).sort();
  const width = Math.max(5, ...names.map((name) => name.length));
  const lines = [`${lead.email}`, ...names.map((name) => `  ${name.padEnd(width)}  ${String(lead.fields[name])}`)];
  lines.push('', suppression ? `suppressed: ${suppression.reason} (${suppression.kind}${suppression.kind === 'domain' ? ` @${suppression.value}` : ''}, ${suppression.createdAt} by ${suppression.actor})` : 'not suppressed');
  lines.push('', `timeline (${events.length} ${events.length === 1 ? 'event' : 'events'}, newest first):`);
  for (const event of events) lines.push(`  #${event.id}  ${event.at}  ${event.type.padEnd(18)} ${event.actor}${describeData(event.data)}`);
  return `${lines.join('\n')}\n`;
}

function describeData(data: unknown): string {
  if (!data || typeof data !== 'object') return '';
  const { changes, ...rest } = data as { changes?: Record<string, [unknown, unknown]> };
  const parts = Object.entries(rest).map(([key, value]) => `${key}=${String(value)}`);
  for (const [field, [before, after]] of Object.entries(changes ?? {})) parts.push(`${field}: ${before ?? '(empty)'} → ${after ?? '(empty)'}`);
  return parts.length ? `  ${parts.join(', ')}` : '';
}
