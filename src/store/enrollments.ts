import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { SequenceDefinition } from '../workspace/types.js';
import { statement } from './statements.js';

export type EnrollmentState = 'active' | 'paused' | 'finished' | 'exited';

export interface Enrollment {
  id: number;
  leadId: number;
  sequence: string;
  version: string;
  state: EnrollmentState;
  reason: string | null;
  stepIndex: number;
  stepId: string | null;
  dueAt: string | null;
  enrolledAt: string;
  lastDoneAt: string;
  pausedUntil: string | null;
  updatedAt: string;
}

interface EnrollmentRow {
  id: number;
  lead_id: number;
  sequence: string;
  version: string;
  state: EnrollmentState;
  reason: string | null;
  step_index: number;
  step_id: string | null;
  due_at: string | null;
  enrolled_at: string;
  last_done_at: string;
  paused_until: string | null;
  updated_at: string;
}

/** The content hash of a sequence: keys sorted, so formatting and key order do not matter. */
export function sequenceHash(sequence: SequenceDefinition): string {
  return createHash('sha256').update(canonicalJson(sequence)).digest('hex').slice(0, 16);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Keeps every version of a sequence the store has run, by hash, with its step ids. */
export function recordSequenceVersion(db: Database, id: string, sequence: SequenceDefinition, at: string): string {
  const hash = sequenceHash(sequence);
  statement(db, 'INSERT OR IGNORE INTO sequence_versions (hash, sequence, step_ids, definition, first_seen) VALUES (?, ?, ?, ?, ?)').run(
    hash,
    id,
    JSON.stringify(sequence.steps.map((step) => step.id)),
    canonicalJson(sequence),
    at,
  );
  return hash;
}

export function insertEnrollment(db: Database, enrollment: { leadId: number; sequence: string; version: string; stepIndex: number; stepId: string | null; dueAt: string | null; enrolledAt: string; actor: string }): number {
  return Number(
    statement(db, `INSERT INTO enrollments (lead_id, sequence, version, state, step_index, step_id, due_at, enrolled_at, last_done_at, updated_at, actor)
      VALUES (?, ?, ?, 'active', ?, ?, ?, ?, ?, ?, ?)`).run(
      enrollment.leadId,
      enrollment.sequence,
      enrollment.version,
      enrollment.stepIndex,
      enrollment.stepId,
      enrollment.dueAt,
      enrollment.enrolledAt,
      enrollment.enrolledAt,
      enrollment.enrolledAt,
      enrollment.actor,
    ).lastInsertRowid,
  );
}

/** The lead's enrollments that are still live (active or paused). */
export function liveEnrollments(db: Database, leadId: number): Enrollment[] {
  return (statement(db, "SELECT * FROM enrollments WHERE lead_id = ? AND state IN ('active', 'paused') ORDER BY id").all(leadId) as EnrollmentRow[]).map(toEnrollment);
}

export function findLiveEnrollment(db: Database, leadId: number, sequence: string): Enrollment | undefined {
  const row = statement(db, "SELECT * FROM enrollments WHERE lead_id = ? AND sequence = ? AND state IN ('active', 'paused')").get(leadId, sequence) as EnrollmentRow | undefined;
  return row ? toEnrollment(row) : undefined;
}

/** Changes an enrollment's state (with a reason for exits and pauses). */
export function setEnrollmentState(db: Database, id: number, state: EnrollmentState, reason: string | null, at: string, pausedUntil: string | null = null): void {
  statement(db, 'UPDATE enrollments SET state = ?, reason = ?, paused_until = ?, updated_at = ? WHERE id = ?').run(state, reason, pausedUntil, at, id);
}

function toEnrollment(row: EnrollmentRow): Enrollment {
  return {
    id: row.id,
    leadId: row.lead_id,
    sequence: row.sequence,
    version: row.version,
    state: row.state,
    reason: row.reason,
    stepIndex: row.step_index,
    stepId: row.step_id,
    dueAt: row.due_at,
    enrolledAt: row.enrolled_at,
    lastDoneAt: row.last_done_at,
    pausedUntil: row.paused_until,
    updatedAt: row.updated_at,
  };
}

/** Makes a paused enrollment active again, due no earlier than `at`. */
export function resumeEnrollment(db: Database, id: number, at: string): void {
  statement(db, "UPDATE enrollments SET state = 'active', reason = NULL, paused_until = NULL, due_at = CASE WHEN due_at IS NULL OR due_at < ? THEN ? ELSE due_at END, updated_at = ? WHERE id = ?").run(at, at, at, id);
}
