import type { SequenceDefinition, StepDefinition } from './types.js';

/** "day 4", "after 2d", "meeting_at -1d at 17:00": a step's timing as a person says it. */
export function describeTiming(step: StepDefinition): string {
  if (step.day !== undefined) return `day ${step.day}`;
  if (step.after !== undefined) return `after ${step.after}`;
  if (step.at) return `${step.at.field}${step.at.offset ? ` ${step.at.offset}` : ''}${step.at.time ? ` at ${step.at.time}` : ''}`;
  return '—';
}

export function describeTemplate(step: StepDefinition): string {
  if (step.template === undefined) return '';
  if (typeof step.template === 'string') return step.template;
  const cases = Object.values(step.template.cases);
  return `by ${step.template.by}: ${[...cases, ...(step.template.default ? [step.template.default] : [])].join(' | ')}`;
}

/** A sequence as lines of text: its name, then one line per step. */
export function describeSequence(id: string, sequence: SequenceDefinition): string[] {
  const header = `${id} — ${sequence.name} (${[sequence.phase, `${sequence.days ?? 'business'} days`, `${sequence.steps.length} step${sequence.steps.length === 1 ? "" : "s"}`].filter(Boolean).join(', ')})`;
  const timings = sequence.steps.map(describeTiming);
  const width = Math.max(...timings.map((timing) => timing.length));
  const types = Math.max(...sequence.steps.map((step) => step.type.length));
  return [
    header,
    ...sequence.steps.map((step, index) => {
      const template = describeTemplate(step);
      const guard = step.when ? `  when ${step.when}` : '';
      return `  ${timings[index]!.padEnd(width)}  ${step.type.padEnd(types)}  ${step.id}${template ? ` (${template})` : ''}${guard}`;
    }),
  ];
}
