/**
 * The parsed form of a condition (`status = "MQL" and tier in ("A", "B")`).
 *
 * Every node and literal carries `column`: the 1-based position of its first character
 * in the condition text, counted in UTF-16 code units (as editors and the `yaml` package
 * count), so a caller can add the offset of the condition inside its YAML file.
 */

export type ConditionLiteral =
  | { type: 'string'; value: string; column: number }
  | { type: 'number'; value: number; column: number }
  | { type: 'boolean'; value: boolean; column: number }
  | { type: 'null'; column: number };

/** `<>` is read as `!=`. */
export type CompareOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type TextOperator = 'contains' | 'starts_with';

export type ConditionNode =
  | { kind: 'and'; operands: ConditionNode[]; column: number }
  | { kind: 'or'; operands: ConditionNode[]; column: number }
  | { kind: 'not'; operand: ConditionNode; column: number }
  /** `field OP value`. The value is never `null`/`""` with an ordering operator (a syntax error). */
  | { kind: 'compare'; field: string; operator: CompareOperator; value: ConditionLiteral; column: number }
  /** `field in (...)`, or `field not in (...)` when `negated`. */
  | { kind: 'in'; field: string; negated: boolean; values: ConditionLiteral[]; column: number }
  /** `field contains "text"` or `field starts with "text"`; `value` is a non-empty string. */
  | { kind: 'text'; field: string; operator: TextOperator; value: string; column: number }
  /** `field is empty`, or `field is not empty` when `negated`. */
  | { kind: 'empty'; field: string; negated: boolean; column: number };

export interface ConditionSyntaxError {
  code: 'COND_SYNTAX';
  message: string;
  /** 1-based, in UTF-16 code units. */
  column: number;
  /** How many characters from `column` the problem spans, for an underline. */
  length?: number;
  hint?: string;
}

export type ParseResult = { ok: true; ast: ConditionNode } | { ok: false; error: ConditionSyntaxError };

export const MAX_CONDITION_LENGTH = 4000;
export const MAX_CONDITION_DEPTH = 64;
