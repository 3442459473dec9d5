import { CadenceError } from '../errors.js';
import { CellError } from '../import/cell.js';
import { converterFor } from '../import/cell-converters.js';
import { normaliseEmail } from '../leads/email.js';
import type { Store } from '../store/database.js';
import { findLeadByEmail, type FieldValue } from '../store/leads.js';
import { didYouMean } from '../util/did-you-mean.js';
import { leadFields } from '../workspace/lead-fields.js';
import type { WorkspaceConfig } from '../workspace/types.js';
import type { SimulatedLead } from './simulate.js';

/** A stored lead, for `simulate --lead EMAIL`. */
export function storedLead(store: Store, email: string): SimulatedLead {
  const address = normaliseEmail(email);
  const lead = findLeadByEmail(store.db, address);
  if (!lead) throw new CadenceError('LEAD_NOT_FOUND', `no lead with the address ${address}`, { hint: 'import it first, or describe the lead with --field name=value' });
  return { email: lead.email, fields: lead.fields };
}

/** A lead described on the command line (`--field first_name=Taro`), converted as import converts cells. */
export function describedLead(config: WorkspaceConfig, assignments: readonly string[]): SimulatedLead {
  const fields = leadFields(config);
  const values: Record<string, FieldValue> = {};
  const problems: string[] = [];
  let email = 'simulated.lead@example.com';
  for (const assignment of assignments) {
    const equals = assignment.indexOf('=');
    const name = equals > 0 ? assignment.slice(0, equals).trim() : '';
    if (!name || !fields.has(name)) {
      const guess = name ? didYouMean(name, fields.keys()) : undefined;
      problems.push(equals > 0 ? `"${name}" is not a lead field${guess ? ` (did you mean "${guess}"?)` : ''}` : `"${assignment}" is not name=value`);
      continue;
    }
    const value = converterFor(name, fields.get(name))(assignment.slice(equals + 1), config.timezone);
    if (value instanceof CellError) problems.push(`${name}: ${value.message}`);
    else if (value !== undefined && name === 'email') email = String(value);
    else if (value !== undefined) values[name] = value;
  }
  if (problems.length > 0) {
    throw new CadenceError('SIMULATE_BAD_FIELD', problems.length === 1 ? problems[0]! : `${problems.length} problems with --field`, { details: problems.length > 1 ? problems : [], hint: 'write --field name=value for each lead field, e.g. --field first_name=Taro --field meeting_at="2026-12-03 10:00"', exitCode: 2 });
  }
  values.language ??= config.language ?? 'en';
  return { email, fields: values };
}
