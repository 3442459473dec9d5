import { DEFAULT_OOO_DAYS, logEngagement, type LoggedEngagement } from '../engine/engagement.js';
import type { Store } from '../store/database.js';
import { liveEnrollments } from '../store/enrollments.js';
import { findLeadByEmail, findLeadById, type Lead } from '../store/leads.js';
import { lastSentTo, markSentBounced, sentMessageAmong, sentMessageByToken, type SentMessage } from '../store/sent-lookup.js';
import type { SequenceDefinition, WorkspaceConfig } from '../workspace/types.js';
import type { Classification } from './classify.js';
import type { IncomingMessage } from './incoming.js';
import { readReturnDate } from './ooo-return.js';

export interface SyncContext {
  store: Store;
  config: WorkspaceConfig;
  sequences: ReadonlyMap<string, SequenceDefinition>;
  now: Date;
  actor: string;
}

/** Where a message was read. */
export interface MessagePlace {
  mailbox: string;
  folder: string;
  uid: number;
  /** The mailbox's own addresses: mail from them is ours, not a reply. */
  ownAddresses: ReadonlySet<string>;
  oooDays: number;
}

export interface SyncOutcome {
  uid: number;
  kind: LoggedEngagement | 'ignored';
  lead?: string;
  colleague?: string;
  until?: string;
  why?: string;
  exited?: string[];
  paused?: string[];
}

/**
 * Acts on one classified message in the caller's transaction: finds the lead (by the
 * message of ours it names, the unsubscribe token, the bounced recipient or the sender)
 * and records the engagement, whose exit and pause rules apply at once.
 */
export function applyIncoming(context: SyncContext, message: IncomingMessage, classification: Classification, place: MessagePlace): SyncOutcome {
  const { db } = context.store;
  const ignore = (why: string): SyncOutcome => ({ uid: place.uid, kind: 'ignored', why });
  if (classification.kind === 'ignored') return ignore(classification.why);
  if (message.from && place.ownAddresses.has(message.from)) return ignore('sent from this mailbox');
  const answered = sentMessageAmong(db, message.references);
  const details = { mailbox: place.mailbox, folder: place.folder, uid: place.uid, ...(message.messageId ? { messageId: message.messageId } : {}), ...(answered ? { inReplyTo: answered.messageId, sequence: answered.sequence } : {}) };
  const record = (kind: LoggedEngagement, lead: Lead, extra: { until?: Date; colleague?: string; details?: Record<string, unknown> } = {}): SyncOutcome => {
    const result = logEngagement(context.store, lead.email, kind, {
      source: 'imap',
      details: { ...details, ...extra.details, ...(extra.colleague ? { colleague: extra.colleague } : {}) },
      ...(extra.until ? { until: extra.until } : {}),
      ...(extra.colleague ? { colleague: true } : {}),
      sequences: context.sequences,
      now: context.now,
      actor: context.actor,
    });
    return { uid: place.uid, kind, lead: lead.email, ...(extra.colleague ? { colleague: extra.colleague } : {}), ...(extra.until ? { until: extra.until.toISOString() } : {}), exited: result.exited, paused: result.paused };
  };

  if (classification.kind === 'unsubscribe') {
    const sent = sentMessageByToken(db, classification.token);
    const lead = sent && findLeadById(db, sent.leadId);
    return lead ? record('unsubscribe', lead, { details: { sequence: sent.sequence } }) : ignore(`unsubscribe token ${classification.token} matches no message we sent`);
  }
  if (classification.kind === 'bounce') {
    const recipient = classification.recipient;
    // Only a bounce of something we sent counts: the returned message, else our last one to the recipient.
    const sent: SentMessage | undefined = sentMessageAmong(db, message.returnedMessageIds) ?? (recipient ? lastSentTo(db, recipient) : undefined) ?? answered;
    const lead = sent ? findLeadById(db, sent.leadId) : undefined;
    if (!lead) return ignore(`bounce for ${recipient ?? 'an unknown recipient'}, to whom we sent nothing`);
    const status = classification.status;
    if (sent && sent.toAddress === lead.email) markSentBounced(db, sent.id, [status?.status, status?.diagnostic].filter(Boolean).join(' ') || 'bounced');
    return record('bounce', lead, { details: { recipient: lead.email, ...(status?.status ? { status: status.status } : {}), ...(status?.diagnostic ? { diagnostic: status.diagnostic } : {}), ...(sent ? { bounced: sent.messageId, sequence: sent.sequence } : {}) } });
  }
  const byThread = answered ? findLeadById(db, answered.leadId) : undefined;
  // Mail from a lead that names no message of ours counts only when it came after the lead
  // entered a sequence that is still live: older mail (a first sync reads the whole folder) is history.
  const sender = message.from ? findLeadByEmail(db, message.from) : undefined;
  const written = message.date ?? context.now;
  const bySender = sender && liveEnrollments(db, sender.id).some((enrollment) => new Date(enrollment.enrolledAt).getTime() <= written.getTime()) ? sender : undefined;
  if (classification.kind === 'ooo') {
    const lead = byThread ?? bySender;
    if (!lead) return ignore(`auto-reply from ${message.from ?? 'nobody'}, who is not a lead in a sequence`);
    const received = message.date && message.date.getTime() <= context.now.getTime() ? message.date : context.now;
    const zone = String(lead.fields.timezone ?? context.config.timezone);
    const stated = readReturnDate(message.subject, message.text, received, zone);
    const until = stated && stated.getTime() > context.now.getTime() ? stated : new Date(context.now.getTime() + place.oooDays * 86_400_000);
    return record('ooo', lead, { until, details: { returnDate: stated ? 'stated' : `default ${place.oooDays} days` } });
  }
  // A reply: in the thread of a message we sent (from the lead, or a colleague at the
  // same domain), or from a lead who is in a sequence.
  if (byThread) {
    if (!message.from || message.from === byThread.email || !sameDomain(message.from, byThread.email)) return record('reply', byThread, message.from && message.from !== byThread.email ? { details: { from: message.from } } : {});
    return record('reply', byThread, { colleague: message.from });
  }
  if (bySender) return record('reply', bySender);
  return ignore(sender ? `${sender.email} is in no sequence (or was not yet) and did not answer a message of ours` : `${message.from ?? 'nobody'} is not a lead`);
}

function sameDomain(a: string, b: string): boolean {
  return a.split('@')[1] === b.split('@')[1];
}

export { DEFAULT_OOO_DAYS };
