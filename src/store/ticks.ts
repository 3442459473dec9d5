import type { Database } from 'better-sqlite3';
import { statement } from './statements.js';

export function startTick(db: Database, now: string, startedAt: string, pid: number): number {
  return Number(statement(db, 'INSERT INTO ticks (started_at, now, pid) VALUES (?, ?, ?)').run(startedAt, now, pid).lastInsertRowid);
}

export function finishTick(db: Database, id: number, finishedAt: string, result: unknown): void {
  statement(db, 'UPDATE ticks SET finished_at = ?, result = ? WHERE id = ?').run(finishedAt, JSON.stringify(result), id);
}

/** Ticks that never finished and whose process is gone: killed. */
export function deadTicks(db: Database, isAlive: (pid: number, since?: string) => boolean, exceptId: number): number[] {
  const rows = statement(db, 'SELECT id, pid, started_at FROM ticks WHERE finished_at IS NULL AND id <> ?').all(exceptId) as { id: number; pid: number | null; started_at: string }[];
  // started_at is the real clock (not --now), so a process that took the id later is told apart.
  return rows.filter((row) => row.pid === null || !isAlive(row.pid, row.started_at)).map((row) => row.id);
}

export function lastTick(db: Database): { id: number; startedAt: string; finishedAt: string | null; now: string; result: unknown } | undefined {
  const row = statement(db, 'SELECT * FROM ticks ORDER BY id DESC LIMIT 1').get() as { id: number; started_at: string; finished_at: string | null; now: string; result: string | null } | undefined;
  return row ? { id: row.id, startedAt: row.started_at, finishedAt: row.finished_at, now: row.now, result: row.result ? JSON.parse(row.result) : null } : undefined;
}

/** Marks killed ticks as finished (with no result), once their claims are released. */
export function closeDeadTicks(db: Database, ids: readonly number[], at: string): void {
  for (const id of ids) statement(db, "UPDATE ticks SET finished_at = ?, result = '\"killed\"' WHERE id = ?").run(at, id);
}

/**
 * Whether a tick at `now` has anything to do: a due step, an expired task, a pause that
 * ended, the claim of a tick that never finished, an event or a date for the triggers. Cheap (indexed counts), so a tick
 * with nothing due stops before loading the engine.
 */
export function tickHasWork(db: Database, now: string): boolean {
  const any = (sql: string, ...params: unknown[]): boolean => statement(db, sql).get(...params) !== undefined;
  return (
    any("SELECT 1 FROM enrollments WHERE state = 'active' AND claimed_by IS NULL AND due_at IS NOT NULL AND due_at <= ? LIMIT 1", now) ||
    any("SELECT 1 FROM tasks WHERE state = 'open' AND expires_at IS NOT NULL AND expires_at <= ? LIMIT 1", now) ||
    any("SELECT 1 FROM enrollments WHERE state = 'paused' AND paused_until IS NOT NULL AND paused_until <= ? LIMIT 1", now) ||
    any("SELECT 1 FROM messages INDEXED BY messages_queue WHERE state = 'queued' AND next_attempt_at <= ? LIMIT 1", now) ||
    any("SELECT 1 FROM messages WHERE state = 'sending' LIMIT 1") ||
    any('SELECT 1 FROM ticks WHERE finished_at IS NULL LIMIT 1') ||
    // Events the triggers have not handled, and date triggers whose moment came (src/triggers).
    any('SELECT 1 FROM events WHERE id > (SELECT last_event_id FROM trigger_cursor WHERE id = 1) LIMIT 1') ||
    any("SELECT 1 FROM trigger_dates WHERE state = 'pending' AND fire_at <= ? LIMIT 1", now)
  );
}
