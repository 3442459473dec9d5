import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ConditionFieldError, conditionToSql, parseCondition, registerConditionFunctions, type ConditionNode } from './index.js';

function parse(source: string): ConditionNode {
  const result = parseCondition(source);
  if (!result.ok) throw new Error(result.error.message);
  return result.ast;
}

const columns = (field: string) => (['status', 'tier', 'score', 'company', 'vip', 'renewal_date'].includes(field) ? `leads.${field}` : undefined);

describe('conditionToSql', () => {
  it('compiles the documented example to plain, index-friendly SQL', () => {
    expect(conditionToSql(parse('status = "MQL" and tier in ("A", "B")'), columns)).toEqual({
      sql: "((typeof(leads.status) = 'text' AND leads.status COLLATE BINARY = ?) AND (typeof(leads.tier) = 'text' AND leads.tier COLLATE BINARY IN (?, ?)))",
      params: ['MQL', 'A', 'B'],
    });
  });

  it('keeps != two-valued: an empty value is different', () => {
    expect(conditionToSql(parse('tier != "C"'), columns)).toEqual({
      sql: "(NOT (typeof(leads.tier) = 'text' AND leads.tier COLLATE BINARY = ?))",
      params: ['C'],
    });
    expect(conditionToSql(parse('tier is empty'), columns).sql).toBe("(leads.tier IS NULL OR leads.tier = '')");
  });

  it('calls the registered functions where the evaluator coerces', () => {
    expect(conditionToSql(parse('score >= 10'), columns)).toEqual({ sql: 'coalesce(cadence_compare(leads.score, ?) >= 0, 0)', params: [10] });
    expect(conditionToSql(parse('score = "10"'), columns)).toEqual({ sql: 'cadence_equals(leads.score, ?)', params: ['10'] });
    expect(conditionToSql(parse('vip = true'), columns)).toEqual({ sql: 'coalesce(cadence_truth(leads.vip) = ?, 0)', params: [1] });
    expect(conditionToSql(parse('renewal_date = "2027-01-01"'), columns).sql).toBe('cadence_equals(leads.renewal_date, ?)');
    expect(conditionToSql(parse('tier in ("A", 1, false, null)'), columns)).toEqual({
      sql:
        "((leads.tier IS NULL OR leads.tier = '') OR (typeof(leads.tier) = 'text' AND leads.tier COLLATE BINARY = ?)" +
        ' OR cadence_equals(leads.tier, ?) OR coalesce(cadence_truth(leads.tier) = ?, 0))',
      params: ['A', 1, 0],
    });
  });

  it('normalises and escapes contains / starts with patterns', () => {
    expect(conditionToSql(parse('company contains "ＡＣＭＥ 100%_\\\\"'), columns)).toEqual({
      sql: "coalesce(cadence_nfkc_lower(leads.company) LIKE ? ESCAPE '\\', 0)",
      params: ['%acme 100\\%\\_\\\\%'],
    });
    expect(conditionToSql(parse('company starts with "ｱｸﾒ"'), columns).params).toEqual(['アクメ%']);
  });

  it('asks the callback for every field by its name without lead., and wraps expressions', () => {
    const asked: string[] = [];
    const { sql } = conditionToSql(parse('lead.tier = "A" or not lead.tier is empty'), (field) => {
      asked.push(field);
      return `json_extract(custom, '$.${field}')`;
    });
    expect(asked).toEqual(['tier', 'tier']);
    expect(sql).toContain("typeof((json_extract(custom, '$.tier'))) = 'text'");
  });

  it('throws a ConditionFieldError for a field the callback does not know', () => {
    const attempt = () => conditionToSql(parse('status = "MQL" and favourite_colour = "blue"'), columns);
    expect(attempt).toThrow(ConditionFieldError);
    try {
      attempt();
    } catch (error) {
      expect(error).toBeInstanceOf(Error);
      expect(error).toMatchObject({ code: 'COND_UNKNOWN_FIELD', field: 'favourite_colour', column: 20 });
    }
  });

  it('puts every literal in params, never in the SQL text', () => {
    const source = 'a = "lit-one" or b != \'lit-two\' or c in ("lit-three", 4321) or d contains "lit-four" or e > "lit-five" or f < 98765';
    const { sql, params } = conditionToSql(parse(source), (field) => field);
    expect(sql).not.toMatch(/lit-|4321|98765/);
    expect(params).toEqual(['lit-one', 'lit-two', 'lit-three', 4321, '%lit-four%', 'lit-five', 98765]);
    expect(sql.split('?')).toHaveLength(params.length + 1);
  });
});

describe('SQL injection', () => {
  const attacks = [
    'status = "x\\"; DROP TABLE leads; --"',
    "status = 'x'' OR 1=1 --'",
    'status = "\' OR \'1\'=\'1"',
    'status in ("a\'); DELETE FROM leads; --", 1)',
    'status contains "%\' OR 1=1 --"',
    'status > "\'; DROP TABLE leads; --"',
    'status = "2026-01-01\'); DROP TABLE leads; --"',
  ];

  it.each(attacks)('%s stays a parameter', (source) => {
    const db = new Database(':memory:');
    registerConditionFunctions(db);
    db.exec("CREATE TABLE leads (id INTEGER PRIMARY KEY, status); INSERT INTO leads (status) VALUES ('MQL'), ('x\"; DROP TABLE leads; --')");
    const result = parseCondition(source);
    if (!result.ok) {
      // Not a condition at all is also safe; it must be a syntax error, not SQL.
      expect(result.error.code).toBe('COND_SYNTAX');
      return;
    }
    const { sql, params } = conditionToSql(result.ast, (field) => (field === 'status' ? 'status' : undefined));
    expect(sql).not.toMatch(/DROP|DELETE|OR 1=1|'1'/);
    db.prepare(`SELECT id FROM leads WHERE ${sql}`).all(...params);
    expect(db.prepare('SELECT count(*) AS n FROM leads').get()).toEqual({ n: 2 });
  });

  it('matches the attack text as a plain value', () => {
    const db = new Database(':memory:');
    registerConditionFunctions(db);
    db.exec("CREATE TABLE leads (id INTEGER PRIMARY KEY, status); INSERT INTO leads (status) VALUES ('MQL'), ('x\"; DROP TABLE leads; --')");
    const result = parseCondition(attacks[0]!);
    if (!result.ok) throw new Error(result.error.message);
    const { sql, params } = conditionToSql(result.ast, () => 'status');
    expect(params).toEqual(['x"; DROP TABLE leads; --']);
    expect(db.prepare(`SELECT id FROM leads WHERE ${sql}`).pluck().all(...params)).toEqual([2]);
  });
});
