import type { LeadDetails } from '../leads/show.js';
import type { Lead } from '../store/leads.js';
import { padEnd, truncate } from '../util/width.js';

const COLUMNS: { title: string; width: number; value: (lead: Lead) => string }[] = [
  { title: 'email', width: 36, value: (lead) => lead.email },
  { title: 'name', width: 18, value: (lead) => String(lead.fields.full_name ?? '') },
  { title: 'company', width: 24, value: (lead) => String(lead.fields.company ?? '') },
  { title: 'status', width: 10, value: (lead) => String(lead.fields.status ?? '') },
  { title: 'owner', width: 10, value: (lead) => String(lead.fields.owner ?? '') },
];

/** Leads as an aligned table; columns stay aligned with full-width Japanese text. */
export function formatLeadTable(leads: readonly Lead[]): string {
  const line = (cells: string[]): string => `${cells.map((cell, index) => padEnd(truncate(cell, COLUMNS[index]!.width), COLUMNS[index]!.width)).join('  ').trimEnd()}\n`;
  return line(COLUMNS.map((column) => column.title)) + leads.map((lead) => line(COLUMNS.map((column) => column.value(lead)))).join('');
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
