import type { Database } from 'better-sqlite3';
import { statement } from './statements.js';

/** How far a mailbox folder was read: its UIDVALIDITY (text: the IMAP client gives a BigInt) and the last UID handled. */
export interface MailCursor {
  uidValidity: string;
  lastUid: number;
}

export function mailCursor(db: Database, mailbox: string, folder: string): MailCursor | undefined {
  const row = statement(db, 'SELECT uid_validity, last_uid FROM mail_cursors WHERE mailbox = ? AND folder = ?').get(mailbox, folder) as { uid_validity: string; last_uid: number } | undefined;
  return row ? { uidValidity: row.uid_validity, lastUid: row.last_uid } : undefined;
}

/** Moves a folder's cursor; call in the transaction that records what the message did, so each is handled once. */
export function setMailCursor(db: Database, mailbox: string, folder: string, cursor: MailCursor, at: string): void {
  statement(db, `INSERT INTO mail_cursors (mailbox, folder, uid_validity, last_uid, updated_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (mailbox, folder) DO UPDATE SET uid_validity = excluded.uid_validity, last_uid = excluded.last_uid, updated_at = excluded.updated_at`).run(mailbox, folder, cursor.uidValidity, cursor.lastUid, at);
}
