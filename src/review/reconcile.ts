import type { Database } from 'better-sqlite3';
import { createBusinessCalendar, type BusinessCalendar } from '../engine/calendar.js';
import { dayFilter, placeStep } from '../engine/placement.js';
import { stepDueAt } from '../engine/timing.js';
import { findEnrollment, recordSequenceVersion, sequenceHash, settleEnrollment, type Enrollment } from '../store/enrollments.js';
import { appendEvent } from '../store/events.js';
import { findLeadById } from '../store/leads.js';
import { cancelOpenTasks } from '../store/tasks.js';
import { cancelTask, enrollmentIdsOffVersion, findSequenceVersion, hasEnrollmentsOffVersion, openTaskSteps, remapEnrollment, type SequenceVersion } from '../store/versions.js';
import type { SequenceDefinition, StepDefinition, WorkspaceConfig } from '../workspace/types.js';
import { mapPlace } from './step-mapping.js';

export interface ReconcileWorkspace {
  config: WorkspaceConfig;
  sequences: ReadonlyMap<string, SequenceDefinition>;
}

/** What reconciling one sequence did: logged as its `sequence.changed` event. */
export interface SequenceChange {
  sequence: string;
  from: string[];
  to: string;
  enrollments: number;
  moved: number;
  rescheduled: number;
  paused: number;
  tasksCancelled: number;
}

/**
 * Puts every live enrollment that is on an older version of its sequence onto the
 * current one, in short IMMEDIATE transactions of a few hundred (claimed enrollments are
 * left to the tick that holds them, and taken up by the next):
 * - its step is matched by id; a lead on a removed step moves to the next surviving step
 *   (see `mapPlace`); the open task of a removed step is cancelled;
 * - a pending step whose timing changed (or a lead that moved to another step) is
 *   rescheduled from its timing: `day:` from enrollment, `after:` from the last step done;
 * - the enrollment records the new version.
 * Logs one `sequence.changed` event per sequence (lead-less, with counts) and one
 * `enrollment.remapped` per enrollment whose step, due time or tasks changed.
 */
export function reconcileVersions(db: Database, workspace: ReconcileWorkspace, now: Date, actor: string): SequenceChange[] {
  const changes: SequenceChange[] = [];
  const calendar = createBusinessCalendar(workspace.config.calendar, workspace.config.language ? { language: workspace.config.language } : {});
  const at = now.toISOString();
  for (const [id, sequence] of workspace.sequences) {
    const hash = sequenceHash(sequence);
    // Two index seeks say whether any live enrollment is off this version; the batches'
    // query, ordered by id, reads all of the sequence's index (80 ms at a million leads).
    if (!hasEnrollmentsOffVersion(db, new Map([[id, hash]]))) continue;
    const change: SequenceChange = { sequence: id, from: [], to: hash, enrollments: 0, moved: 0, rescheduled: 0, paused: 0, tasksCancelled: 0 };
    const context: SequenceContext = { db, config: workspace.config, calendar, id, sequence, hash, newIds: sequence.steps.map((step) => step.id), versions: new Map(), change, now, at, actor };
    // Batches of short transactions, so a change to a sequence with many leads in it never
    // holds the store's lock for long; a tick killed between them leaves the rest to the next.
    for (let lastId = 0; ; ) {
      const ids = db.transaction(() => {
        const batch = enrollmentIdsOffVersion(db, id, hash, lastId, RECONCILE_BATCH);
        if (batch.length > 0 && change.enrollments === 0) recordSequenceVersion(db, id, sequence, at);
        for (const enrollmentId of batch) reconcileEnrollment(context, findEnrollment(db, enrollmentId)!);
        return batch;
      }).immediate();
      change.enrollments += ids.length;
      if (ids.length < RECONCILE_BATCH) break;
      lastId = ids.at(-1)!;
    }
    if (change.enrollments === 0) continue;
    db.transaction(() => appendEvent(db, { type: 'sequence.changed', at, actor, leadId: null, data: change })).immediate();
    changes.push(change);
  }
  return changes;
}

const RECONCILE_BATCH = 500;

/** One sequence being reconciled: its new version, the old versions met so far, the running counts. */
interface SequenceContext {
  db: Database;
  config: WorkspaceConfig;
  calendar: BusinessCalendar;
  id: string;
  sequence: SequenceDefinition;
  hash: string;
  newIds: string[];
  versions: Map<string, SequenceVersion | undefined>;
  change: SequenceChange;
  now: Date;
  at: string;
  actor: string;
}

/** Moves one enrollment onto the sequence's current version, in the caller's transaction. */
function reconcileEnrollment(context: SequenceContext, enrollment: Enrollment): void {
  const { db, config, calendar, id, sequence, hash, newIds, versions, change, now, at, actor } = context;
  if (!change.from.includes(enrollment.version)) change.from.push(enrollment.version);
  if (!versions.has(enrollment.version)) versions.set(enrollment.version, findSequenceVersion(db, enrollment.version));
  const old = versions.get(enrollment.version);
  const place = mapPlace(old?.stepIds, newIds, enrollment.stepIndex, enrollment.stepId);
  if (place.kind === 'lost') {
    settleEnrollment(db, enrollment.id, 'paused', 'no_surviving_step', at);
    change.tasksCancelled += cancelOpenTasks(db, enrollment.id, at, 'no_surviving_step');
    appendEvent(db, { type: 'enrollment.paused', at, actor, leadId: enrollment.leadId, data: { enrollment: enrollment.id, sequence: id, step: enrollment.stepId, reason: 'no_surviving_step' } });
    change.paused++;
    return;
  }
  // Open tasks of removed steps are cancelled: nothing may refer to a step that is gone.
  const cancelled = openTaskSteps(db, enrollment.id).filter((task) => !newIds.includes(task.stepId));
  for (const task of cancelled) cancelTask(db, task.id, at, 'step_removed');
  const oldStep = old?.definition.steps.find((step) => step.id === enrollment.stepId);
  let index = place.index;
  let dueAt = enrollment.dueAt;
  if (enrollment.state === 'active') {
    // A lead waiting for a task (its next step is `after:` it, or the end) keeps waiting
    // after that task, wherever it moved; with the task's step removed it waits no more.
    const waitedFor = old?.stepIds[enrollment.stepIndex - 1];
    const waitingOn = enrollment.dueAt === null ? openTaskSteps(db, enrollment.id).filter((task) => newIds.includes(task.stepId)).find((task, _, open) => task.stepId === waitedFor || (waitedFor === undefined && task === open.at(-1))) : undefined;
    if (waitingOn) index = newIds.indexOf(waitingOn.stepId) + 1;
    const step = sequence.steps[index];
    const keepsWaiting = waitingOn !== undefined && (step === undefined || step.after !== undefined);
    if (keepsWaiting) dueAt = null;
    else if (step === undefined) dueAt = enrollment.dueAt === null || enrollment.stepId !== null ? at : enrollment.dueAt;
    else if (enrollment.dueAt === null || step.id !== enrollment.stepId || timingOf(step, sequence) !== (oldStep && old ? timingOf(oldStep, old.definition) : timingOf(step, sequence))) {
      dueAt = dueFromTiming(config, calendar, sequence, step, enrollment, enrollment.dueAt === null ? now : new Date(enrollment.lastDoneAt), db) ?? at;
    }
  }
  const stepId = sequence.steps[index]?.id ?? null;
  remapEnrollment(db, enrollment.id, { stepIndex: index, stepId, dueAt, version: hash }, at);
  const moved = stepId !== enrollment.stepId;
  const rescheduled = dueAt !== enrollment.dueAt;
  if (moved) change.moved++;
  if (rescheduled) change.rescheduled++;
  change.tasksCancelled += cancelled.length;
  if (moved || rescheduled || cancelled.length > 0) {
    appendEvent(db, {
      type: 'enrollment.remapped',
      at,
      actor,
      leadId: enrollment.leadId,
      data: { enrollment: enrollment.id, sequence: id, version: hash, from: { step: enrollment.stepId, dueAt: enrollment.dueAt }, to: { step: stepId, dueAt }, ...(cancelled.length ? { cancelledTasks: cancelled.map((task) => task.id) } : {}) },
    });
  }
}

/** Everything that decides when a step is due and delivered. */
function timingOf(step: StepDefinition, sequence: SequenceDefinition): string {
  return JSON.stringify([step.day, step.after, step.at, step.schedule ?? sequence.schedule, sequence.days ?? 'business', sequence.holidays]);
}

/** When a step is due by its timing (an `after:` step counted from `previousDoneAt`), in its window; undefined when its date field is missing. */
function dueFromTiming(config: WorkspaceConfig, calendar: BusinessCalendar, sequence: SequenceDefinition, step: StepDefinition, enrollment: Enrollment, previousDoneAt: Date, db: Database): string | undefined {
  const lead = findLeadById(db, enrollment.leadId);
  if (!lead) return undefined;
  const zone = String(lead.fields.timezone ?? config.timezone);
  const business = (sequence.days ?? 'business') === 'business' ? calendar : undefined;
  const due = stepDueAt(step, { enrolledAt: new Date(enrollment.enrolledAt), previousDoneAt, zone, calendar: business, fields: lead.fields });
  if (due.kind === 'unanchored') return undefined;
  return placeStep(step, sequence, config, due.at, zone, dayFilter(sequence, calendar), undefined).at.toISOString();
}
