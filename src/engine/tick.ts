import type { Liquid } from 'liquidjs';
import type { Transport } from '../channels/transport.js';
import { conditionHolds } from '../conditions/index.js';
import { buildRenderContext, senderFor } from '../render/context.js';
import { chooseVariant, renderTemplate } from '../render/render.js';
import type { Store } from '../store/database.js';
import { advanceEnrollment, claimDueEnrollments, findEnrollment, pausesEnded, recordSequenceVersion, releaseClaim, releaseClaimsOf, resumeEnrollment, settleEnrollment, type Enrollment } from '../store/enrollments.js';
import { appendEvent, lastEventId, refusedTriggerEnrollments } from '../store/events.js';
import { findLeadById, type Lead } from '../store/leads.js';
import { emailTimes, recordMessage, stepMessage, type QueuedMessage } from '../store/messages.js';
import { findSuppression } from '../store/suppressions.js';
import { cancelOpenTasks, createTask, expiredOpenTasks, expireTask } from '../store/tasks.js';
import { closeDeadTicks, deadTicks, finishTick, startTick } from '../store/ticks.js';
import { withTempStoreInMemory } from '../store/temp-store.js';
import type { SequenceDefinition, StepDefinition, TemplateDefinition, TriggerDefinition, WorkspaceConfig } from '../workspace/types.js';
import { processTriggers } from '../triggers/process-triggers.js';
import { runActions } from './actions.js';
import { workspaceCalendar, type BusinessCalendar } from './calendar.js';
import { crashPoint } from './crash-hook.js';
import { copyHanded, deliverQueued, handOver, recordHanded, settleOrphans, type DeliveryTally, type Handed } from './deliver.js';
import { addDuration, parseDuration } from './durations.js';
import { MailboxLimits } from './mailbox-limits.js';
import { dayFilter, placeStep } from './placement.js';
import { scheduleStepFrom } from './schedule-step.js';
import { reconcileVersions } from '../review/reconcile.js';
import { newMessageId, newUnsubscribeToken, senderOf } from './sender.js';
import { resolveStepTemplate, stepDueAt } from './timing.js';

export interface TickWorkspace {
  config: WorkspaceConfig;
  sequences: ReadonlyMap<string, SequenceDefinition>;
  templates: ReadonlyMap<string, TemplateDefinition>;
  /** Run from the events log before and after the due steps (src/triggers). */
  triggers?: ReadonlyMap<string, TriggerDefinition>;
}

export interface TickInput {
  store: Store;
  workspace: TickWorkspace;
  now: Date;
  transport: Transport;
  liquid: Liquid;
  pid: number;
  isAlive: (pid: number, since?: string) => boolean;
  /** Called with each message the transport accepted (e.g. to copy it into the Sent folder). */
  afterDelivered?: (message: QueuedMessage, bytes: Buffer) => Promise<void>;
}

export interface TickResult extends DeliveryTally {
  now: string;
  /**
   * What the triggers did: how many fired; enrollments they asked for that the sequence
   * refused (a missing field, already busy); chains the loop guard stopped.
   */
  triggers: { fired: number; refused: { email: string | null; sequence: string; reason: string; trigger: string }[]; warnings: string[] };
  emailsQueued: number;
  tasksCreated: number;
  finished: number;
  skipped: number;
}

const CLAIM_BATCH = 200;
const ACTOR = 'system';

/**
 * One tick. First it takes up the work of killed ticks (their claims, and the messages
 * they left sending). Then it claims due enrollments in batches, each batch one short
 * transaction in which every enrollment's due step is done in its own savepoint: an
 * automatic email recorded whole in the delivery queue, a task for a manual step, a skip,
 * an exit — and the enrollment moved on. Each batch's emails are delivered while the next
 * batch is done (the outbox's written at once, as handed over in the batch's transaction;
 * SMTP's claimed from the queue); last, whatever the queue still holds that is due.
 */
export async function runTick(input: TickInput): Promise<TickResult> {
  // Fewer checkpoints while a tick works (each waits for the disk): every ~40 MB of log
  // instead of SQLite's 4 MB made a 10,000-step tick ~5% faster.
  const { db } = input.store;
  db.pragma(`wal_autocheckpoint = ${TICK_CHECKPOINT_PAGES}`);
  try {
    return await withTempStoreInMemory(db, () => tick(input));
  } finally {
    db.pragma('wal_autocheckpoint = 1000');
  }
}

const TICK_CHECKPOINT_PAGES = 10_000;
/** Batches of outbox files being written while the next batch of steps is done. */
const HANDOVERS_IN_FLIGHT = 8;

async function tick(input: TickInput): Promise<TickResult> {
  const { store, now } = input;
  const { db } = store;
  const at = now.toISOString();
  const result: TickResult = { now: at, emailsSent: 0, emailsQueued: 0, tasksCreated: 0, finished: 0, exited: 0, paused: 0, skipped: 0, inDoubt: [], errors: [], triggers: { fired: 0, refused: [], warnings: [] } };
  const firstEvent = lastEventId(db);
  const tickId = db.transaction(() => {
    const id = startTick(db, at, new Date().toISOString(), input.pid);
    const dead = deadTicks(db, input.isAlive, id);
    releaseClaimsOf(db, dead);
    closeDeadTicks(db, dead, at);
    return id;
  }).immediate();
  const delivery = { store, transport: input.transport, now, pid: input.pid, isAlive: input.isAlive, sequences: input.workspace.sequences, config: input.workspace.config, ...(input.afterDelivered ? { afterDelivered: input.afterDelivered } : {}) };
  settleOrphans(delivery, result);
  const calendar = workspaceCalendar(input.workspace.config);
  expireTasks(input, result);
  resumeEndedPauses(input);
  // A changed sequence file: live enrollments move onto its current version first (steps matched by id).
  reconcileVersions(db, input.workspace, now, ACTOR);
  // Triggers before the due steps, so a lead they enroll gets its first step in this tick;
  // and again at the end, so this tick's own events (a sequence finished) are handled now.
  const early = processTriggers(input);
  const limits = new MailboxLimits(input.workspace.config, now);
  // Delivery runs beside the steps: each batch's messages go out while the next batch is
  // done, so the transport's connections are busy while the engine works.
  let delivering: Promise<void> | undefined;
  const deliver = (): void => {
    delivering ??= deliverQueued(delivery, result).finally(() => (delivering = undefined));
  };
  // The outbox can tell afterwards whether a file arrived, so its messages are recorded as
  // handed over in the step's own transaction and written straight away, not queued and
  // claimed again (over SMTP a message is marked sending only just before it goes). What
  // became of them is recorded in the next batch's transaction, not one of its own.
  const handOverNow = input.transport.kind === 'outbox';
  const writing: Promise<void>[] = [];
  const written: Handed[][] = [];
  const recordWritten = (): Handed[] => {
    const handed = written.splice(0).flat();
    recordHanded(delivery, handed, result, limits.day);
    return handed;
  };
  // Each enrollment's step in a savepoint of its own (made once: better-sqlite3 builds four
  // wrappers for every transaction function).
  const doStep = db.transaction((enrollment: Enrollment, recorded: QueuedMessage[] | undefined) => processEnrollment(input, calendar, limits, enrollment, result, recorded));
  for (;;) {
    const batch = db.transaction(() => {
      const settled = recordWritten();
      const claimed = claimDueEnrollments(db, tickId, at, CLAIM_BATCH);
      limits.refresh(db);
      const messages: QueuedMessage[] = [];
      for (const enrollment of claimed) {
        const recorded: QueuedMessage[] | undefined = handOverNow ? [] : undefined;
        try {
          doStep(enrollment, recorded);
          if (recorded) messages.push(...recorded);
        } catch (error) {
          result.errors.push({ enrollment: enrollment.id, step: enrollment.stepId, message: error instanceof Error ? error.message : String(error) });
          // Try again at the next tick; the claim must not outlive this one.
          releaseClaim(db, enrollment.id, new Date(now.getTime() + 60_000).toISOString());
        }
      }
      return { claimed: claimed.length, messages, settled };
    }).immediate();
    await copyHanded(delivery, batch.settled, result);
    if (batch.claimed === 0) break;
    crashPoint('queued');
    if (batch.messages.length > 0) {
      crashPoint('sending');
      writing.push(handOver(delivery, batch.messages).then((handed) => void written.push(handed)));
      if (writing.length >= HANDOVERS_IN_FLIGHT) await writing.shift();
    }
    deliver();
    await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.all(writing);
  if (written.length > 0) await copyHanded(delivery, db.transaction(recordWritten).immediate(), result);
  while (delivering) await delivering;
  await deliverQueued(delivery, result);
  const late = processTriggers(input);
  result.triggers = { fired: early.fired.length + late.fired.length, refused: refusedTriggerEnrollments(db, firstEvent), warnings: [...early.warnings, ...late.warnings] };
  db.transaction(() => finishTick(db, tickId, new Date().toISOString(), result)).immediate();
  return result;
}

/** Does an enrollment's due step, in the caller's transaction. */
function processEnrollment(input: TickInput, calendar: BusinessCalendar, limits: MailboxLimits, enrollment: Enrollment, result: TickResult, handedOver: QueuedMessage[] | undefined): void {
  const { store, workspace, now } = input;
  const { db } = store;
  const at = now.toISOString();
  const lead = findLeadById(db, enrollment.leadId);
  const sequence = workspace.sequences.get(enrollment.sequence);
  const settle = (state: 'exited' | 'paused', reason: string): void => settleFromTick(input, enrollment, state, reason, result);

  if (!lead) return settle('exited', 'lead_erased');
  if (!sequence) return settle('paused', 'sequence_removed');
  const suppression = findSuppression(db, lead.email);
  if (suppression) return settle('exited', `suppressed:${suppression.reason}`);
  if (sequence.exit?.when && conditionHolds(sequence.exit.when, lead.fields, lead.email)) return settle('exited', 'exit_when');

  const index = currentStepIndex(sequence, enrollment);
  const step = sequence.steps[index];
  if (!step) return finish(input, enrollment, lead, sequence, result);
  const zone = String(lead.fields.timezone ?? workspace.config.timezone);
  const business = (sequence.days ?? 'business') === 'business' ? calendar : undefined;
  /** Passes over this step (logged) and schedules the next one. */
  const passOver = (type: 'step.skipped' | 'step.expired', reason?: string): void => {
    appendEvent(db, { type, at, actor: ACTOR, leadId: lead.id, data: { enrollment: enrollment.id, sequence: enrollment.sequence, step: step.id, ...(reason ? { reason } : {}) } });
    moveOn(input, enrollment, lead, sequence, index, now);
    result.skipped++;
  };

  if (step.when && !conditionHolds(step.when, lead.fields, lead.email)) return passOver('step.skipped', 'when is false');
  if (step.at) {
    // Timed on a lead's date: re-anchor to the field as it is now.
    const due = stepDueAt(step, { enrolledAt: new Date(enrollment.enrolledAt), previousDoneAt: new Date(enrollment.lastDoneAt), zone, calendar: business, fields: lead.fields });
    if (due.kind === 'unanchored') return settle('paused', `missing_field:${due.field}`);
    const lateUntil = step.expires_after ? addDuration(due.at, parseDuration(step.expires_after), zone).at : due.at;
    if (due.at.getTime() < new Date(enrollment.lastDoneAt).getTime() && lateUntil.getTime() <= now.getTime()) return passOver('step.skipped', 'its moment had passed');
    const placed = placeStep(step, sequence, workspace.config, due.at, zone, dayFilter(sequence, calendar), undefined).at;
    if (placed.getTime() > now.getTime()) return releaseClaim(db, enrollment.id, placed.toISOString());
  }
  if (step.expires_after && enrollment.dueAt) {
    const expiry = addDuration(new Date(enrollment.dueAt), parseDuration(step.expires_after), zone, business && /[dw]$/.test(step.expires_after) ? business : undefined).at;
    if (now.getTime() > expiry.getTime()) return passOver('step.expired');
  }
  if (step.type === 'auto_email') return queueEmail(input, calendar, limits, enrollment, lead, sequence, index, step, zone, result, handedOver);

  const owner = String(lead.fields.owner ?? senderFor(workspace.config, undefined)?.name ?? '') || null;
  const expiresAt = step.expires_after ? addDuration(now, parseDuration(step.expires_after), zone, business && /[dw]$/.test(step.expires_after) ? business : undefined).at.toISOString() : null;
  const task = createTask(db, { enrollmentId: enrollment.id, leadId: lead.id, sequence: enrollment.sequence, stepId: step.id, type: step.type, owner, dueAt: at, expiresAt, at });
  appendEvent(db, { type: 'task.created', at, actor: ACTOR, leadId: lead.id, data: { task, enrollment: enrollment.id, sequence: enrollment.sequence, step: step.id, type: step.type, owner } });
  moveOn(input, enrollment, lead, sequence, index, now, { waitForTask: true });
  result.tasksCreated++;
}

/**
 * An automatic email step: rendered strictly and recorded whole in the delivery queue,
 * and the enrollment moved on, together. It waits (the claim released to a later time)
 * for the lead's minimum gap and weekly cap, and for its mailbox's cap and gap.
 */
/**
 * Renders and records an automatic email with its step. `handedOver` (the outbox): the
 * message is recorded as handed to this process's transport and added to the list, to be
 * written once the step's transaction has committed.
 */
function queueEmail(input: TickInput, calendar: BusinessCalendar, limits: MailboxLimits, enrollment: Enrollment, lead: Lead, sequence: SequenceDefinition, index: number, step: StepDefinition, zone: string, result: TickResult, handedOver: QueuedMessage[] | undefined): void {
  const { store, workspace, now } = input;
  const { db } = store;
  const at = now.toISOString();
  const { config } = workspace;
  const placed = placeStep(step, sequence, config, now, zone, dayFilter(sequence, calendar), emailTimes(db, lead.id, new Date(now.getTime() - 8 * 86_400_000).toISOString()));
  if (placed.at.getTime() > now.getTime()) {
    releaseClaim(db, enrollment.id, placed.at.toISOString());
    result.emailsQueued++;
    return;
  }
  const sender = senderOf(config, lead.fields.owner, sequence, step);
  const mailboxName = sender.mailbox;
  const waitUntil = limits.waitFor(mailboxName, step.at !== undefined);
  if (waitUntil) {
    releaseClaim(db, enrollment.id, waitUntil.toISOString());
    result.emailsQueued++;
    return;
  }
  const choice = resolveStepTemplate(step, lead.fields);
  if (choice.kind !== 'template') {
    return settleFromTick(input, enrollment, 'paused', choice.kind === 'none_for_value' ? `no_template:${choice.field}=${String(choice.value ?? '')}` : 'no_template', result, step.id);
  }
  const template = workspace.templates.get(choice.id)!;
  const token = newUnsubscribeToken(now);
  const context = buildRenderContext(config, lead, token);
  const rendered = renderTemplate(input.liquid, template, chooseVariant(template, choice.id, lead.email), context);
  if (!rendered.ok) {
    return settleFromTick(input, enrollment, 'paused', `missing_field:${rendered.missing.replace(/^lead\./, '')}`, result, step.id);
  }
  const parent = step.thread ? stepMessage(db, enrollment.id, step.thread) : undefined;
  const subject = parent ? (/^re:/i.test(parent.subject) ? parent.subject : `Re: ${parent.subject}`) : (rendered.subject ?? '');
  const messageId = newMessageId(now, sender.address);
  const message = {
    enrollmentId: enrollment.id, leadId: lead.id, sequence: enrollment.sequence, stepId: step.id, messageId, mailbox: mailboxName, from: sender.address, fromName: sender.name, to: lead.email, subject,
    template: choice.id, variant: rendered.variant ?? null, threadOf: parent?.messageId ?? null, references: parent ? [...(parent.threadOf ? [parent.threadOf] : []), parent.messageId] : [],
    token, body: rendered.body, unsubscribeMailto: context.unsubscribe_mailto, unsubscribeUrl: context.unsubscribe_url || null, priority: step.at ? 1 : 0, at,
  };
  const id = recordMessage(db, message, handedOver ? { pid: input.pid, since: new Date().toISOString() } : undefined);
  handedOver?.push({
    id, enrollmentId: enrollment.id, leadId: lead.id, sequence: enrollment.sequence, stepId: step.id, messageId, mailbox: mailboxName, from: { address: sender.address, name: sender.name }, to: lead.email, subject,
    body: rendered.body, threadOf: message.threadOf, references: message.references, unsubscribeMailto: message.unsubscribeMailto, unsubscribeUrl: message.unsubscribeUrl, attempts: 1, createdAt: at, priority: message.priority,
  });
  appendEvent(db, { type: 'email.queued', at, actor: ACTOR, leadId: lead.id, data: { enrollment: enrollment.id, sequence: enrollment.sequence, step: step.id, messageId, template: choice.id, variant: rendered.variant ?? null } });
  limits.count(mailboxName);
  moveOn(input, enrollment, lead, sequence, index, now);
}

/** Ends or pauses an enrollment with a reason (its open tasks cancelled), logged, in the caller's transaction. */
function settleFromTick(input: TickInput, enrollment: Enrollment, state: 'exited' | 'paused', reason: string, result: TickResult, stepId?: string): void {
  const { db } = input.store;
  const at = input.now.toISOString();
  settleEnrollment(db, enrollment.id, state, reason, at);
  cancelOpenTasks(db, enrollment.id, at, reason);
  appendEvent(db, { type: `enrollment.${state}`, at, actor: ACTOR, leadId: enrollment.leadId, data: { enrollment: enrollment.id, sequence: enrollment.sequence, ...(stepId ? { step: stepId } : {}), reason } });
  result[state]++;
}

/** Resumes enrollments paused until a date that has come (an out-of-office return); logged. */
function resumeEndedPauses(input: TickInput): void {
  const { db } = input.store;
  const at = input.now.toISOString();
  db.transaction(() => {
    for (const enrollment of pausesEnded(db, at)) {
      resumeEnrollment(db, enrollment.id, at);
      appendEvent(db, { type: 'enrollment.resumed', at, actor: ACTOR, leadId: enrollment.leadId, data: { enrollment: enrollment.id, sequence: enrollment.sequence, reason: 'pause ended' } });
    }
  }).immediate();
}

/**
 * Skips open tasks whose step has expired (logged), so one rep's backlog never freezes a
 * lead; an enrollment waiting on such a task for an `after:` step moves on from now.
 */
function expireTasks(input: TickInput, result: TickResult): void {
  const { db } = input.store;
  const at = input.now.toISOString();
  db.transaction(() => {
    for (const task of expiredOpenTasks(db, at)) {
      if (!expireTask(db, task.id, at)) continue;
      appendEvent(db, { type: 'task.expired', at, actor: ACTOR, leadId: task.leadId, data: { task: task.id, sequence: task.sequence, step: task.stepId } });
      result.skipped++;
      const enrollment = findEnrollment(db, task.enrollmentId);
      const sequence = input.workspace.sequences.get(task.sequence);
      const lead = findLeadById(db, task.leadId);
      if (!enrollment || !sequence || !lead || enrollment.state !== 'active' || enrollment.dueAt !== null) continue;
      const index = sequence.steps.findIndex((step) => step.id === task.stepId);
      if (index >= 0 && enrollment.stepIndex === index + 1) scheduleStepFrom(db, input.workspace.config, sequence, enrollment, lead, index + 1, input.now);
    }
  }).immediate();
}

/**
 * Schedules the step after `index`, in the caller's transaction: a `day:` step at its day,
 * an `after:` step that long after now — unless the step just done was a task, which an
 * `after:` step (and the end of the sequence) waits for: it is scheduled when the task
 * is done, skipped or expired. Past the last step, the enrollment finishes.
 */
function moveOn(input: TickInput, enrollment: Enrollment, lead: Lead, sequence: SequenceDefinition, index: number, now: Date, options: { waitForTask?: boolean } = {}): void {
  const next = sequence.steps[index + 1];
  // After a task: an after: step, or the end of the sequence (the task's outcome may still
  // branch), waits for the task to be done, skipped or expired.
  if (options.waitForTask && (next === undefined || next.after !== undefined)) {
    const at = now.toISOString();
    const version = recordSequenceVersion(input.store.db, enrollment.sequence, sequence, at);
    advanceEnrollment(input.store.db, enrollment, { stepIndex: index + 1, stepId: next?.id ?? null, dueAt: null, lastDoneAt: at, version }, at);
    return;
  }
  scheduleStepFrom(input.store.db, input.workspace.config, sequence, enrollment, lead, index + 1, now);
}

function finish(input: TickInput, enrollment: Enrollment, lead: Lead, sequence: SequenceDefinition, result: TickResult): void {
  const { db } = input.store;
  const at = input.now.toISOString();
  settleEnrollment(db, enrollment.id, 'finished', null, at);
  appendEvent(db, { type: 'enrollment.finished', at, actor: ACTOR, leadId: lead.id, data: { enrollment: enrollment.id, sequence: enrollment.sequence } });
  if (sequence.on_finish?.length) {
    runActions({ db, config: input.workspace.config, sequences: input.workspace.sequences, now: input.now, actor: ACTOR, cause: `on_finish of ${enrollment.sequence}`, enrollmentId: enrollment.id }, lead.id, sequence.on_finish);
  }
  result.finished++;
}

/**
 * The step an enrollment stands on in the current version of its sequence: matched by
 * id; when the file changed and the step is gone, the next surviving step at its place.
 */
function currentStepIndex(sequence: SequenceDefinition, enrollment: Enrollment): number {
  if (enrollment.stepId === null) return enrollment.stepIndex;
  const byId = sequence.steps.findIndex((step) => step.id === enrollment.stepId);
  return byId >= 0 ? byId : Math.min(enrollment.stepIndex, sequence.steps.length);
}
