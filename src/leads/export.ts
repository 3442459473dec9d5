import type { Store } from '../store/database.js';
import { iterateEventsWithEmail } from '../store/events.js';
import { iterateLeads, LEAD_COLUMNS } from '../store/leads.js';
import type { WorkspaceConfig } from '../workspace/types.js';

/** One CSV field: quoted when it holds a delimiter, quote or line break (RFC 4180). */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** Leads as CSV (the header names are the field names, so the file imports back as it is). */
export function* exportLeadsCsv(store: Store, config: WorkspaceConfig, filter: { sql: string; params: unknown[] } | undefined): Generator<string> {
  const custom = Object.keys(config.lead_fields ?? {});
  const columns = ['email', ...LEAD_COLUMNS, ...custom];
  yield csvLine(columns);
  for (const lead of iterateLeads(store.db, filter)) {
    yield csvLine(columns.map((column) => (column === 'email' ? lead.email : lead.fields[column])));
  }
}

/** The events log as CSV; `where` filters on the lead (events of leads matching it). */
export function* exportEventsCsv(store: Store, filter: { sql: string; params: unknown[] } | undefined): Generator<string> {
  yield csvLine(['id', 'type', 'at', 'actor', 'lead_email', 'data']);
  for (const event of iterateEventsWithEmail(store.db, filter)) {
    yield csvLine([event.id, event.type, event.at, event.actor, event.email, event.data]);
  }
}
