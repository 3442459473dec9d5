import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import DatabaseConstructor, { type Database } from 'better-sqlite3';
import { registerConditionFunctions } from '../conditions/index.js';
import { CadenceError } from '../errors.js';
import { LATEST_VERSION, migrate } from './migrations.js';
import { takeTurns, waitingMarker } from './write-turns.js';

export interface Store {
  db: Database;
  path: string;
  close(): void;
}

/**
 * Opens (creating if needed) the SQLite store at `path` and migrates it to the latest
 * schema. WAL lets a tick read while an import writes; the busy timeout makes a writer
 * wait for another's short transaction instead of failing.
 */
export function openStore(path: string, options: { create?: boolean } = {}): Store {
  const create = options.create ?? true;
  if (!create && !existsSync(path)) {
    throw new CadenceError('STORE_MISSING', `there is no store at ${path} yet`, {
      hint: 'import leads first (`cadence import FILE.csv`), or point at the store with --db PATH or CADENCE_DB',
    });
  }
  let db: Database;
  try {
    mkdirSync(dirname(path), { recursive: true });
    db = new DatabaseConstructor(path);
  } catch (error) {
    throw storeError(error, path) ?? new CadenceError('STORE_UNREADABLE', `cannot open the store ${path}: ${(error as Error).message}`, {
      hint: 'check that the folder exists and is writable, or pass --db PATH',
    });
  }
  try {
    // SQLite reads the file only here, so this is where a file that is not a store fails.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // A new store gets 8 KB pages instead of SQLite's 4 KB: a lead row is ~300 bytes and the
    // email index is wide, and an import of a million leads took ~6% less time with them
    // (a 10,000-step tick 1–3% more). It only applies to a file with nothing in it yet: a
    // store keeps the page size it was made with (in WAL mode it cannot change).
    db.pragma(`page_size = ${PAGE_SIZE}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Erased people must leave no bytes behind in freed space of the file.
    db.pragma('secure_delete = ON');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > LATEST_VERSION) {
      throw new CadenceError('STORE_TOO_NEW', `the store ${path} has schema version ${version}, newer than this cadence knows (${LATEST_VERSION})`, {
        hint: 'upgrade cadence on this host to the version that wrote the store',
      });
    }
    if (version < LATEST_VERSION) migrate(db);
    registerConditionFunctions(db);
    // A writer waiting for the lock says so, so that an import lets it in between batches.
    if (path !== ':memory:') takeTurns(db, waitingMarker(path), BUSY_TIMEOUT_MS);
  } catch (error) {
    db.close();
    throw storeError(error, path) ?? error;
  }
  return { db, path, close: () => db.close() };
}

const PAGE_SIZE = 8192;
/** How long a writer waits for another's transaction before it fails. */
const BUSY_TIMEOUT_MS = 10_000;

/**
 * The expected error for a store file SQLite cannot use: not a database (or damaged), or
 * not writable. Undefined for anything else, which stays unexpected. SQLite's extended
 * codes (SQLITE_READONLY_DBMOVED, SQLITE_CORRUPT_INDEX …) count as their primary code.
 */
export function storeError(error: unknown, path: string): CadenceError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  const is = (primary: string): boolean => code === primary || code.startsWith(`${primary}_`);
  const reason = error instanceof Error ? error.message : code;
  if (is('SQLITE_NOTADB') || is('SQLITE_CORRUPT')) {
    return new CadenceError('STORE_CORRUPT', `${path} is not a cadence store, or it is damaged (${reason})`, {
      hint: 'restore it from a copy made with `cadence backup FILE`, or point --db (or CADENCE_DB) at another store',
      cause: error,
    });
  }
  if (is('SQLITE_READONLY') || code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new CadenceError('STORE_READONLY', `cannot write the store ${path} (${reason})`, {
      hint: `check the permissions of the file and its folder (ls -l ${dirname(path)}): cadence writes the store and its -wal and -shm files beside it`,
      cause: error,
    });
  }
  return undefined;
}
