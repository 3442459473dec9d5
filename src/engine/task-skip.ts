import type { Store } from '../store/database.js';
import { findEnrollment } from '../store/enrollments.js';
import { appendEvent } from '../store/events.js';
import { findLeadById } from '../store/leads.js';
import { completeTask } from '../store/tasks.js';
import type { SequenceDefinition, WorkspaceConfig } from '../workspace/types.js';
import { scheduleStepFrom } from './schedule-step.js';
import { requireOpenTask } from './task-open.js';

export interface TaskSkipRequest {
  taskId: number;
  reason: string;
  config: WorkspaceConfig;
  sequences: ReadonlyMap<string, SequenceDefinition>;
  now: Date;
  actor: string;
}

/**
 * Skips an open task with a reason, in one transaction, logged as `task.skipped`. The
 * sequence moves on as it does for an expired task: a next step that waits for this one
 * (`after:`, or the end of the sequence) is scheduled from now.
 */
export function skipTask(store: Store, request: TaskSkipRequest): { next: 'scheduled' | 'unchanged' } {
  const { db } = store;
  const at = request.now.toISOString();
  return db.transaction(() => {
    const task = requireOpenTask(db, request.taskId);
    completeTask(db, task.id, 'skipped', null, at, request.actor, request.reason);
    appendEvent(db, { type: 'task.skipped', at, actor: request.actor, leadId: task.leadId, data: { task: task.id, sequence: task.sequence, step: task.stepId, type: task.type, reason: request.reason } });
    const enrollment = findEnrollment(db, task.enrollmentId);
    const sequence = request.sequences.get(task.sequence);
    const lead = findLeadById(db, task.leadId);
    if (!enrollment || !sequence || !lead || enrollment.state !== 'active' || enrollment.dueAt !== null) return { next: 'unchanged' as const };
    const index = sequence.steps.findIndex((step) => step.id === task.stepId);
    if (index < 0 || enrollment.stepIndex !== index + 1) return { next: 'unchanged' as const };
    scheduleStepFrom(db, request.config, sequence, enrollment, lead, index + 1, request.now);
    return { next: 'scheduled' as const };
  }).immediate();
}
