import type { Database } from 'better-sqlite3';
import { statement } from './statements.js';

/** Cancels an enrollment's open tasks (it exited or paused); returns how many. */
export function cancelOpenTasks(db: Database, enrollmentId: number, at: string, note: string): number {
  return statement(db, "UPDATE tasks SET state = 'cancelled', completed_at = ?, note = ? WHERE enrollment_id = ? AND state = 'open'").run(at, note, enrollmentId).changes;
}
