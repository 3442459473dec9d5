import { describe, expect, it } from 'vitest';
import { evaluateCondition, parseCondition } from './index.js';

function holds(source: string, lead: Record<string, unknown>): boolean {
  const result = parseCondition(source);
  if (!result.ok) throw new Error(result.error.message);
  return evaluateCondition(result.ast, lead);
}

type Case = [condition: string, lead: Record<string, unknown>, expected: boolean];

function table(cases: Case[]) {
  it.each(cases)('%s with %o is %s', (source, lead, expected) => {
    expect(holds(source, lead)).toBe(expected);
  });
}

describe('evaluateCondition', () => {
  describe('the documented example', () => {
    table([
      ['status = "MQL" and tier in ("A", "B")', { status: 'MQL', tier: 'B' }, true],
      ['status = "MQL" and tier in ("A", "B")', { status: 'MQL', tier: 'C' }, false],
      ['status = "MQL" and tier in ("A", "B")', { status: 'mql', tier: 'A' }, false],
      ['lead.status = "MQL"', { status: 'MQL' }, true],
    ]);
  });

  describe('empty values: missing, undefined, null and ""', () => {
    const empties: Record<string, unknown>[] = [{}, { x: undefined }, { x: null }, { x: '' }, { x: Number.NaN }];
    it.each(empties)('%o is empty, equals nothing, and differs from everything', (lead) => {
      expect(holds('x is empty', lead)).toBe(true);
      expect(holds('x is not empty', lead)).toBe(false);
      for (const comparison of ['x = "a"', 'x = 0', 'x = false', 'x < 5', 'x >= "a"', 'x in ("a", 0)', 'x contains "a"', 'x starts with "a"']) {
        expect(holds(comparison, lead), comparison).toBe(false);
      }
      for (const comparison of ['x != "a"', 'x <> 0', 'x != false', 'x not in ("a", 0)', 'not x = "a"', 'not x < 5']) {
        expect(holds(comparison, lead), comparison).toBe(true);
      }
    });

    table([
      ['x = null', { x: null }, true],
      ['x = null', { x: '' }, true],
      ['x = ""', {}, true],
      ['x = null', { x: 'a' }, false],
      ['x = null', { x: 0 }, false],
      ['x != null', { x: 'a' }, true],
      ['x != ""', { x: '' }, false],
      ['x in ("A", null)', { x: null }, true],
      ['x in ("A", null)', { x: 'A' }, true],
      ['x in ("A", null)', { x: 'B' }, false],
      ['x not in ("A", "")', {}, false],
      ['x not in ("A", "")', { x: 'B' }, true],
      ['x is empty', { x: 0 }, false],
      ['x is empty', { x: false }, false],
      ['x is empty', { x: ' ' }, false],
      ['constructor is empty', {}, true],
      ['toString = "x"', {}, false],
    ]);
  });

  describe('= and in compare text exactly', () => {
    table([
      ['x = "Acme"', { x: 'Acme' }, true],
      ['x = "Acme"', { x: 'acme' }, false],
      ['x = "Acme"', { x: 'Acme ' }, false],
      ['x = "株式会社アクメ"', { x: '株式会社アクメ' }, true],
      ['x = "ｱｸﾒ"', { x: 'アクメ' }, false],
      ['x in ("a", "b")', { x: 'B' }, false],
      ['x != "Acme"', { x: 'ACME' }, true],
      ['x = "0312345678"', { x: '312345678' }, false],
      ['x = "1"', { x: '1.0' }, false],
    ]);
  });

  describe('numbers', () => {
    table([
      ['n = 5', { n: 5 }, true],
      ['n = 5', { n: '5' }, true],
      ['n = 5', { n: '5.0' }, true],
      ['n = "5"', { n: 5 }, true],
      ['n = 5', { n: 'five' }, false],
      ['n != 5', { n: 'five' }, true],
      ['n > 5', { n: 10 }, true],
      ['n > 5', { n: '10' }, true],
      ['n > "5"', { n: '10' }, true],
      ['n < 5', { n: 'abc' }, false],
      ['n > 5', { n: 'abc' }, false],
      ['n >= -1.5', { n: -1.5 }, true],
      ['n <= -2', { n: -1.5 }, false],
      ['n < 0', { n: -0.5 }, true],
      ['n in (1, 2, 3)', { n: '2' }, true],
      ['n not in (1, 2, 3)', { n: 4 }, true],
      ['n = 1000', { n: '1e3' }, true],
      ['n > 1', { n: 10n }, true],
      ['n = 0', { n: false }, true],
      ['n > 0', { n: true }, true],
    ]);
  });

  describe('dates', () => {
    table([
      ['d < "2027-01-01"', { d: '2026-12-01' }, true],
      ['d < "2027-01-01"', { d: '2027-01-01' }, false],
      ['d <= "2027-01-01"', { d: '2027-01-01' }, true],
      // A side without an offset is read in the other side's offset: midnight where the value is.
      ['d > "2026-12-01"', { d: '2026-12-01T09:00:00+09:00' }, true],
      ['d = "2026-12-01"', { d: '2026-12-01T00:00:00+09:00' }, true],
      ['d < "2026-12-03"', { d: '2026-12-02T22:00:00-05:00' }, true],
      ['d = "2026-12-01T00:00:00Z"', { d: '2026-12-01T09:00:00.000+09:00' }, true],
      ['d > "2026-12-01T08:59:59+09:00"', { d: '2026-12-01' }, false],
      ['d >= "2026-12-01T00:00:00+09:00"', { d: '2026-12-01' }, true],
      ['d < "2026-12-01T09:00:00+0900"', { d: '2026-11-30T23:59:59.999Z' }, true],
      ['d < "2027-01-01"', { d: new Date('2026-12-31T23:00:00Z') }, true],
      ['d = "2026-12-01T09:00:00+09:00"', { d: new Date('2026-12-01T00:00:00Z') }, true],
      ['d > "2026-12-01"', { d: new Date('invalid') }, false],
      ['d is empty', { d: new Date('invalid') }, true],
      // Not a date: compared as text.
      ['d < "2026-13-01"', { d: '2026-12-01' }, true],
      ['d = "2026-02-30"', { d: '2026-03-02' }, false],
      ['d < "2027"', { d: '2026-12-01' }, true],
      // A number and a date have no order.
      ['d < 2027', { d: '2026-12-01' }, false],
    ]);

    it('does not depend on the machine time zone (no offset on either side is UTC; else the other side’s offset)', () => {
      expect(holds('d = "2026-12-01T09:00:00"', { d: '2026-12-01T09:00:00Z' })).toBe(true);
      expect(holds('d = "2026-12-01 09:00"', { d: '2026-12-01T09:00:00+09:00' })).toBe(true);
      expect(holds('d = "2026-12-01 09:00"', { d: '2026-12-01 09:00' })).toBe(true);
    });
  });

  describe('text ordering', () => {
    table([
      ['x < "b"', { x: 'a' }, true],
      ['x < "b"', { x: 'B' }, true],
      ['x > "あ"', { x: 'い' }, true],
      ['x > "\uffff"', { x: '😀' }, true],
      ['x >= "abc"', { x: 'abc' }, true],
      ['x < "abc"', { x: 'ab' }, true],
    ]);
  });

  describe('contains and starts with: NFKC and case-insensitive', () => {
    table([
      ['company contains "acme"', { company: 'ACME Corp' }, true],
      ['company contains "ＡＣＭＥ"', { company: 'acme corp' }, true],
      ['company contains "アクメ"', { company: '株式会社ｱｸﾒ' }, true],
      ['company contains "ｱｸﾒ"', { company: '株式会社アクメ' }, true],
      ['company starts with "株式会社"', { company: '株式会社アクメ' }, true],
      ['company starts with "アクメ"', { company: '株式会社アクメ' }, false],
      ['company contains "%"', { company: '100% juice' }, true],
      ['company contains "_"', { company: 'acme' }, false],
      ['email contains "@EXAMPLE.co.jp"', { email: 'tanaka@example.co.jp' }, true],
      ['phone starts with "03"', { phone: '０３-1234-5678' }, true],
      ['phone starts with "03"', { phone: 3012 }, false],
      ['phone contains "01"', { phone: 3012 }, true],
      ['company contains "x"', { company: null }, false],
    ]);
  });

  describe('booleans', () => {
    table([
      ['vip = true', { vip: true }, true],
      ['vip = true', { vip: false }, false],
      ['vip = true', { vip: 'true' }, true],
      ['vip = true', { vip: 'TRUE' }, true],
      ['vip = true', { vip: 1 }, true],
      ['vip = true', { vip: '1' }, true],
      ['vip = false', { vip: 0 }, true],
      ['vip = false', { vip: 'false' }, true],
      ['vip = false', { vip: 'no' }, false],
      ['vip = true', { vip: 2 }, false],
      ['vip != true', { vip: 'maybe' }, true],
      ['vip != true', {}, true],
      ['vip = false', {}, false],
      ['vip in (true, null)', {}, true],
      ['vip = "true"', { vip: true }, false],
    ]);
  });

  describe('and, or, not', () => {
    table([
      ['a = 1 and b = 2', { a: 1, b: 2 }, true],
      ['a = 1 and b = 2', { a: 1, b: 3 }, false],
      ['a = 1 or b = 2', { a: 0, b: 2 }, true],
      ['a = 1 or b = 2 and c = 3', { a: 1, b: 0, c: 0 }, true],
      ['(a = 1 or b = 2) and c = 3', { a: 1, b: 0, c: 0 }, false],
      ['not a = 1 and b = 2', { a: 0, b: 2 }, true],
      ['not (a = 1 and b = 2)', { a: 1, b: 2 }, false],
      ['not not a = 1', { a: 1 }, true],
    ]);
  });
});
