import type { Database } from 'better-sqlite3';
import { statement } from './statements.js';

/** The id of the last event the triggers handled. */
export function triggerCursor(db: Database): number {
  return (statement(db, 'SELECT last_event_id FROM trigger_cursor WHERE id = 1').pluck().get() as number | undefined) ?? 0;
}

/** Moves the cursor; only forward (a concurrent tick may already be past). */
export function advanceTriggerCursor(db: Database, eventId: number): void {
  statement(db, 'UPDATE trigger_cursor SET last_event_id = max(last_event_id, ?) WHERE id = 1').run(eventId);
}

/** How many trigger firings led to this event (0: it was not caused by a trigger). */
export function eventDepth(db: Database, eventId: number): number {
  return (statement(db, 'SELECT depth FROM trigger_effects WHERE event_id = ?').pluck().get(eventId) as number | undefined) ?? 0;
}

/** Marks every event after `afterId` (what a trigger's actions just logged) as its effect, at `depth`. */
export function recordTriggerEffects(db: Database, afterId: number, depth: number, trigger: string): void {
  statement(db, 'INSERT OR IGNORE INTO trigger_effects (event_id, depth, trigger) SELECT id, ?, ? FROM events WHERE id > ?').run(depth, trigger, afterId);
}

/** The newest event's id (0 for an empty log). */
export function lastEventId(db: Database): number {
  return (statement(db, "SELECT seq FROM sqlite_sequence WHERE name = 'events'").pluck().get() as number | undefined) ?? 0;
}

/** Whether events wait for the triggers (cheap: the primary key). */
export function eventsAfterTriggerCursor(db: Database): boolean {
  return statement(db, 'SELECT 1 FROM events WHERE id > (SELECT last_event_id FROM trigger_cursor WHERE id = 1) LIMIT 1').get() !== undefined;
}
