import type { ConditionNode } from './ast.js';
import { evaluateCondition } from './evaluate.js';
import { parseCondition } from './parser.js';

const parsed = new Map<string, ConditionNode | null>();

/**
 * Whether a condition from a validated workspace holds for a lead (its fields and
 * address). Each expression is parsed once per process; one that does not parse (which
 * validation prevents) holds for nobody.
 */
export function conditionHolds(expression: string, fields: Readonly<Record<string, unknown>>, email: string): boolean {
  let ast = parsed.get(expression);
  if (ast === undefined) {
    const result = parseCondition(expression);
    ast = result.ok ? result.ast : null;
    parsed.set(expression, ast);
  }
  return ast !== null && evaluateCondition(ast, { ...fields, email });
}
