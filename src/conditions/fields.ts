import type { ConditionNode } from './ast.js';

/** Every field a condition refers to, in source order and once per mention, for validation. */
export function conditionFields(ast: ConditionNode): { field: string; column: number }[] {
  switch (ast.kind) {
    case 'and':
    case 'or':
      return ast.operands.flatMap(conditionFields);
    case 'not':
      return conditionFields(ast.operand);
    default:
      return [{ field: ast.field, column: ast.column }];
  }
}
