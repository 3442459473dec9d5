import type { Database } from 'better-sqlite3';
import { statement } from './statements.js';

/**
 * A message's life: `queued` (recorded, not yet handed to the transport, or waiting for a
 * retry), `sending` (handed over, no answer recorded yet), then `sent`, `bounced` (the
 * server refused the recipient) or `failed` (refused for good for another reason).
 * `in_doubt`: a tick died while it was `sending` over SMTP, so nobody knows whether the
 * server took it; a person settles it with `cadence resolve`.
 */
export type MessageState = 'queued' | 'sending' | 'sent' | 'failed' | 'in_doubt' | 'bounced';

export interface MessageRecord {
  id: number;
  enrollmentId: number | null;
  leadId: number;
  sequence: string | null;
  stepId: string | null;
  messageId: string;
  mailbox: string | null;
  fromAddress: string;
  toAddress: string;
  subject: string;
  state: MessageState;
  attempts: number;
  nextAttemptAt: string | null;
  createdAt: string;
  sentAt: string | null;
  path: string | null;
  error: string | null;
}

interface MessageRow {
  id: number;
  enrollment_id: number | null;
  lead_id: number;
  sequence: string | null;
  step_id: string | null;
  message_id: string;
  mailbox: string | null;
  from_address: string;
  to_address: string;
  subject: string;
  state: MessageState;
  attempts: number;
  next_attempt_at: string | null;
  created_at: string;
  sent_at: string | null;
  path: string | null;
  error: string | null;
  pid: number | null;
}

export interface NewMessage {
  enrollmentId: number | null;
  leadId: number;
  sequence: string | null;
  stepId: string | null;
  messageId: string;
  mailbox: string | null;
  from: string;
  to: string;
  subject: string;
  fromName: string | null;
  template: string | null;
  variant: string | null;
  /** The Message-ID this one replies to, and the thread's ids before it (oldest first). */
  threadOf: string | null;
  references: readonly string[];
  token: string;
  body: string;
  unsubscribeMailto: string;
  unsubscribeUrl: string | null;
  /** 1 for a date-anchored step: it goes first when its mailbox is over the daily cap. */
  priority: number;
  at: string;
}

/**
 * Records a message whole, queued for delivery (due at once): from here a crash can never
 * lose it, and every later attempt delivers this same message.
 */
export function recordMessage(db: Database, message: NewMessage): number {
  return Number(
    statement(db, `INSERT INTO messages (enrollment_id, lead_id, sequence, step_id, message_id, mailbox, from_address, from_name, to_address, subject, template, variant, thread_of, refs, unsubscribe_token, body, unsubscribe_mailto, unsubscribe_url, priority, state, attempts, next_attempt_at, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?)`).run(
      message.enrollmentId, message.leadId, message.sequence, message.stepId, message.messageId, message.mailbox, message.from, message.fromName, message.to, message.subject, message.template, message.variant,
      message.threadOf, message.references.join(' ') || null, message.token, message.body, message.unsubscribeMailto, message.unsubscribeUrl, message.priority, message.at, message.at,
    ).lastInsertRowid,
  );
}

/** A message as stored for delivery: everything needed to build its bytes again. */
export interface QueuedMessage {
  id: number;
  enrollmentId: number | null;
  leadId: number;
  sequence: string | null;
  stepId: string | null;
  messageId: string;
  mailbox: string | null;
  from: { address: string; name: string | null };
  to: string;
  subject: string;
  body: string;
  threadOf: string | null;
  references: string[];
  unsubscribeMailto: string;
  unsubscribeUrl: string | null;
  attempts: number;
  createdAt: string;
}

interface QueueRow {
  id: number; enrollment_id: number | null; lead_id: number; sequence: string | null; step_id: string | null; message_id: string; mailbox: string | null;
  from_address: string; from_name: string | null; to_address: string; subject: string; body: string | null; thread_of: string | null; refs: string | null;
  unsubscribe_mailto: string | null; unsubscribe_url: string | null; attempts: number; created_at: string;
}

/**
 * Takes up to `limit` queued messages that are due (date-anchored first, then oldest) and
 * marks them sending by this process, counting the attempt: from here a crash leaves
 * their fate unknown. In the caller's transaction.
 */
export function claimQueuedMessages(db: Database, now: string, pid: number, limit: number, ids?: readonly number[]): QueuedMessage[] {
  const rows = ids
    ? ids.map((id) => statement(db, "SELECT * FROM messages WHERE id = ? AND state = 'queued'").get(id) as QueueRow | undefined).filter((row): row is QueueRow => row !== undefined)
    : (statement(db, "SELECT * FROM messages WHERE state = 'queued' AND next_attempt_at <= ? ORDER BY priority DESC, next_attempt_at, id LIMIT ?").all(now, limit) as QueueRow[]);
  const mark = statement(db, "UPDATE messages SET state = 'sending', pid = ?, attempts = attempts + 1, next_attempt_at = NULL WHERE id = ?");
  for (const row of rows) mark.run(pid, row.id);
  return rows.map((row) => ({
    id: row.id, enrollmentId: row.enrollment_id, leadId: row.lead_id, sequence: row.sequence, stepId: row.step_id, messageId: row.message_id, mailbox: row.mailbox,
    from: { address: row.from_address, name: row.from_name }, to: row.to_address, subject: row.subject, body: row.body ?? '', threadOf: row.thread_of,
    references: row.refs ? row.refs.split(' ') : [], unsubscribeMailto: row.unsubscribe_mailto ?? '', unsubscribeUrl: row.unsubscribe_url, attempts: row.attempts + 1, createdAt: row.created_at,
  }));
}

/** Messages left `sending` by a process that is gone: their fate has to be found out. */
export function orphanedMessages(db: Database, isAlive: (pid: number) => boolean, ownPid: number): MessageRecord[] {
  return (statement(db, "SELECT * FROM messages WHERE state = 'sending'").all() as MessageRow[]).filter((row) => row.pid === null || (row.pid !== ownPid && !isAlive(row.pid))).map(toRecord);
}

/** Whether an enrollment still has a message in doubt (it stays held until none is). */
export function hasMessageInDoubt(db: Database, enrollmentId: number): boolean {
  return statement(db, "SELECT 1 FROM messages WHERE enrollment_id = ? AND state = 'in_doubt' LIMIT 1").get(enrollmentId) !== undefined;
}

/** Whether a queued message is due (for the nothing-due check). */
export function queuedMessageDue(db: Database, now: string): boolean {
  return statement(db, "SELECT 1 FROM messages WHERE state = 'queued' AND next_attempt_at <= ? LIMIT 1").get(now) !== undefined;
}

export function markMessage(db: Database, id: number, state: MessageState, at: string, details: { path?: string; error?: string } = {}): void {
  statement(db, 'UPDATE messages SET state = ?, sent_at = CASE WHEN ? = \'sent\' THEN ? ELSE sent_at END, path = coalesce(?, path), error = ? WHERE id = ?').run(state, state, at, details.path ?? null, details.error ?? null, id);
}

/** A temporary failure (or a resend): the message waits, queued as the same message, for another attempt. */
export function requeueMessage(db: Database, id: number, nextAttemptAt: string, error: string | null): void {
  statement(db, "UPDATE messages SET state = 'queued', next_attempt_at = ?, error = ?, pid = NULL WHERE id = ?").run(nextAttemptAt, error, id);
}

export function messagesInState(db: Database, state: MessageState): MessageRecord[] {
  return (statement(db, 'SELECT * FROM messages WHERE state = ? ORDER BY id').all(state) as MessageRow[]).map(toRecord);
}

export function findMessage(db: Database, messageId: string): MessageRecord | undefined {
  const row = statement(db, 'SELECT * FROM messages WHERE message_id = ?').get(messageId) as MessageRow | undefined;
  return row ? toRecord(row) : undefined;
}

/** When the lead's automatic emails went out (or are going), newest last: for gaps and the weekly cap. */
export function emailTimes(db: Database, leadId: number, since: string): Date[] {
  return (statement(db, "SELECT created_at FROM messages WHERE lead_id = ? AND created_at >= ? AND state IN ('queued', 'sending', 'sent', 'in_doubt') ORDER BY created_at").pluck().all(leadId, since) as string[]).map((at) => new Date(at));
}

/** How many messages a mailbox has sent (or is sending) since a time, and its latest: the daily cap and minimum gap. */
export function mailboxSends(db: Database, mailbox: string, since: string): { count: number; latest: string | null } {
  const row = statement(db, "SELECT count(*) AS count FROM messages WHERE mailbox = ? AND created_at >= ? AND state IN ('queued', 'sending', 'sent', 'in_doubt')").get(mailbox, since) as { count: number };
  const latest = statement(db, "SELECT max(created_at) FROM messages WHERE mailbox = ? AND state IN ('queued', 'sending', 'sent', 'in_doubt')").pluck().get(mailbox) as string | null;
  return { count: row.count, latest };
}

export interface StepMessage {
  id: number;
  messageId: string;
  subject: string;
  threadOf: string | null;
  state: MessageState;
  token: string;
  variant: string | null;
  attempts: number;
  nextAttemptAt: string | null;
}

/** The message an enrollment's step recorded (the newest that may yet arrive): a follow-up threads on it; a retry resends it. */
export function stepMessage(db: Database, enrollmentId: number, stepId: string): StepMessage | undefined {
  const row = statement(db, "SELECT id, message_id, subject, thread_of, state, unsubscribe_token, variant, attempts, next_attempt_at FROM messages WHERE enrollment_id = ? AND step_id = ? AND state IN ('queued', 'sending', 'sent', 'in_doubt') ORDER BY id DESC LIMIT 1").get(enrollmentId, stepId) as
    | { id: number; message_id: string; subject: string; thread_of: string | null; state: MessageState; unsubscribe_token: string; variant: string | null; attempts: number; next_attempt_at: string | null }
    | undefined;
  return row ? { id: row.id, messageId: row.message_id, subject: row.subject, threadOf: row.thread_of, state: row.state, token: row.unsubscribe_token, variant: row.variant, attempts: row.attempts, nextAttemptAt: row.next_attempt_at } : undefined;
}

function toRecord(row: MessageRow): MessageRecord {
  return {
    id: row.id, enrollmentId: row.enrollment_id, leadId: row.lead_id, sequence: row.sequence, stepId: row.step_id, messageId: row.message_id, mailbox: row.mailbox,
    fromAddress: row.from_address, toAddress: row.to_address, subject: row.subject, state: row.state, attempts: row.attempts, nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at, sentAt: row.sent_at, path: row.path, error: row.error,
  };
}

/** The newest messages, for showing what went out. */
export function recentMessages(db: Database, limit: number): MessageRecord[] {
  return (statement(db, 'SELECT * FROM messages ORDER BY id DESC LIMIT ?').all(limit) as MessageRow[]).map(toRecord).reverse();
}
