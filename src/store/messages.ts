import type { Database } from 'better-sqlite3';
import { statement } from './statements.js';

export type MessageState = 'queued' | 'sending' | 'sent' | 'failed' | 'in_doubt' | 'bounced';

export interface MessageRecord {
  id: number;
  enrollmentId: number | null;
  leadId: number;
  sequence: string | null;
  stepId: string | null;
  messageId: string;
  fromAddress: string;
  toAddress: string;
  subject: string;
  state: MessageState;
  createdAt: string;
  sentAt: string | null;
  path: string | null;
}

interface MessageRow {
  id: number;
  enrollment_id: number | null;
  lead_id: number;
  sequence: string | null;
  step_id: string | null;
  message_id: string;
  from_address: string;
  to_address: string;
  subject: string;
  state: MessageState;
  created_at: string;
  sent_at: string | null;
  path: string | null;
}

/** Records a message before it is delivered (state `sending`): a crash can then never lose or repeat it unnoticed. */
export function recordMessage(db: Database, message: { enrollmentId: number; leadId: number; sequence: string; stepId: string; messageId: string; mailbox: string | null; from: string; to: string; subject: string; template: string; variant: string | null; threadOf: string | null; token: string; at: string }): number {
  return Number(
    statement(db, `INSERT INTO messages (enrollment_id, lead_id, sequence, step_id, message_id, mailbox, from_address, to_address, subject, template, variant, thread_of, unsubscribe_token, state, attempts, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'sending', 1, ?)`).run(
      message.enrollmentId, message.leadId, message.sequence, message.stepId, message.messageId, message.mailbox, message.from, message.to, message.subject, message.template, message.variant, message.threadOf, message.token, message.at,
    ).lastInsertRowid,
  );
}

export function markMessage(db: Database, id: number, state: MessageState, at: string, details: { path?: string; error?: string } = {}): void {
  statement(db, 'UPDATE messages SET state = ?, sent_at = CASE WHEN ? = \'sent\' THEN ? ELSE sent_at END, path = coalesce(?, path), error = ? WHERE id = ?').run(state, state, at, details.path ?? null, details.error ?? null, id);
}

export function messagesInState(db: Database, state: MessageState): MessageRecord[] {
  return (statement(db, 'SELECT * FROM messages WHERE state = ? ORDER BY id').all(state) as MessageRow[]).map(toRecord);
}

/** When the lead's automatic emails went out (or are going), newest last: for gaps and the weekly cap. */
export function emailTimes(db: Database, leadId: number, since: string): Date[] {
  return (statement(db, "SELECT created_at FROM messages WHERE lead_id = ? AND created_at >= ? AND state IN ('sending', 'sent', 'in_doubt') ORDER BY created_at").pluck().all(leadId, since) as string[]).map((at) => new Date(at));
}

/** The message an enrollment's step sent: a follow-up threads on it. */
export function stepMessage(db: Database, enrollmentId: number, stepId: string): { messageId: string; subject: string; threadOf: string | null; state: MessageState; token: string; variant: string | null } | undefined {
  const row = statement(db, "SELECT message_id, subject, thread_of, state, unsubscribe_token, variant FROM messages WHERE enrollment_id = ? AND step_id = ? AND state IN ('sent', 'sending', 'in_doubt') ORDER BY id DESC LIMIT 1").get(enrollmentId, stepId) as
    | { message_id: string; subject: string; thread_of: string | null; state: MessageState; unsubscribe_token: string; variant: string | null }
    | undefined;
  return row ? { messageId: row.message_id, subject: row.subject, threadOf: row.thread_of, state: row.state, token: row.unsubscribe_token, variant: row.variant } : undefined;
}

function toRecord(row: MessageRow): MessageRecord {
  return { id: row.id, enrollmentId: row.enrollment_id, leadId: row.lead_id, sequence: row.sequence, stepId: row.step_id, messageId: row.message_id, fromAddress: row.from_address, toAddress: row.to_address, subject: row.subject, state: row.state, createdAt: row.created_at, sentAt: row.sent_at, path: row.path };
}

/** Marks the message an enrollment's step recorded (the newest), e.g. sent once its delivery is confirmed. */
export function markStepMessage(db: Database, enrollmentId: number, stepId: string, state: MessageState, at: string, path?: string): void {
  const row = statement(db, 'SELECT id FROM messages WHERE enrollment_id = ? AND step_id = ? ORDER BY id DESC LIMIT 1').get(enrollmentId, stepId) as { id: number } | undefined;
  if (row) markMessage(db, row.id, state, at, path ? { path } : {});
}

/** The newest messages, for showing what went out. */
export function recentMessages(db: Database, limit: number): MessageRecord[] {
  return (statement(db, 'SELECT * FROM messages ORDER BY id DESC LIMIT ?').all(limit) as MessageRow[]).map(toRecord).reverse();
}
