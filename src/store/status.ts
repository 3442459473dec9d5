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
  /** Delivered since the start of the day, with those on their way (sending, in doubt): what counts against the daily cap. */
  today: number;
  /** Queued and due: goes out at the next tick. */
  queued: number;
  /** Queued for later: a retry after a temporary failure, or waiting for the cap or a pause. */
  retrying: number;
  failed: number;
}

/** Per mailbox: today's deliveries against its cap (`day` in the workspace's zone), and the queue. */
export function mailboxCounts(db: Database, day: string, now: string): MailboxCounts[] {
  const rows = statement(db, `SELECT coalesce(mailbox, '(none)') AS mailbox,
        sum(CASE WHEN state IN ('sending', 'in_doubt') THEN 1 ELSE 0 END) AS today,
        sum(CASE WHEN state = 'queued' AND next_attempt_at <= ? THEN 1 ELSE 0 END) AS queued,
        sum(CASE WHEN state = 'queued' AND next_attempt_at > ? THEN 1 ELSE 0 END) AS retrying,
        sum(CASE WHEN state = 'failed' THEN 1 ELSE 0 END) AS failed
      FROM messages WHERE state IN ('queued', 'sending', 'in_doubt', 'failed') GROUP BY mailbox`).all(now, now) as MailboxCounts[];
  const delivered = statement(db, 'SELECT mailbox, sent FROM mailbox_days WHERE day = ?').all(day) as { mailbox: string; sent: number }[];
  for (const { mailbox, sent } of delivered) {
    const row = rows.find((candidate) => candidate.mailbox === mailbox);
    if (row) row.today += sent;
    else rows.push({ mailbox, today: sent, queued: 0, retrying: 0, failed: 0 });
  }
  return rows.sort((a, b) => a.mailbox.localeCompare(b.mailbox));
}

/** The newest failed messages (what `cadence resolve ID resend` takes), newest first. */
export function failedMessages(db: Database, limit: number): { messageId: string; to: string; sequence: string | null; step: string | null; error: string | null }[] {
  return (statement(db, "SELECT message_id, to_address, sequence, step_id, error FROM messages WHERE state = 'failed' ORDER BY id DESC LIMIT ?").all(limit) as { message_id: string; to_address: string; sequence: string | null; step_id: string | null; error: string | null }[]).map((row) => ({
    messageId: row.message_id, to: row.to_address, sequence: row.sequence, step: row.step_id, error: row.error,
  }));
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
