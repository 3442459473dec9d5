import type { Liquid } from 'liquidjs';
import { DateTime } from 'luxon';
import { conditionHolds } from '../conditions/index.js';
import { buildRenderContext } from '../render/context.js';
import { chooseVariant, renderTemplate } from '../render/render.js';
import type { FieldValue } from '../store/leads.js';
import type { SequenceDefinition, StepDefinition, TemplateDefinition, WorkspaceConfig } from '../workspace/types.js';
import { createBusinessCalendar, type SkippedDay } from './calendar.js';
import { addDuration, parseDuration } from './durations.js';
import { resolveStepTemplate, stepDueAt } from './timing.js';
import { dayFilter, placeStep } from './placement.js';

export interface SimulatedLead {
  email: string;
  fields: Record<string, FieldValue>;
}

export type SimulatedStatus = 'scheduled' | 'skipped_guard' | 'skipped_past' | 'expired' | 'paused_missing_field' | 'no_template';

export interface SimulatedStep {
  stepId: string;
  type: StepDefinition['type'];
  name?: string;
  timing: string;
  status: SimulatedStatus;
  /** When the step became due, in the lead's zone (ISO 8601 with offset). */
  dueAt?: string;
  /** When it goes out (an email) or appears in the task list (a manual step), after the delivery window. */
  at?: string;
  template?: string;
  variant?: string;
  subject?: string;
  guard?: { when: string; result: boolean };
  /** Non-business days passed over to reach this step. */
  skipped: SkippedDay[];
  reason?: string;
}

export interface Simulation {
  sequence: string;
  email: string;
  zone: string;
  enrolledAt: string;
  /** Why `cadence enroll` would not enroll this lead (entry.when false, a required field missing); empty when it would. */
  entryProblems: string[];
  steps: SimulatedStep[];
  /** Where the lead stands at the end: finished, or held at a step. */
  outcome: 'finished' | 'paused';
}

export interface SimulateInput {
  sequenceId: string;
  sequence: SequenceDefinition;
  config: WorkspaceConfig;
  templates: ReadonlyMap<string, TemplateDefinition>;
  liquid: Liquid;
  lead: SimulatedLead;
  from: Date;
}

/**
 * The timeline a sequence would follow for a lead enrolled at `from`, touching no store:
 * each step's due time and delivery time in the lead's zone, the days passed over, the
 * guards evaluated, the template and variant chosen. Manual steps are taken as done when
 * they appear, with the default outcome (next); engagement (a reply) is not simulated.
 */
export function simulateSequence(input: SimulateInput): Simulation {
  const { sequence, config, lead } = input;
  const zone = String(lead.fields.timezone ?? config.timezone);
  const business = (sequence.days ?? 'business') === 'business';
  const calendar = createBusinessCalendar(config.calendar, config.language ? { language: config.language } : {});
  const steps: SimulatedStep[] = [];
  const emailTimes: Date[] = [];
  let previousDone = input.from;
  let paused = false;
  for (const step of sequence.steps) {
    const base: SimulatedStep = { stepId: step.id, type: step.type, ...(step.name ? { name: step.name } : {}), timing: timingText(step), status: 'scheduled', skipped: [] };
    if (paused) break;
    const due = stepDueAt(step, { enrolledAt: input.from, previousDoneAt: previousDone, zone, calendar: business ? calendar : undefined, fields: lead.fields });
    if (due.kind === 'unanchored') {
      steps.push({ ...base, status: 'paused_missing_field', reason: `at: needs ${due.field}, which this lead has no value for` });
      paused = true;
      continue;
    }
    const guard = step.when ? { when: step.when, result: conditionHolds(step.when, lead.fields, lead.email) } : undefined;
    if (guard && !guard.result) {
      steps.push({ ...base, status: 'skipped_guard', dueAt: iso(due.at, zone), guard, skipped: due.skipped });
      previousDone = due.at;
      continue;
    }
    const dueMoment = due.at;
    if (step.at && due.at.getTime() < input.from.getTime()) {
      const lateUntil = step.expires_after ? addDuration(due.at, parseDuration(step.expires_after), zone).at : undefined;
      if (!lateUntil || lateUntil.getTime() <= input.from.getTime()) {
        steps.push({ ...base, status: 'skipped_past', dueAt: iso(due.at, zone), skipped: due.skipped, reason: 'its moment had passed when the lead was enrolled' });
        continue;
      }
      due.at = input.from;
    }
    const placed = placeStep(step, sequence, config, due.at, zone, dayFilter(sequence, calendar), step.type === 'auto_email' ? emailTimes : undefined);
    const expiry = step.expires_after ? addDuration(dueMoment, parseDuration(step.expires_after), zone, business && /[dw]$/.test(step.expires_after) ? calendar : undefined).at : undefined;
    const result: SimulatedStep = { ...base, dueAt: iso(dueMoment, zone), at: iso(placed.at, zone), skipped: [...due.skipped, ...placed.skipped], ...(guard ? { guard } : {}) };
    if (expiry && placed.at.getTime() > expiry.getTime()) {
      steps.push({ ...result, status: 'expired', reason: `it could not go out before it expired (${step.expires_after} after it was due)` });
      previousDone = expiry;
      continue;
    }
    const template = resolveStepTemplate(step, lead.fields);
    if (template.kind === 'none_for_value') {
      steps.push({ ...result, status: 'no_template', reason: `no template for ${template.field} = ${template.value ?? '(empty)'} and no default` });
      paused = true;
      continue;
    }
    if (template.kind === 'template') {
      const definition = input.templates.get(template.id);
      const variant = definition ? chooseVariant(definition, template.id, lead.email) : undefined;
      const rendered = definition ? renderTemplate(input.liquid, definition, variant, buildRenderContext(config, lead, 'SIMULATED')) : undefined;
      if (rendered && !rendered.ok && step.type === 'auto_email') {
        steps.push({ ...result, template: template.id, status: 'paused_missing_field', reason: `missing_field:${rendered.missing.replace(/^lead\./, '')} (${rendered.message})` });
        paused = true;
        continue;
      }
      if (rendered && !rendered.ok) result.reason = `the rep's task cannot show its text: ${rendered.message}`;
      Object.assign(result, { template: template.id }, variant ? { variant } : {}, rendered?.ok && rendered.subject ? { subject: rendered.subject } : {});
    }
    if (step.type === 'auto_email') emailTimes.push(placed.at);
    steps.push(result);
    previousDone = placed.at;
  }
  // Each non-business day once, at the first step that had to pass over it.
  const reported = new Set<string>();
  for (const step of steps) {
    step.skipped = step.skipped.filter((day) => !reported.has(day.date) && reported.add(day.date));
  }
  return { sequence: input.sequenceId, email: lead.email, zone, enrolledAt: iso(input.from, zone), entryProblems: entryProblems(sequence, lead), steps, outcome: paused ? 'paused' : 'finished' };
}

function entryProblems(sequence: SequenceDefinition, lead: SimulatedLead): string[] {
  const problems: string[] = [];
  for (const field of sequence.entry?.requires ?? []) {
    const value = lead.fields[field];
    if (value === undefined || value === '') problems.push(`entry.requires ${field}, which this lead has no value for`);
  }
  if (sequence.entry?.when && !conditionHolds(sequence.entry.when, lead.fields, lead.email)) problems.push(`entry.when is false: ${sequence.entry.when}`);
  return problems;
}

function timingText(step: StepDefinition): string {
  if (step.day !== undefined) return `day ${step.day}`;
  if (step.after !== undefined) return `after ${step.after}`;
  if (step.at) return `${step.at.field}${step.at.offset ? ` ${step.at.offset}` : ''}${step.at.time ? ` at ${step.at.time}` : ''}`;
  return '';
}

function iso(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toISO({ suppressMilliseconds: true })!;
}
