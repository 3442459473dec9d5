import { describe, expect, it } from 'vitest';
import { conditionFields, parseCondition, type ConditionNode } from './index.js';

function parse(source: string): ConditionNode {
  const result = parseCondition(source);
  if (!result.ok) throw new Error(`${result.error.message} at column ${result.error.column}`);
  return result.ast;
}

/** The tree as a compact string, for precedence tests. */
function shape(node: ConditionNode): string {
  switch (node.kind) {
    case 'and':
    case 'or':
      return `${node.kind}(${node.operands.map(shape).join(', ')})`;
    case 'not':
      return `not(${shape(node.operand)})`;
    default:
      return node.field;
  }
}

describe('parseCondition', () => {
  it('parses the documented example with columns', () => {
    expect(parse('status = "MQL" and tier in ("A", "B")')).toEqual({
      kind: 'and',
      column: 1,
      operands: [
        { kind: 'compare', field: 'status', operator: '=', value: { type: 'string', value: 'MQL', column: 10 }, column: 1 },
        {
          kind: 'in',
          field: 'tier',
          negated: false,
          values: [
            { type: 'string', value: 'A', column: 29 },
            { type: 'string', value: 'B', column: 34 },
          ],
          column: 20,
        },
      ],
    });
  });

  it.each([
    ['a = 1 or b = 2 and c = 3', 'or(a, and(b, c))'],
    ['a = 1 and b = 2 or c = 3', 'or(and(a, b), c)'],
    ['not a = 1 and b = 2', 'and(not(a), b)'],
    ['not a = 1 or b = 2', 'or(not(a), b)'],
    ['not (a = 1 or b = 2)', 'not(or(a, b))'],
    ['(a = 1 or b = 2) and c = 3', 'and(or(a, b), c)'],
    ['a = 1 and b = 2 and c = 3 and d = 4', 'and(a, b, c, d)'],
    ['a = 1 and (b = 2 and c = 3)', 'and(a, and(b, c))'],
    ['not not a = 1', 'not(not(a))'],
    ['((a = 1))', 'a'],
    ['a = 1 or not b = 2 and c = 3 or d = 4', 'or(a, and(not(b), c), d)'],
  ])('precedence: %s', (source, expected) => {
    expect(shape(parse(source))).toBe(expected);
  });

  it('gives a group the column of its first token, parenthesis included', () => {
    const ast = parse('(a = 1 or b = 2) and c = 3');
    expect(ast).toMatchObject({ kind: 'and', column: 1, operands: [{ kind: 'or', column: 2 }, { column: 22 }] });
    expect(parse('x = 1 or not (y = 2)')).toMatchObject({ operands: [{ column: 1 }, { kind: 'not', column: 10, operand: { column: 15 } }] });
  });

  it('reads every operator', () => {
    const ops = ['=', '!=', '<', '<=', '>', '>='].map((op) => parse(`n ${op} 1`));
    expect(ops.map((node) => node.kind === 'compare' && node.operator)).toEqual(['=', '!=', '<', '<=', '>', '>=']);
    expect(parse('n <> 1')).toMatchObject({ kind: 'compare', operator: '!=' });
    expect(parse('n not in (1, 2)')).toMatchObject({ kind: 'in', negated: true, values: [{ value: 1 }, { value: 2 }] });
    expect(parse('n contains "x"')).toEqual({ kind: 'text', field: 'n', operator: 'contains', value: 'x', column: 1 });
    expect(parse('n starts with "x"')).toMatchObject({ kind: 'text', operator: 'starts_with' });
    expect(parse('n is empty')).toEqual({ kind: 'empty', field: 'n', negated: false, column: 1 });
    expect(parse('n is not empty')).toMatchObject({ kind: 'empty', negated: true });
    expect(parse('n>=1')).toMatchObject({ operator: '>=', value: { value: 1, column: 4 } });
  });

  it('reads keywords in any case, field names as written', () => {
    const ast = parse('Status = 1 AND b IN ("x") Or c Is Not Empty aNd d NOT IN (1) and e CONTAINS "x" and f Starts With "y" and g = TRUE and h = Null');
    expect(shape(ast)).toBe('or(and(Status, b), and(c, d, e, f, g, h))');
    expect(conditionFields(ast).map(({ field }) => field)).toEqual(['Status', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
  });

  it('strips the lead. prefix, which also reaches fields named like keywords', () => {
    expect(parse('lead.status = "MQL"')).toMatchObject({ field: 'status', column: 1, value: { column: 15 } });
    expect(parse('lead.in = 1 and lead.empty is empty')).toMatchObject({ operands: [{ field: 'in' }, { field: 'empty', column: 17 }] });
    expect(parse('lead = 1')).toMatchObject({ field: 'lead' });
    expect(parse('company_name_2 = 1')).toMatchObject({ field: 'company_name_2' });
  });

  it('reads literals', () => {
    const values = (parse('x in ("a", \'b\', 42, -7, 3.25, -0.5, 0, true, FALSE, null, "")') as { values: unknown[] }).values;
    expect(values.map((value) => ({ ...(value as object), column: undefined }))).toEqual(
      [
        { type: 'string', value: 'a' },
        { type: 'string', value: 'b' },
        { type: 'number', value: 42 },
        { type: 'number', value: -7 },
        { type: 'number', value: 3.25 },
        { type: 'number', value: -0.5 },
        { type: 'number', value: 0 },
        { type: 'boolean', value: true },
        { type: 'boolean', value: false },
        { type: 'null' },
        { type: 'string', value: '' },
      ].map((value) => ({ ...value, column: undefined })),
    );
  });

  it.each([
    [String.raw`x = "say \"hi\""`, 'say "hi"'],
    [String.raw`x = 'it\'s'`, "it's"],
    [String.raw`x = "it's"`, "it's"],
    [String.raw`x = 'say "hi"'`, 'say "hi"'],
    [String.raw`x = "back\\slash"`, 'back\\slash'],
    [String.raw`x = "line\nbreak\ttab"`, 'line\nbreak\ttab'],
    ['x = "株式会社アクメ"', '株式会社アクメ'],
    ['x = "ｱｸﾒ　ＡＣＭＥ"', 'ｱｸﾒ　ＡＣＭＥ'],
    ['x = "😀 and or not"', '😀 and or not'],
  ])('reads the string in %s', (source, value) => {
    expect(parse(source)).toMatchObject({ kind: 'compare', value: { type: 'string', value } });
  });

  it('accepts any whitespace between tokens, including newlines and full-width spaces', () => {
    expect(shape(parse('a = 1\n  and\tb = 2'))).toBe('and(a, b)');
    expect(parse('a　=　1')).toMatchObject({ field: 'a', value: { value: 1, column: 5 } });
  });
});

describe('conditionFields', () => {
  it('lists every mention of a field in source order, with its column', () => {
    expect(conditionFields(parse('a = 1 and (lead.b in (1) or not a is empty) and c contains "x"'))).toEqual([
      { field: 'a', column: 1 },
      { field: 'b', column: 12 },
      { field: 'a', column: 33 },
      { field: 'c', column: 49 },
    ]);
  });
});
