import type { Database } from 'better-sqlite3';
import { conditionHolds } from '../conditions/index.js';
import { runActions } from '../engine/actions.js';
import type { Store } from '../store/database.js';
import { appendEvent, readEvents, type StoredEvent } from '../store/events.js';
import { findLeadById } from '../store/leads.js';
import { advanceTriggerCursor, eventDepth, recordTriggerEffects, triggerCursor } from '../store/trigger-cursor.js';
import { dueTriggerDates, markTriggerDate, putTriggerDate } from '../store/trigger-dates.js';
import type { SequenceDefinition, TriggerDefinition, WorkspaceConfig } from '../workspace/types.js';
import { crashPoint } from '../engine/crash-hook.js';
import { dateTriggerMoment } from './date-moment.js';
import { rescheduleChangedDateRules, scheduleDatesForEvent } from './date-schedule.js';
import { isDateTrigger, isEnabled, triggersForEvent } from './match.js';

/** How many trigger firings may chain (a trigger firing on the effects of triggers) before the chain is stopped. */
export const MAX_TRIGGER_DEPTH = 5;
/** Events read per transaction; a transaction ends early after an event that fired. */
const EVENT_BATCH = 500;
const DATE_BATCH = 100;
const ACTOR = 'system';

export interface TriggerInput {
  store: Store;
  workspace: { config: WorkspaceConfig; sequences: ReadonlyMap<string, SequenceDefinition>; triggers?: ReadonlyMap<string, TriggerDefinition> };
  now: Date;
}

export interface TriggerRunResult {
  /** Events read from the log. */
  events: number;
  fired: { trigger: string; leadId: number; event?: number; date?: string }[];
  /** Chains stopped by the loop guard, each also logged as a `trigger.loop_stopped` event. */
  warnings: string[];
}

/**
 * Runs the triggers: every event logged since the durable cursor, in order, each handled
 * exactly once (its firings, its actions and the cursor move commit together, so a crash
 * at any point neither loses nor repeats one; overlapping ticks serialise on the store's
 * write lock), then the date triggers that are due. Effects of triggers are events too
 * and are handled in the same run, down to MAX_TRIGGER_DEPTH.
 */
export function processTriggers(input: TriggerInput): TriggerRunResult {
  const result: TriggerRunResult = { events: 0, fired: [], warnings: [] };
  const triggers = new Map([...(input.workspace.triggers ?? new Map<string, TriggerDefinition>())].filter(([, trigger]) => isEnabled(trigger)));
  const { db } = input.store;
  db.transaction(() => rescheduleChangedDateRules(db, triggers, input.workspace.config, input.now)).immediate();
  // Date firings log events, whose triggers run in the next round; the depth guard bounds the rounds.
  for (let round = 0; round <= MAX_TRIGGER_DEPTH + 1; round++) {
    handleEvents(input, triggers, result);
    if (!handleDueDates(input, triggers, result)) break;
  }
  return result;
}

function handleEvents(input: TriggerInput, triggers: ReadonlyMap<string, TriggerDefinition>, result: TriggerRunResult): void {
  const { db } = input.store;
  for (;;) {
    const handled = db.transaction(() => {
      const events = readEvents(db, triggerCursor(db), EVENT_BATCH);
      for (const event of events) {
        result.events++;
        scheduleDatesForEvent(db, triggers, input.workspace.config, event);
        const fires = triggersForEvent(triggers, event);
        // An event whose triggers acted ends the transaction (short write locks); one whose when: was false does not.
        if (fires.length > 0 && fireOnEvent(input, triggers, event, fires, result)) {
          advanceTriggerCursor(db, event.id);
          return event.id;
        }
      }
      if (events.length > 0) advanceTriggerCursor(db, events.at(-1)!.id);
      return events.at(-1)?.id;
    }).immediate();
    if (handled === undefined) return;
    crashPoint('trigger');
  }
}

/** Fires the triggers whose when: holds; returns whether any acted (or was stopped by the loop guard). */
function fireOnEvent(input: TriggerInput, triggers: ReadonlyMap<string, TriggerDefinition>, event: StoredEvent, fires: readonly string[], result: TriggerRunResult): boolean {
  const { db } = input.store;
  if (event.leadId === null) return false;
  const lead = findLeadById(db, event.leadId);
  if (!lead) return false;
  // Every trigger's when: is read on the lead as the event left it, before any of them acts:
  // one trigger's change is a new event for the others, not a second reading of this one.
  const holding = fires.filter((id) => {
    const when = triggers.get(id)!.when;
    return !when || conditionHolds(when, lead.fields, lead.email);
  });
  if (holding.length === 0) return false;
  const depth = eventDepth(db, event.id);
  for (const id of holding) {
    const trigger = triggers.get(id)!;
    if (depth >= MAX_TRIGGER_DEPTH) {
      const warning = `trigger "${id}" did not fire on event ${event.id} (${event.type}): ${depth} triggers in a row led to it, the most allowed is ${MAX_TRIGGER_DEPTH}; do two triggers undo each other?`;
      appendEvent(db, { type: 'trigger.loop_stopped', at: input.now.toISOString(), actor: ACTOR, leadId: lead.id, data: { trigger: id, event: event.id, depth, warning } });
      result.warnings.push(warning);
      continue;
    }
    fire(input, id, trigger, lead.id, { event: event.id, eventType: event.type }, depth);
    result.fired.push({ trigger: id, leadId: lead.id, event: event.id });
  }
  return true;
}

/** Logs the firing, runs the actions and marks what they logged as its effects (one level deeper). */
function fire(input: TriggerInput, id: string, trigger: TriggerDefinition, leadId: number, cause: Record<string, unknown>, depth: number): void {
  const { db } = input.store;
  const firedId = appendEvent(db, { type: 'trigger.fired', at: input.now.toISOString(), actor: ACTOR, leadId, data: { trigger: id, ...cause, depth } });
  runActions({ db, config: input.workspace.config, sequences: input.workspace.sequences, now: input.now, actor: ACTOR, cause: `trigger ${id}` }, leadId, trigger.do);
  recordTriggerEffects(db, firedId, depth + 1, id);
}

/** Fires the date triggers whose moment has come; returns whether any fired (their effects are new events). */
function handleDueDates(input: TriggerInput, triggers: ReadonlyMap<string, TriggerDefinition>, result: TriggerRunResult): boolean {
  const { db } = input.store;
  const at = input.now.toISOString();
  let firedAny = false;
  for (;;) {
    const count = db.transaction(() => {
      const due = dueTriggerDates(db, at, DATE_BATCH);
      for (const moment of due) fireOnDate(input, db, triggers, moment, result) && (firedAny = true);
      return due.length;
    }).immediate();
    if (count === 0) return firedAny;
    crashPoint('trigger');
  }
}

function fireOnDate(input: TriggerInput, db: Database, triggers: ReadonlyMap<string, TriggerDefinition>, moment: { trigger: string; leadId: number; fireAt: string }, result: TriggerRunResult): boolean {
  const at = input.now.toISOString();
  const trigger = triggers.get(moment.trigger);
  const lead = findLeadById(db, moment.leadId);
  if (!trigger || !isDateTrigger(trigger) || !lead) {
    putTriggerDate(db, moment.trigger, moment.leadId, undefined, at);
    return false;
  }
  // The field may have changed since it was scheduled (events are handled first, so rarely): follow it.
  const current = dateTriggerMoment(trigger, lead.fields, input.workspace.config.timezone)?.toISOString();
  if (current !== moment.fireAt) {
    putTriggerDate(db, moment.trigger, lead.id, current === undefined ? undefined : { fireAt: current, state: current > at ? 'pending' : 'missed' }, at);
    return false;
  }
  markTriggerDate(db, moment.trigger, lead.id, 'fired', at);
  if (trigger.when && !conditionHolds(trigger.when, lead.fields, lead.email)) return false;
  fire(input, moment.trigger, trigger, lead.id, { date: trigger.on.date.field, moment: moment.fireAt }, 0);
  result.fired.push({ trigger: moment.trigger, leadId: lead.id, date: moment.fireAt });
  return true;
}
