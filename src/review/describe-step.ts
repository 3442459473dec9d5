import type { OutcomeBranch, StepDefinition, TemplateRef } from '../workspace/types.js';

/** A step's timing as a person writes it: `day 4`, `after 2d`, `at meeting_at -1d 17:00`. */
export function timingText(step: StepDefinition): string {
  if (step.day !== undefined) return `day ${step.day}`;
  if (step.after !== undefined) return `after ${step.after}`;
  if (step.at) return ['at', step.at.field, step.at.offset, step.at.time].filter(Boolean).join(' ');
  return '(no timing)';
}

/** A template reference: its id, or `by FIELD (case → id, …)`. */
export function templateText(template: TemplateRef | undefined): string | null {
  if (template === undefined) return null;
  if (typeof template === 'string') return template;
  const cases = Object.entries(template.cases).map(([value, id]) => `${value} → ${id}`);
  if (template.default) cases.push(`default → ${template.default}`);
  return `by ${template.by} (${cases.join(', ')})`;
}

/** A call outcome's branch in words. */
export function branchText(branch: OutcomeBranch | undefined): string | null {
  if (branch === undefined) return null;
  if (typeof branch === 'string') return branch;
  const parts: string[] = [];
  if (branch.goto) parts.push(`goto ${branch.goto}`);
  if (branch.exit) parts.push(`exit ${branch.exit}`);
  if (branch.finish) parts.push('finish');
  if (branch.do?.length) parts.push(`do ${compact(branch.do)}`);
  return parts.length ? parts.join(', ') : 'next';
}

/** A value as short one-line text: strings as they are, anything else as JSON. */
export function compact(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
