import type { Database } from 'better-sqlite3';
import { appendEvent } from './events.js';
import { findLeadByEmail } from './leads.js';
import { erasureKey } from './meta.js';
import { statement } from './statements.js';
import { addSuppression, erasureHash } from './suppressions.js';

/**
 * Removes everything the store holds about an address, in the caller's transaction: the
 * lead, its events and its address suppression; adds the erasure-hash suppression and a
 * `lead.erased` event without personal data, with its enrollments, tasks and messages.
 * A table added later that holds anything about a lead must be cleared here too.
 */
export function eraseAddress(db: Database, email: string, at: string, actor: string): { leadFound: boolean; eventsRemoved: number } {
  const lead = findLeadByEmail(db, email);
  const eventsRemoved = lead ? statement(db, 'DELETE FROM events WHERE lead_id = ?').run(lead.id).changes : 0;
  if (lead) {
    for (const table of ['tasks', 'messages', 'enrollments']) statement(db, `DELETE FROM ${table} WHERE lead_id = ?`).run(lead.id);
    statement(db, 'DELETE FROM leads WHERE id = ?').run(lead.id);
  }
  statement(db, "DELETE FROM suppressions WHERE kind = 'address' AND value = ?").run(email);
  addSuppression(db, { kind: 'hash', value: erasureHash(erasureKey(db), email), reason: 'erased', at, actor });
  appendEvent(db, { type: 'lead.erased', at, actor, leadId: null, data: { leadFound: Boolean(lead), eventsRemoved } });
  return { leadFound: Boolean(lead), eventsRemoved };
}

/** Folds the write-ahead log into the database file and truncates it; false when a reader kept it. */
export function truncateWriteAheadLog(db: Database): boolean {
  const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
  return !result?.busy;
}
