import { CadenceError } from '../errors.js';
import { CellError } from '../import/cell.js';
import { converterFor } from '../import/cell-converters.js';
import { composeFullName } from '../import/full-name.js';
import type { Store } from '../store/database.js';
import { appendEvent } from '../store/events.js';
import { findLeadByEmail, writeLeadFields, type FieldValue } from '../store/leads.js';
import { didYouMean } from '../util/did-you-mean.js';
import { leadFields } from '../workspace/lead-fields.js';
import type { WorkspaceConfig } from '../workspace/types.js';
import { normaliseEmail } from './email.js';

export type FieldChanges = Record<string, [FieldValue | null, FieldValue | null]>;

/** Fields no command may set: the address identifies the lead. */
const FIXED = new Set(['email']);

/**
 * Sets (`field=value`, converted as import converts a cell) and clears (`--unset`) lead
 * fields in one transaction, logged as one `lead.updated` event with what changed.
 * Every mistake in the arguments is reported before anything is written.
 */
export function setLeadFields(store: Store, config: WorkspaceConfig, email: string, assignments: readonly string[], unset: readonly string[], now: Date, actor: string): FieldChanges {
  const fields = leadFields(config);
  const problems: string[] = [];
  const values: Record<string, FieldValue> = {};
  const field = (name: string): boolean => {
    if (FIXED.has(name)) {
      problems.push(`"${name}" cannot be changed: it identifies the lead`);
      return false;
    }
    if (fields.has(name)) return true;
    const guess = didYouMean(name, fields.keys());
    problems.push(`"${name}" is not a lead field${guess ? ` (did you mean "${guess}"?)` : ''}`);
    return false;
  };
  for (const assignment of assignments) {
    const equals = assignment.indexOf('=');
    if (equals <= 0) {
      problems.push(`"${assignment}" is not field=value`);
      continue;
    }
    const name = assignment.slice(0, equals).trim();
    const raw = assignment.slice(equals + 1);
    if (!field(name)) continue;
    const value = converterFor(name, fields.get(name))(raw, config.timezone);
    if (value instanceof CellError) problems.push(`${name}: ${value.message}`);
    else if (value === undefined) problems.push(`${name}: no value given (to clear a field, use --unset ${name})`);
    else values[name] = value;
  }
  for (const name of unset) if (field(name) && name in values) problems.push(`"${name}" is both set and unset`);
  if (values.owner !== undefined && config.reps?.length && !config.reps.some((rep) => rep.name === values.owner)) {
    problems.push(`owner "${String(values.owner)}" is not one of the reps in cadence.yaml (${config.reps.map((rep) => rep.name).join(', ')})`);
  }
  if (values.status !== undefined && config.statuses && !config.statuses.includes(String(values.status))) {
    problems.push(`status "${String(values.status)}" is not one of ${config.statuses.join(', ')}`);
  }
  if (problems.length > 0 || (assignments.length === 0 && unset.length === 0)) {
    throw new CadenceError('LEAD_SET_INVALID', problems.length ? `nothing was changed: ${problems.length === 1 ? problems[0] : `${problems.length} problems`}` : 'nothing to change', {
      details: problems.length > 1 ? problems : [],
      hint: 'write field=value pairs, and --unset FIELD to clear one; `cadence leads show EMAIL` lists the fields',
      exitCode: 2,
    });
  }
  const address = normaliseEmail(email);
  const { db } = store;
  return db.transaction(() => {
    const lead = findLeadByEmail(db, address);
    if (!lead) throw new CadenceError('LEAD_NOT_FOUND', `no lead with the address ${address}`, { hint: 'import the lead first, or check the address with `cadence leads`' });
    const next: Record<string, FieldValue> = { ...lead.fields, ...values };
    for (const name of unset) delete next[name];
    if (('first_name' in values || 'last_name' in values || unset.includes('first_name') || unset.includes('last_name')) && !('full_name' in values)) {
      const fullName = composeFullName(next);
      if (fullName) next.full_name = fullName;
      else delete next.full_name;
    }
    const changes: FieldChanges = {};
    for (const name of new Set([...Object.keys(lead.fields), ...Object.keys(next)])) {
      if (lead.fields[name] !== next[name]) changes[name] = [lead.fields[name] ?? null, next[name] ?? null];
    }
    if (Object.keys(changes).length > 0) {
      const at = now.toISOString();
      writeLeadFields(db, lead.id, next, at);
      appendEvent(db, { type: 'lead.updated', at, actor, leadId: lead.id, data: { changes } });
    }
    return changes;
  }).immediate();
}
