import type { Database } from 'better-sqlite3';
import { statement } from './statements.js';

/**
 * A connection's record of what one action changed, so the task list can undo it.
 * TEMP triggers (this connection only: a tick in another process is not recorded) copy
 * each row of these tables as it was before the action touched it, and note the rows it
 * inserted. Event ids the action appended are noted too; events themselves are never undone.
 */
const JOURNALED = ['tasks', 'enrollments', 'leads', 'suppressions'] as const;
export type JournaledTable = (typeof JOURNALED)[number];

export interface JournalRow {
  table: JournaledTable;
  rowId: number;
  /** The row before the action (JSON of every column), or null for a row the action inserted. */
  before: string | null;
  /** The row right after the action, or null when the action deleted it. */
  after: string | null;
}

export interface ActionJournal {
  rows: JournalRow[];
  events: number[];
}

const installed = new WeakSet<Database>();

function rowImage(db: Database, table: string, alias: string): string {
  const columns = (db.pragma(`table_info(${table})`) as { name: string }[]).map((column) => column.name);
  return `json_object(${columns.map((column) => `'${column}', ${alias}.${column}`).join(', ')})`;
}

/** Creates the journal's TEMP table and triggers on this connection (once). */
export function installUndoJournal(db: Database): void {
  if (installed.has(db)) return;
  const sql = ['CREATE TEMP TABLE IF NOT EXISTS undo_journal (seq INTEGER PRIMARY KEY, tbl TEXT NOT NULL, row_id INTEGER NOT NULL, op TEXT NOT NULL, image TEXT)'];
  for (const table of JOURNALED) {
    sql.push(`CREATE TEMP TRIGGER IF NOT EXISTS undo_${table}_update BEFORE UPDATE ON main.${table} BEGIN INSERT INTO undo_journal (tbl, row_id, op, image) VALUES ('${table}', OLD.rowid, 'update', ${rowImage(db, table, 'OLD')}); END`);
    sql.push(`CREATE TEMP TRIGGER IF NOT EXISTS undo_${table}_delete BEFORE DELETE ON main.${table} BEGIN INSERT INTO undo_journal (tbl, row_id, op, image) VALUES ('${table}', OLD.rowid, 'delete', ${rowImage(db, table, 'OLD')}); END`);
    sql.push(`CREATE TEMP TRIGGER IF NOT EXISTS undo_${table}_insert AFTER INSERT ON main.${table} BEGIN INSERT INTO undo_journal (tbl, row_id, op, image) VALUES ('${table}', NEW.rowid, 'insert', NULL); END`);
  }
  sql.push("CREATE TEMP TRIGGER IF NOT EXISTS undo_events_insert AFTER INSERT ON main.events BEGIN INSERT INTO undo_journal (tbl, row_id, op, image) VALUES ('events', NEW.rowid, 'insert', NULL); END");
  db.exec(sql.join(';\n'));
  installed.add(db);
}

/** Forgets what earlier actions changed: call at the start of an action's transaction. */
export function clearJournal(db: Database): void {
  statement(db, 'DELETE FROM temp.undo_journal').run();
}

/** What the action changed since `clearJournal`, with each row's image now; call at the end of its transaction. */
export function readJournal(db: Database): ActionJournal {
  const entries = statement(db, 'SELECT tbl, row_id, op, image FROM temp.undo_journal ORDER BY seq').all() as { tbl: string; row_id: number; op: string; image: string | null }[];
  const rows = new Map<string, JournalRow>();
  const events: number[] = [];
  for (const entry of entries) {
    if (entry.tbl === 'events') {
      events.push(entry.row_id);
      continue;
    }
    const key = `${entry.tbl}:${entry.row_id}`;
    // The first entry of a row holds its state before the action.
    if (!rows.has(key)) rows.set(key, { table: entry.tbl as JournaledTable, rowId: entry.row_id, before: entry.op === 'insert' ? null : entry.image, after: null });
  }
  for (const row of rows.values()) row.after = currentImage(db, row.table, row.rowId) ?? null;
  return { rows: [...rows.values()], events };
}

/** A row as JSON of every column, the way the journal records it; undefined when it is gone. */
export function currentImage(db: Database, table: JournaledTable, rowId: number): string | undefined {
  return statement(db, `SELECT ${rowImage(db, table, table)} FROM main.${table} WHERE rowid = ?`).pluck().get(rowId) as string | undefined;
}

/** Writes a row back as `image` recorded it (every column), inserting it if it was deleted. */
export function restoreRow(db: Database, table: JournaledTable, rowId: number, image: string): void {
  const values = JSON.parse(image) as Record<string, unknown>;
  const columns = Object.keys(values);
  if (currentImage(db, table, rowId) === undefined) {
    db.prepare(`INSERT INTO main.${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`).run(...columns.map((column) => values[column]));
    return;
  }
  db.prepare(`UPDATE main.${table} SET ${columns.map((column) => `${column} = ?`).join(', ')} WHERE rowid = ?`).run(...columns.map((column) => values[column]), rowId);
}

/** Deletes a row an undone action inserted (only suppressions: other tables keep their rows and end them). */
export function deleteRow(db: Database, table: 'suppressions', rowId: number): void {
  statement(db, `DELETE FROM main.${table} WHERE rowid = ?`).run(rowId);
}
