import { conditionHolds } from '../conditions/index.js';
import type { FieldValue } from '../store/leads.js';
import type { SequenceDefinition, WorkspaceConfig } from '../workspace/types.js';
import { createBusinessCalendar } from './calendar.js';
import { dayFilter, placeStep } from './placement.js';
import { stepDueAt } from './timing.js';

/** What the engine knows about a lead when deciding an enrollment. */
export interface EnrollCandidate {
  email: string;
  fields: Readonly<Record<string, FieldValue>>;
  /** Why nothing may be sent to the lead, when it is suppressed. */
  suppressed: string | undefined;
  /** The sequences the lead is active or paused in now. */
  liveIn: readonly string[];
}

export type EnrollDecision =
  | { enroll: true; stepIndex: number; stepId: string; dueAt: Date }
  | { enroll: false; reason: string };

/**
 * Whether a lead may be enrolled in a sequence now, and when its first step is due.
 * Guards, each with a reason a person can act on: suppressed; already active in this
 * sequence; active in another (unless this one says `entry.allow_concurrent`); a field
 * the sequence needs is missing (`entry.requires`, and every field an `at:` step is timed
 * on); `entry.when` is false.
 */
export function decideEnrollment(sequenceId: string, sequence: SequenceDefinition, config: WorkspaceConfig, lead: EnrollCandidate, start: Date): EnrollDecision {
  if (lead.suppressed) return { enroll: false, reason: `suppressed (${lead.suppressed})` };
  if (lead.liveIn.includes(sequenceId)) return { enroll: false, reason: 'already active in this sequence' };
  const elsewhere = lead.liveIn.filter((other) => other !== sequenceId);
  if (elsewhere.length > 0 && !sequence.entry?.allow_concurrent) return { enroll: false, reason: `active in ${elsewhere.join(', ')} (this sequence does not allow concurrent enrollment)` };
  const needed = new Set([...(sequence.entry?.requires ?? []), ...sequence.steps.flatMap((step) => (step.at ? [step.at.field] : []))]);
  for (const field of needed) {
    const value = lead.fields[field];
    if (value === undefined || value === '') return { enroll: false, reason: `missing_field:${field}` };
  }
  if (sequence.entry?.when) {
    if (!conditionHolds(sequence.entry.when, lead.fields, lead.email)) return { enroll: false, reason: `entry.when is false (${sequence.entry.when})` };
  }
  const first = sequence.steps[0]!;
  const zone = String(lead.fields.timezone ?? config.timezone);
  const calendar = createBusinessCalendar(config.calendar, config.language ? { language: config.language } : {});
  const business = (sequence.days ?? 'business') === 'business';
  const due = stepDueAt(first, { enrolledAt: start, previousDoneAt: start, zone, calendar: business ? calendar : undefined, fields: lead.fields });
  if (due.kind === 'unanchored') return { enroll: false, reason: `missing_field:${due.field}` };
  const placed = placeStep(first, sequence, config, due.at, zone, dayFilter(sequence, calendar), undefined);
  return { enroll: true, stepIndex: 0, stepId: first.id, dueAt: placed.at };
}
