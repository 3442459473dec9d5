import { checkActions } from './check-actions.js';
import { mailboxRef, scheduleRef } from './check-config.js';
import { checkCondition, checkField, checkReference, type CheckContext } from './check-context.js';
import { isDateType } from './lead-fields.js';
import type { Source } from './load.js';
import { CHANNEL_OF_STEP, EMAIL_STEPS, stepTemplateRefs } from './step-templates.js';
import type { SequenceDefinition, StepDefinition } from './types.js';
import type { YamlFile, YamlPath } from './yaml-file.js';

/** Semantic checks of every schema-valid sequence. */
export function checkSequences(context: CheckContext): void {
  for (const source of context.workspace.sequences.values()) {
    if (source.definition && source.yaml) checkSequence(context, source, source.definition, source.yaml);
  }
}

function checkSequence(context: CheckContext, source: Source<SequenceDefinition>, sequence: SequenceDefinition, yaml: YamlFile): void {
  const config = context.workspace.config?.definition;
  const mailboxes = Object.keys(config?.mailboxes ?? {});
  const name = `sequence "${source.id}"`;
  if (config && sequence.schedule) scheduleRef(context, yaml, ['schedule'], config, sequence.schedule, name);
  if (config && sequence.mailbox) mailboxRef(context, yaml, ['mailbox'], mailboxes, sequence.mailbox, name);
  if (sequence.entry?.when) checkCondition(context, yaml, ['entry', 'when'], sequence.entry.when, `${name} entry.when`);
  (sequence.entry?.requires ?? []).forEach((field, index) => checkField(context, yaml, ['entry', 'requires', index], field, `${name} entry.requires`));
  if (sequence.exit?.when) checkCondition(context, yaml, ['exit', 'when'], sequence.exit.when, `${name} exit.when`);
  if (sequence.on_finish) checkActions(context, yaml, ['on_finish'], sequence.on_finish, `${name} on_finish`);

  const ids = new Map<string, number>();
  sequence.steps.forEach((step, index) => {
    if (ids.has(step.id)) {
      context.problems.error('SEQ_DUPLICATE_STEP', yaml.file, yaml.at(['steps', index, 'id']), `step id "${step.id}" is used twice (steps ${ids.get(step.id)! + 1} and ${index + 1})`, 'step ids must be unique and stable: leads are matched to steps by id when the file changes');
    } else {
      ids.set(step.id, index);
    }
  });

  let lastDay: { day: number; index: number } | undefined;
  sequence.steps.forEach((step, index) => {
    const path: YamlPath = ['steps', index];
    const subject = `step "${step.id}"`;
    checkTiming(context, yaml, path, step, subject);
    if (step.day !== undefined) {
      if (lastDay && step.day < lastDay.day) {
        context.problems.error('SEQ_DAY_BACKWARDS', yaml.file, yaml.at([...path, 'day']), `${subject} is on day ${step.day}, before the previous step "${sequence.steps[lastDay.index]!.id}" on day ${lastDay.day}`, 'order the steps by day, or use after: for a step that follows another');
      }
      lastDay = { day: step.day, index };
    }
    checkStepTemplates(context, yaml, path, step, subject);
    if (step.when) checkCondition(context, yaml, [...path, 'when'], step.when, `${subject} when`);
    if (config && step.schedule) scheduleRef(context, yaml, [...path, 'schedule'], config, step.schedule, subject);
    if (config && step.mailbox) mailboxRef(context, yaml, [...path, 'mailbox'], mailboxes, step.mailbox, subject);
    if (step.thread !== undefined) checkThread(context, yaml, path, sequence, index, step);
    if (step.type === 'call' && step.outcomes) checkOutcomes(context, yaml, path, sequence, ids, index, step);
  });
}

function checkTiming(context: CheckContext, yaml: YamlFile, path: YamlPath, step: StepDefinition, subject: string): void {
  const forms = (['day', 'after', 'at'] as const).filter((key) => step[key] !== undefined);
  if (forms.length !== 1) {
    context.problems.error('SEQ_TIMING', yaml.file, yaml.at(path), forms.length === 0 ? `${subject} has no timing` : `${subject} has ${forms.join(' and ')}; a step has exactly one timing`, 'use one of day: N, after: DURATION, or at: { field, offset, time }');
  }
  if (step.at) {
    const field = checkField(context, yaml, [...path, 'at', 'field'], step.at.field, `${subject} at.field`);
    if (field && !isDateType(field.type)) {
      context.problems.error('SEQ_AT_NOT_DATE', yaml.file, yaml.at([...path, 'at', 'field']), `${subject} is timed at "${step.at.field}", whose type is ${field.type}, not date or datetime`, 'at: needs a field of type date or datetime; declare it so in cadence.yaml lead_fields:');
    }
  }
}

function checkStepTemplates(context: CheckContext, yaml: YamlFile, path: YamlPath, step: StepDefinition, subject: string): void {
  if (step.template === undefined && EMAIL_STEPS.has(step.type)) {
    context.problems.error('SEQ_TEMPLATE_REQUIRED', yaml.file, yaml.at(path), `${subject} (type: ${step.type}) has no template`, 'add template: NAME (a file in templates/)');
  }
  if (step.template !== undefined && typeof step.template === 'object') {
    const field = checkField(context, yaml, [...path, 'template', 'by'], step.template.by, `${subject} template.by`);
    if (field?.type === 'enum') {
      const values = field.values ?? [];
      for (const value of Object.keys(step.template.cases)) {
        if (!values.includes(value)) {
          context.problems.error('SEQ_UNKNOWN_CASE', yaml.file, yaml.keyAt([...path, 'template', 'cases'], value), `${subject} has a template for ${step.template.by} "${value}", which is not one of its values (${values.join(', ')})`);
        }
      }
      const uncovered = values.filter((value) => !(value in (step.template as { cases: object }).cases));
      if (!step.template.default && uncovered.length > 0) {
        context.problems.warning('SEQ_CASES_INCOMPLETE', yaml.file, yaml.at([...path, 'template']), `${subject} has no template for ${step.template.by} ${uncovered.map((v) => `"${v}"`).join(', ')} and no default; those leads stop at this step`, 'add default: TEMPLATE');
      }
    }
  }
  for (const ref of stepTemplateRefs(step)) {
    const at = [...path, ...ref.path];
    if (!checkReference(context, yaml, at, 'template', ref.id, 'SEQ_UNKNOWN_TEMPLATE', subject)) continue;
    const template = context.workspace.templates.get(ref.id)?.definition;
    const expected = CHANNEL_OF_STEP[step.type];
    if (template && template.channel !== expected) {
      context.problems.error('SEQ_TEMPLATE_CHANNEL', yaml.file, yaml.at(at), `${subject} (type: ${step.type}) uses template "${ref.id}", whose channel is ${template.channel}`, `${step.type} steps take a template with channel: ${expected}`);
    }
  }
}

function checkThread(context: CheckContext, yaml: YamlFile, path: YamlPath, sequence: SequenceDefinition, index: number, step: StepDefinition): void {
  const target = sequence.steps.findIndex((candidate) => candidate.id === step.thread);
  const at = yaml.at([...path, 'thread']);
  if (!EMAIL_STEPS.has(step.type)) {
    context.problems.error('SEQ_BAD_THREAD', yaml.file, at, `step "${step.id}" is a ${step.type} step; only emails can be threaded`);
  } else if (target < 0) {
    context.problems.error('SEQ_BAD_THREAD', yaml.file, at, `step "${step.id}" threads on "${step.thread}", which is not a step of this sequence`, 'name an earlier email step\'s id');
  } else if (target >= index || !EMAIL_STEPS.has(sequence.steps[target]!.type)) {
    context.problems.error('SEQ_BAD_THREAD', yaml.file, at, `step "${step.id}" threads on "${step.thread}", which is not an earlier email step`, 'a follow-up replies in the thread of an email sent before it');
  }
}

function checkOutcomes(context: CheckContext, yaml: YamlFile, path: YamlPath, sequence: SequenceDefinition, ids: Map<string, number>, index: number, step: StepDefinition): void {
  for (const [outcome, branch] of Object.entries(step.outcomes ?? {})) {
    if (typeof branch !== 'object') continue;
    const at: YamlPath = [...path, 'outcomes', outcome];
    const targets = [branch.goto !== undefined, branch.exit !== undefined, branch.finish === true].filter(Boolean).length;
    if (targets > 1) {
      context.problems.error('SEQ_BRANCH_CONFLICT', yaml.file, yaml.at(at), `outcome "${outcome}" of step "${step.id}" says more than one of goto, exit and finish`, 'choose one; do: actions may go with any of them');
    }
    if (branch.do) checkActions(context, yaml, [...at, 'do'], branch.do, `outcome "${outcome}" of step "${step.id}"`);
    if (branch.goto === undefined) continue;
    const target = ids.get(branch.goto);
    if (target === undefined) {
      context.problems.error('SEQ_UNKNOWN_STEP', yaml.file, yaml.at([...at, 'goto']), `outcome "${outcome}" of step "${step.id}" goes to step "${branch.goto}", which does not exist`, `steps here: ${[...ids.keys()].join(', ')}`);
    } else if (target <= index && !sequence.steps.slice(target, index + 1).some((candidate) => candidate.after !== undefined)) {
      context.problems.error('SEQ_GOTO_LOOP', yaml.file, yaml.at([...at, 'goto']), `outcome "${outcome}" of step "${step.id}" goes back to "${branch.goto}", and no step between them waits, so the loop would repeat at once`, `give a step in the loop an after: wait (for example after: 1d), or go forward`);
    }
  }
}
