import type { ConditionLiteral, ConditionNode } from './ast.js';
import { matchesLiteral, orderValues, textKey, toComparable, type ComparableValue } from './values.js';

/**
 * Whether a lead satisfies a condition. Pure and total: it never throws on odd values.
 *
 * - **Empty**: a missing field, `undefined`, `null`, `''` (and `NaN`) are empty.
 *   `x is empty` is true for them. Every comparison with an empty value is false except
 *   `!=` and `not in`, which are true (`x != "a"` holds when x is empty — not SQL's NULL).
 *   The literals `null` and `""` mean empty: `x = null` is `x is empty`, `x != ""` is
 *   `x is not empty`, and `x in ("A", null)` also matches an empty x.
 * - **`=`, `!=`, `in`**: text is compared exactly and case-sensitively. With a number on
 *   either side the comparison is numeric (`5` equals `"5"` and `"5.0"`), but two texts
 *   are never compared as numbers (`"0312"` ≠ `"312"`). Two ISO dates are equal when they
 *   are the same instant.
 * - **`<`, `<=`, `>`, `>=`**: numbers and numeric text compare as numbers; ISO dates and
 *   date-times (`2026-12-01`, `2026-12-01T09:00:00+09:00`, and `Date` values) compare
 *   chronologically, a date or a time without an offset being read as UTC; other text
 *   compares in code-point order. A number and non-numeric text have no order (false).
 * - **`contains`, `starts with`**: both sides NFKC-normalised (full-width `ＡＣＭＥ` and
 *   half-width `ｱｸﾒ` match `ACME` and `アクメ`) and lower-cased, so case-insensitive.
 * - **`true` / `false`**: equal the booleans, 1 / 0 (and `"1"` / `"0"`), and the text
 *   `"true"` / `"false"` in any case.
 * - Fields are looked up as own properties only (`constructor` is an empty field).
 */
export function evaluateCondition(ast: ConditionNode, lead: Readonly<Record<string, unknown>>): boolean {
  switch (ast.kind) {
    case 'and':
      return ast.operands.every((operand) => evaluateCondition(operand, lead));
    case 'or':
      return ast.operands.some((operand) => evaluateCondition(operand, lead));
    case 'not':
      return !evaluateCondition(ast.operand, lead);
    case 'empty':
      return (fieldValue(lead, ast.field) === null) !== ast.negated;
    case 'in': {
      const value = fieldValue(lead, ast.field);
      return ast.values.some((literal) => matchesLiteral(value, literal)) !== ast.negated;
    }
    case 'text': {
      const value = fieldValue(lead, ast.field);
      if (value === null) return false;
      const key = textKey(value);
      return ast.operator === 'contains' ? key.includes(textKey(ast.value)) : key.startsWith(textKey(ast.value));
    }
    case 'compare': {
      const value = fieldValue(lead, ast.field);
      if (ast.operator === '=') return matchesLiteral(value, ast.value);
      if (ast.operator === '!=') return !matchesLiteral(value, ast.value);
      const literal = orderableLiteral(ast.value);
      const order = value === null || literal === undefined ? undefined : orderValues(value, literal);
      if (order === undefined) return false;
      return ast.operator === '<' ? order < 0 : ast.operator === '<=' ? order <= 0 : ast.operator === '>' ? order > 0 : order >= 0;
    }
  }
}

/** The literal of `<`, `<=`, `>`, `>=`; the parser rejects the others, an AST built by hand may not. */
export function orderableLiteral(literal: ConditionLiteral): string | number | undefined {
  if (literal.type === 'number') return literal.value;
  if (literal.type === 'string' && literal.value !== '') return literal.value;
  return undefined;
}

function fieldValue(lead: Readonly<Record<string, unknown>>, field: string): ComparableValue {
  return toComparable(Object.hasOwn(lead, field) ? lead[field] : undefined);
}
