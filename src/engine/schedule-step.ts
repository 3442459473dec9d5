import type { Database } from 'better-sqlite3';
import { advanceEnrollment, recordSequenceVersion, type Enrollment } from '../store/enrollments.js';
import type { Lead } from '../store/leads.js';
import type { SequenceDefinition, WorkspaceConfig } from '../workspace/types.js';
import { workspaceCalendar } from './calendar.js';
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
    advanceEnrollment(db, enrollment, { stepIndex: index, stepId: null, dueAt: at, lastDoneAt: at, version }, at);
    return;
  }
  const zone = String(lead.fields.timezone ?? config.timezone);
  // A `day:` step's time depends only on the enrollment's moment and zone, an `after:`
  // step's only on now and the zone: leads enrolled together (and every lead of a tick)
  // share it, so it is worked out once. An `at:` step reads the lead's fields each time.
  const key = step.day !== undefined ? `${index}|${zone}|${enrollment.enrolledAt}` : step.after !== undefined ? `${index}|${zone}|${at}` : undefined;
  const cache = key === undefined ? undefined : placements(config, sequence);
  let dueAt = key === undefined ? undefined : cache!.get(key);
  if (dueAt === undefined) {
    const calendar = workspaceCalendar(config);
    const business = (sequence.days ?? 'business') === 'business' ? calendar : undefined;
    const due = stepDueAt(step, { enrolledAt: new Date(enrollment.enrolledAt), previousDoneAt: now, zone, calendar: business, fields: lead.fields });
    dueAt = due.kind === 'due' ? placeStep(step, sequence, config, due.at, zone, dayFilter(sequence, calendar), undefined).at.toISOString() : at;
    if (cache && due.kind === 'due') {
      if (cache.size >= 10_000) cache.clear();
      cache.set(key!, dueAt);
    }
  }
  advanceEnrollment(db, enrollment, { stepIndex: index, stepId: step.id, dueAt, lastDoneAt: at, version }, at);
}

const placed = new WeakMap<WorkspaceConfig, WeakMap<SequenceDefinition, Map<string, string>>>();

/** Where steps of a sequence landed, by step, zone and moment, for this loaded config and sequence. */
function placements(config: WorkspaceConfig, sequence: SequenceDefinition): Map<string, string> {
  let bySequence = placed.get(config);
  if (!bySequence) placed.set(config, (bySequence = new WeakMap()));
  let cache = bySequence.get(sequence);
  if (!cache) bySequence.set(sequence, (cache = new Map()));
  return cache;
}
