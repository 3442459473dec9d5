import type { FieldValue } from '../store/leads.js';
import { stepDueAt } from '../engine/timing.js';
import type { DateTrigger } from './match.js';

/**
 * When a date trigger fires for a lead: its date field plus the offset (calendar units),
 * at the given time of day in the lead's zone — the same rule as a step's `at:` timing.
 * Undefined when the lead has no value in the field.
 */
export function dateTriggerMoment(trigger: DateTrigger, fields: Readonly<Record<string, FieldValue>>, defaultZone: string): Date | undefined {
  const zone = String(fields.timezone ?? defaultZone);
  const due = stepDueAt({ id: 'trigger', type: 'task', at: trigger.on.date }, { enrolledAt: new Date(0), previousDoneAt: new Date(0), zone, calendar: undefined, fields });
  return due.kind === 'due' ? due.at : undefined;
}
