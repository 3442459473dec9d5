import type { ConditionLiteral, ConditionNode } from './ast.js';
import { orderableLiteral } from './evaluate.js';
import { isPlainText, SQL_FUNCTIONS } from './sql-functions.js';
import { isEmptyLiteral, textKey } from './values.js';

/** A condition names a field that the SQL mapping does not know. */
export class ConditionFieldError extends Error {
  readonly code = 'COND_UNKNOWN_FIELD';
  constructor(
    readonly field: string,
    /** 1-based column of the field in the condition. */
    readonly column: number,
  ) {
    super(`unknown field "${field}" (column ${column})`);
    this.name = 'ConditionFieldError';
  }
}

/**
 * Compiles a condition to an SQLite boolean expression for a `WHERE` clause.
 *
 * `column(field)` gives the SQL expression of a field (`leads.status`,
 * `json_extract(leads.custom, '$.tier')`); when it returns undefined this throws a
 * {@link ConditionFieldError}. Field SQL only ever comes from that callback and every
 * literal is a `?` parameter in `params`, so the condition text cannot inject SQL.
 *
 * The result selects exactly the rows for which `evaluateCondition` is true, on values
 * stored as text, numbers or NULL (booleans as 1/0, dates as ISO text — store numbers in
 * columns without TEXT affinity, or in JSON). To get there, every fragment is 0 or 1 and
 * never NULL, so `NOT` and `!=` keep the evaluator's two-valued logic; and comparisons
 * the evaluator makes with numbers, dates, booleans or normalised text call the functions
 * that {@link registerConditionFunctions} must have defined on the connection.
 */
export function conditionToSql(
  ast: ConditionNode,
  column: (field: string) => string | undefined,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const compile = (node: ConditionNode): string => {
    switch (node.kind) {
      case 'and':
      case 'or':
        return `(${node.operands.map(compile).join(node.kind === 'and' ? ' AND ' : ' OR ')})`;
      case 'not':
        return `(NOT ${compile(node.operand)})`;
      case 'empty':
        return negate(isEmpty(fieldSql(node, column)), node.negated);
      case 'in':
        return negate(equalsAny(fieldSql(node, column), node.values, params), node.negated);
      case 'text': {
        const key = textKey(node.value).replace(/[\\%_]/g, '\\$&');
        params.push(node.operator === 'contains' ? `%${key}%` : `${key}%`);
        return `coalesce(${SQL_FUNCTIONS.nfkcLower}(${fieldSql(node, column)}) LIKE ? ESCAPE '\\', 0)`;
      }
      case 'compare': {
        const field = fieldSql(node, column);
        if (node.operator === '=' || node.operator === '!=') {
          return negate(equalsAny(field, [node.value], params), node.operator === '!=');
        }
        const literal = orderableLiteral(node.value);
        if (literal === undefined) return '0';
        params.push(literal);
        return `coalesce(${SQL_FUNCTIONS.compare}(${field}, ?) ${node.operator} 0, 0)`;
      }
    }
  };
  return { sql: compile(ast), params };
}

function fieldSql(node: { field: string; column: number }, column: (field: string) => string | undefined): string {
  const sql = column(node.field);
  if (sql === undefined) throw new ConditionFieldError(node.field, node.column);
  // The expression appears inside larger ones; a plain (qualified) column name needs no parentheses.
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(sql) ? sql : `(${sql})`;
}

function negate(sql: string, negated: boolean): string {
  return negated ? `(NOT ${sql})` : sql;
}

function isEmpty(field: string): string {
  return `(${field} IS NULL OR ${field} = '')`;
}

/** `field` equals one of `literals`; parameters are pushed in the order their `?` appear. */
function equalsAny(field: string, literals: ConditionLiteral[], params: unknown[]): string {
  const tests: string[] = [];
  if (literals.some(isEmptyLiteral)) tests.push(isEmpty(field));
  const plain = literals.flatMap((literal) => (literal.type === 'string' && isPlainText(literal.value) ? [literal.value] : []));
  if (plain.length > 0) {
    const list = plain.length === 1 ? '= ?' : `IN (${plain.map(() => '?').join(', ')})`;
    tests.push(`(typeof(${field}) = 'text' AND ${field} COLLATE BINARY ${list})`);
    params.push(...plain);
  }
  for (const literal of literals) {
    if (literal.type === 'boolean') {
      tests.push(`coalesce(${SQL_FUNCTIONS.truth}(${field}) = ?, 0)`);
      params.push(literal.value ? 1 : 0);
    } else if (literal.type === 'number' || (literal.type === 'string' && literal.value !== '' && !isPlainText(literal.value))) {
      tests.push(`${SQL_FUNCTIONS.equals}(${field}, ?)`);
      params.push(literal.value);
    }
  }
  return tests.length === 1 ? tests[0]! : `(${tests.join(' OR ')})`;
}
