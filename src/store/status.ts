import type { Database } from 'better-sqlite3';
import { CadenceError } from '../errors.js';
import { statement } from './statements.js';

export interface StoreStatus {
  activeEnrollments: number;
  dueNow: number;
  paused: { reason: string; count: number }[];
  inDoubt: { messageId: string; to: string; sequence: string | null; step: string | null; createdAt: string }[];
  sending: number;
  overdueTasks: { owner: string; count: number; oldest: string }[];
  openTasks: number;
}

/** What `cadence status` shows, read in one go. */
export function storeStatus(db: Database, now: string): StoreStatus {
  const count = (sql: string, ...params: unknown[]): number => (statement(db, sql).get(...params) as { n: number }).n;
  return {
    activeEnrollments: count("SELECT count(*) AS n FROM enrollments WHERE state = 'active'"),
    dueNow: count("SELECT count(*) AS n FROM enrollments WHERE state = 'active' AND due_at IS NOT NULL AND due_at <= ?", now),
    paused: statement(db, "SELECT coalesce(reason, '(none)') AS reason, count(*) AS count FROM enrollments WHERE state = 'paused' GROUP BY reason ORDER BY count DESC").all() as { reason: string; count: number }[],
    inDoubt: (statement(db, "SELECT message_id, to_address, sequence, step_id, created_at FROM messages WHERE state = 'in_doubt' ORDER BY id").all() as { message_id: string; to_address: string; sequence: string | null; step_id: string | null; created_at: string }[]).map((row) => ({ messageId: row.message_id, to: row.to_address, sequence: row.sequence, step: row.step_id, createdAt: row.created_at })),
    sending: count("SELECT count(*) AS n FROM messages WHERE state = 'sending'"),
    overdueTasks: statement(db, "SELECT coalesce(owner, '(nobody)') AS owner, count(*) AS count, min(due_at) AS oldest FROM tasks WHERE state = 'open' AND due_at < ? GROUP BY owner ORDER BY count DESC").all(now) as { owner: string; count: number; oldest: string }[],
    openTasks: count("SELECT count(*) AS n FROM tasks WHERE state = 'open'"),
  };
}

export interface MailboxCounts {
  mailbox: string;
  /** Queued, sending, sent or in doubt since the start of the day: what counts against the daily cap. */
  today: number;
  /** Queued and due: goes out at the next tick. */
  queued: number;
  /** Queued for a retry after a temporary failure. */
  retrying: number;
  failed: number;
}

/** Per mailbox: today's sends against its cap, and the queue. */
export function mailboxCounts(db: Database, dayStart: string, now: string): MailboxCounts[] {
  return (
    statement(db, `SELECT coalesce(mailbox, '(none)') AS mailbox,
        sum(CASE WHEN state IN ('queued', 'sending', 'sent', 'in_doubt') AND created_at >= ? THEN 1 ELSE 0 END) AS today,
        sum(CASE WHEN state = 'queued' AND next_attempt_at <= ? THEN 1 ELSE 0 END) AS queued,
        sum(CASE WHEN state = 'queued' AND next_attempt_at > ? THEN 1 ELSE 0 END) AS retrying,
        sum(CASE WHEN state = 'failed' THEN 1 ELSE 0 END) AS failed
      FROM messages WHERE created_at >= ? OR state IN ('queued', 'failed') GROUP BY mailbox ORDER BY mailbox`).all(dayStart, now, now, dayStart) as MailboxCounts[]
  );
}

/** A consistent copy of the live store (SQLite's online backup), safe while ticks run. */
export async function backupStore(db: Database, file: string): Promise<void> {
  try {
    await db.backup(file);
  } catch (error) {
    throw new CadenceError('BACKUP_FAILED', `cannot write the backup ${file}: ${(error as Error).message}`, {
      hint: 'choose a path in a folder that exists and is writable',
    });
  }
}
