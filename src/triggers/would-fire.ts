import type { Database } from 'better-sqlite3';
import { conditionHolds } from '../conditions/index.js';
import { readEvents } from '../store/events.js';
import { findLeadById, leadFieldSql, queryLeads } from '../store/leads.js';
import { triggerCursor } from '../store/trigger-cursor.js';
import { findTriggerDate } from '../store/trigger-dates.js';
import type { Action, TriggerDefinition, WorkspaceConfig } from '../workspace/types.js';
import { dateTriggerMoment } from './date-moment.js';
import { isDateTrigger, isEnabled, triggersForEvent, type DateTrigger } from './match.js';

/** A firing a tick would do, for `cadence plan`. */
export interface WouldFire {
  trigger: string;
  lead: string;
  /** What fires it: `event 42 lead.updated`, or `date competitor_renewal_date`. */
  on: string;
  /** When: the next tick (`now`) for a logged event, the moment for a date. */
  at: string;
  actions: Action[];
}

/**
 * What the triggers would fire on, read-only: the events not yet handled (at the next
 * tick), and date moments from now up to `until`, for the leads whose `when:` holds now.
 * Date triggers are computed from the leads (a plan may show triggers the store has not
 * scheduled yet); a moment already handled is left out. Costs one pass over the leads
 * that have each date field — for `cadence plan`, never for the tick.
 */
export function triggersThatWouldFire(input: { db: Database; triggers: ReadonlyMap<string, TriggerDefinition>; config: WorkspaceConfig; now: Date; until: Date }): WouldFire[] {
  const { db, config } = input;
  const triggers = new Map([...input.triggers].filter(([, trigger]) => isEnabled(trigger)));
  const fires: WouldFire[] = [];
  const holds = (trigger: TriggerDefinition, fields: Parameters<typeof conditionHolds>[1], email: string): boolean => !trigger.when || conditionHolds(trigger.when, fields, email);
  for (let cursor = triggerCursor(db); ; ) {
    const events = readEvents(db, cursor, 1000);
    if (events.length === 0) break;
    cursor = events.at(-1)!.id;
    for (const event of events) {
      const lead = event.leadId === null ? undefined : findLeadById(db, event.leadId);
      if (!lead) continue;
      for (const id of triggersForEvent(triggers, event)) {
        const trigger = triggers.get(id)!;
        if (holds(trigger, lead.fields, lead.email)) fires.push({ trigger: id, lead: lead.email, on: `event ${event.id} ${event.type}`, at: input.now.toISOString(), actions: trigger.do });
      }
    }
  }
  const custom = new Set(Object.keys(config.lead_fields ?? {}));
  for (const [id, trigger] of triggers) {
    if (!isDateTrigger(trigger)) continue;
    const column = leadFieldSql(trigger.on.date.field, custom);
    if (!column) continue;
    for (const lead of queryLeads(db, { sql: `${column} IS NOT NULL AND ${column} <> ''`, params: [] })) {
      const moment = dateTriggerMoment(trigger as DateTrigger, lead.fields, config.timezone);
      if (!moment || moment.getTime() > input.until.getTime()) continue;
      const stored = findTriggerDate(db, id, lead.id);
      const handled = stored !== undefined && stored.fireAt === moment.toISOString() && stored.state !== 'pending';
      const ahead = moment.getTime() > input.now.getTime() || stored?.state === 'pending';
      if (handled || !ahead || !holds(trigger, lead.fields, lead.email)) continue;
      fires.push({ trigger: id, lead: lead.email, on: `date ${trigger.on.date.field}`, at: moment.toISOString(), actions: trigger.do });
    }
  }
  // Stable: events keep the log's order, dates their moment's.
  return fires.sort((a, b) => a.at.localeCompare(b.at));
}
