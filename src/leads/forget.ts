import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CadenceError } from '../errors.js';
import type { Store } from '../store/database.js';
import { eraseAddress, truncateWriteAheadLog } from '../store/erasure.js';
import { findLeadByEmail } from '../store/leads.js';
import { taskIdsOfLead } from '../store/tasks.js';

export interface ForgetResult {
  /** Whether the store held a lead with that address. */
  leadFound: boolean;
  eventsRemoved: number;
  outboxFilesRemoved: number;
  /** Drafts of manual emails to them kept by the task list (`.cadence/drafts/`). */
  draftsRemoved: number;
}

/**
 * Erases a person (APPI, GDPR): their lead, every event about them, their address
 * suppression, every outbox message to them and the task list's drafts of emails to them;
 * what stays is a keyed hash, so a later
 * import cannot reach them, and an event that says an erasure happened, with no personal
 * data. The freed pages are zeroed (secure_delete) and the WAL is truncated so no copy of
 * the address stays in the database files.
 */
export function forgetLead(store: Store, email: string, outboxDir: string | undefined, at: string, actor: string, draftsDir?: string): ForgetResult {
  const { db } = store;
  const lead = findLeadByEmail(db, email);
  const taskIds = lead ? taskIdsOfLead(db, lead.id) : [];
  const result = db.transaction(() => eraseAddress(db, email, at, actor)).immediate();
  const draftsRemoved = draftsDir ? removeDrafts(draftsDir, taskIds) : 0;
  if (!truncateWriteAheadLog(db)) {
    throw new CadenceError('FORGET_WAL_BUSY', 'the erasure is recorded, but another process is reading the store, so old copies may remain in its write-ahead log', {
      hint: 'run `cadence leads forget` again once no other cadence command is running',
    });
  }
  return { ...result, outboxFilesRemoved: outboxDir ? removeOutboxMessages(outboxDir, email) : 0, draftsRemoved };
}

/** Deletes the drafts (text and state) the task list kept for these tasks. */
function removeDrafts(dir: string, taskIds: readonly number[]): number {
  let removed = 0;
  for (const id of taskIds) {
    for (const name of [`task-${id}.txt`, `task-${id}.json`]) {
      const path = join(dir, name);
      if (!existsSync(path)) continue;
      rmSync(path);
      removed++;
    }
  }
  return removed;
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
