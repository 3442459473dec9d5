import type { Database } from 'better-sqlite3';
import { triggerDateRules } from '../store/trigger-dates.js';
import type { TriggerDefinition } from '../workspace/types.js';

/**
 * The scheduling rule of each enabled date trigger, as text: what its schedule of
 * moments was computed from. Kept small (no engine imports): the nothing-due tick reads it.
 */
export function dateRules(triggers: ReadonlyMap<string, TriggerDefinition>): Map<string, string> {
  const rules = new Map<string, string>();
  for (const [id, trigger] of triggers) {
    if (trigger.enabled === false || !('date' in trigger.on)) continue;
    const { field, offset, time } = trigger.on.date;
    rules.set(id, JSON.stringify({ field, offset: offset ?? null, time: time ?? null }));
  }
  return rules;
}

/** Whether a date trigger was added, changed or removed since the store scheduled them. */
export function dateRulesChanged(db: Database, triggers: ReadonlyMap<string, TriggerDefinition>): boolean {
  const stored = triggerDateRules(db);
  const current = dateRules(triggers);
  if (stored.size !== current.size) return true;
  for (const [id, rule] of current) if (stored.get(id) !== rule) return true;
  return false;
}
