import type { CompareOperator, ConditionLiteral, ConditionNode } from './ast.js';
import type { Token } from './lexer.js';
import { KEYWORDS, type TokenCursor } from './cursor.js';

const ORDERING = new Set<CompareOperator>(['<', '<=', '>', '>=']);

/** `field OPERATOR value`, `field [not] in (...)`, `field contains "…"`, `field is [not] empty`, … */
export function parseComparison(cursor: TokenCursor, after?: Token): ConditionNode {
  const start = cursor.peek();
  const field = readField(cursor, after);
  const column = start.column;
  const operator = cursor.peek();

  if (operator.kind === 'operator') {
    cursor.next();
    const op: CompareOperator = operator.text === '<>' ? '!=' : operator.text;
    const valueToken = cursor.peek();
    const value = readValue(cursor, `'${operator.text}'`);
    if (ORDERING.has(op)) checkOrderable(cursor, value, valueToken, operator.text);
    return { kind: 'compare', field, operator: op, value, column };
  }
  if (cursor.keyword('in')) return { kind: 'in', field, negated: false, values: readList(cursor, 'in'), column };
  if (cursor.keyword('not')) {
    const token = cursor.peek();
    if (!cursor.keyword('in')) cursor.expected(token, "expected 'in' after 'not'", 'to negate a comparison, write not (…)');
    return { kind: 'in', field, negated: true, values: readList(cursor, 'not in'), column };
  }
  if (cursor.keyword('contains')) {
    return { kind: 'text', field, operator: 'contains', value: readText(cursor, 'contains'), column };
  }
  if (cursor.keyword('starts')) {
    const token = cursor.peek();
    if (!cursor.keyword('with')) cursor.expected(token, "expected 'with' after 'starts'");
    return { kind: 'text', field, operator: 'starts_with', value: readText(cursor, 'starts with'), column };
  }
  if (cursor.keyword('is')) {
    const negated = cursor.keyword('not') !== undefined;
    const token = cursor.peek();
    if (!cursor.keyword('empty')) {
      const words = negated ? 'is not' : 'is';
      const nullHint = token.kind === 'word' && token.lower === 'null' ? `use ${words} empty` : undefined;
      cursor.expected(token, `expected 'empty' after '${words}'`, nullHint);
    }
    return { kind: 'empty', field, negated, column };
  }
  return cursor.expected(
    operator,
    `expected a comparison after '${field}'`,
    `a condition compares a field: ${field} = "…", ${field} in (…), ${field} is not empty`,
  );
}

function readField(cursor: TokenCursor, after?: Token): string {
  const token = cursor.peek();
  if (token.kind === 'word' && (token.prefixed || !KEYWORDS.has(token.lower))) {
    cursor.next();
    return token.text;
  }
  if (token.kind === 'word') {
    cursor.expected(token, 'expected a field name', `a field named ${token.text} is written lead.${token.text}`);
  }
  if (after && (token.kind === 'end' || token.kind === ')')) {
    cursor.expected(token, `expected a condition after ${cursor.describe(after)}`);
  }
  return cursor.expected(token, 'expected a field name', 'a condition starts with a field: status = "MQL"');
}

/** A literal; `after` names what precedes it for the message ("expected a value after '='"). */
function readValue(cursor: TokenCursor, after: string): ConditionLiteral {
  const token = cursor.next();
  const { column } = token;
  if (token.kind === 'string') return { type: 'string', value: token.value, column };
  if (token.kind === 'number') return { type: 'number', value: token.value, column };
  if (token.kind === 'word' && !token.prefixed) {
    if (token.lower === 'true' || token.lower === 'false') return { type: 'boolean', value: token.lower === 'true', column };
    if (token.lower === 'null') return { type: 'null', column };
  }
  let hint: string | undefined;
  if (token.kind === 'word' && token.prefixed) hint = 'comparing two fields is not supported';
  else if (token.kind === 'word' && !KEYWORDS.has(token.lower)) hint = `to compare with text, quote it: "${token.text}"`;
  return cursor.expected(token, `expected a value after ${after}`, hint);
}

function checkOrderable(cursor: TokenCursor, value: ConditionLiteral, token: Token, operator: string): void {
  if (value.type === 'null' || (value.type === 'string' && value.value === '')) {
    const what = value.type === 'null' ? 'null' : 'an empty string';
    cursor.fail(token, `cannot use '${operator}' with ${what}`, 'use is empty or is not empty');
  }
  if (value.type === 'boolean') {
    cursor.fail(token, `cannot use '${operator}' with ${value.value}`, 'use = or != with true and false');
  }
}

function readList(cursor: TokenCursor, after: string): ConditionLiteral[] {
  const open = cursor.peek();
  if (open.kind !== '(') cursor.expected(open, `expected '(' after '${after}'`, `write a list: ${after} ("A", "B")`);
  cursor.next();
  if (cursor.peek().kind === ')') cursor.fail(cursor.peek(), 'the list is empty', 'add at least one value');
  const values = [readValue(cursor, "'('")];
  for (;;) {
    const token = cursor.peek();
    if (token.kind === 'end') cursor.fail(open, "unclosed '('", "add ')' to close the list");
    cursor.next();
    if (token.kind === ')') return values;
    if (token.kind !== ',') cursor.expected(token, "expected ',' or ')' in the list");
    values.push(readValue(cursor, "','"));
  }
}

function readText(cursor: TokenCursor, operator: string): string {
  const token = cursor.peek();
  const value = readValue(cursor, `'${operator}'`);
  if (value.type !== 'string') {
    const shown = value.type === 'null' ? 'null' : String(value.value);
    cursor.fail(token, `'${operator}' needs quoted text`, `quote it: ${operator} "${shown}"`);
  }
  if (value.value === '') cursor.fail(token, `'${operator}' needs non-empty text`, 'to test for any value, use is not empty');
  return value.value;
}
