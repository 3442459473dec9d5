import type { Database } from 'better-sqlite3';
import { findLiveEnrollment, insertEnrollment, liveEnrollments, recordSequenceVersion, setEnrollmentState } from '../store/enrollments.js';
import { appendEvent } from '../store/events.js';
import { findLeadById, writeLeadFields, type FieldValue } from '../store/leads.js';
import { addSuppression, findSuppression } from '../store/suppressions.js';
import { cancelOpenTasks } from '../store/tasks.js';
import type { Action, SequenceDefinition, WorkspaceConfig } from '../workspace/types.js';
import { decideEnrollment } from './enroll.js';

export interface ActionContext {
  db: Database;
  config: WorkspaceConfig;
  sequences: ReadonlyMap<string, SequenceDefinition>;
  now: Date;
  actor: string;
  /** What caused the actions, for the events they log (`on_finish of inbound-8day`). */
  cause: string;
  /** The enrollment whose step or finish runs the actions; a trigger has none. */
  enrollmentId?: number;
}

/**
 * Runs actions of the shared vocabulary (`on_finish`, call outcomes, triggers) for one
 * lead, in the caller's transaction; each logs an event. An action that cannot apply
 * (enrolling a suppressed lead) is logged as skipped with its reason, not an error.
 */
export function runActions(context: ActionContext, leadId: number, actions: readonly Action[]): void {
  for (const action of actions) runAction(context, leadId, action);
}

function runAction(context: ActionContext, leadId: number, action: Action): void {
  const { db, now, actor, cause } = context;
  const at = now.toISOString();
  const lead = findLeadById(db, leadId);
  if (!lead) return;
  if ('set' in action || 'clear' in action || 'assign' in action) {
    const fields: Record<string, FieldValue> = { ...lead.fields };
    if ('set' in action) {
      for (const [name, value] of Object.entries(action.set)) {
        if (value === null) delete fields[name];
        else fields[name] = value;
      }
    } else if ('clear' in action) {
      for (const name of Array.isArray(action.clear) ? action.clear : [action.clear]) delete fields[name];
    } else {
      const owner = typeof action.assign === 'string' ? action.assign : roundRobin(context.config, action.assign.round_robin, leadId);
      if (owner) fields.owner = owner;
    }
    const changes: Record<string, [FieldValue | null, FieldValue | null]> = {};
    for (const name of new Set([...Object.keys(lead.fields), ...Object.keys(fields)])) {
      if (lead.fields[name] !== fields[name]) changes[name] = [lead.fields[name] ?? null, fields[name] ?? null];
    }
    if (Object.keys(changes).length === 0) return;
    writeLeadFields(db, leadId, fields, at);
    appendEvent(db, { type: 'lead.updated', at, actor, leadId, data: { changes, by: cause } });
    return;
  }
  if ('suppress' in action) {
    const reason = action.suppress === true ? 'suppressed by an action' : action.suppress;
    if (addSuppression(db, { kind: 'address', value: lead.email, reason, at, actor })) {
      appendEvent(db, { type: 'suppression.added', at, actor, leadId, data: { kind: 'address', reason, by: cause } });
    }
    for (const enrollment of liveEnrollments(db, leadId)) endEnrollment(context, enrollment.id, leadId, enrollment.sequence, 'suppressed');
    return;
  }
  if ('remove' in action) {
    for (const enrollment of liveEnrollments(db, leadId)) {
      if (action.remove === '*' || enrollment.sequence === action.remove) endEnrollment(context, enrollment.id, leadId, enrollment.sequence, 'removed');
    }
    return;
  }
  if ('move' in action) {
    // The current enrollment ends (for a trigger, which has none: every live one), then the lead starts the other.
    for (const enrollment of liveEnrollments(db, leadId)) {
      if (context.enrollmentId === undefined || enrollment.id === context.enrollmentId) endEnrollment(context, enrollment.id, leadId, enrollment.sequence, `moved to ${action.move}`);
    }
    enroll(context, leadId, action.move);
    return;
  }
  if ('enroll' in action) enroll(context, leadId, typeof action.enroll === 'string' ? action.enroll : action.enroll.sequence);
}

function endEnrollment(context: ActionContext, enrollmentId: number, leadId: number, sequence: string, reason: string): void {
  const at = context.now.toISOString();
  setEnrollmentState(context.db, enrollmentId, 'exited', reason, at);
  cancelOpenTasks(context.db, enrollmentId, at, reason);
  appendEvent(context.db, { type: 'enrollment.exited', at, actor: context.actor, leadId, data: { enrollment: enrollmentId, sequence, reason, by: context.cause } });
}

function enroll(context: ActionContext, leadId: number, sequenceId: string): void {
  const { db, now, actor, cause } = context;
  const at = now.toISOString();
  const sequence = context.sequences.get(sequenceId);
  const lead = findLeadById(db, leadId);
  if (!sequence || !lead) return;
  const decision = decideEnrollment(sequenceId, sequence, context.config, {
    email: lead.email,
    fields: lead.fields,
    suppressed: findSuppression(db, lead.email)?.reason,
    liveIn: liveEnrollments(db, leadId).map((enrollment) => enrollment.sequence),
  }, now);
  if (!decision.enroll) {
    appendEvent(db, { type: 'enrollment.skipped', at, actor, leadId, data: { sequence: sequenceId, reason: decision.reason, by: cause } });
    return;
  }
  if (findLiveEnrollment(db, leadId, sequenceId)) return;
  const version = recordSequenceVersion(db, sequenceId, sequence, at);
  const id = insertEnrollment(db, { leadId, sequence: sequenceId, version, stepIndex: decision.stepIndex, stepId: decision.stepId, dueAt: decision.dueAt.toISOString(), enrolledAt: at, actor });
  appendEvent(db, { type: 'enrollment.started', at, actor, leadId, data: { enrollment: id, sequence: sequenceId, version, firstStep: decision.stepId, dueAt: decision.dueAt.toISOString(), by: cause } });
}

/** Round robin over a team: the rep whose turn the lead's id gives, so it is stable and even. */
function roundRobin(config: WorkspaceConfig, team: string, leadId: number): string | undefined {
  const reps = (config.reps ?? []).filter((rep) => rep.team === team).map((rep) => rep.name).sort();
  return reps.length === 0 ? undefined : reps[leadId % reps.length];
}
