import { cpSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CsvParser, isCsvError, type CsvItem } from '../../src/import/csv/parser.js';
import { cadence, tempDir } from './cli.js';

/** Every column of `leads` but the id and the timestamps: what two imports of one file must agree on. */
export const LEAD_DUMP_COLUMNS = [
  'email', 'first_name', 'last_name', 'full_name', 'first_name_kana', 'last_name_kana',
  'company', 'department', 'title', 'phone', 'timezone', 'language', 'owner',
  'status', 'stage', 'source', 'campaign', 'linkedin_url', 'website', 'country', 'custom',
] as const;

export type Row = Record<string, string | number | null>;

/** The store of a workspace, for reading what the CLI wrote. */
export function storeFile(workspace: string): string {
  return join(workspace, '.cadence', 'cadence.db');
}

/** Runs `read` on a read-only connection to the workspace's store (WAL lets it read while an import writes). */
export function readStore<T>(workspace: string, read: (db: Database.Database) => T): T {
  const db = new Database(storeFile(workspace), { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** The leads without ids and timestamps, ordered by email. */
export function dumpLeads(db: Database.Database): Row[] {
  return db.prepare(`SELECT ${LEAD_DUMP_COLUMNS.join(', ')} FROM leads ORDER BY email`).all() as Row[];
}

/** The leads exactly as stored, ids and timestamps included. */
export function fullDumpLeads(db: Database.Database): Row[] {
  return db.prepare('SELECT * FROM leads ORDER BY id').all() as Row[];
}

export function count(db: Database.Database, sql: string, ...params: unknown[]): number {
  return (db.prepare(sql).get(...params) as { n: number }).n;
}

export interface StoredEvent {
  id: number;
  type: string;
  at: string;
  actor: string;
  lead_id: number | null;
  data: unknown;
}

export function events(db: Database.Database, after = 0): StoredEvent[] {
  return (db.prepare('SELECT * FROM events WHERE id > ? ORDER BY id').all(after) as (Omit<StoredEvent, 'data'> & { data: string | null })[]).map((event) => ({
    ...event,
    data: event.data === null ? null : (JSON.parse(event.data) as unknown),
  }));
}

/** One lead's fields as `leads show --json` gives them, read from the table. */
export function leadRow(db: Database.Database, email: string): Row | undefined {
  return db.prepare('SELECT * FROM leads WHERE email = ?').get(email) as Row | undefined;
}

/** One CSV field, quoted when needed (RFC 4180). */
export function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvText(rows: readonly (readonly string[])[], eol = '\n'): string {
  return rows.map((row) => row.map(csvCell).join(',')).join(eol) + eol;
}

/** The time every test command runs at, so timestamps do not depend on the clock. */
export const NOW = '2026-12-01T09:00:00.000Z';
export const ENV = { CADENCE_NOW: NOW, CADENCE_USER: 'tester' };

/**
 * Workspaces made by `cadence init` (English: America/New_York, statuses new…lost with SQL,
 * rep alex, custom fields meeting_at, interest, renewal_date, tier, inquiry …). One is
 * initialised per test file and copied for each test, which is much faster.
 */
export class Workspaces {
  private template: string | undefined;
  private readonly removers: (() => void)[] = [];

  async init(): Promise<void> {
    const { dir, remove } = tempDir('cadence-template-');
    this.removers.push(remove);
    const result = await cadence(['init', join(dir, 'ws'), '--lang', 'en']);
    if (result.exitCode !== 0) throw new Error(`cadence init failed: ${result.stderr}`);
    this.template = join(dir, 'ws');
  }

  /** A fresh copy of the workspace, with no store yet. */
  create(): string {
    if (!this.template) throw new Error('Workspaces.init() first');
    const { dir, remove } = tempDir();
    this.removers.push(remove);
    const workspace = join(dir, 'ws');
    cpSync(this.template, workspace, { recursive: true });
    return workspace;
  }

  /** A file in a fresh temporary folder (outside any workspace). */
  file(name: string, content: string | Uint8Array): string {
    const { dir, remove } = tempDir('cadence-csv-');
    this.removers.push(remove);
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  }

  removeAll(): void {
    while (this.removers.length) this.removers.pop()!();
  }
}

export interface ImportJson {
  inserted: number;
  updated: number;
  unchanged: number;
  refused: number;
  errors: { line: number; column: string; value: string; code: string; message: string }[];
  warnings: { line: number; column: string; value: string; code: string; message: string }[];
  unmapped: string[];
  encoding: string;
  dryRun: boolean;
  aborted: boolean;
}

/** `cadence import FILE --json …` in the workspace; the report is parsed when there is one. */
export async function importJson(
  workspace: string,
  file: string,
  args: readonly string[] = [],
  env: Record<string, string> = ENV,
): Promise<{ exitCode: number; report: ImportJson | undefined; stdout: string; stderr: string }> {
  const result = await cadence(['import', file, '--json', ...args], { cwd: workspace, env });
  const report = result.stdout.trim().startsWith('{') ? (JSON.parse(result.stdout) as ImportJson) : undefined;
  return { ...result, report };
}

/** The counts of a report, for comparing two runs. */
export function counts(report: ImportJson | undefined): Pick<ImportJson, 'inserted' | 'updated' | 'unchanged' | 'refused'> | undefined {
  return report && { inserted: report.inserted, updated: report.updated, unchanged: report.unchanged, refused: report.refused };
}

export function hasStore(workspace: string): boolean {
  return existsSync(storeFile(workspace));
}

/** A CSV text as rows of cells, with the product's own parser (a syntax error fails the test). */
export function parseCsv(text: string): string[][] {
  const items: CsvItem[] = [];
  const parser = new CsvParser();
  parser.push(text, items);
  parser.end(items);
  return items.map((item) => {
    if (isCsvError(item)) throw new Error(`unexpected CSV error ${item.error.code} at line ${item.error.line}`);
    return item.fields;
  });
}
