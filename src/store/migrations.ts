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
  {
    version: 2,
    description: 'sequence versions, enrollments, tasks, messages, ticks',
    sql: `
      -- Every version of a sequence the store has run, by content hash, with its step ids:
      -- what an enrollment was started or last moved on, for reviewing changes.
      CREATE TABLE sequence_versions (
        hash TEXT PRIMARY KEY,
        sequence TEXT NOT NULL,
        step_ids TEXT NOT NULL,
        definition TEXT NOT NULL,
        first_seen TEXT NOT NULL
      );
      -- Times are ISO 8601 in UTC (toISOString), so text order is time order.
      CREATE TABLE enrollments (
        id INTEGER PRIMARY KEY,
        lead_id INTEGER NOT NULL,
        sequence TEXT NOT NULL,
        version TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('active', 'paused', 'finished', 'exited')),
        reason TEXT,
        step_index INTEGER NOT NULL,
        step_id TEXT,
        due_at TEXT,
        enrolled_at TEXT NOT NULL,
        last_done_at TEXT NOT NULL,
        paused_until TEXT,
        claimed_by INTEGER,
        claimed_at TEXT,
        updated_at TEXT NOT NULL,
        actor TEXT NOT NULL
      );
      CREATE UNIQUE INDEX enrollments_one_live ON enrollments(lead_id, sequence) WHERE state IN ('active', 'paused');
      CREATE INDEX enrollments_due ON enrollments(due_at) WHERE state = 'active' AND claimed_by IS NULL;
      CREATE INDEX enrollments_lead ON enrollments(lead_id);
      CREATE INDEX enrollments_pause_end ON enrollments(paused_until) WHERE state = 'paused';
      CREATE TABLE tasks (
        id INTEGER PRIMARY KEY,
        enrollment_id INTEGER NOT NULL,
        lead_id INTEGER NOT NULL,
        sequence TEXT NOT NULL,
        step_id TEXT NOT NULL,
        type TEXT NOT NULL,
        owner TEXT,
        due_at TEXT NOT NULL,
        expires_at TEXT,
        state TEXT NOT NULL CHECK (state IN ('open', 'done', 'skipped', 'cancelled', 'expired')),
        outcome TEXT,
        snoozed_until TEXT,
        created_at TEXT NOT NULL,
        completed_at TEXT,
        completed_by TEXT,
        note TEXT
      );
      CREATE INDEX tasks_open ON tasks(owner, due_at) WHERE state = 'open';
      CREATE INDEX tasks_enrollment ON tasks(enrollment_id);
      CREATE INDEX tasks_expiry ON tasks(expires_at) WHERE state = 'open';
      CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        enrollment_id INTEGER,
        lead_id INTEGER NOT NULL,
        sequence TEXT,
        step_id TEXT,
        message_id TEXT NOT NULL UNIQUE,
        mailbox TEXT,
        from_address TEXT NOT NULL,
        to_address TEXT NOT NULL,
        subject TEXT NOT NULL,
        template TEXT,
        variant TEXT,
        thread_of TEXT,
        unsubscribe_token TEXT NOT NULL UNIQUE,
        state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'in_doubt', 'bounced')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        created_at TEXT NOT NULL,
        sent_at TEXT,
        path TEXT,
        error TEXT
      );
      CREATE INDEX messages_lead ON messages(lead_id, created_at);
      CREATE INDEX messages_step ON messages(enrollment_id, step_id);
      CREATE INDEX messages_state ON messages(state) WHERE state IN ('queued', 'sending', 'in_doubt');
      CREATE TABLE ticks (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        now TEXT NOT NULL,
        pid INTEGER,
        result TEXT
      );
    `,
  },
  {
    version: 3,
    description: 'the delivery queue: messages stored whole, the process sending them, priority, cancelled; mailbox sends',
    sql: `
      -- The messages table again, with what delivery needs; SQLite cannot change a CHECK,
      -- so it is copied into a new table (the v2 rows keep everything they had).
      CREATE TABLE messages_v3 (
        id INTEGER PRIMARY KEY,
        enrollment_id INTEGER,
        lead_id INTEGER NOT NULL,
        sequence TEXT,
        step_id TEXT,
        message_id TEXT NOT NULL UNIQUE,
        mailbox TEXT,
        from_address TEXT NOT NULL,
        to_address TEXT NOT NULL,
        subject TEXT NOT NULL,
        template TEXT,
        variant TEXT,
        thread_of TEXT,
        unsubscribe_token TEXT NOT NULL UNIQUE,
        -- cancelled: still queued when its lead was suppressed or left the sequence.
        state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'in_doubt', 'bounced', 'cancelled')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        created_at TEXT NOT NULL,
        sent_at TEXT,
        path TEXT,
        error TEXT,
        -- The message whole (text, sender name, threading, unsubscribe route), recorded when
        -- its step is done: delivery, a retry or a resend after a crash is the same message.
        body TEXT,
        from_name TEXT,
        refs TEXT,
        unsubscribe_mailto TEXT,
        unsubscribe_url TEXT,
        -- The process that handed it to the transport, and when (the real clock): when that
        -- process is gone and the message is still sending, its fate is unknown.
        pid INTEGER,
        sending_at TEXT,
        -- Date-anchored steps (a meeting reminder) go first when a mailbox is over its cap.
        priority INTEGER NOT NULL DEFAULT 0
      );
      INSERT INTO messages_v3 (id, enrollment_id, lead_id, sequence, step_id, message_id, mailbox, from_address, to_address, subject, template, variant, thread_of, unsubscribe_token, state, attempts, next_attempt_at, created_at, sent_at, path, error)
        SELECT id, enrollment_id, lead_id, sequence, step_id, message_id, mailbox, from_address, to_address, subject, template, variant, thread_of, unsubscribe_token, state, attempts, next_attempt_at, created_at, sent_at, path, error FROM messages;
      DROP TABLE messages;
      ALTER TABLE messages_v3 RENAME TO messages;
      CREATE INDEX messages_lead ON messages(lead_id, created_at);
      CREATE INDEX messages_step ON messages(enrollment_id, step_id);
      -- Not partial: SQLite uses a partial index only when the query repeats its WHERE term,
      -- and state = 'in_doubt' does not repeat state IN (...).
      CREATE INDEX messages_state ON messages(state, mailbox);
      CREATE INDEX messages_queue ON messages(priority DESC, next_attempt_at) WHERE state = 'queued';
      -- Deliveries per mailbox and day (in the workspace's time zone): the daily cap and the
      -- minimum gap read one row instead of counting the day's messages.
      CREATE TABLE mailbox_days (
        mailbox TEXT NOT NULL,
        day TEXT NOT NULL,
        sent INTEGER NOT NULL,
        last_sent_at TEXT NOT NULL,
        PRIMARY KEY (mailbox, day)
      );
      -- (Deliveries made before this version are counted on their day in UTC.)
      INSERT INTO mailbox_days (mailbox, day, sent, last_sent_at)
        SELECT mailbox, substr(sent_at, 1, 10), count(*), max(sent_at) FROM messages WHERE state = 'sent' AND mailbox IS NOT NULL GROUP BY mailbox, substr(sent_at, 1, 10);
    `,
  },
  {
    version: 5,
    description: 'mail sync cursors, trigger cursor, trigger effects and date-trigger schedule',
    sql: `
      -- cadence sync: how far each mailbox folder was read. UIDVALIDITY is a 32-bit
      -- unsigned number that the IMAP client hands over as a BigInt: kept as text.
      CREATE TABLE mail_cursors (
        mailbox TEXT NOT NULL,
        folder TEXT NOT NULL,
        uid_validity TEXT NOT NULL,
        last_uid INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (mailbox, folder)
      );
      -- Triggers: the last event handled. An upgraded store starts at the end of its log,
      -- so history already acted on is not replayed.
      CREATE TABLE trigger_cursor (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        last_event_id INTEGER NOT NULL
      );
      INSERT INTO trigger_cursor (id, last_event_id) SELECT 1, coalesce(max(id), 0) FROM events;
      -- Events caused by a trigger's actions and how deep the chain is (absent: 0): the loop guard.
      CREATE TABLE trigger_effects (
        event_id INTEGER PRIMARY KEY,
        depth INTEGER NOT NULL,
        trigger TEXT NOT NULL
      );
      -- Date triggers: the moment each fires for each lead, kept up to date from the
      -- events log, so a tick never scans every lead.
      CREATE TABLE trigger_dates (
        trigger TEXT NOT NULL,
        lead_id INTEGER NOT NULL,
        fire_at TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'fired', 'missed')),
        updated_at TEXT NOT NULL,
        PRIMARY KEY (trigger, lead_id)
      );
      CREATE INDEX trigger_dates_due ON trigger_dates(fire_at) WHERE state = 'pending';
      -- The date rule (field, offset, time) each date trigger was scheduled with: a changed rule is rescheduled once.
      CREATE TABLE trigger_date_rules (
        trigger TEXT PRIMARY KEY,
        rule TEXT NOT NULL
      );
    `,
  },
  {
    version: 6,
    description: 'live enrollments by sequence version',
    sql: `
      -- A tick asks, before anything else, whether any live enrollment is on an older version
      -- of its sequence than the workspace's: two index seeks per sequence, even with nothing due.
      CREATE INDEX enrollments_live_version ON enrollments(sequence, version) WHERE state IN ('active', 'paused');
    `,
  },
];

export const LATEST_VERSION = MIGRATIONS.at(-1)!.version;

/**
 * Brings the store up to `target` (the latest by default), each step in its own
 * transaction, so a failure leaves the store at the last complete version. Each step reads
 * the version again under the write lock: two processes opening a new store together (a
 * cron tick and the first import) each apply a step at most once between them.
 */
export function migrate(db: Database, target = LATEST_VERSION): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > LATEST_VERSION) return { from, to: from };
  for (const migration of MIGRATIONS) {
    if (migration.version <= from || migration.version > target) continue;
    db.transaction(() => {
      if ((db.pragma('user_version', { simple: true }) as number) >= migration.version) return;
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
  return { from, to: Math.max(from, Math.min(target, LATEST_VERSION)) };
}
