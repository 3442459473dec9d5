import { closeSync, openSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';

/**
 * Taking turns at the store's write lock. SQLite lets a waiting writer poll for the lock,
 * so a long import that commits batch after batch could starve a tick waiting between its
 * polls. A writer that had to wait leaves a marker file beside the store; a bulk writer
 * (an import) looks for it after every batch and, while it is fresh, pauses so the waiter
 * gets its turn.
 */
export function waitingMarker(storePath: string): string {
  return join(storePath, '..', 'writer-waiting');
}

/** How long a marker counts: a waiter refreshes it while it waits. */
const FRESH_MS = 1000;

export function someoneWaiting(marker: string, now = Date.now()): boolean {
  try {
    return now - statSync(marker).mtimeMs < FRESH_MS;
  } catch {
    return false;
  }
}

/** For bulk writers between batches: give way while another writer waits, up to `maxMs`. */
export async function yieldToWaitingWriters(marker: string, maxMs = 500): Promise<void> {
  const until = Date.now() + maxMs;
  while (someoneWaiting(marker) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
}

/**
 * Runs `work` in an IMMEDIATE transaction, marking the store as awaited while the lock is
 * busy, for up to `timeoutMs`. For short writers (a tick, a rep's action) that must not be
 * starved by a bulk writer.
 */
export async function immediateTurn<T>(db: Database, marker: string, work: () => T, timeoutMs = 10_000): Promise<T> {
  const transaction = db.transaction(work);
  const previous = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 20');
  const deadline = Date.now() + timeoutMs;
  let marked = false;
  try {
    for (;;) {
      try {
        return transaction.immediate();
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw error;
        touch(marker);
        marked = true;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
  } finally {
    db.pragma(`busy_timeout = ${previous}`);
    if (marked) rmSync(marker, { force: true });
  }
}

function touch(path: string): void {
  const now = new Date();
  try {
    utimesSync(path, now, now);
  } catch {
    closeSync(openSync(path, 'a'));
  }
}
