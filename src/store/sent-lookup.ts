import type { Database } from 'better-sqlite3';
import { statement } from './statements.js';

/** A message cadence sent, as `cadence sync` matches replies, bounces and unsubscribes to it. */
export interface SentMessage {
  id: number;
  leadId: number;
  enrollmentId: number | null;
  sequence: string | null;
  messageId: string;
  toAddress: string;
}

interface SentRow {
  id: number;
  lead_id: number;
  enrollment_id: number | null;
  sequence: string | null;
  message_id: string;
  to_address: string;
}

const toSent = (row: SentRow): SentMessage => ({ id: row.id, leadId: row.lead_id, enrollmentId: row.enrollment_id, sequence: row.sequence, messageId: row.message_id, toAddress: row.to_address });
const COLUMNS = 'id, lead_id, enrollment_id, sequence, message_id, to_address';

/** The newest of our messages among these Message-IDs (a reply's In-Reply-To and References). */
export function sentMessageAmong(db: Database, messageIds: readonly string[]): SentMessage | undefined {
  let found: SentRow | undefined;
  for (const messageId of messageIds) {
    const row = statement(db, `SELECT ${COLUMNS} FROM messages WHERE message_id = ?`).get(messageId) as SentRow | undefined;
    if (row && (!found || row.id > found.id)) found = row;
  }
  return found ? toSent(found) : undefined;
}

/** The message whose List-Unsubscribe address carried this token. */
export function sentMessageByToken(db: Database, token: string): SentMessage | undefined {
  const row = statement(db, `SELECT ${COLUMNS} FROM messages WHERE unsubscribe_token = ?`).get(token) as SentRow | undefined;
  return row ? toSent(row) : undefined;
}

/** The newest message sent to an address (a bounce names the recipient). */
export function lastSentTo(db: Database, address: string): SentMessage | undefined {
  // Through the lead (indexed by address) and its messages (indexed by lead): the messages
  // table keeps no index by address, which every message would pay for.
  const row = statement(db, `SELECT ${COLUMNS} FROM messages WHERE lead_id IN (SELECT id FROM leads WHERE email = ?) AND to_address = ? ORDER BY created_at DESC, id DESC LIMIT 1`).get(address, address) as SentRow | undefined;
  return row ? toSent(row) : undefined;
}

export function markSentBounced(db: Database, id: number, error: string): void {
  statement(db, "UPDATE messages SET state = 'bounced', error = ? WHERE id = ?").run(error, id);
}
