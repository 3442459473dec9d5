import { composeMessage, type OutgoingMessage } from '../channels/compose.js';
import type { DeliveryOutcome, Transport } from '../channels/transport.js';
import type { Store } from '../store/database.js';
import { findEnrollment, setEnrollmentState } from '../store/enrollments.js';
import { appendEvent } from '../store/events.js';
import { countMailboxDeliveries, dueQueuedMessages, markMessage, markSending, orphanedMessages, postponeMessage, requeueMessage, type QueuedMessage } from '../store/messages.js';
import { findSuppression } from '../store/suppressions.js';
import { cancelOpenTasks } from '../store/tasks.js';
import type { SequenceDefinition, WorkspaceConfig } from '../workspace/types.js';
import { crashPoint } from './crash-hook.js';
import { logEngagement } from './engagement.js';
import { MailboxLimits } from './mailbox-limits.js';

/** Pauses before the next attempt after a temporary failure, by attempt; after the last, the message has failed. */
export const RETRY_BACKOFF_MINUTES = [1, 5, 15, 30, 60, 120, 240, 480] as const;

const BATCHES_IN_FLIGHT = 3;
/** How long a mailbox that could not send at all (no login, no server) waits before it is tried again. */
const MAILBOX_DOWN_WAIT_MINUTES = 5;
const ACTOR = 'system';

export interface DeliveryInput {
  store: Store;
  transport: Transport;
  now: Date;
  pid: number;
  isAlive: (pid: number, since?: string) => boolean;
  sequences: ReadonlyMap<string, SequenceDefinition>;
  config: WorkspaceConfig;
  /** Called with each message the transport accepted (e.g. to copy it into the Sent folder). */
  afterDelivered?: (message: QueuedMessage, bytes: Buffer) => Promise<void>;
}

export interface DeliveryTally {
  emailsSent: number;
  exited: number;
  paused: number;
  inDoubt: string[];
  errors: { enrollment: number | null; step: string | null; message: string; messageId?: string; retryAt?: string }[];
}

/**
 * Finds out what became of messages a killed process left sending. In the outbox the
 * file tells: there (sent) or not (queued again, to go as the same message). Over SMTP
 * nobody can tell: the message is marked in doubt and its enrollment held, never resent
 * blindly and never dropped silently, until `cadence resolve` settles it.
 */
export function settleOrphans(input: DeliveryInput, tally: DeliveryTally): void {
  const { db } = input.store;
  const at = input.now.toISOString();
  const { day } = new MailboxLimits(input.config, input.now);
  db.transaction(() => {
    for (const message of orphanedMessages(db, input.isAlive, input.pid)) {
      const fate = input.transport.fateOf(message.messageId);
      if (fate === 'delivered') {
        markMessage(db, message.id, 'sent', at);
        if (message.mailbox !== null) countMailboxDeliveries(db, message.mailbox, day, 1, at);
        appendEvent(db, { type: 'email.sent', at, actor: ACTOR, leadId: message.leadId, data: { enrollment: message.enrollmentId, sequence: message.sequence, step: message.stepId, messageId: message.messageId, transport: input.transport.kind, recovered: true } });
      } else if (fate === 'not_delivered') {
        requeueMessage(db, message.id, at, 'the process sending it was killed before it was delivered', 'refund');
      } else {
        markInDoubt(input, message, 'the process sending it was killed: the server may or may not have accepted it', tally);
      }
    }
  }).immediate();
}

/**
 * Delivers the queued messages that are due (or just `ids`), in batches: each batch is
 * marked sending in one transaction, composed and handed to the transport together
 * (SMTP connections in parallel), and its outcomes recorded in one transaction. A few
 * batches are in flight at once, so the connections never drain between batches.
 */
export async function deliverQueued(input: DeliveryInput, tally: DeliveryTally, ids?: readonly number[]): Promise<void> {
  const { db } = input.store;
  const limits = new MailboxLimits(input.config, input.now);
  const inFlight: Promise<void>[] = [];
  for (;;) {
    const claimed = durably(input, () => db.transaction(() => claimForDelivery(input, limits, ids)).immediate());
    if (claimed.examined === 0) break;
    if (claimed.batch.length > 0) {
      crashPoint('sending');
      inFlight.push(deliverBatch(input, claimed.batch, tally, limits.day));
    }
    if (ids) break;
    if (inFlight.length >= BATCHES_IN_FLIGHT) await inFlight.shift();
  }
  await Promise.all(inFlight);
}

/**
 * Over SMTP, the mark that a message was handed over must survive a power cut, not only
 * a killed process: otherwise after a reboot it would read `queued` and go again. So that
 * commit waits for the disk (synchronous = FULL); the others need not.
 */
function durably<T>(input: DeliveryInput, work: () => T): T {
  if (input.transport.kind !== 'smtp') return work();
  const { db } = input.store;
  db.pragma('synchronous = FULL');
  try {
    return work();
  } finally {
    db.pragma('synchronous = NORMAL');
  }
}

/**
 * Takes the next due messages that may go now and marks them sending, in the caller's
 * transaction. A message whose lead was suppressed or left its sequence is cancelled; one
 * whose enrollment is paused waits for the pause; one whose mailbox is over its daily cap
 * waits for the next day.
 */
function claimForDelivery(input: DeliveryInput, limits: MailboxLimits, ids: readonly number[] | undefined): { examined: number; batch: QueuedMessage[] } {
  const { db } = input.store;
  const at = input.now.toISOString();
  limits.refresh(db, { pending: false });
  const due = dueQueuedMessages(db, at, input.transport.batch, ids);
  const batch: QueuedMessage[] = [];
  for (const message of due) {
    const suppression = findSuppression(db, message.to);
    const enrollment = message.enrollmentId === null ? undefined : findEnrollment(db, message.enrollmentId);
    const cancel = suppression ? `the address is suppressed (${suppression.reason})` : enrollment?.state === 'exited' ? `the lead left ${enrollment.sequence} (${enrollment.reason ?? 'exited'})` : undefined;
    if (cancel) {
      markMessage(db, message.id, 'cancelled', at, { error: cancel });
      appendEvent(db, { type: 'email.cancelled', at, actor: ACTOR, leadId: message.leadId, data: { enrollment: message.enrollmentId, sequence: message.sequence, step: message.stepId, messageId: message.messageId, reason: cancel } });
      continue;
    }
    if (enrollment?.state === 'paused') {
      const until = Math.max(enrollment.pausedUntil ? new Date(enrollment.pausedUntil).getTime() : 0, input.now.getTime() + 3_600_000);
      postponeMessage(db, message.id, new Date(until).toISOString());
      continue;
    }
    const wait = limits.deliveryWaitFor(message.mailbox, message.priority > 0);
    if (wait) {
      postponeMessage(db, message.id, wait.toISOString());
      continue;
    }
    limits.countDelivery(message.mailbox);
    batch.push(message);
  }
  markSending(db, batch.map((message) => message.id), input.pid);
  return { examined: due.length, batch };
}

/** A message handed to the transport, with what became of it (and its bytes, when built here). */
export interface Handed {
  message: QueuedMessage;
  outcome: DeliveryOutcome;
  bytes: Buffer | undefined;
}

/**
 * Hands a batch of messages marked sending to the transport together and records their
 * outcomes in one transaction. Also for messages the steps' own transaction recorded as
 * handed over (the outbox, whose files tell afterwards what arrived). `day` is the
 * mailboxes' day (MailboxLimits.day) the deliveries count in.
 */
export async function deliverBatch(input: DeliveryInput, batch: readonly QueuedMessage[], tally: DeliveryTally, day: string): Promise<void> {
  const handed = await handOver(input, batch);
  input.store.db.transaction(() => recordHanded(input, handed, tally, day)).immediate();
  await copyHanded(input, handed, tally);
}

/** Builds a batch's messages and hands them to the transport; what became of each (nothing is recorded). */
export async function handOver(input: DeliveryInput, batch: readonly QueuedMessage[]): Promise<Handed[]> {
  const { transport } = input;
  const outgoing = batch.map((message) => outgoingOf(message, input.now));
  // Without copies to make, a transport that builds a batch itself gets it whole.
  const together = input.afterDelivered ? undefined : transport.composeAndDeliver?.(outgoing);
  if (together) {
    const outcomes = await together.catch((error: unknown) => batch.map((): DeliveryOutcome => ({ kind: 'deferred', reason: error instanceof Error ? error.message : String(error) })));
    return batch.map((message, index) => {
      const outcome = outcomes[index]!;
      if (outcome.kind === 'delivered') crashPoint('delivered');
      return { message, outcome, bytes: undefined };
    });
  }
  return Promise.all(
    batch.map(async (message, index) => {
      try {
        const bytes = composeMessage(outgoing[index]!);
        const outcome = await transport.deliver({ messageId: message.messageId, mailbox: message.mailbox, envelope: { from: message.from.address, to: message.to }, bytes });
        if (outcome.kind === 'delivered') crashPoint('delivered');
        return { message, outcome, bytes };
      } catch (error) {
        return { message, outcome: { kind: 'deferred', reason: error instanceof Error ? error.message : String(error) } as DeliveryOutcome, bytes: undefined };
      }
    }),
  );
}

/** Records what became of messages handed over, in the caller's transaction. */
export function recordHanded(input: DeliveryInput, handed: readonly Handed[], tally: DeliveryTally, day: string): void {
  for (const { message, outcome } of handed) settleDelivery(input, message, outcome, tally, day);
}

/** After the outcomes are recorded: the copies `afterDelivered` makes of the delivered ones. */
export async function copyHanded(input: DeliveryInput, handed: readonly Handed[], tally: DeliveryTally): Promise<void> {
  if (!input.afterDelivered) return;
  for (const { message, outcome, bytes } of handed) {
    if (outcome.kind !== 'delivered' || !bytes) continue;
    // A failed copy is reported (exit 3); the message itself stays sent.
    await input.afterDelivered(message, bytes).catch((error: unknown) => {
      tally.errors.push({ enrollment: message.enrollmentId, step: message.stepId, messageId: message.messageId, message: `sent, but ${error instanceof Error ? error.message : String(error)}` });
    });
  }
}

/** The message to build, from what was stored when its step was done. */
function outgoingOf(message: QueuedMessage, now: Date): OutgoingMessage {
  return {
    messageId: message.messageId,
    from: message.from.name ? { name: message.from.name, address: message.from.address } : { address: message.from.address },
    to: message.to,
    subject: message.subject,
    text: message.body,
    date: now,
    ...(message.threadOf ? { inReplyTo: message.threadOf, references: message.references.length > 0 ? message.references : [message.threadOf] } : {}),
    unsubscribeMailto: message.unsubscribeMailto,
    ...(message.unsubscribeUrl ? { unsubscribeUrl: message.unsubscribeUrl } : {}),
  };
}

function settleDelivery(input: DeliveryInput, message: QueuedMessage, outcome: DeliveryOutcome, tally: DeliveryTally, day: string): void {
  const { db } = input.store;
  const at = input.now.toISOString();
  const about = { enrollment: message.enrollmentId, sequence: message.sequence, step: message.stepId, messageId: message.messageId };
  if (outcome.kind === 'delivered') {
    markMessage(db, message.id, 'sent', at, outcome.path ? { path: outcome.path } : {});
    if (message.mailbox !== null) countMailboxDeliveries(db, message.mailbox, day, 1, at);
    appendEvent(db, { type: 'email.sent', at, actor: ACTOR, leadId: message.leadId, data: { ...about, transport: input.transport.kind, attempts: message.attempts, ...(outcome.retriedAfter ? { retriedAfter: outcome.retriedAfter } : {}) } });
    tally.emailsSent++;
    return;
  }
  if (outcome.kind === 'unknown') {
    markInDoubt(input, message, outcome.reason, tally);
    return;
  }
  if (outcome.kind === 'deferred' && outcome.mailboxDown) {
    // The mailbox could not send at all: not this message's attempt, not the lead's fault.
    const retryAt = new Date(input.now.getTime() + MAILBOX_DOWN_WAIT_MINUTES * 60_000).toISOString();
    requeueMessage(db, message.id, retryAt, outcome.reason, 'refund');
    tally.errors.push({ enrollment: message.enrollmentId, step: message.stepId, messageId: message.messageId, message: `not sent, mailbox ${message.mailbox ?? '-'} cannot send (tried again after ${retryAt}): ${outcome.reason}`, retryAt });
    return;
  }
  if (outcome.kind === 'rejected' && outcome.recipient) {
    // The server refused the address: a bounce, which suppresses it and ends its sequences.
    markMessage(db, message.id, 'bounced', at, { error: outcome.reason });
    try {
      const result = logEngagement(input.store, message.to, 'bounce', { note: outcome.reason, source: 'smtp', sequences: input.sequences, now: input.now, actor: ACTOR });
      tally.exited += result.exited.length;
    } catch {
      // The lead was erased meanwhile: nothing left to end.
    }
    return;
  }
  const wait = RETRY_BACKOFF_MINUTES[message.attempts - 1];
  if (outcome.kind === 'deferred' && wait !== undefined) {
    const retryAt = new Date(input.now.getTime() + wait * 60_000).toISOString();
    requeueMessage(db, message.id, retryAt, outcome.reason);
    appendEvent(db, { type: 'email.deferred', at, actor: ACTOR, leadId: message.leadId, data: { ...about, reason: outcome.reason, attempt: message.attempts, retryAt } });
    tally.errors.push({ enrollment: message.enrollmentId, step: message.stepId, messageId: message.messageId, message: `not delivered (attempt ${message.attempts}), tried again after ${retryAt}: ${outcome.reason}`, retryAt });
    return;
  }
  // Refused for good, or still refused after every retry: the enrollment waits for a person.
  const reason = outcome.kind === 'deferred' ? `still refused after ${message.attempts} attempts: ${outcome.reason}` : outcome.reason;
  markMessage(db, message.id, 'failed', at, { error: reason });
  appendEvent(db, { type: 'email.failed', at, actor: ACTOR, leadId: message.leadId, data: { ...about, reason } });
  tally.errors.push({ enrollment: message.enrollmentId, step: message.stepId, messageId: message.messageId, message: `not delivered: ${reason}` });
  const enrollment = message.enrollmentId === null ? undefined : findEnrollment(db, message.enrollmentId);
  if (enrollment?.state === 'active') {
    setEnrollmentState(db, enrollment.id, 'paused', 'delivery_failed', at);
    cancelOpenTasks(db, enrollment.id, at, 'delivery_failed');
    appendEvent(db, { type: 'enrollment.paused', at, actor: ACTOR, leadId: message.leadId, data: { enrollment: enrollment.id, sequence: enrollment.sequence, reason: 'delivery_failed', messageId: message.messageId } });
    tally.paused++;
  }
}

/** Marks a message in doubt (logged, listed) and holds its enrollment. In the caller's transaction. */
function markInDoubt(input: DeliveryInput, message: { id: number; leadId: number; enrollmentId: number | null; sequence: string | null; stepId: string | null; messageId: string }, reason: string, tally: DeliveryTally): void {
  const { db } = input.store;
  const at = input.now.toISOString();
  markMessage(db, message.id, 'in_doubt', at, { error: reason });
  appendEvent(db, { type: 'email.in_doubt', at, actor: ACTOR, leadId: message.leadId, data: { enrollment: message.enrollmentId, sequence: message.sequence, step: message.stepId, messageId: message.messageId, reason } });
  holdEnrollment(input, message.enrollmentId, tally);
  tally.inDoubt.push(message.messageId);
}

/**
 * Holds an enrollment while one of its messages is in doubt: paused with
 * `message_in_doubt`, its tasks left open — also one paused for another reason (an
 * out-of-office would otherwise resume it by itself) — until `cadence resolve`.
 */
function holdEnrollment(input: DeliveryInput, enrollmentId: number | null, tally: DeliveryTally): void {
  if (enrollmentId === null) return;
  const { db } = input.store;
  const enrollment = findEnrollment(db, enrollmentId);
  if (!enrollment || (enrollment.state !== 'active' && enrollment.state !== 'paused') || enrollment.reason === 'message_in_doubt') return;
  const at = input.now.toISOString();
  setEnrollmentState(db, enrollment.id, 'paused', 'message_in_doubt', at);
  appendEvent(db, { type: 'enrollment.paused', at, actor: ACTOR, leadId: enrollment.leadId, data: { enrollment: enrollment.id, sequence: enrollment.sequence, reason: 'message_in_doubt', ...(enrollment.state === 'paused' ? { was: enrollment.reason } : {}) } });
  if (enrollment.state === 'active') tally.paused++;
}
