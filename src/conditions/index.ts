/**
 * The condition language of step `when` guards, sequence entry and exit rules, triggers
 * and `cadence leads --where`: `status = "MQL" and tier in ("A", "B")`.
 */
export type {
  CompareOperator,
  ConditionLiteral,
  ConditionNode,
  ConditionSyntaxError,
  ParseResult,
  TextOperator,
} from './ast.js';
export { MAX_CONDITION_DEPTH, MAX_CONDITION_LENGTH } from './ast.js';
export { parseCondition } from './parser.js';
export { conditionFields } from './fields.js';
export { evaluateCondition } from './evaluate.js';
export { conditionHolds } from './holds.js';
export { ConditionFieldError, conditionToSql } from './to-sql.js';
export { registerConditionFunctions, SQL_FUNCTIONS, type SqlFunctionHost } from './sql-functions.js';
