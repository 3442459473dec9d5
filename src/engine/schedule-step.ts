import type { Database } from 'better-sqlite3';
import { advanceEnrollment, recordSequenceVersion, type Enrollment } from '../store/enrollments.js';
import type { Lead } from '../store/leads.js';
import type { SequenceDefinition, WorkspaceConfig } from '../workspace/types.js';
import { createBusinessCalendar, type BusinessCalendar } from './calendar.js';
import { dayFilter, placeStep } from './placement.js';
import { stepDueAt } from './timing.js';

/**
 * Puts an enrollment on step `index`, due by its timing counted from `now` (an `after:`
 * step: that long after now), in its delivery window; past the last step it is due at
 * once, so the next tick finishes it. In the caller's transaction.
 */
export function scheduleStepFrom(db: Database, config: WorkspaceConfig, sequence: SequenceDefinition, enrollment: Enrollment, lead: Lead, index: number, now: Date): void {
  const at = now.toISOString();
  const version = recordSequenceVersion(db, enrollment.sequence, sequence, at);
  const step = sequence.steps[index];
  if (!step) {
    advanceEnrollment(db, enrollment.id, { stepIndex: index, stepId: null, dueAt: at, lastDoneAt: at, version }, at);
    return;
  }
  const zone = String(lead.fields.timezone ?? config.timezone);
  const calendar = calendarOf(config);
  const business = (sequence.days ?? 'business') === 'business' ? calendar : undefined;
  const due = stepDueAt(step, { enrolledAt: new Date(enrollment.enrolledAt), previousDoneAt: now, zone, calendar: business, fields: lead.fields });
  const dueAt = due.kind === 'due' ? placeStep(step, sequence, config, due.at, zone, dayFilter(sequence, calendar), undefined).at.toISOString() : at;
  advanceEnrollment(db, enrollment.id, { stepIndex: index, stepId: step.id, dueAt, lastDoneAt: at, version }, at);
}

const calendars = new WeakMap<WorkspaceConfig, BusinessCalendar>();

/** The workspace's business calendar, made once per loaded config. */
function calendarOf(config: WorkspaceConfig): BusinessCalendar {
  let calendar = calendars.get(config);
  if (!calendar) calendars.set(config, (calendar = createBusinessCalendar(config.calendar, config.language ? { language: config.language } : {})));
  return calendar;
}
