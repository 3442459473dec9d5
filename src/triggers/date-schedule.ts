import type { Database } from 'better-sqlite3';
import type { StoredEvent } from '../store/events.js';
import { findLeadById, leadFieldSql, queryLeads, type Lead } from '../store/leads.js';
import { clearTriggerDates, findTriggerDate, putTriggerDate, setTriggerDateRule, triggerDateRules } from '../store/trigger-dates.js';
import type { TriggerDefinition, WorkspaceConfig } from '../workspace/types.js';
import { dateTriggerMoment } from './date-moment.js';
import { dateRules } from './date-rules.js';
import { isDateTrigger, type DateTrigger } from './match.js';

/**
 * Keeps the date triggers' schedule in step with the leads, from the events log: an
 * imported lead, or a change to the trigger's field or the lead's time zone, (re)computes
 * that lead's moment. So a tick reads only the moments that are due, never every lead.
 * A moment already past when the value arrived is recorded as missed, not fired late.
 */
export function scheduleDatesForEvent(db: Database, triggers: ReadonlyMap<string, TriggerDefinition>, config: WorkspaceConfig, event: StoredEvent): void {
  if (event.leadId === null || (event.type !== 'lead.imported' && event.type !== 'lead.updated')) return;
  const changes = event.type === 'lead.updated' ? ((event.data as { changes?: Record<string, unknown> } | null)?.changes ?? {}) : undefined;
  let lead: Lead | undefined | null = null;
  for (const [id, trigger] of triggers) {
    if (!isDateTrigger(trigger)) continue;
    if (changes && !(trigger.on.date.field in changes) && !('timezone' in changes)) continue;
    if (lead === null) lead = findLeadById(db, event.leadId);
    if (!lead) return;
    schedule(db, id, trigger, lead, config, event.at, event.at);
  }
}

/**
 * Schedules every lead again for a date trigger that is new or whose rule changed (one
 * pass over the leads that have the field, once per change), and forgets the schedule of
 * triggers that are gone or switched off. Moments already past are missed: adding a
 * trigger does not fire it for every old date at once.
 */
export function rescheduleChangedDateRules(db: Database, triggers: ReadonlyMap<string, TriggerDefinition>, config: WorkspaceConfig, now: Date): void {
  const at = now.toISOString();
  const stored = triggerDateRules(db);
  const current = dateRules(triggers);
  for (const id of stored.keys()) {
    if (current.has(id)) continue;
    clearTriggerDates(db, id);
    setTriggerDateRule(db, id, undefined);
  }
  const custom = new Set(Object.keys(config.lead_fields ?? {}));
  for (const [id, rule] of current) {
    if (stored.get(id) === rule) continue;
    const trigger = triggers.get(id) as DateTrigger;
    clearTriggerDates(db, id);
    const column = leadFieldSql(trigger.on.date.field, custom);
    if (column) {
      for (const lead of queryLeads(db, { sql: `${column} IS NOT NULL AND ${column} <> ''`, params: [] })) schedule(db, id, trigger, lead, config, at, at);
    }
    setTriggerDateRule(db, id, rule);
  }
}

function schedule(db: Database, id: string, trigger: DateTrigger, lead: Lead, config: WorkspaceConfig, seenAt: string, at: string): void {
  const moment = dateTriggerMoment(trigger, lead.fields, config.timezone)?.toISOString();
  const existing = findTriggerDate(db, id, lead.id);
  if (moment !== undefined && existing?.fireAt === moment) return;
  putTriggerDate(db, id, lead.id, moment === undefined ? undefined : { fireAt: moment, state: moment > seenAt ? 'pending' : 'missed' }, at);
}
