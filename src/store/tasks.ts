import type { Database } from 'better-sqlite3';
import { statement } from './statements.js';

/** Cancels an enrollment's open tasks (it exited or paused); returns how many. */
export function cancelOpenTasks(db: Database, enrollmentId: number, at: string, note: string): number {
  return statement(db, "UPDATE tasks SET state = 'cancelled', completed_at = ?, note = ? WHERE enrollment_id = ? AND state = 'open'").run(at, note, enrollmentId).changes;
}

export function createTask(db: Database, task: { enrollmentId: number; leadId: number; sequence: string; stepId: string; type: string; owner: string | null; dueAt: string; expiresAt: string | null; at: string }): number {
  return Number(
    statement(db, "INSERT INTO tasks (enrollment_id, lead_id, sequence, step_id, type, owner, due_at, expires_at, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)").run(
      task.enrollmentId, task.leadId, task.sequence, task.stepId, task.type, task.owner, task.dueAt, task.expiresAt, task.at,
    ).lastInsertRowid,
  );
}
