import type { SequenceDefinition, StepDefinition, TemplateDefinition, TemplateVariant } from '../workspace/types.js';
import { branchText, compact, templateText, timingText } from './describe-step.js';
import type { Definitions } from './workspace-side.js';
import { wordDiff, type WordSegment } from './word-diff.js';

/** One change of a value: a setting, a guard, an exit rule. Null is "not set". */
export interface ValueChange {
  path: string;
  from: string | null;
  to: string | null;
}

export type StepChange =
  | { step: string; change: 'added'; type: string; timing: string; position: number }
  | { step: string; change: 'removed'; type: string; timing: string; position: number }
  | { step: string; change: 'moved'; from: number; to: number; after: string | null }
  | { step: string; change: 'retimed' | 'type' | 'template' | 'guard'; from: string | null; to: string | null }
  | { step: string; change: 'branch'; outcome: string; from: string | null; to: string | null }
  | { step: string; change: 'setting'; path: string; from: string | null; to: string | null };

export interface SequenceDiff {
  id: string;
  status: 'added' | 'removed' | 'changed';
  name: string;
  steps: StepChange[];
  settings: ValueChange[];
}

export interface TextDiff {
  before: string | null;
  after: string | null;
  words: WordSegment[];
}

export interface TemplateDiff {
  id: string;
  status: 'added' | 'removed' | 'changed';
  subject?: TextDiff;
  body?: TextDiff;
  variants: { id: string; status: 'added' | 'removed' | 'changed'; subject?: TextDiff; body?: TextDiff; weight?: ValueChange }[];
  settings: ValueChange[];
}

export interface EntityDiff {
  id: string;
  status: 'added' | 'removed' | 'changed';
  settings: ValueChange[];
}

export interface WorkspaceDiff {
  sequences: SequenceDiff[];
  templates: TemplateDiff[];
  triggers: EntityDiff[];
  config: ValueChange[];
}

/** What changed between two valid workspaces, by meaning rather than by line: a pure function. */
export function diffWorkspaces(before: Definitions, after: Definitions): WorkspaceDiff {
  return {
    sequences: pairs(before.sequences, after.sequences).flatMap(([id, old, now]) => diffSequence(id, old, now) ?? []),
    templates: pairs(before.templates, after.templates).flatMap(([id, old, now]) => diffTemplate(id, old, now) ?? []),
    triggers: pairs(before.triggers, after.triggers).flatMap(([id, old, now]) => {
      const settings = valueChanges(old ?? {}, now ?? {}, '');
      if (old && now && settings.length === 0) return [];
      return [{ id, status: !old ? 'added' : !now ? 'removed' : 'changed', settings } as EntityDiff];
    }),
    config: valueChanges(before.config, after.config, ''),
  };
}

/** Whether a diff has anything in it. */
export function isEmptyDiff(diff: WorkspaceDiff): boolean {
  return diff.sequences.length + diff.templates.length + diff.triggers.length + diff.config.length === 0;
}

function pairs<T>(before: ReadonlyMap<string, T>, after: ReadonlyMap<string, T>): [string, T | undefined, T | undefined][] {
  return [...new Set([...before.keys(), ...after.keys()])].sort().map((id) => [id, before.get(id), after.get(id)]);
}

function diffSequence(id: string, before: SequenceDefinition | undefined, after: SequenceDefinition | undefined): SequenceDiff | undefined {
  const stepsOf = (sequence: SequenceDefinition | undefined): StepDefinition[] => sequence?.steps ?? [];
  const oldSteps = stepsOf(before);
  const newSteps = stepsOf(after);
  const steps: StepChange[] = [];
  const oldIds = oldSteps.map((step) => step.id);
  const newIds = newSteps.map((step) => step.id);
  oldSteps.forEach((step, index) => {
    if (!newIds.includes(step.id)) steps.push({ step: step.id, change: 'removed', type: step.type, timing: timingText(step), position: index + 1 });
  });
  newSteps.forEach((step, index) => {
    if (!oldIds.includes(step.id)) steps.push({ step: step.id, change: 'added', type: step.type, timing: timingText(step), position: index + 1 });
  });
  const kept = oldIds.filter((stepId) => newIds.includes(stepId));
  const inOrder = new Set(longestCommonOrder(kept, newIds.filter((stepId) => oldIds.includes(stepId))));
  for (const stepId of kept) {
    if (!inOrder.has(stepId)) steps.push({ step: stepId, change: 'moved', from: oldIds.indexOf(stepId) + 1, to: newIds.indexOf(stepId) + 1, after: newIds[newIds.indexOf(stepId) - 1] ?? null });
  }
  for (const step of newSteps) {
    const old = oldSteps.find((candidate) => candidate.id === step.id);
    if (old) steps.push(...diffStep(old, step));
  }
  const { steps: _oldSteps, ...oldSettings } = before ?? ({} as Partial<SequenceDefinition>);
  const { steps: _newSteps, ...newSettings } = after ?? ({} as Partial<SequenceDefinition>);
  const settings = before && after ? valueChanges(oldSettings, newSettings, '') : [];
  if (before && after && steps.length === 0 && settings.length === 0) return undefined;
  return { id, status: !before ? 'added' : !after ? 'removed' : 'changed', name: (after ?? before)!.name, steps, settings };
}

function diffStep(old: StepDefinition, now: StepDefinition): StepChange[] {
  const changes: StepChange[] = [];
  const step = now.id;
  const push = (change: 'retimed' | 'type' | 'template' | 'guard', from: string | null, to: string | null): void => {
    if (from !== to) changes.push({ step, change, from, to });
  };
  push('retimed', timingText(old), timingText(now));
  push('type', old.type, now.type);
  push('template', templateText(old.template), templateText(now.template));
  push('guard', old.when ?? null, now.when ?? null);
  const outcomes = new Set([...Object.keys(old.outcomes ?? {}), ...Object.keys(now.outcomes ?? {})]);
  for (const outcome of [...outcomes].sort()) {
    const from = branchText(old.outcomes?.[outcome as keyof typeof old.outcomes]);
    const to = branchText(now.outcomes?.[outcome as keyof typeof now.outcomes]);
    if (from !== to) changes.push({ step, change: 'branch', outcome, from, to });
  }
  const rest = (definition: StepDefinition): Record<string, unknown> => {
    const { id: _id, type: _type, day: _day, after: _after, at: _at, template: _template, when: _when, outcomes: _outcomes, ...others } = definition;
    return others;
  };
  for (const change of valueChanges(rest(old), rest(now), '')) changes.push({ step, change: 'setting', ...change });
  return changes;
}

function diffTemplate(id: string, before: TemplateDefinition | undefined, after: TemplateDefinition | undefined): TemplateDiff | undefined {
  const status = !before ? 'added' : !after ? 'removed' : 'changed';
  const subject = textDiff(before?.subject, after?.subject);
  const body = textDiff(before?.body, after?.body);
  const variantsOf = (template: TemplateDefinition | undefined): Map<string, TemplateVariant> => new Map((template?.variants ?? []).map((variant) => [variant.id, variant]));
  const variants = pairs(variantsOf(before), variantsOf(after)).flatMap(([variantId, old, now]) => {
    const variantSubject = textDiff(old?.subject, now?.subject);
    const variantBody = textDiff(old?.body, now?.body);
    const weight = compact(old?.weight) !== compact(now?.weight) && old && now ? { path: 'weight', from: compact(old.weight), to: compact(now.weight) } : undefined;
    if (old && now && !variantSubject && !variantBody && !weight) return [];
    return [{ id: variantId, status: (!old ? 'added' : !now ? 'removed' : 'changed') as 'added' | 'removed' | 'changed', ...(variantSubject ? { subject: variantSubject } : {}), ...(variantBody ? { body: variantBody } : {}), ...(weight ? { weight } : {}) }];
  });
  const rest = (template: TemplateDefinition | undefined): Record<string, unknown> => {
    if (!template) return {};
    const { subject: _subject, body: _body, variants: _variants, ...others } = template;
    return others;
  };
  const settings = before && after ? valueChanges(rest(before), rest(after), '') : [];
  if (status === 'changed' && !subject && !body && variants.length === 0 && settings.length === 0) return undefined;
  return { id, status, ...(subject ? { subject } : {}), ...(body ? { body } : {}), variants, settings };
}

function textDiff(before: string | undefined, after: string | undefined): TextDiff | undefined {
  if (before === after) return undefined;
  return { before: before ?? null, after: after ?? null, words: wordDiff(before ?? '', after ?? '') };
}

/**
 * Every leaf that differs between two plain objects, as dotted paths (`exit.when`,
 * `schedules.business-hours.cron`); arrays compare whole.
 */
export function valueChanges(before: unknown, after: unknown, path: string): ValueChange[] {
  const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => valueChanges(before[key], after[key], path ? `${path}.${key}` : key));
  }
  const from = compact(before);
  const to = compact(after);
  return from === to ? [] : [{ path, from, to }];
}

/** The longest subsequence of `a` that is also a subsequence of `b` (both hold the same ids). */
function longestCommonOrder(a: readonly string[], b: readonly string[]): string[] {
  const lengths: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lengths[i]![j] = a[i] === b[j] ? lengths[i + 1]![j + 1]! + 1 : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
  }
  const out: string[] = [];
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) {
      out.push(a[i]!);
      i++;
      j++;
    } else if (lengths[i + 1]![j]! > lengths[i]![j + 1]!) i++;
    // On a tie, keep the old order's step: the step that jumped ahead of it is the one reported as moved.
    else j++;
  }
  return out;
}
