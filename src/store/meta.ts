import { randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { statement } from './statements.js';

export function getMeta(db: Database, key: string): string | undefined {
  return (statement(db, 'SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
}

export function setMeta(db: Database, key: string, value: string): void {
  statement(db, 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}

/**
 * The store's secret key for erasure hashes: random, made once, never leaves the store.
 * With it, a hash cannot be reversed by hashing a list of likely addresses elsewhere.
 */
const keys = new WeakMap<Database, string>();

export function erasureKey(db: Database): string {
  const known = keys.get(db);
  if (known) return known;
  let key = getMeta(db, 'erasure_key');
  if (!key) {
    key = randomBytes(32).toString('hex');
    statement(db, 'INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run('erasure_key', key);
    key = getMeta(db, 'erasure_key')!;
  }
  keys.set(db, key);
  return key;
}
