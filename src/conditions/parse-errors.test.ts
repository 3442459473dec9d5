import { describe, expect, it } from 'vitest';
import { parseCondition } from './index.js';

interface Expected {
  message: string;
  column: number;
  length?: number;
  hint?: string;
}

function errorOf(source: string) {
  const result = parseCondition(source);
  if (result.ok) throw new Error(`expected ${JSON.stringify(source)} to fail`);
  return result.error;
}

// [condition, expected error]; columns are 1-based.
const cases: [string, Expected][] = [
  // Empty input and missing pieces.
  ['', { message: 'empty condition', column: 1 }],
  ['   ', { message: 'empty condition', column: 1 }],
  ['status = ', { message: "expected a value after '='", column: 9 }],
  ['status =', { message: "expected a value after '='", column: 9 }],
  ['status = and x = 1', { message: "expected a value after '=', found 'and'", column: 10, length: 3 }],
  ['a <', { message: "expected a value after '<'", column: 4 }],
  ['a = 1 and', { message: "expected a condition after 'and'", column: 10 }],
  ['a = 1 or ', { message: "expected a condition after 'or'", column: 9 }],
  ['not', { message: "expected a condition after 'not'", column: 4 }],
  ['()', { message: "expected a condition after '(', found ')'", column: 2 }],
  ['a = 1 and ()', { message: "expected a condition after '(', found ')'", column: 12 }],
  // A bare field is not a condition.
  ['vip', { message: "expected a comparison after 'vip'", column: 4, hint: 'a condition compares a field: vip = "…", vip in (…), vip is not empty' }],
  ['vip and a = 1', { message: "expected a comparison after 'vip', found 'and'", column: 5, length: 3 }],
  // Strings.
  ['status = "MQL', { message: 'unterminated string', column: 10, length: 1, hint: 'close it with "' }],
  ["status = 'MQL", { message: 'unterminated string', column: 10, hint: "close it with '" }],
  ['a = "x\\"', { message: 'unterminated string', column: 5 }],
  ['a = "x\\q"', { message: "unknown escape '\\q'", column: 7, length: 2, hint: 'write \\\\ for a backslash' }],
  ['a = “MQL”', { message: "unexpected character '“'", column: 5, hint: 'use straight quotes: " or \'' }],
  // Operators from other languages.
  ['status == "MQL"', { message: "unknown operator '=='", column: 8, length: 2, hint: 'use = to compare' }],
  ['a === 1', { message: "unknown operator '==='", column: 3, length: 3, hint: 'use = to compare' }],
  ['a !== 1', { message: "unknown operator '!=='", column: 3, hint: 'use != to compare' }],
  ['a => 1', { message: "unknown operator '=>'", column: 3, hint: 'use >=' }],
  ['a =< 1', { message: "unknown operator '=<'", column: 3, hint: 'use <=' }],
  ['a = 1 && b = 2', { message: "unknown operator '&&'", column: 7, length: 2, hint: 'use and / or' }],
  ['a = 1 || b = 2', { message: "unknown operator '||'", column: 7, length: 2, hint: 'use and / or' }],
  ['!(a = 1)', { message: "unexpected character '!'", column: 1, hint: 'use not to negate, or != to compare' }],
  // Trailing tokens and parentheses.
  ['a = 1 b = 2', { message: "unexpected 'b' after the condition", column: 7, length: 1, hint: 'join conditions with and / or' }],
  ['a is empty empty', { message: "unexpected 'empty' after the condition", column: 12, length: 5 }],
  ['a = 1)', { message: "unexpected ')'", column: 6, hint: "it has no matching '('" }],
  ['(a = 1', { message: "unclosed '('", column: 1, length: 1, hint: "add ')' to close it" }],
  ['a = 1 and (b = 2 or (c = 3)', { message: "unclosed '('", column: 11 }],
  ['(a = 1 b = 2)', { message: "expected ')', found 'b'", column: 8 }],
  // Fields.
  ['= 1', { message: "expected a field name, found '='", column: 1 }],
  ['42 = x', { message: "expected a field name, found '42'", column: 1, length: 2 }],
  ['and = 1', { message: "expected a field name, found 'and'", column: 1, hint: 'a field named and is written lead.and' }],
  ['x.y = 1', { message: "unexpected '.'", column: 2, hint: 'fields are written as name or lead.name' }],
  ['lead.x.y = 1', { message: "unexpected '.'", column: 7 }],
  ['lead. = 1', { message: "expected a field name after 'lead.'", column: 6 }],
  ['会社 = "x"', { message: "unexpected character '会'", column: 1 }],
  // Values.
  ['status = MQL', { message: "expected a value after '=', found 'MQL'", column: 10, hint: 'to compare with text, quote it: "MQL"' }],
  ['a = lead.b', { message: "expected a value after '=', found 'lead.b'", column: 5, hint: 'comparing two fields is not supported' }],
  ['a = 1.', { message: "invalid number '1.'", column: 5, length: 2 }],
  ['a = 12abc', { message: "invalid number '12abc'", column: 5, length: 5 }],
  ['a = - 5', { message: "unexpected character '-'", column: 5, hint: 'write a negative number without a space: -5' }],
  ['a < null', { message: "cannot use '<' with null", column: 5, length: 4, hint: 'use is empty or is not empty' }],
  ['a >= ""', { message: "cannot use '>=' with an empty string", column: 6, length: 2 }],
  ['a > true', { message: "cannot use '>' with true", column: 5, hint: 'use = or != with true and false' }],
  // Lists.
  ['tier in "A"', { message: "expected '(' after 'in', found '\"A\"'", column: 9, hint: 'write a list: in ("A", "B")' }],
  ['tier in', { message: "expected '(' after 'in'", column: 8 }],
  ['tier in ()', { message: 'the list is empty', column: 10 }],
  ['tier in ("A",)', { message: "expected a value after ',', found ')'", column: 14 }],
  ['tier in ("A" "B")', { message: "expected ',' or ')' in the list, found '\"B\"'", column: 14 }],
  ['tier in ("A", "B"', { message: "unclosed '('", column: 9, hint: "add ')' to close the list" }],
  ['tier not = "A"', { message: "expected 'in' after 'not', found '='", column: 10, hint: 'to negate a comparison, write not (…)' }],
  // Text operators and is empty.
  ['name starts "A"', { message: "expected 'with' after 'starts', found '\"A\"'", column: 13 }],
  ['name contains 5', { message: "'contains' needs quoted text", column: 15, hint: 'quote it: contains "5"' }],
  ['name contains ""', { message: "'contains' needs non-empty text", column: 15, hint: 'to test for any value, use is not empty' }],
  ['name starts with null', { message: "'starts with' needs quoted text", column: 18 }],
  ['a is', { message: "expected 'empty' after 'is'", column: 5 }],
  ['a is null', { message: "expected 'empty' after 'is', found 'null'", column: 6, hint: 'use is empty' }],
  ['a is not null', { message: "expected 'empty' after 'is not', found 'null'", column: 10, hint: 'use is not empty' }],
  // Full-width characters typed with a Japanese input method.
  ['a ＝ 1', { message: "unexpected character '＝'", column: 3, hint: "'＝' is full-width; type '='" }],
  // Columns count UTF-16 code units, past Japanese text and emoji.
  ['company = "株式会社" and and', { message: "expected a field name, found 'and'", column: 22 }],
  ['a = 1 and b = "契約', { message: 'unterminated string', column: 15 }],
  ['a = "😀" b', { message: "unexpected 'b' after the condition", column: 10 }],
  // The first problem in reading order wins, lexical or not.
  ['a = and "x', { message: "expected a value after '=', found 'and'", column: 5 }],
];

describe('parseCondition errors', () => {
  it.each(cases)('%s', (source, expected) => {
    const error = errorOf(source);
    expect(error.code).toBe('COND_SYNTAX');
    expect(error).toMatchObject(expected);
  });

  it('gives a hint only where it has one, and no zero length', () => {
    expect(errorOf('status = ')).toEqual({ code: 'COND_SYNTAX', message: "expected a value after '='", column: 9 });
  });
});

describe('limits', () => {
  it('rejects a condition longer than 4,000 characters at column 4,001', () => {
    const source = `a = "${'x'.repeat(3994)}"`;
    expect(source).toHaveLength(4000);
    expect(parseCondition(source).ok).toBe(true);
    expect(errorOf(`${source} `)).toMatchObject({ message: 'condition is too long (at most 4000 characters)', column: 4001 });
  });

  it('accepts 64 levels of nesting and rejects the 65th at its parenthesis', () => {
    expect(parseCondition(`${'('.repeat(64)}a = 1${')'.repeat(64)}`).ok).toBe(true);
    expect(errorOf(`${'('.repeat(65)}a = 1${')'.repeat(65)}`)).toMatchObject({
      message: 'conditions nest too deeply (at most 64 levels)',
      column: 65,
      hint: 'simplify the condition',
    });
  });

  it('counts not as a level', () => {
    expect(parseCondition(`${'not '.repeat(64)}a = 1`).ok).toBe(true);
    expect(errorOf(`${'not '.repeat(65)}a = 1`)).toMatchObject({ column: 257 });
    expect(errorOf(`${'not ('.repeat(40)}a = 1${')'.repeat(40)}`).message).toMatch(/nest too deeply/);
  });

  it('answers pathological input with an error, not a stack overflow', () => {
    expect(errorOf('('.repeat(4000)).column).toBe(65);
    expect(errorOf('not '.repeat(1000)).column).toBe(257);
    const wide = Array.from({ length: 300 }, (_, i) => `f${i} = ${i}`).join(' or ');
    expect(wide.length).toBeLessThan(4000);
    expect(parseCondition(wide).ok).toBe(true);
  });
});
