import type { Database } from 'better-sqlite3';
import type { SequenceDefinition } from '../workspace/types.js';
import { statement } from './statements.js';

/** A version of a sequence the store has run. */
export interface SequenceVersion {
  hash: string;
  sequence: string;
  stepIds: string[];
  definition: SequenceDefinition;
  firstSeen: string;
}

/**
 * Whether any live (active or paused) enrollment is on another version than `current`
 * (sequence id → hash) gives for its sequence: two index seeks per sequence, cheap enough
 * to ask on every tick, with nothing due.
 */
export function hasEnrollmentsOffVersion(db: Database, current: ReadonlyMap<string, string>): boolean {
  const below = statement(db, "SELECT 1 FROM enrollments WHERE sequence = ? AND state IN ('active', 'paused') AND version < ? LIMIT 1");
  const above = statement(db, "SELECT 1 FROM enrollments WHERE sequence = ? AND state IN ('active', 'paused') AND version > ? LIMIT 1");
  for (const [sequence, hash] of current) {
    if (below.get(sequence, hash) !== undefined || above.get(sequence, hash) !== undefined) return true;
  }
  return false;
}

/**
 * The next `limit` ids (after `afterId`) of a sequence's live enrollments on another version
 * than `hash` and not claimed by a running tick: read in the transaction that moves them.
 */
export function enrollmentIdsOffVersion(db: Database, sequence: string, hash: string, afterId: number, limit: number): number[] {
  const rows = statement(db, "SELECT id FROM enrollments WHERE sequence = ? AND state IN ('active', 'paused') AND (version < ? OR version > ?) AND claimed_by IS NULL AND id > ? ORDER BY id LIMIT ?").all(sequence, hash, hash, afterId, limit) as { id: number }[];
  return rows.map((row) => row.id);
}

/** A version the store has run, by hash. */
export function findSequenceVersion(db: Database, hash: string): SequenceVersion | undefined {
  const row = statement(db, 'SELECT * FROM sequence_versions WHERE hash = ?').get(hash) as { hash: string; sequence: string; step_ids: string; definition: string; first_seen: string } | undefined;
  if (!row) return undefined;
  return { hash: row.hash, sequence: row.sequence, stepIds: JSON.parse(row.step_ids) as string[], definition: JSON.parse(row.definition) as SequenceDefinition, firstSeen: row.first_seen };
}

/**
 * The newest version each sequence's live enrollments are on (by when the store first ran
 * it): what the store is running now, sequence id → version.
 */
export function liveSequenceVersions(db: Database): Map<string, SequenceVersion> {
  const rows = statement(db, `SELECT v.hash FROM sequence_versions v
    WHERE v.hash IN (SELECT DISTINCT version FROM enrollments WHERE state IN ('active', 'paused'))
    ORDER BY v.first_seen, v.rowid`).all() as { hash: string }[];
  const versions = new Map<string, SequenceVersion>();
  for (const { hash } of rows) {
    const version = findSequenceVersion(db, hash);
    if (version) versions.set(version.sequence, version);
  }
  return versions;
}

/**
 * Puts a live enrollment on a step of another version of its sequence: its place, due time
 * and version change; when its last step was done does not. In the caller's transaction.
 */
export function remapEnrollment(db: Database, id: number, next: { stepIndex: number; stepId: string | null; dueAt: string | null; version: string }, at: string): void {
  statement(db, 'UPDATE enrollments SET step_index = ?, step_id = ?, due_at = ?, version = ?, updated_at = ? WHERE id = ?').run(next.stepIndex, next.stepId, next.dueAt, next.version, at, id);
}

/** An enrollment's open tasks, as (task id, step id). */
export function openTaskSteps(db: Database, enrollmentId: number): { id: number; stepId: string }[] {
  return statement(db, "SELECT id, step_id AS stepId FROM tasks WHERE enrollment_id = ? AND state = 'open' ORDER BY id").all(enrollmentId) as { id: number; stepId: string }[];
}

/** Cancels one open task with a note (its step was removed from the sequence). */
export function cancelTask(db: Database, id: number, at: string, note: string): void {
  statement(db, "UPDATE tasks SET state = 'cancelled', completed_at = ?, note = ? WHERE id = ? AND state = 'open'").run(at, note, id);
}
