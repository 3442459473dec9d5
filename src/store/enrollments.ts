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

/** A sequence's canonical text, hash and step ids, worked out once per loaded definition. */
const canonical = new WeakMap<SequenceDefinition, { hash: string; text: string; stepIds: string }>();

function canonicalOf(sequence: SequenceDefinition): { hash: string; text: string; stepIds: string } {
  let entry = canonical.get(sequence);
  if (!entry) {
    const text = canonicalJson(sequence);
    entry = { text, hash: createHash('sha256').update(text).digest('hex').slice(0, 16), stepIds: JSON.stringify(sequence.steps.map((step) => step.id)) };
    canonical.set(sequence, entry);
  }
  return entry;
}

/** The content hash of a sequence: keys sorted, so formatting and key order do not matter. */
export function sequenceHash(sequence: SequenceDefinition): string {
  return canonicalOf(sequence).hash;
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
  const { hash, text, stepIds } = canonicalOf(sequence);
  statement(db, 'INSERT OR IGNORE INTO sequence_versions (hash, sequence, step_ids, definition, first_seen) VALUES (?, ?, ?, ?, ?)').run(hash, id, stepIds, text, at);
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

/**
 * Claims up to `limit` due enrollments for a tick, in the caller's short IMMEDIATE
 * transaction: a claimed enrollment is invisible to any other tick until released, so
 * two overlapping ticks never process the same step.
 */
export function claimDueEnrollments(db: Database, tickId: number, now: string, limit: number): Enrollment[] {
  const rows = statement(db, "SELECT * FROM enrollments WHERE state = 'active' AND claimed_by IS NULL AND due_at IS NOT NULL AND due_at <= ? ORDER BY due_at LIMIT ?").all(now, limit) as EnrollmentRow[];
  const claim = statement(db, 'UPDATE enrollments SET claimed_by = ?, claimed_at = ? WHERE id = ?');
  for (const row of rows) claim.run(tickId, now, row.id);
  return rows.map(toEnrollment);
}

/** Releases the claims of ticks that are no longer running (killed), so their work is taken up again. */
export function releaseClaimsOf(db: Database, tickIds: readonly number[]): number {
  let released = 0;
  for (const id of tickIds) released += statement(db, 'UPDATE enrollments SET claimed_by = NULL, claimed_at = NULL WHERE claimed_by = ?').run(id).changes;
  return released;
}

/**
 * Moves an enrollment to its next step (or leaves it waiting, dueAt null), releasing the
 * claim. `enrollment` is the row as read in the caller's transaction: the version is
 * written only when it differs from that one, since naming it in the UPDATE rewrites the
 * enrollment's entry in the version index, a page of its own for every enrollment of a
 * tick (a 10,000-step tick wrote ~40 MB less log without it).
 */
export function advanceEnrollment(db: Database, enrollment: { id: number; version: string }, next: { stepIndex: number; stepId: string | null; dueAt: string | null; lastDoneAt: string; version: string }, at: string): void {
  if (next.version === enrollment.version) {
    statement(db, 'UPDATE enrollments SET step_index = ?, step_id = ?, due_at = ?, last_done_at = ?, claimed_by = NULL, claimed_at = NULL, updated_at = ? WHERE id = ?').run(next.stepIndex, next.stepId, next.dueAt, next.lastDoneAt, at, enrollment.id);
    return;
  }
  statement(db, 'UPDATE enrollments SET step_index = ?, step_id = ?, due_at = ?, last_done_at = ?, version = ?, claimed_by = NULL, claimed_at = NULL, updated_at = ? WHERE id = ?').run(
    next.stepIndex,
    next.stepId,
    next.dueAt,
    next.lastDoneAt,
    next.version,
    at,
    enrollment.id,
  );
}

/** Ends or pauses an enrollment from a tick, releasing its claim. */
export function settleEnrollment(db: Database, id: number, state: EnrollmentState, reason: string | null, at: string, dueAt: string | null = null): void {
  statement(db, 'UPDATE enrollments SET state = ?, reason = ?, due_at = ?, claimed_by = NULL, claimed_at = NULL, updated_at = ? WHERE id = ?').run(state, reason, dueAt, at, id);
}

/** Releases one claim without changing anything else (the step will be tried again). */
export function releaseClaim(db: Database, id: number, dueAt: string): void {
  statement(db, 'UPDATE enrollments SET claimed_by = NULL, claimed_at = NULL, due_at = ? WHERE id = ?').run(dueAt, id);
}

/** Active enrollments due at `now` (read only: what a tick would take up). */
export function dueEnrollments(db: Database, now: string): Enrollment[] {
  return (statement(db, "SELECT * FROM enrollments WHERE state = 'active' AND claimed_by IS NULL AND due_at IS NOT NULL AND due_at <= ? ORDER BY due_at").all(now) as EnrollmentRow[]).map(toEnrollment);
}

export function findEnrollment(db: Database, id: number): Enrollment | undefined {
  const row = statement(db, 'SELECT * FROM enrollments WHERE id = ?').get(id) as EnrollmentRow | undefined;
  return row ? toEnrollment(row) : undefined;
}

/** Paused enrollments whose pause has a date that has come (an out-of-office return): resumed by the tick. */
export function pausesEnded(db: Database, now: string): Enrollment[] {
  return (statement(db, "SELECT * FROM enrollments WHERE state = 'paused' AND paused_until IS NOT NULL AND paused_until <= ?").all(now) as EnrollmentRow[]).map(toEnrollment);
}

/** How many live enrollments of a sequence are still before step `index`. */
export function activeBeforeStep(db: Database, sequence: string, index: number): number {
  return (statement(db, "SELECT count(*) AS n FROM enrollments WHERE sequence = ? AND state = 'active' AND step_index < ?").get(sequence, index) as { n: number }).n;
}
