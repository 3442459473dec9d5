import type { Database } from 'better-sqlite3';
import { statement } from './statements.js';

export type ImportStatus = 'running' | 'done' | 'failed' | 'interrupted' | 'dry_run';

export interface ImportCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  refused: number;
}

export interface ImportRun extends ImportCounts {
  id: number;
  file: string;
  fileSize: number;
  encoding: string | null;
  status: ImportStatus;
  startedAt: string;
  finishedAt: string | null;
  actor: string;
  pid: number | null;
  lastLine: number;
}

interface ImportRunRow extends ImportCounts {
  id: number;
  file: string;
  file_size: number;
  encoding: string | null;
  status: ImportStatus;
  started_at: string;
  finished_at: string | null;
  actor: string;
  pid: number | null;
  last_line: number;
}

export function startImportRun(db: Database, run: { file: string; fileSize: number; encoding: string; options: unknown; at: string; actor: string; pid: number; dryRun: boolean }): number {
  return Number(
    statement(db, 'INSERT INTO import_runs (file, file_size, encoding, options, status, started_at, actor, pid) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
      run.file,
      run.fileSize,
      run.encoding,
      JSON.stringify(run.options),
      run.dryRun ? 'dry_run' : 'running',
      run.at,
      run.actor,
      run.pid,
    ).lastInsertRowid,
  );
}

/** Records progress inside the batch's own transaction, so counts and rows agree after a crash. */
export function recordImportProgress(db: Database, id: number, delta: ImportCounts, lastLine: number): void {
  statement(db, 'UPDATE import_runs SET inserted = inserted + ?, updated = updated + ?, unchanged = unchanged + ?, refused = refused + ?, last_line = max(last_line, ?) WHERE id = ?').run(
    delta.inserted,
    delta.updated,
    delta.unchanged,
    delta.refused,
    lastLine,
    id,
  );
}

/** Ends a run; with `counts`, they replace the per-batch tallies (refusals in parsing included). */
export function finishImportRun(db: Database, id: number, status: ImportStatus, at: string, counts?: ImportCounts): void {
  statement(db, 'UPDATE import_runs SET status = ?, finished_at = ? WHERE id = ?').run(status, at, id);
  if (counts) {
    statement(db, 'UPDATE import_runs SET inserted = ?, updated = ?, unchanged = ?, refused = ? WHERE id = ?').run(counts.inserted, counts.updated, counts.unchanged, counts.refused, id);
  }
}

/** Runs still marked running whose process is gone: killed imports, to be marked interrupted. */
export function staleImportRuns(db: Database, isAlive: (pid: number, since?: string) => boolean): ImportRun[] {
  const rows = statement(db, "SELECT * FROM import_runs WHERE status = 'running'").all() as ImportRunRow[];
  return rows.filter((row) => row.pid === null || !isAlive(row.pid)).map(toRun);
}

export function getImportRun(db: Database, id: number): ImportRun | undefined {
  const row = statement(db, 'SELECT * FROM import_runs WHERE id = ?').get(id) as ImportRunRow | undefined;
  return row ? toRun(row) : undefined;
}

function toRun(row: ImportRunRow): ImportRun {
  return {
    id: row.id,
    file: row.file,
    fileSize: row.file_size,
    encoding: row.encoding,
    status: row.status,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    actor: row.actor,
    pid: row.pid,
    lastLine: row.last_line,
    inserted: row.inserted,
    updated: row.updated,
    unchanged: row.unchanged,
    refused: row.refused,
  };
}
