import { CadenceError } from '../errors.js';
import type { Store } from '../store/database.js';
import { findEnrollment, resumeEnrollment } from '../store/enrollments.js';
import { appendEvent } from '../store/events.js';
import { findMessage, hasMessageInDoubt, markMessage, requeueMessage } from '../store/messages.js';

export type Resolution = 'sent' | 'resend';

/**
 * Settles a message in doubt, as a person who checked (the recipient's inbox, the mail
 * server's log) says: `sent` records it as delivered; `resend` queues the same message
 * (same Message-ID, so a mail client that did get the first shows one) for the next
 * tick. A failed message may be resent too. The enrollment it held resumes once none of
 * its messages is in doubt. Logged with the actor.
 */
export function resolveMessage(store: Store, messageId: string, resolution: Resolution, now: Date, actor: string): { enrollmentResumed: boolean } {
  const { db } = store;
  const at = now.toISOString();
  const wanted = messageId.startsWith('<') ? messageId : `<${messageId}>`;
  return db.transaction(() => {
    const message = findMessage(db, wanted);
    if (!message) throw new CadenceError('MESSAGE_NOT_FOUND', `no message ${wanted}`, { hint: 'messages in doubt are listed by `cadence status`' });
    const settleable = message.state === 'in_doubt' || (resolution === 'resend' && message.state === 'failed');
    if (!settleable) {
      throw new CadenceError('MESSAGE_NOT_IN_DOUBT', `message ${wanted} is ${message.state}, not in doubt; nothing was changed`, {
        hint: message.state === 'failed' ? 'a failed message can only be resent: `cadence resolve ID resend`' : 'only messages listed as in doubt by `cadence status` need resolving',
      });
    }
    if (resolution === 'sent') markMessage(db, message.id, 'sent', at);
    else requeueMessage(db, message.id, at, null, 'reset');
    appendEvent(db, { type: 'email.resolved', at, actor, leadId: message.leadId, data: { messageId: wanted, was: message.state, as: resolution, enrollment: message.enrollmentId, sequence: message.sequence, step: message.stepId } });
    const enrollment = message.enrollmentId === null ? undefined : findEnrollment(db, message.enrollmentId);
    const heldFor = message.state === 'in_doubt' ? 'message_in_doubt' : 'delivery_failed';
    if (!enrollment || enrollment.state !== 'paused' || enrollment.reason !== heldFor) return { enrollmentResumed: false };
    if (hasMessageInDoubt(db, enrollment.id)) return { enrollmentResumed: false };
    resumeEnrollment(db, enrollment.id, at);
    appendEvent(db, { type: 'enrollment.resumed', at, actor, leadId: enrollment.leadId, data: { enrollment: enrollment.id, sequence: enrollment.sequence, reason: `message ${resolution === 'sent' ? 'resolved as sent' : 'queued to resend'}` } });
    return { enrollmentResumed: true };
  }).immediate();
}
