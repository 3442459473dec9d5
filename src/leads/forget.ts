import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CadenceError } from '../errors.js';
import type { Store } from '../store/database.js';
import { appendEvent } from '../store/events.js';
import { findLeadByEmail } from '../store/leads.js';
import { erasureKey } from '../store/meta.js';
import { statement } from '../store/statements.js';
import { addSuppression, erasureHash } from '../store/suppressions.js';

export interface ForgetResult {
  /** Whether the store held a lead with that address. */
  leadFound: boolean;
  eventsRemoved: number;
  outboxFilesRemoved: number;
}

/**
 * Erases a person (APPI, GDPR): their lead, every event about them, their address
 * suppression and every outbox message to them; what stays is a keyed hash, so a later
 * import cannot reach them, and an event that says an erasure happened, with no personal
 * data. The freed pages are zeroed (secure_delete) and the WAL is truncated so no copy of
 * the address stays in the database files.
 */
export function forgetLead(store: Store, email: string, outboxDir: string | undefined, at: string, actor: string): ForgetResult {
  const { db } = store;
  const result = db.transaction(() => {
    const lead = findLeadByEmail(db, email);
    const eventsRemoved = lead ? statement(db, 'DELETE FROM events WHERE lead_id = ?').run(lead.id).changes : 0;
    if (lead) statement(db, 'DELETE FROM leads WHERE id = ?').run(lead.id);
    statement(db, "DELETE FROM suppressions WHERE kind = 'address' AND value = ?").run(email);
    addSuppression(db, { kind: 'hash', value: erasureHash(erasureKey(db), email), reason: 'erased', at, actor });
    appendEvent(db, { type: 'lead.erased', at, actor, leadId: null, data: { leadFound: Boolean(lead), eventsRemoved } });
    return { leadFound: Boolean(lead), eventsRemoved };
  }).immediate();
  const checkpoint = db.pragma('wal_checkpoint(TRUNCATE)', { simple: false }) as { busy: number }[];
  if (checkpoint[0]?.busy) {
    throw new CadenceError('FORGET_WAL_BUSY', 'the erasure is recorded, but another process is reading the store, so old copies may remain in its write-ahead log', {
      hint: 'run `cadence leads forget` again once no other cadence command is running',
    });
  }
  return { ...result, outboxFilesRemoved: outboxDir ? removeOutboxMessages(outboxDir, email) : 0 };
}

/** Deletes every message file in the outbox that mentions the address. */
function removeOutboxMessages(dir: string, email: string): number {
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(dir, { recursive: true }) as string[];
  } catch {
    return 0;
  }
  const needle = email.toLowerCase();
  for (const name of names) {
    const path = join(dir, name);
    if (!statSync(path).isFile()) continue;
    if (readFileSync(path, 'latin1').toLowerCase().includes(needle)) {
      rmSync(path);
      removed++;
    }
  }
  return removed;
}
