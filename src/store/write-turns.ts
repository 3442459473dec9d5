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
 * Makes a connection take its turn: a transaction begun with `.immediate()` or
 * `.exclusive()` that finds the write lock taken polls for it every few milliseconds,
 * refreshing the marker so that a bulk writer (an import) pauses after its batch and lets
 * it in. Left to SQLite's busy handler, whose sleeps grow to 100 ms, it mostly missed the
 * moments between an import's batches: a plain writer waited up to 1.2 s during a 1M-row
 * import. Only the BEGIN is retried, never a transaction whose work had started. Other
 * transactions (`db.transaction(fn)()`, deferred) are left as they are.
 */
export function takeTurns(db: Database, marker: string, timeoutMs: number): void {
  const transaction = db.transaction.bind(db);
  const turns = ((fn: (...args: unknown[]) => unknown) => {
    let calls = 0;
    const inner = transaction(function (this: unknown, ...args: unknown[]) {
      calls++;
      return fn.apply(this, args);
    });
    const inTurn = (variant: (...args: unknown[]) => unknown) =>
      function (this: unknown, ...args: unknown[]): unknown {
        if (db.inTransaction) return variant.apply(this, args);
        return waitForTurn(db, marker, timeoutMs, () => variant.apply(this, args), () => calls);
      };
    const properties = {
      default: { value: inner.default },
      deferred: { value: inner.deferred },
      immediate: { value: inTurn(inner.immediate) },
      exclusive: { value: inTurn(inner.exclusive) },
      database: { value: db, enumerable: true },
    };
    const made = function (this: unknown, ...args: unknown[]): unknown {
      return inner.default.apply(this, args);
    };
    return Object.defineProperties(made, properties);
  }) as unknown as Database['transaction'];
  Object.defineProperty(db, 'transaction', { value: turns });
}

/**
 * Polls for the write lock (the marker kept fresh meanwhile) until `run` gets it or time is
 * up. `calls` counts the transaction's work begun: a refusal after it began is not retried.
 */
function waitForTurn(db: Database, marker: string, timeoutMs: number, run: () => unknown, calls: () => number): unknown {
  const previous = db.pragma('busy_timeout', { simple: true }) as number;
  const deadline = Date.now() + timeoutMs;
  let marked = false;
  db.pragma(`busy_timeout = ${POLL_MS}`);
  try {
    for (;;) {
      const before = calls();
      try {
        return run();
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_BUSY' || calls() !== before || Date.now() > deadline) throw error;
        marked = mark(marker) || marked;
        Atomics.wait(PAUSE, 0, 0, PAUSE_MS);
      }
    }
  } finally {
    db.pragma(`busy_timeout = ${previous}`);
    if (marked) unmark(marker);
  }
}

/** Refreshes the marker; a folder that cannot take it (read-only) only costs the turn, not the write. */
function mark(marker: string): boolean {
  try {
    touch(marker);
    return true;
  } catch {
    return false;
  }
}

function unmark(marker: string): void {
  try {
    rmSync(marker, { force: true });
  } catch {
    // Stale in a second: bulk writers stop waiting on it by themselves.
  }
}

/** How long one try for the lock waits in SQLite, and the pause between tries. */
const POLL_MS = 20;
const PAUSE_MS = 5;
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

function touch(path: string): void {
  const now = new Date();
  try {
    utimesSync(path, now, now);
  } catch {
    closeSync(openSync(path, 'a'));
  }
}
