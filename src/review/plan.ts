import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Liquid } from 'liquidjs';
import { outboxTransport, type Transport } from '../channels/transport.js';
import { runTick, type TickResult, type TickWorkspace } from '../engine/tick.js';
import { resolveStepTemplate } from '../engine/timing.js';
import { openStore, type Store } from '../store/database.js';
import { findLeadById } from '../store/leads.js';
import { actionsSince, enrollmentSnapshots, liveEnrollmentSnapshots, remapsSince, tableMarks, type EnrollmentSnapshot, type TickAction } from '../store/plan-snapshot.js';
import { liveSequenceVersions } from '../store/versions.js';
import type { SequenceDefinition } from '../workspace/types.js';
import { triggersThatWouldFire, type WouldFire } from '../triggers/would-fire.js';
import { copyStore } from './store-copy.js';

/** An enrollment after the next tick. */
export interface EnrollmentOutcome {
  state: string;
  reason: string | null;
  step: string | null;
  dueAt: string | null;
  actions: TickAction[];
}

export type Effect = 'moves' | 'reschedules' | 'changed_email' | 'exits' | 'pauses' | 'finishes' | 'other_actions';
const EFFECT_ORDER: readonly Effect[] = ['moves', 'reschedules', 'changed_email', 'exits', 'pauses', 'finishes', 'other_actions'];

/** One enrollment the change affects: where it is, and what the next tick does to it with and without the change. */
export interface EnrollmentImpact {
  enrollment: number;
  email: string;
  sequence: string;
  effects: Effect[];
  now: { state: string; step: string | null; dueAt: string | null };
  /** The step it moves to (its step was removed), when it moves. */
  moved?: { from: string | null; to: string | null };
  /** How far its next step moves, in minutes (positive: later). */
  shiftMinutes?: number;
  /** The next email it gets with the change, when its content changed: which step, template, and when. */
  changedEmail?: { step: string; template: string; at: string | null };
  planned: EnrollmentOutcome;
  current: EnrollmentOutcome;
}

export interface PlanReport {
  now: string;
  impact: boolean;
  enrollments: EnrollmentImpact[];
  /**
   * What the proposed triggers would fire on, from the next tick up to `triggers.until`
   * (events not yet handled, date moments), and whether that differs from what the
   * current triggers would fire.
   */
  triggers: { until: string; changed: boolean; wouldFire: WouldFire[] };
  /** What the next tick does with the proposed sequences: its counts, every message and task, every enrollment it changes. */
  nextTick: { result: TickResult; actions: TickAction[]; enrollments: EnrollmentSnapshot[] };
}

export interface PlanInput {
  storePath: string;
  /** The workspace where the store lives; its sequences are replaced by the versions the store runs. */
  current: TickWorkspace;
  /** The workspace to be merged (the working tree, or a revision). */
  proposed: TickWorkspace;
  now: Date;
  /** A private temporary folder: the store copies and their outboxes. */
  workDir: string;
  liquid: Liquid;
  isAlive: (pid: number, since?: string) => boolean;
  /**
   * The live transport's kind and its answer to "did this message a killed tick handed
   * over arrive?" (the live outbox can tell; SMTP cannot), so the copies recover exactly
   * as the real tick will. Deliveries themselves go into an outbox under `workDir`.
   */
  live: Pick<Transport, 'kind' | 'fateOf'>;
}

/**
 * What the next tick will do with the proposed sequences, against what it would do with
 * the current ones, computed by running the real tick (reconciling versions first, as
 * every tick does) on two copies of the live store: the live store is never written, and
 * nothing is sent (both copies deliver into outbox folders under `workDir`).
 */
export async function planNextTick(input: PlanInput): Promise<PlanReport> {
  const paths = { current: join(input.workDir, 'current.db'), proposed: join(input.workDir, 'proposed.db') };
  await copyStore(input.storePath, [paths.current, paths.proposed]);
  const triggers = triggerFirings(paths.proposed, input);
  const proposed = await tickOnCopy(paths.proposed, () => input.proposed, join(input.workDir, 'outbox-proposed'), input);
  // The current side runs the sequences as the store last ran them, not as the working tree has them now.
  const current = await tickOnCopy(paths.current, (store) => ({ ...input.current, sequences: sequencesAsRunning(store, input.current.sequences) }), join(input.workDir, 'outbox-current'), input);
  const enrollments: EnrollmentImpact[] = [];
  for (const before of proposed.before) {
    const planned = outcomeOf(proposed, before.id);
    const now = outcomeOf(current, before.id);
    const remap = proposed.remaps.get(before.id);
    const effects = new Set<Effect>();
    const impact: EnrollmentImpact = { enrollment: before.id, email: before.email, sequence: before.sequence, effects: [], now: { state: before.state, step: before.stepId, dueAt: before.dueAt }, planned, current: now };
    if (remap && remap.from.step !== remap.to.step) {
      effects.add('moves');
      impact.moved = { from: remap.from.step, to: remap.to.step };
    }
    if (planned.state !== now.state) effects.add(planned.state === 'exited' ? 'exits' : planned.state === 'paused' ? 'pauses' : planned.state === 'finished' ? 'finishes' : 'other_actions');
    if (planned.dueAt !== now.dueAt && planned.state === 'active') {
      effects.add('reschedules');
      if (planned.dueAt && now.dueAt) impact.shiftMinutes = Math.round((Date.parse(planned.dueAt) - Date.parse(now.dueAt)) / 60_000);
    }
    const changedEmail = nextEmailChanged(proposed.store, input, before, planned);
    if (changedEmail) {
      effects.add('changed_email');
      impact.changedEmail = changedEmail;
    }
    if (actionsKey(planned.actions) !== actionsKey(now.actions)) effects.add('other_actions');
    if (effects.size === 0 && planned.step !== now.step) effects.add('moves');
    impact.effects = EFFECT_ORDER.filter((effect) => effects.has(effect));
    if (effects.size > 0) enrollments.push(impact);
  }
  const beforeById = new Map(proposed.before.map((row) => [row.id, row]));
  const changed = proposed.after.filter((after) => {
    const before = beforeById.get(after.id);
    return !before || before.state !== after.state || before.stepId !== after.stepId || before.dueAt !== after.dueAt;
  });
  proposed.store.close();
  current.store.close();
  return { now: input.now.toISOString(), impact: enrollments.length > 0 || triggers.changed, enrollments, triggers, nextTick: { result: proposed.result, actions: proposed.actions, enrollments: changed } };
}

/** How far ahead a plan lists the firings of date triggers. */
export const TRIGGER_HORIZON_DAYS = 7;

/** The triggers' firings with the proposed and the current definitions, read from a copy of the store before any tick runs on it. */
function triggerFirings(path: string, input: PlanInput): PlanReport['triggers'] {
  const store = openStore(path, { create: false });
  try {
    const until = new Date(input.now.getTime() + TRIGGER_HORIZON_DAYS * 86_400_000);
    const fire = (workspace: TickWorkspace): WouldFire[] => triggersThatWouldFire({ db: store.db, triggers: workspace.triggers ?? new Map(), config: workspace.config, now: input.now, until });
    const wouldFire = fire(input.proposed);
    const key = (fires: WouldFire[]): string => JSON.stringify(fires.map((fire) => [fire.trigger, fire.lead, fire.on, fire.at, fire.actions]).sort());
    return { until: until.toISOString(), changed: key(wouldFire) !== key(fire(input.current)), wouldFire };
  } finally {
    store.close();
  }
}

interface CopyRun {
  store: Store;
  before: EnrollmentSnapshot[];
  after: EnrollmentSnapshot[];
  afterById: Map<number, EnrollmentSnapshot>;
  actions: TickAction[];
  actionsByEnrollment: Map<number | null, TickAction[]>;
  remaps: Map<number, { from: { step: string | null; dueAt: string | null }; to: { step: string | null; dueAt: string | null } }>;
  result: TickResult;
}

async function tickOnCopy(path: string, workspaceFor: (store: Store) => TickWorkspace, outboxDir: string, input: PlanInput): Promise<CopyRun> {
  const store = openStore(path, { create: false });
  const workspace = workspaceFor(store);
  mkdirSync(outboxDir, { recursive: true });
  const before = liveEnrollmentSnapshots(store.db);
  const marks = tableMarks(store.db);
  // Whatever the workspace says, a plan delivers into its own outbox folder, never over SMTP;
  // it assumes every message is accepted.
  const capture = outboxTransport(outboxDir);
  const transport: Transport = { kind: input.live.kind, batch: capture.batch, deliver: (delivery) => capture.deliver(delivery), fateOf: (messageId) => input.live.fateOf(messageId), close: async () => {} };
  const result = await runTick({ store, workspace, now: input.now, transport, liquid: input.liquid, pid: process.pid, isAlive: input.isAlive });
  const after = enrollmentSnapshots(store.db, before.map((row) => row.id), marks.enrollment);
  const remaps = new Map(remapsSince(store.db, marks.event).map((remap) => [remap.enrollment, remap]));
  const actions = actionsSince(store.db, marks);
  const actionsByEnrollment = new Map<number | null, TickAction[]>();
  for (const action of actions) actionsByEnrollment.set(action.enrollment, [...(actionsByEnrollment.get(action.enrollment) ?? []), action]);
  return { store, before, after, afterById: new Map(after.map((row) => [row.id, row])), actions, actionsByEnrollment, remaps, result };
}

function outcomeOf(run: CopyRun, id: number): EnrollmentOutcome {
  const row = run.afterById.get(id)!;
  return { state: row.state, reason: row.reason, step: row.stepId, dueAt: row.dueAt, actions: run.actionsByEnrollment.get(id) ?? [] };
}

function actionsKey(actions: readonly TickAction[]): string {
  return JSON.stringify(actions.map((action) => [action.kind, action.step, action.template, action.variant, action.subject, action.type]));
}

/**
 * The enrollment's next email — sent at this tick, or its next step once the tick is
 * done — when its content differs from what the current workspace would send for that
 * step: another template, or the same template reworded.
 */
function nextEmailChanged(store: Store, input: PlanInput, before: EnrollmentSnapshot, planned: EnrollmentOutcome): EnrollmentImpact['changedEmail'] {
  const sent = planned.actions.find((action) => action.kind === 'email');
  const proposedSequence = input.proposed.sequences.get(before.sequence);
  const currentSequence = input.current.sequences.get(before.sequence);
  if (!proposedSequence) return undefined;
  const stepId = sent?.step ?? (planned.state === 'active' ? planned.step : null);
  const step = proposedSequence.steps.find((candidate) => candidate.id === stepId);
  if (!step || step.type !== 'auto_email') return undefined;
  const lead = findLeadById(store.db, before.leadId);
  if (!lead) return undefined;
  const chosen = resolveStepTemplate(step, lead.fields);
  if (chosen.kind !== 'template') return undefined;
  const currentStep = stepOf(currentSequence, step.id);
  const currentChoice = currentStep ? resolveStepTemplate(currentStep, lead.fields) : undefined;
  const sameTemplate = currentChoice?.kind === 'template' && currentChoice.id === chosen.id;
  const sameText = JSON.stringify(input.proposed.templates.get(chosen.id)) === JSON.stringify(input.current.templates.get(chosen.id));
  if (sameTemplate && sameText) return undefined;
  return { step: step.id, template: chosen.id, at: sent ? input.now.toISOString() : planned.dueAt };
}

function stepOf(sequence: SequenceDefinition | undefined, id: string): SequenceDefinition['steps'][number] | undefined {
  return sequence?.steps.find((step) => step.id === id);
}

/**
 * The sequences as the store runs them: for each sequence with live enrollments, the
 * newest version they are on (recorded by the store when it ran it); other sequences as
 * in `workspace`.
 */
export function sequencesAsRunning(store: Store, workspace: ReadonlyMap<string, SequenceDefinition>): Map<string, SequenceDefinition> {
  const running = new Map(workspace);
  for (const [id, version] of liveSequenceVersions(store.db)) running.set(id, version.definition);
  return running;
}
