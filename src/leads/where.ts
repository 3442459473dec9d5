import { ConditionFieldError, conditionToSql, parseCondition } from '../conditions/index.js';
import { CadenceError } from '../errors.js';
import { leadFieldSql } from '../store/leads.js';
import { didYouMean } from '../util/did-you-mean.js';
import { displayWidth } from '../util/width.js';
import { BUILTIN_LEAD_FIELDS } from '../workspace/lead-fields.js';
import type { WorkspaceConfig } from '../workspace/types.js';

/**
 * Compiles a `--where` condition to SQL over the leads table. Values become bound
 * parameters and fields come only from the workspace's declared fields, so nothing the
 * user types can change the SQL itself.
 */
export function compileLeadFilter(expression: string, config: WorkspaceConfig): { sql: string; params: unknown[] } {
  const parsed = parseCondition(expression);
  if (!parsed.ok) {
    throw new CadenceError('COND_SYNTAX', `--where: ${parsed.error.message} (column ${parsed.error.column})`, {
      details: caret(expression, parsed.error.column),
      ...(parsed.error.hint ? { hint: parsed.error.hint } : {}),
      exitCode: 2,
    });
  }
  const custom = new Set(Object.keys(config.lead_fields ?? {}));
  try {
    return conditionToSql(parsed.ast, (field) => leadFieldSql(field.replace(/^lead\./, ''), custom));
  } catch (error) {
    if (!(error instanceof ConditionFieldError)) throw error;
    const known = [...Object.keys(BUILTIN_LEAD_FIELDS), ...custom];
    const guess = didYouMean(error.field, known);
    throw new CadenceError('COND_UNKNOWN_FIELD', `--where: "${error.field}" is not a lead field (column ${error.column})`, {
      details: caret(expression, error.column),
      hint: guess ? `did you mean "${guess}"?` : `lead fields: ${known.join(', ')}`,
      exitCode: 2,
    });
  }
}

/** The expression with a caret under the column (aligned for full-width characters too). */
function caret(expression: string, column: number): string[] {
  return [expression, `${' '.repeat(displayWidth(expression.slice(0, Math.max(0, column - 1))))}^`];
}
