import type { Database } from 'better-sqlite3';
import { statement } from './statements.js';

/**
 * A message's life: `queued` (recorded, not yet handed to the transport, or waiting for a
 * retry), `sending` (handed over, no answer recorded yet), then `sent`, `bounced` (the
 * server refused the recipient) or `failed` (refused for good for another reason).
 * `in_doubt`: a tick died while it was `sending` over SMTP (or the connection was lost
 * after the whole message went over it), so nobody knows whether the server took it; a
 * person settles it with `cadence resolve`. `cancelled`: still queued when its lead was
 * suppressed or left the sequence.
 */
export type MessageState = 'queued' | 'sending' | 'sent' | 'failed' | 'in_doubt' | 'bounced' | 'cancelled';

/** What every view of a message carries: where it belongs and its Message-ID. */
interface MessageIdentity {
  id: number;
  enrollmentId: number | null;
  leadId: number;
  sequence: string | null;
  stepId: string | null;
  messageId: string;
  mailbox: string | null;
}

export interface MessageRecord extends MessageIdentity {
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
  sending_at: string | null;
}

export interface NewMessage extends Omit<MessageIdentity, 'id'> {
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
 * lose it, and every later attempt delivers this same message. With `sendingBy`, it is
 * recorded as already handed to that process's transport (its first attempt), as
 * {@link markSending} would mark it — for a transport that can tell afterwards whether it
 * arrived (the outbox), so the message need not be claimed from the queue again.
 */
export function recordMessage(db: Database, message: NewMessage, sendingBy?: { pid: number; since: string }): number {
  const values = [
    message.enrollmentId, message.leadId, message.sequence, message.stepId, message.messageId, message.mailbox, message.from, message.fromName, message.to, message.subject, message.template, message.variant,
    message.threadOf, message.references.join(' ') || null, message.token, message.body, message.unsubscribeMailto, message.unsubscribeUrl, message.priority,
  ];
  const inserted = sendingBy
    ? statement(db, INSERT_SENDING).run(...values, sendingBy.pid, sendingBy.since, message.at)
    : statement(db, INSERT_QUEUED).run(...values, message.at, message.at);
  return Number(inserted.lastInsertRowid);
}

const MESSAGE_COLUMNS = 'enrollment_id, lead_id, sequence, step_id, message_id, mailbox, from_address, from_name, to_address, subject, template, variant, thread_of, refs, unsubscribe_token, body, unsubscribe_mailto, unsubscribe_url, priority';
const MESSAGE_VALUES = MESSAGE_COLUMNS.split(', ').map(() => '?').join(', ');
const INSERT_QUEUED = `INSERT INTO messages (${MESSAGE_COLUMNS}, state, attempts, next_attempt_at, created_at) VALUES (${MESSAGE_VALUES}, 'queued', 0, ?, ?)`;
const INSERT_SENDING = `INSERT INTO messages (${MESSAGE_COLUMNS}, state, attempts, pid, sending_at, created_at) VALUES (${MESSAGE_VALUES}, 'sending', 1, ?, ?, ?)`;

/** A message as stored for delivery: everything needed to build its bytes again. */
export interface QueuedMessage extends MessageIdentity {
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
  priority: number;
}

interface QueueRow {
  id: number; enrollment_id: number | null; lead_id: number; sequence: string | null; step_id: string | null; message_id: string; mailbox: string | null;
  from_address: string; from_name: string | null; to_address: string; subject: string; body: string | null; thread_of: string | null; refs: string | null;
  unsubscribe_mailto: string | null; unsubscribe_url: string | null; attempts: number; created_at: string; priority: number;
}

/** Up to `limit` queued messages that are due (date-anchored first, then oldest), or just `ids`. */
export function dueQueuedMessages(db: Database, now: string, limit: number, ids?: readonly number[]): QueuedMessage[] {
  const rows = ids
    ? ids.map((id) => statement(db, "SELECT * FROM messages WHERE id = ? AND state = 'queued'").get(id) as QueueRow | undefined).filter((row): row is QueueRow => row !== undefined)
    : (statement(db, "SELECT * FROM messages INDEXED BY messages_queue WHERE state = 'queued' AND next_attempt_at <= ? ORDER BY priority DESC, next_attempt_at, id LIMIT ?").all(now, limit) as QueueRow[]);
  return rows.map((row) => ({
    id: row.id, enrollmentId: row.enrollment_id, leadId: row.lead_id, sequence: row.sequence, stepId: row.step_id, messageId: row.message_id, mailbox: row.mailbox,
    from: { address: row.from_address, name: row.from_name }, to: row.to_address, subject: row.subject, body: row.body ?? '', threadOf: row.thread_of,
    references: row.refs ? row.refs.split(' ') : [], unsubscribeMailto: row.unsubscribe_mailto ?? '', unsubscribeUrl: row.unsubscribe_url, attempts: row.attempts + 1, createdAt: row.created_at, priority: row.priority,
  }));
}

/**
 * Marks messages as handed to the transport by this process, counting the attempt: from
 * here a crash leaves their fate unknown. In the caller's transaction.
 */
export function markSending(db: Database, ids: readonly number[], pid: number): void {
  const mark = statement(db, "UPDATE messages SET state = 'sending', pid = ?, sending_at = ?, attempts = attempts + 1, next_attempt_at = NULL WHERE id = ?");
  const since = new Date().toISOString();
  for (const id of ids) mark.run(pid, since, id);
}

/** Puts off a queued message without counting an attempt (its lead is paused, its mailbox is over its cap). */
export function postponeMessage(db: Database, id: number, until: string): void {
  statement(db, "UPDATE messages SET next_attempt_at = ? WHERE id = ? AND state = 'queued'").run(until, id);
}

/**
 * Messages left `sending` by a process that is gone — or by this one, when it calls this
 * before delivering anything (an earlier tick of `cadence run` that failed): their fate
 * has to be found out.
 */
export function orphanedMessages(db: Database, isAlive: (pid: number, since?: string) => boolean, ownPid: number): MessageRecord[] {
  return (statement(db, "SELECT * FROM messages WHERE state = 'sending'").all() as MessageRow[]).filter((row) => row.pid === null || row.pid === ownPid || !isAlive(row.pid, row.sending_at ?? undefined)).map(toRecord);
}

/** The Message-IDs of the messages in doubt, oldest first. */
export function messagesInDoubt(db: Database): string[] {
  return statement(db, "SELECT message_id FROM messages WHERE state = 'in_doubt' ORDER BY id").pluck().all() as string[];
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

/**
 * A temporary failure (or a resend): the message waits, queued as the same message, for
 * another attempt. `attempts`: `keep` counts the one just made; `refund` does not (the
 * mailbox, not the message, was at fault); `reset` starts over (a person resent it).
 */
export function requeueMessage(db: Database, id: number, nextAttemptAt: string, error: string | null, attempts: 'keep' | 'refund' | 'reset' = 'keep'): void {
  const count = attempts === 'reset' ? '0' : attempts === 'refund' ? 'max(attempts - 1, 0)' : 'attempts';
  statement(db, `UPDATE messages SET state = 'queued', next_attempt_at = ?, error = ?, pid = NULL, attempts = ${count} WHERE id = ?`).run(nextAttemptAt, error, id);
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

/** A mailbox's deliveries on a day (YYYY-MM-DD in the workspace's zone), those on their way (sending, in doubt), and its latest delivery. */
export function mailboxDeliveries(db: Database, mailbox: string, day: string): { sent: number; inFlight: number; lastSent: string | null } {
  const sent = (statement(db, 'SELECT sent FROM mailbox_days WHERE mailbox = ? AND day = ?').pluck().get(mailbox, day) as number | undefined) ?? 0;
  const lastSent = statement(db, 'SELECT max(last_sent_at) FROM mailbox_days WHERE mailbox = ?').pluck().get(mailbox) as string | null;
  const inFlight = statement(db, "SELECT count(*) FROM messages WHERE mailbox = ? AND state IN ('sending', 'in_doubt')").pluck().get(mailbox) as number;
  return { sent, inFlight, lastSent };
}

/** Counts deliveries from a mailbox on a day, in the caller's transaction. */
export function countMailboxDeliveries(db: Database, mailbox: string, day: string, count: number, at: string): void {
  statement(db, 'INSERT INTO mailbox_days (mailbox, day, sent, last_sent_at) VALUES (?, ?, ?, ?) ON CONFLICT (mailbox, day) DO UPDATE SET sent = sent + excluded.sent, last_sent_at = max(last_sent_at, excluded.last_sent_at)').run(mailbox, day, count, at);
}

/** A mailbox's messages still to go or on their way (queued, sending, in doubt), whenever made, and the newest. */
export function mailboxPending(db: Database, mailbox: string): { pending: number; latest: string | null } {
  const row = statement(db, "SELECT count(*) AS n, max(created_at) AS latest FROM messages WHERE mailbox = ? AND state IN ('queued', 'sending', 'in_doubt')").get(mailbox) as { n: number; latest: string | null };
  return { pending: row.n, latest: row.latest };
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
