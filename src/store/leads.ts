import type { Database } from 'better-sqlite3';
import { statement } from './statements.js';

export type FieldValue = string | number | boolean;

/** Built-in lead fields stored as columns; everything else lives in the `custom` JSON. */
export const LEAD_COLUMNS = [
  'first_name', 'last_name', 'full_name', 'first_name_kana', 'last_name_kana',
  'company', 'department', 'title', 'phone', 'timezone', 'language', 'owner',
  'status', 'stage', 'source', 'campaign', 'linkedin_url', 'website', 'country',
] as const;
export type LeadColumn = (typeof LEAD_COLUMNS)[number];
const COLUMN_SET: ReadonlySet<string> = new Set(LEAD_COLUMNS);

export function isLeadColumn(field: string): field is LeadColumn {
  return COLUMN_SET.has(field);
}

/** A lead as the core sees it: every field, built-in and custom, in one map. */
export interface Lead {
  id: number;
  email: string;
  fields: Record<string, FieldValue>;
  createdAt: string;
  updatedAt: string;
}

export type LeadRow = { id: number; email: string; custom: string; created_at: string; updated_at: string } & Record<LeadColumn, string | null>;

export function rowToLead(row: LeadRow): Lead {
  const fields: Record<string, FieldValue> = {};
  for (const column of LEAD_COLUMNS) {
    const value = row[column];
    if (value !== null && value !== '') fields[column] = value;
  }
  Object.assign(fields, JSON.parse(row.custom) as Record<string, FieldValue>);
  return { id: row.id, email: row.email, fields, createdAt: row.created_at, updatedAt: row.updated_at };
}

/** The values a condition or template reads: `email` and every field. */
export function leadRecord(lead: Lead): Record<string, FieldValue> {
  return { ...lead.fields, email: lead.email };
}

/** Column values and custom JSON for a write, from a complete field map (pure: may run off the writing thread). */
export function leadColumnValues(fields: Readonly<Record<string, FieldValue>>): { columns: (string | null)[]; custom: string } {
  const columns = LEAD_COLUMNS.map((column) => {
    const value = fields[column];
    return value === undefined || value === '' ? null : String(value);
  });
  const custom: Record<string, FieldValue> = {};
  for (const key of Object.keys(fields).sort()) {
    if (!COLUMN_SET.has(key)) custom[key] = fields[key]!;
  }
  return { columns, custom: JSON.stringify(custom) };
}

const INSERT = `INSERT INTO leads (email, ${LEAD_COLUMNS.join(', ')}, custom, created_at, updated_at)
  VALUES (?, ${LEAD_COLUMNS.map(() => '?').join(', ')}, ?, ?, ?)`;
const UPDATE = `UPDATE leads SET ${LEAD_COLUMNS.map((column) => `${column} = ?`).join(', ')}, custom = ?, updated_at = ? WHERE id = ?`;

/**
 * Inserts the lead unless one with that address exists; returns the new id, or undefined
 * when it existed (one index lookup either way: the import's hot path). `params` are the
 * email, the lead columns in LEAD_COLUMNS order, the custom JSON, created_at and updated_at.
 */
export function insertPackedLeadIfNew(db: Database, params: readonly (string | number | null)[]): number | undefined {
  const result = statement(db, `${INSERT} ON CONFLICT(email) DO NOTHING`).run(params);
  return result.changes === 1 ? Number(result.lastInsertRowid) : undefined;
}

/**
 * Writes only the fields named in `changed` (columns and, if any custom field changed, the
 * custom JSON), so indexes on untouched columns are left alone.
 */
export function updateLeadFields(db: Database, id: number, fields: Readonly<Record<string, FieldValue>>, changed: readonly string[], at: string): void {
  const columns = changed.filter((field) => COLUMN_SET.has(field)).sort();
  const customChanged = changed.some((field) => !COLUMN_SET.has(field));
  const sets = [...columns.map((column) => `${column} = ?`), ...(customChanged ? ['custom = ?'] : []), 'updated_at = ?'];
  const values: unknown[] = columns.map((column) => {
    const value = fields[column];
    return value === undefined || value === '' ? null : String(value);
  });
  if (customChanged) values.push(leadColumnValues(fields).custom);
  statement(db, `UPDATE leads SET ${sets.join(', ')} WHERE id = ?`).run(...values, at, id);
}

/** Replaces every field of the lead with `fields`. */
export function writeLeadFields(db: Database, id: number, fields: Readonly<Record<string, FieldValue>>, at: string): void {
  const { columns, custom } = leadColumnValues(fields);
  statement(db, UPDATE).run(...columns, custom, at, id);
}

/** The id of the lead with this address (lower case already), from the email index alone. */
export function findLeadIdByEmail(db: Database, email: string): number | undefined {
  return (statement(db, 'SELECT id FROM leads WHERE email = ?').get(email) as { id: number } | undefined)?.id;
}

export function findLeadByEmail(db: Database, email: string): Lead | undefined {
  const row = statement(db, 'SELECT * FROM leads WHERE email = ?').get(email.toLowerCase()) as LeadRow | undefined;
  return row ? rowToLead(row) : undefined;
}

export function findLeadById(db: Database, id: number): Lead | undefined {
  const row = statement(db, 'SELECT * FROM leads WHERE id = ?').get(id) as LeadRow | undefined;
  return row ? rowToLead(row) : undefined;
}

/** The stored leads among `emails` (one query for a whole import batch). */
export function findLeadsByEmails(db: Database, emails: readonly string[]): Map<string, Lead> {
  const rows = statement(db, 'SELECT * FROM leads WHERE email IN (SELECT value FROM json_each(?))').all(JSON.stringify(emails)) as LeadRow[];
  return new Map(rows.map((row) => [row.email, rowToLead(row)]));
}

/** The SQL expression of a field, for the condition compiler; undefined for an unknown field. */
export function leadFieldSql(field: string, customFields: ReadonlySet<string>): string | undefined {
  if (field === 'email') return 'leads.email';
  if (COLUMN_SET.has(field)) return `leads.${field}`;
  if (customFields.has(field)) return `json_extract(leads.custom, '$.${field}')`;
  return undefined;
}

/** Leads matching an SQL filter (built by the condition compiler, values as parameters), by id. */
export function queryLeads(db: Database, filter: { sql: string; params: unknown[] } | undefined, options: { limit?: number; offset?: number } = {}): Lead[] {
  const where = filter ? `WHERE ${filter.sql}` : '';
  const limit = options.limit === undefined ? '' : ` LIMIT ${Math.floor(options.limit)} OFFSET ${Math.floor(options.offset ?? 0)}`;
  return (db.prepare(`SELECT * FROM leads ${where} ORDER BY id${limit}`).all(...(filter?.params ?? [])) as LeadRow[]).map(rowToLead);
}

export function* iterateLeads(db: Database, filter: { sql: string; params: unknown[] } | undefined): Generator<Lead> {
  const where = filter ? `WHERE ${filter.sql}` : '';
  for (const row of db.prepare(`SELECT * FROM leads ${where} ORDER BY id`).iterate(...(filter?.params ?? [])) as Iterable<LeadRow>) {
    yield rowToLead(row);
  }
}

export function countLeads(db: Database, filter?: { sql: string; params: unknown[] }): number {
  const where = filter ? `WHERE ${filter.sql}` : '';
  return (db.prepare(`SELECT count(*) AS n FROM leads ${where}`).get(...(filter?.params ?? [])) as { n: number }).n;
}

export function deleteLead(db: Database, id: number): void {
  statement(db, 'DELETE FROM leads WHERE id = ?').run(id);
}

/** The ids of the leads matching a filter, in id order (cheap to hold for a million leads). */
export function queryLeadIds(db: Database, filter: { sql: string; params: unknown[] } | undefined): number[] {
  const where = filter ? `WHERE ${filter.sql}` : '';
  return db.prepare(`SELECT id FROM leads ${where} ORDER BY id`).pluck().all(...(filter?.params ?? [])) as number[];
}
