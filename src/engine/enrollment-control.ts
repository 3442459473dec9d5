import { CadenceError } from '../errors.js';
import type { Store } from '../store/database.js';
import { findLiveEnrollment, resumeEnrollment, setEnrollmentState } from '../store/enrollments.js';
import { appendEvent } from '../store/events.js';
import { findLeadByEmail } from '../store/leads.js';
import { hasMessageInDoubt } from '../store/messages.js';
import { cancelOpenTasks } from '../store/tasks.js';

export type EnrollmentChange = { action: 'pause'; until?: Date } | { action: 'resume' } | { action: 'unenroll' };

/**
 * Pauses, resumes or ends a lead's enrollment by hand, logged with the actor. Pausing or
 * ending cancels the enrollment's open tasks, so no rep works a step that will not count.
 */
export function changeEnrollment(store: Store, email: string, sequence: string, change: EnrollmentChange, now: Date, actor: string): { tasksCancelled: number } {
  const { db } = store;
  const at = now.toISOString();
  return db.transaction(() => {
    const lead = findLeadByEmail(db, email);
    if (!lead) throw new CadenceError('LEAD_NOT_FOUND', `no lead with the address ${email}`, { hint: 'check the address with `cadence leads`' });
    const enrollment = findLiveEnrollment(db, lead.id, sequence);
    if (!enrollment) throw new CadenceError('ENROLLMENT_NOT_FOUND', `${email} is not active or paused in ${sequence}`, { hint: `enroll the lead with \`cadence enroll ${sequence} --lead ${email}\`` });
    let tasksCancelled = 0;
    if (change.action === 'pause') {
      if (enrollment.state === 'paused') throw new CadenceError('ENROLLMENT_PAUSED', `${email} is already paused in ${sequence}`, { hint: `resume it with \`cadence resume ${sequence} --lead ${email}\`` });
      setEnrollmentState(db, enrollment.id, 'paused', `paused by ${actor}`, at, change.until?.toISOString() ?? null);
      tasksCancelled = cancelOpenTasks(db, enrollment.id, at, 'enrollment paused');
      appendEvent(db, { type: 'enrollment.paused', at, actor, leadId: lead.id, data: { enrollment: enrollment.id, sequence, reason: 'manual', ...(change.until ? { until: change.until.toISOString() } : {}) } });
    } else if (change.action === 'resume') {
      if (enrollment.state !== 'paused') throw new CadenceError('ENROLLMENT_ACTIVE', `${email} is not paused in ${sequence}`);
      if (hasMessageInDoubt(db, enrollment.id)) {
        throw new CadenceError('MESSAGE_IN_DOUBT', `${email} is held in ${sequence} because a message to them is in doubt`, { hint: 'find it with `cadence status` and settle it with `cadence resolve MESSAGE-ID sent|resend`; that resumes the enrollment' });
      }
      resumeEnrollment(db, enrollment.id, at);
      appendEvent(db, { type: 'enrollment.resumed', at, actor, leadId: lead.id, data: { enrollment: enrollment.id, sequence } });
    } else {
      setEnrollmentState(db, enrollment.id, 'exited', 'removed', at);
      tasksCancelled = cancelOpenTasks(db, enrollment.id, at, 'removed from the sequence');
      appendEvent(db, { type: 'enrollment.exited', at, actor, leadId: lead.id, data: { enrollment: enrollment.id, sequence, reason: 'removed' } });
    }
    return { tasksCancelled };
  }).immediate();
}
