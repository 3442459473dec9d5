import { didYouMean } from '../util/did-you-mean.js';
import { checkField, checkReference, type CheckContext } from './check-context.js';
import type { Action, LeadFieldDefinition } from './types.js';
import type { YamlFile, YamlPath } from './yaml-file.js';

/** Fields that identify or derive from the lead; actions may not change them. */
const PROTECTED_FIELDS = new Set(['email', 'full_name']);

/** Checks a list of actions (`on_finish`, an outcome's `do`, a trigger's `do`). */
export function checkActions(context: CheckContext, yaml: YamlFile, path: YamlPath, actions: readonly Action[], subject: string): void {
  actions.forEach((action, index) => checkAction(context, yaml, [...path, index], action, subject));
}

function checkAction(context: CheckContext, yaml: YamlFile, path: YamlPath, action: Action, subject: string): void {
  if ('enroll' in action) {
    const sequence = typeof action.enroll === 'string' ? action.enroll : action.enroll.sequence;
    const at = typeof action.enroll === 'string' ? [...path, 'enroll'] : [...path, 'enroll', 'sequence'];
    checkReference(context, yaml, at, 'sequence', sequence, 'ACTION_UNKNOWN_SEQUENCE', subject);
  } else if ('move' in action) {
    checkReference(context, yaml, [...path, 'move'], 'sequence', action.move, 'ACTION_UNKNOWN_SEQUENCE', subject);
  } else if ('remove' in action) {
    if (action.remove !== '*') {
      checkReference(context, yaml, [...path, 'remove'], 'sequence', action.remove, 'ACTION_UNKNOWN_SEQUENCE', subject);
    }
  } else if ('set' in action) {
    for (const [field, value] of Object.entries(action.set)) {
      const definition = checkWritableField(context, yaml, [...path, 'set', field], field, subject);
      if (definition) checkValue(context, yaml, [...path, 'set', field], field, definition, value);
    }
  } else if ('clear' in action) {
    const fields = Array.isArray(action.clear) ? action.clear : [action.clear];
    fields.forEach((field, index) => {
      const at = Array.isArray(action.clear) ? [...path, 'clear', index] : [...path, 'clear'];
      checkWritableField(context, yaml, at, field, subject);
    });
  } else if ('assign' in action) {
    checkAssign(context, yaml, path, action.assign, subject);
  }
}

function checkWritableField(context: CheckContext, yaml: YamlFile, path: YamlPath, field: string, subject: string): LeadFieldDefinition | undefined {
  if (PROTECTED_FIELDS.has(field)) {
    context.problems.error('ACTION_PROTECTED_FIELD', yaml.file, yaml.at(path), `${subject} changes "${field}", which actions may not change`, field === 'email' ? 'the email address identifies the lead; import the new address instead' : undefined);
    return undefined;
  }
  return checkField(context, yaml, path, field, subject);
}

function checkValue(context: CheckContext, yaml: YamlFile, path: YamlPath, field: string, definition: LeadFieldDefinition, value: unknown): void {
  if (value === null) return;
  const fail = (expected: string, hint?: string): void =>
    context.problems.error('ACTION_BAD_VALUE', yaml.file, yaml.at(path), `"${field}" is ${expected}, but the action sets it to ${JSON.stringify(value)}`, hint);
  switch (definition.type) {
    case 'number':
      if (typeof value !== 'number') fail('a number');
      break;
    case 'boolean':
      if (typeof value !== 'boolean') fail('true or false');
      break;
    case 'date':
      if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) fail('a date', 'write YYYY-MM-DD');
      break;
    case 'datetime':
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) fail('a date and time', 'write ISO 8601, like 2026-12-01T10:00:00+09:00');
      break;
    case 'enum': {
      const values = definition.values ?? [];
      if (!values.includes(String(value))) {
        const guess = didYouMean(String(value), values);
        fail(`one of ${values.join(', ')}`, guess ? `did you mean "${guess}"?` : undefined);
      }
      break;
    }
    default:
      if (field === 'status' && context.workspace.config?.definition?.statuses) {
        const statuses = context.workspace.config.definition.statuses;
        if (!statuses.includes(String(value))) {
          const guess = didYouMean(String(value), statuses);
          fail(`one of the statuses in cadence.yaml (${statuses.join(', ')})`, guess ? `did you mean "${guess}"?` : 'add it to statuses: in cadence.yaml');
        }
      }
  }
}

function checkAssign(context: CheckContext, yaml: YamlFile, path: YamlPath, assign: string | { round_robin: string }, subject: string): void {
  const config = context.workspace.config?.definition;
  if (!config) return; // reported with cadence.yaml's own problems
  const reps = config.reps ?? [];
  if (typeof assign === 'string') {
    if (reps.some((rep) => rep.name === assign)) return;
    const guess = didYouMean(assign, reps.map((rep) => rep.name));
    context.problems.error('ACTION_UNKNOWN_REP', yaml.file, yaml.at([...path, 'assign']), `${subject} assigns to "${assign}", who is not one of the reps in cadence.yaml`, guess ? `did you mean "${guess}"?` : 'add the rep under reps: in cadence.yaml');
    return;
  }
  const teams = [...new Set(reps.flatMap((rep) => (rep.team ? [rep.team] : [])))];
  if (teams.includes(assign.round_robin)) return;
  const guess = didYouMean(assign.round_robin, teams);
  context.problems.error('ACTION_UNKNOWN_TEAM', yaml.file, yaml.at([...path, 'assign', 'round_robin']), `${subject} assigns round-robin over team "${assign.round_robin}", which has no reps`, guess ? `did you mean "${guess}"?` : 'give reps in cadence.yaml a team:');
}

