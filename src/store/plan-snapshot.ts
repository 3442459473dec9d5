import type { Database } from 'better-sqlite3';
import { statement } from './statements.js';

/** An enrollment as `cadence plan` compares it before and after a tick. */
export interface EnrollmentSnapshot {
  id: number;
  leadId: number;
  email: string;
  sequence: string;
  state: string;
  reason: string | null;
  stepId: string | null;
  dueAt: string | null;
}

/** The enrollments that are live now, with their lead's address. */
export function liveEnrollmentSnapshots(db: Database): EnrollmentSnapshot[] {
  return statement(db, `SELECT e.id, e.lead_id AS leadId, coalesce(l.email, '') AS email, e.sequence, e.state, e.reason, e.step_id AS stepId, e.due_at AS dueAt
    FROM enrollments e LEFT JOIN leads l ON l.id = e.lead_id WHERE e.state IN ('active', 'paused') ORDER BY e.id`).all() as EnrollmentSnapshot[];
}

/** The named enrollments (and any created after `afterId`), as they are now. */
export function enrollmentSnapshots(db: Database, ids: readonly number[], afterId: number): EnrollmentSnapshot[] {
  const select = statement(db, `SELECT e.id, e.lead_id AS leadId, coalesce(l.email, '') AS email, e.sequence, e.state, e.reason, e.step_id AS stepId, e.due_at AS dueAt
    FROM enrollments e LEFT JOIN leads l ON l.id = e.lead_id WHERE e.id = ?`);
  const later = statement(db, 'SELECT id FROM enrollments WHERE id > ? ORDER BY id').all(afterId) as { id: number }[];
  return [...ids, ...later.map((row) => row.id)].flatMap((id) => (select.get(id) as EnrollmentSnapshot | undefined) ?? []);
}

/** The highest ids of the tables a tick adds to: what is new after it. */
export function tableMarks(db: Database): { enrollment: number; message: number; task: number; event: number } {
  const max = (table: string): number => (statement(db, `SELECT coalesce(max(id), 0) AS n FROM ${table}`).get() as { n: number }).n;
  return { enrollment: max('enrollments'), message: max('messages'), task: max('tasks'), event: max('events') };
}

/** A message or task a tick created. */
export interface TickAction {
  kind: 'email' | 'task';
  enrollment: number | null;
  email: string;
  sequence: string | null;
  step: string | null;
  /** email: the template and variant; task: the task type. */
  template: string | null;
  variant: string | null;
  subject: string | null;
  type: string | null;
}

/** The messages and tasks created after the marks, oldest first. */
export function actionsSince(db: Database, marks: { message: number; task: number }): TickAction[] {
  const emails = statement(db, `SELECT 'email' AS kind, enrollment_id AS enrollment, to_address AS email, sequence, step_id AS step, template, variant, subject, NULL AS type
    FROM messages WHERE id > ? ORDER BY id`).all(marks.message) as TickAction[];
  const tasks = statement(db, `SELECT 'task' AS kind, t.enrollment_id AS enrollment, coalesce(l.email, '') AS email, t.sequence, t.step_id AS step, NULL AS template, NULL AS variant, NULL AS subject, t.type
    FROM tasks t LEFT JOIN leads l ON l.id = t.lead_id WHERE t.id > ? ORDER BY t.id`).all(marks.task) as TickAction[];
  return [...emails, ...tasks];
}

/** The `enrollment.remapped` events after the mark: how reconciling moved each enrollment. */
export function remapsSince(db: Database, afterEvent: number): { enrollment: number; from: { step: string | null; dueAt: string | null }; to: { step: string | null; dueAt: string | null } }[] {
  const rows = statement(db, "SELECT data FROM events WHERE id > ? AND type = 'enrollment.remapped' ORDER BY id").all(afterEvent) as { data: string }[];
  return rows.map((row) => JSON.parse(row.data) as { enrollment: number; from: { step: string | null; dueAt: string | null }; to: { step: string | null; dueAt: string | null } });
}
