import { checkActions } from './check-actions.js';
import { checkCondition, checkField, checkReference, type CheckContext } from './check-context.js';
import { isDateType } from './lead-fields.js';
import type { TriggerDefinition } from './types.js';
import type { YamlFile } from './yaml-file.js';

/** Which `on:` filters make sense for which events. */
const FILTERS: Record<'field' | 'sequence' | 'reason' | 'outcome', readonly string[]> = {
  field: ['lead.updated'],
  sequence: ['enrollment.finished', 'enrollment.exited', 'reply.received', 'task.completed'],
  reason: ['enrollment.exited'],
  outcome: ['task.completed'],
};

/** Semantic checks of every schema-valid trigger. */
export function checkTriggers(context: CheckContext): void {
  for (const source of context.workspace.triggers.values()) {
    if (source.definition && source.yaml) checkTrigger(context, source.id, source.definition, source.yaml);
  }
}

function checkTrigger(context: CheckContext, id: string, trigger: TriggerDefinition, yaml: YamlFile): void {
  const subject = `trigger "${id}"`;
  if ('date' in trigger.on) {
    const field = checkField(context, yaml, ['on', 'date', 'field'], trigger.on.date.field, subject);
    if (field && !isDateType(field.type)) {
      context.problems.error('TRG_NOT_DATE_FIELD', yaml.file, yaml.at(['on', 'date', 'field']), `${subject} fires on the date in "${trigger.on.date.field}", whose type is ${field.type}`, 'a date trigger needs a field of type date or datetime');
    }
  } else {
    const on = trigger.on;
    const events = Array.isArray(on.event) ? on.event : [on.event];
    for (const filter of ['field', 'sequence', 'reason', 'outcome'] as const) {
      if (on[filter] === undefined) continue;
      const fits = events.filter((event) => FILTERS[filter].includes(event));
      if (fits.length === 0) {
        context.problems.error('TRG_FILTER_MISMATCH', yaml.file, yaml.keyAt(['on'], filter), `${subject} filters on ${filter}, which ${events.join(' and ')} events do not have`, `${filter}: applies to ${FILTERS[filter].join(', ')}`);
      }
    }
    if (on.field !== undefined) checkField(context, yaml, ['on', 'field'], on.field, subject);
    if (on.sequence !== undefined) checkReference(context, yaml, ['on', 'sequence'], 'sequence', on.sequence, 'TRG_UNKNOWN_SEQUENCE', subject);
  }
  if (trigger.when) checkCondition(context, yaml, ['when'], trigger.when, `${subject} when`);
  checkActions(context, yaml, ['do'], trigger.do, subject);
}
