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

export interface TaskRecord {
  id: number;
  enrollmentId: number;
  leadId: number;
  sequence: string;
  stepId: string;
  type: string;
  owner: string | null;
  dueAt: string;
  state: 'open' | 'done' | 'skipped' | 'cancelled' | 'expired';
  outcome: string | null;
  /** Hidden from the task list until then. */
  snoozedUntil: string | null;
  expiresAt: string | null;
  note: string | null;
}

interface TaskRow {
  id: number;
  enrollment_id: number;
  lead_id: number;
  sequence: string;
  step_id: string;
  type: string;
  owner: string | null;
  due_at: string;
  state: TaskRecord['state'];
  outcome: string | null;
  snoozed_until: string | null;
  expires_at: string | null;
  note: string | null;
}

function toTask(row: TaskRow): TaskRecord {
  return {
    id: row.id, enrollmentId: row.enrollment_id, leadId: row.lead_id, sequence: row.sequence, stepId: row.step_id, type: row.type, owner: row.owner, dueAt: row.due_at,
    state: row.state, outcome: row.outcome, snoozedUntil: row.snoozed_until, expiresAt: row.expires_at, note: row.note,
  };
}

export function findTask(db: Database, id: number): TaskRecord | undefined {
  const row = statement(db, 'SELECT * FROM tasks WHERE id = ?').get(id) as TaskRow | undefined;
  return row ? toTask(row) : undefined;
}

/** Hides an open task from the list until `until`; false when it was no longer open. */
export function snoozeTask(db: Database, id: number, until: string): boolean {
  return statement(db, "UPDATE tasks SET snoozed_until = ? WHERE id = ? AND state = 'open'").run(until, id).changes === 1;
}

/** Completes an open task; false when it was no longer open (changed underneath). */
export function completeTask(db: Database, id: number, state: 'done' | 'skipped', outcome: string | null, at: string, by: string, note: string | null): boolean {
  return statement(db, "UPDATE tasks SET state = ?, outcome = ?, completed_at = ?, completed_by = ?, note = ? WHERE id = ? AND state = 'open'").run(state, outcome, at, by, note, id).changes === 1;
}

/** Open tasks whose step's expiry has passed: a tick skips them so no backlog freezes a lead. */
export function expiredOpenTasks(db: Database, now: string): TaskRecord[] {
  const ids = statement(db, "SELECT id FROM tasks WHERE state = 'open' AND expires_at IS NOT NULL AND expires_at <= ? ORDER BY id").pluck().all(now) as number[];
  return ids.map((id) => findTask(db, id)!);
}

export function expireTask(db: Database, id: number, at: string): boolean {
  return statement(db, "UPDATE tasks SET state = 'expired', completed_at = ? WHERE id = ? AND state = 'open'").run(at, id).changes === 1;
}

/** Open tasks with their lead's address, oldest due first. */
export function openTasksWithLead(db: Database, limit: number): (TaskRecord & { email: string })[] {
  const rows = statement(db, "SELECT t.id, l.email FROM tasks t JOIN leads l ON l.id = t.lead_id WHERE t.state = 'open' ORDER BY t.due_at, t.id LIMIT ?").all(limit) as { id: number; email: string }[];
  return rows.map((row) => ({ ...findTask(db, row.id)!, email: row.email }));
}

/** An open task as the task list shows it: the task and its lead's name, company and zone. */
export interface TaskListing {
  id: number;
  leadId: number;
  type: string;
  dueAt: string;
  sequence: string;
  stepId: string;
  owner: string | null;
  email: string;
  fullName: string | null;
  company: string | null;
  timezone: string | null;
}

/**
 * Open tasks (not snoozed past `now`) with their lead, by due time, for the task list;
 * filters are optional. One query of only the columns shown, read as arrays: the list is
 * read whole before the first frame, and may hold 10,000 tasks.
 */
export function listOpenTasks(db: Database, filter: { owner?: string; type?: string; dueBefore?: string; overdueAt?: string }, now: string): TaskListing[] {
  const where = ["t.state = 'open'", '(t.snoozed_until IS NULL OR t.snoozed_until <= ?)'];
  const params: unknown[] = [now];
  if (filter.owner !== undefined) {
    where.push('t.owner = ?');
    params.push(filter.owner);
  }
  if (filter.type !== undefined) {
    where.push('t.type = ?');
    params.push(filter.type);
  }
  if (filter.dueBefore !== undefined) {
    where.push('t.due_at < ?');
    params.push(filter.dueBefore);
  }
  if (filter.overdueAt !== undefined) {
    where.push('t.due_at < ?');
    params.push(filter.overdueAt);
  }
  const rows = statement(db, `SELECT t.id, t.lead_id, t.type, t.due_at, t.sequence, t.step_id, t.owner, l.email, l.full_name, l.company, l.timezone FROM tasks t JOIN leads l ON l.id = t.lead_id WHERE ${where.join(' AND ')} ORDER BY t.due_at, t.id`)
    .raw()
    .all(...params) as [number, number, string, string, string, string, string | null, string, string | null, string | null, string | null][];
  return rows.map(([id, leadId, type, dueAt, sequence, stepId, owner, email, fullName, company, timezone]) => ({ id, leadId, type, dueAt, sequence, stepId, owner, email, fullName, company, timezone }));
}

/** Cancels one open task (an undone action had created it); false when it was no longer open. */
export function cancelTask(db: Database, id: number, at: string, note: string): boolean {
  return statement(db, "UPDATE tasks SET state = 'cancelled', completed_at = ?, note = ? WHERE id = ? AND state = 'open'").run(at, note, id).changes === 1;
}

/** The ids of every task of a lead (their drafts are erased with the lead). */
export function taskIdsOfLead(db: Database, leadId: number): number[] {
  return statement(db, 'SELECT id FROM tasks WHERE lead_id = ?').pluck().all(leadId) as number[];
}
