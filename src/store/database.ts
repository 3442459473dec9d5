import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import DatabaseConstructor, { type Database } from 'better-sqlite3';
import { registerConditionFunctions } from '../conditions/index.js';
import { CadenceError } from '../errors.js';
import { LATEST_VERSION, migrate } from './migrations.js';

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
    throw new CadenceError('STORE_UNREADABLE', `cannot open the store ${path}: ${(error as Error).message}`, {
      hint: 'check that the folder exists and is writable, or pass --db PATH',
    });
  }
  try {
    db.pragma('busy_timeout = 10000');
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
  } catch (error) {
    db.close();
    throw error;
  }
  return { db, path, close: () => db.close() };
}
