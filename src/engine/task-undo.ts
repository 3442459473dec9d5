import { CadenceError } from '../errors.js';
import type { Store } from '../store/database.js';
import { setEnrollmentState } from '../store/enrollments.js';
import { appendEvent } from '../store/events.js';
import { rowToLead, type FieldValue, type LeadRow } from '../store/leads.js';
import { cancelTask } from '../store/tasks.js';
import { clearJournal, currentImage, deleteRow, installUndoJournal, readJournal, restoreRow, type ActionJournal, type JournalRow } from '../store/undo-journal.js';

/** One action of a task-list session, with what it changed: what `undo` puts back. */
export interface UndoableAction {
  /** What was done, for messages and the `action.undone` event (`task.skipped`, `reply.logged` …). */
  action: string;
  /** A plain description: "skipped task 12 (Priya Shah)". */
  description: string;
  taskId: number;
  leadId: number;
  journal: ActionJournal;
}

/**
 * Runs `apply` in one IMMEDIATE transaction and records every row it changed, so the
 * action can be undone later. The journal is this connection's alone.
 */
export function journaled<T>(store: Store, apply: () => T): { result: T; journal: ActionJournal } {
  const { db } = store;
  installUndoJournal(db);
  return db.transaction(() => {
    clearJournal(db);
    const result = apply();
    return { result, journal: readJournal(db) };
  }).immediate();
}

/**
 * Undoes an action in one transaction: every row it changed (the task, the lead's
 * enrollments and their tasks, lead fields, suppressions) is put back as it was, provided
 * none changed since — otherwise nothing is undone and UNDO_CONFLICT says what moved. Rows
 * the action created are ended, not deleted (an enrollment exits with reason `undone`, a
 * task is cancelled), so ids in the events log keep meaning one thing; a suppression it
 * added is lifted. The events log is append-only: an `action.undone` event names the
 * undone events, and restored lead fields are logged as `lead.updated`.
 */
export function undoAction(store: Store, undoable: UndoableAction, now: Date, actor: string): { restored: number } {
  const { db } = store;
  const at = now.toISOString();
  return db.transaction(() => {
    const moved = undoable.journal.rows.filter((row) => (currentImage(db, row.table, row.rowId) ?? null) !== row.after);
    if (moved.length > 0) {
      throw new CadenceError('UNDO_CONFLICT', `cannot undo "${undoable.description}": ${moved.map(describe).join(', ')} changed since`, {
        hint: 'a tick or another person acted on it in the meantime; nothing was undone',
      });
    }
    const inserted = undoable.journal.rows.filter((row) => row.before === null);
    for (const row of inserted) {
      if (row.table === 'tasks') cancelTask(db, row.rowId, at, 'undone');
      else if (row.table === 'enrollments') setEnrollmentState(db, row.rowId, 'exited', 'undone', at);
      else if (row.table === 'suppressions') deleteRow(db, 'suppressions', row.rowId);
    }
    const changed = undoable.journal.rows.filter((row): row is JournalRow & { before: string } => row.before !== null);
    for (const row of changed) restoreRow(db, row.table, row.rowId, row.before);
    for (const row of changed.filter((candidate) => candidate.table === 'leads')) {
      const changes = leadChanges(row.after, row.before);
      if (Object.keys(changes).length > 0) appendEvent(db, { type: 'lead.updated', at, actor, leadId: row.rowId, data: { changes, reason: 'undo' } });
    }
    appendEvent(db, { type: 'action.undone', at, actor, leadId: undoable.leadId, data: { action: undoable.action, task: undoable.taskId, events: undoable.journal.events } });
    return { restored: undoable.journal.rows.length };
  }).immediate();
}

function describe(row: JournalRow): string {
  const singular = { tasks: 'task', enrollments: 'enrollment', leads: 'lead', suppressions: 'suppression' }[row.table];
  return `${singular} ${row.rowId}`;
}

/** Field changes from one lead image to another, as `leads set` logs them. */
function leadChanges(from: string | null, to: string): Record<string, [FieldValue | null, FieldValue | null]> {
  const before = from ? rowToLead(JSON.parse(from) as LeadRow).fields : {};
  const after = rowToLead(JSON.parse(to) as LeadRow).fields;
  const changes: Record<string, [FieldValue | null, FieldValue | null]> = {};
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (before[name] !== after[name]) changes[name] = [before[name] ?? null, after[name] ?? null];
  }
  return changes;
}
