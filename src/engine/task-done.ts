import { CadenceError } from '../errors.js';
import type { Store } from '../store/database.js';
import { findEnrollment, settleEnrollment } from '../store/enrollments.js';
import { appendEvent } from '../store/events.js';
import { findLeadById } from '../store/leads.js';
import { cancelOpenTasks, completeTask } from '../store/tasks.js';
import type { CallOutcome, SequenceDefinition, WorkspaceConfig } from '../workspace/types.js';
import { runActions } from './actions.js';
import { scheduleStepFrom } from './schedule-step.js';
import { requireOpenTask } from './task-open.js';

export interface TaskDoneRequest {
  taskId: number;
  outcome: CallOutcome | undefined;
  note?: string;
  /** More to record in the `task.completed` event (how a manual email went out). */
  detail?: Record<string, unknown>;
  config: WorkspaceConfig;
  sequences: ReadonlyMap<string, SequenceDefinition>;
  now: Date;
  actor: string;
}

/**
 * Completes a manual step and follows its branch, in one transaction: the call outcome's
 * `do:` actions, then `next` (the default), `goto`, `exit` or `finish`. A next step timed
 * `after:` this one is scheduled from now. A task that changed underneath (a tick
 * cancelled it because the lead replied) is refused, never applied.
 */
export function completeManualStep(store: Store, request: TaskDoneRequest): { branch: string } {
  const { db } = store;
  const at = request.now.toISOString();
  return db.transaction(() => {
    const task = requireOpenTask(db, request.taskId);
    if (task.type === 'call' && request.outcome === undefined) throw new CadenceError('TASK_NEEDS_OUTCOME', `task ${task.id} is a call: say how it went`, { hint: '--outcome connected|no_answer|voicemail|wrong_number|meeting_booked', exitCode: 2 });
    if (task.type !== 'call' && request.outcome !== undefined) throw new CadenceError('TASK_NO_OUTCOME', `task ${task.id} is a ${task.type} task; outcomes are for calls`, { exitCode: 2 });
    completeTask(db, task.id, 'done', request.outcome ?? null, at, request.actor, request.note ?? null);
    appendEvent(db, { type: 'task.completed', at, actor: request.actor, leadId: task.leadId, data: { task: task.id, sequence: task.sequence, step: task.stepId, type: task.type, outcome: request.outcome ?? null, ...(request.note ? { note: request.note } : {}), ...request.detail } });
    const enrollment = findEnrollment(db, task.enrollmentId);
    const sequence = request.sequences.get(task.sequence);
    const lead = findLeadById(db, task.leadId);
    if (!enrollment || !sequence || !lead || (enrollment.state !== 'active' && enrollment.state !== 'paused')) return { branch: 'none (the enrollment has ended)' };
    const index = sequence.steps.findIndex((step) => step.id === task.stepId);
    const step = sequence.steps[index];
    const branch = request.outcome && step?.outcomes ? step.outcomes[request.outcome] : undefined;
    const spec = branch === undefined || branch === 'next' ? {} : branch === 'finish' ? { finish: true } : branch === 'exit' ? { exit: request.outcome! } : branch;
    if (spec.do?.length) runActions({ db, config: request.config, sequences: request.sequences, now: request.now, actor: request.actor, cause: `outcome ${request.outcome} of ${task.sequence}/${task.stepId}`, enrollmentId: enrollment.id }, lead.id, spec.do);
    const stillLive = findEnrollment(db, enrollment.id);
    if (!stillLive || (stillLive.state !== 'active' && stillLive.state !== 'paused')) return { branch: 'the actions ended the enrollment' };
    if (spec.exit !== undefined || spec.finish) {
      const state = spec.finish ? 'finished' : 'exited';
      settleEnrollment(db, enrollment.id, state, spec.exit ?? null, at);
      cancelOpenTasks(db, enrollment.id, at, state);
      appendEvent(db, { type: `enrollment.${state}`, at, actor: request.actor, leadId: lead.id, data: { enrollment: enrollment.id, sequence: task.sequence, ...(spec.exit ? { reason: spec.exit } : {}) } });
      if (spec.finish && sequence.on_finish?.length) runActions({ db, config: request.config, sequences: request.sequences, now: request.now, actor: request.actor, cause: `on_finish of ${task.sequence}`, enrollmentId: enrollment.id }, lead.id, sequence.on_finish);
      return { branch: spec.finish ? 'finish' : `exit (${spec.exit})` };
    }
    // goto: the enrollment jumps to that step; next: a waiting after: step is scheduled from now.
    const targetIndex = spec.goto !== undefined ? sequence.steps.findIndex((candidate) => candidate.id === spec.goto) : index + 1;
    const enrollmentWaits = stillLive.stepIndex === index + 1 && stillLive.dueAt === null;
    if (spec.goto === undefined && !enrollmentWaits) return { branch: 'next' };
    scheduleStepFrom(db, request.config, sequence, stillLive, lead, targetIndex, request.now);
    return { branch: spec.goto !== undefined ? `goto ${spec.goto}` : sequence.steps[targetIndex] ? 'next' : 'next (the last step: the enrollment finishes at the next tick)' };
  }).immediate();
}
