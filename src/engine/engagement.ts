import { CadenceError } from '../errors.js';
import type { Store } from '../store/database.js';
import { liveEnrollments, setEnrollmentState } from '../store/enrollments.js';
import { appendEvent } from '../store/events.js';
import { findLeadByEmail } from '../store/leads.js';
import { addSuppression } from '../store/suppressions.js';
import { cancelOpenTasks } from '../store/tasks.js';
import type { EngagementEvent, SequenceDefinition } from '../workspace/types.js';

export type LoggedEngagement = 'reply' | 'meeting' | 'bounce' | 'unsubscribe' | 'ooo';

export interface EngagementResult {
  exited: string[];
  paused: string[];
  suppressed: boolean;
}

/** Days an out-of-office pauses a lead when no return date is given. */
export const DEFAULT_OOO_DAYS = 7;

/**
 * Records engagement by hand and applies the exit and pause rules at once, in one
 * transaction: a reply or a booked meeting ends the enrollments whose `exit.events` name
 * it; a bounce or an unsubscribe suppresses the address and ends every enrollment; an
 * out-of-office pauses them until the return date (they resume by themselves).
 */
export function logEngagement(store: Store, email: string, kind: LoggedEngagement, options: { until?: Date; note?: string; source?: string; details?: Record<string, unknown>; colleague?: boolean; sequences: ReadonlyMap<string, SequenceDefinition>; now: Date; actor: string }): EngagementResult {
  const { db } = store;
  const at = options.now.toISOString();
  return db.transaction(() => {
    const lead = findLeadByEmail(db, email);
    if (!lead) throw new CadenceError('LEAD_NOT_FOUND', `no lead with the address ${email}`, { hint: 'check the address with `cadence leads`' });
    const type = { reply: 'reply.received', meeting: 'meeting.booked', bounce: 'email.bounced', unsubscribe: 'unsubscribe.received', ooo: 'ooo.received' }[kind];
    appendEvent(db, { type, at, actor: options.actor, leadId: lead.id, data: { source: options.source ?? 'manual', ...options.details, ...(options.note ? { note: options.note } : {}), ...(options.until ? { until: options.until.toISOString() } : {}) } });
    const result: EngagementResult = { exited: [], paused: [], suppressed: false };
    if (kind === 'bounce' || kind === 'unsubscribe') {
      const reason = kind === 'bounce' ? 'bounced' : 'unsubscribed';
      if (addSuppression(db, { kind: 'address', value: lead.email, reason, at, actor: options.actor })) {
        appendEvent(db, { type: 'suppression.added', at, actor: options.actor, leadId: lead.id, data: { kind: 'address', reason } });
      }
      result.suppressed = true;
    }
    const exitOn: EngagementEvent | undefined = kind === 'reply' ? 'reply' : kind === 'meeting' ? 'meeting_booked' : kind === 'ooo' ? undefined : kind;
    const until = options.until ?? new Date(options.now.getTime() + DEFAULT_OOO_DAYS * 86_400_000);
    for (const enrollment of liveEnrollments(db, lead.id)) {
      const sequence = options.sequences.get(enrollment.sequence);
      if (kind === 'ooo') {
        if (enrollment.state !== 'active') continue;
        setEnrollmentState(db, enrollment.id, 'paused', 'out_of_office', at, until.toISOString());
        cancelOpenTasks(db, enrollment.id, at, 'out of office');
        appendEvent(db, { type: 'enrollment.paused', at, actor: options.actor, leadId: lead.id, data: { enrollment: enrollment.id, sequence: enrollment.sequence, reason: 'out_of_office', until: until.toISOString() } });
        result.paused.push(enrollment.sequence);
        continue;
      }
      // Bounces and unsubscribes always end a sequence; replies and meetings where it says so.
      // A colleague's reply (someone else at the lead's company) ends only sequences with exit.colleague_reply.
      const exits = kind === 'bounce' || kind === 'unsubscribe' || (options.colleague ? sequence?.exit?.colleague_reply === true : exitOn !== undefined && (sequence?.exit?.events ?? []).includes(exitOn));
      if (!exits) continue;
      setEnrollmentState(db, enrollment.id, 'exited', exitOn ?? kind, at);
      cancelOpenTasks(db, enrollment.id, at, exitOn ?? kind);
      appendEvent(db, { type: 'enrollment.exited', at, actor: options.actor, leadId: lead.id, data: { enrollment: enrollment.id, sequence: enrollment.sequence, reason: exitOn ?? kind } });
      result.exited.push(enrollment.sequence);
    }
    return result;
  }).immediate();
}
