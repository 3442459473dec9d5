import type { Database } from 'better-sqlite3';

/**
 * The store's schema, one numbered step at a time. A step is never edited once released:
 * a change is a new step. `PRAGMA user_version` records how many have been applied.
 */
export const MIGRATIONS: readonly { version: number; description: string; sql: string }[] = [
  {
    version: 1,
    description: 'leads, events, suppressions, import runs',
    sql: `
      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
      CREATE TABLE leads (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        first_name TEXT, last_name TEXT, full_name TEXT,
        first_name_kana TEXT, last_name_kana TEXT,
        company TEXT, department TEXT, title TEXT, phone TEXT,
        timezone TEXT, language TEXT, owner TEXT, status TEXT, stage TEXT,
        source TEXT, campaign TEXT, linkedin_url TEXT, website TEXT, country TEXT,
        custom TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      -- AUTOINCREMENT: ids only ever grow, even after erasure deletes rows, so a
      -- consumer's cursor (the last id it read) never skips or repeats an event.
      CREATE TABLE events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        type TEXT NOT NULL,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        lead_id INTEGER,
        data TEXT
      );
      CREATE INDEX events_lead ON events(lead_id, id);
      CREATE TABLE suppressions (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('address', 'domain', 'hash')),
        value TEXT NOT NULL,
        reason TEXT NOT NULL,
        created_at TEXT NOT NULL,
        actor TEXT NOT NULL,
        UNIQUE (kind, value)
      );
      CREATE TABLE import_runs (
        id INTEGER PRIMARY KEY,
        file TEXT NOT NULL,
        file_size INTEGER NOT NULL,
        encoding TEXT,
        options TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'interrupted', 'dry_run')),
        started_at TEXT NOT NULL,
        finished_at TEXT,
        actor TEXT NOT NULL,
        pid INTEGER,
        inserted INTEGER NOT NULL DEFAULT 0,
        updated INTEGER NOT NULL DEFAULT 0,
        unchanged INTEGER NOT NULL DEFAULT 0,
        refused INTEGER NOT NULL DEFAULT 0,
        last_line INTEGER NOT NULL DEFAULT 0
      );
    `,
  },
];

export const LATEST_VERSION = MIGRATIONS.at(-1)!.version;

/**
 * Brings the store up to `target` (the latest by default), each step in its own
 * transaction, so a failure leaves the store at the last complete version.
 */
export function migrate(db: Database, target = LATEST_VERSION): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > LATEST_VERSION) return { from, to: from };
  for (const migration of MIGRATIONS) {
    if (migration.version <= from || migration.version > target) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
  return { from, to: Math.max(from, Math.min(target, LATEST_VERSION)) };
}
