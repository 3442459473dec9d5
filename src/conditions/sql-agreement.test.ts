import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { conditionToSql, evaluateCondition, parseCondition, registerConditionFunctions, type ConditionNode } from './index.js';

// The SQL from conditionToSql must select exactly the leads for which evaluateCondition
// is true. Leads are stored twice: in plain columns without a declared type (values kept
// as given) and as JSON read back with json_extract.

const FIELDS = ['status', 'tier', 'score', 'company', 'renewal_date', 'meeting_at', 'vip', 'phone', 'note'] as const;
type Lead = Partial<Record<(typeof FIELDS)[number], unknown>>;

const handPicked: Lead[] = [
  { status: 'MQL', tier: 'A', score: 10, company: '株式会社アクメ', renewal_date: '2026-12-01', meeting_at: '2026-12-01T09:00:00+09:00', vip: true, phone: '03-1234-5678' },
  { status: 'mql', tier: 'B', score: '10', company: 'ACME Corp', renewal_date: '2027-01-01', meeting_at: new Date('2026-12-01T00:00:00Z'), vip: false, phone: '０３１２３４' },
  { status: 'SQL', tier: 'C', score: '05', company: 'ｱｸﾒ商事', renewal_date: '2026-02-30', vip: 'true', phone: 312345 },
  { status: '', tier: null, score: '', company: '', renewal_date: '', vip: 'TRUE', phone: '' },
  {},
  { status: 'MQL ', tier: 'a', score: 5.0, company: 'acme', vip: 1, renewal_date: '2026-12-01T00:00:00Z' },
  { status: 'customer', score: -1, company: '100% Juice', vip: 0, renewal_date: '2027' },
  { status: 'lost', score: 2.5, company: 'under_score', vip: 'false', renewal_date: new Date('2027-01-01T00:00:00+09:00') },
  { status: 'x"; DROP TABLE leads; --', score: 'abc', company: 'Ｃｏｍｐａｎｙ', vip: 'yes', note: "it's" },
  { status: '5', score: 1000, company: 'カンパニー', vip: 2, tier: 5 },
  { status: 'MQL', score: '1e3', company: 'ACME', tier: 'A', meeting_at: '2026-12-01 09:00' },
  { status: '2026-12-01', score: '-0.5', company: 'back\\slash', vip: '1', renewal_date: '2026-12-01T09:00:00+0900' },
  { status: '😀', company: 'emoji 😀 co', score: Number.NaN, tier: '\uffff' },
  { status: 'true', vip: 'True', score: 0, company: 'a_c', tier: 'ab' },
  { status: 10, tier: 'B', score: '10.0', company: 'ａｃｍｅ', phone: '+81 3 1234 5678', note: ' ' },
  { status: 'SQL', tier: 'A', score: 1e21, company: 'İstanbul', meeting_at: '2027-03-31T23:59:59.999Z' },
];

/** Seeded, so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = random(20261201);
const pick = <T,>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

const VALUES: unknown[] = [
  'MQL', 'mql', 'A', 'B', 'a', '', null, undefined, '10', '5', '05', '5.0', 10, 5, 0, 1, -1, 2.5, true, false,
  'true', 'False', '2026-12-01', '2027-01-01T00:00:00+09:00', '2026-12-01T09:00:00Z', new Date('2026-06-15T12:00:00Z'),
  '株式会社アクメ', 'ｱｸﾒ', 'アクメ', 'ACME', 'acme corp', '100%', 'x_y', 'abc', 'Abc', 'ｂ', '😀',
];
const generated: Lead[] = Array.from({ length: 24 }, () => Object.fromEntries(FIELDS.map((field) => [field, pick(VALUES)])));
const LEADS = [...handPicked, ...generated];

const CONDITIONS = [
  'status = "MQL" and tier in ("A", "B")',
  'status != "MQL"',
  'status in ("MQL", "SQL", "")',
  'status not in ("MQL", null)',
  'status = null',
  'status is empty or tier is empty',
  'not (status is not empty)',
  'score > 5',
  'score >= 10 and score < 1001',
  'score = 10',
  'score = "10"',
  'score != 10',
  'score <= -0.5',
  'score > "5"',
  'score in (5, 10, "abc")',
  'renewal_date < "2027-01-01"',
  'renewal_date >= "2026-12-01T09:00:00+09:00"',
  'renewal_date = "2026-12-01"',
  'meeting_at > "2026-11-30T23:00:00Z" and meeting_at < "2026-12-02"',
  'company contains "acme"',
  'company contains "アクメ"',
  'company starts with "株式会社"',
  'company contains "%" or company contains "_"',
  'company contains "\\\\"',
  'company starts with "i̇"',
  'vip = true',
  'vip = false',
  'vip != true',
  'vip in (true, null)',
  'phone starts with "03"',
  'phone contains "1234"',
  'tier > "a"',
  'tier < "b" and tier != "A"',
  'status = 10 or status = "5"',
  'status = "x\\"; DROP TABLE leads; --"',
  'note = "it\'s" or note is empty',
  'not (status = "MQL" or score > 5) and company is not empty',
  'status > "😀" or tier >= "\uffff"',
];

function randomLiteral(kind: 'any' | 'ordered' | 'text'): string {
  const strings = ['"MQL"', '"A"', '"a"', '"10"', '"5"', '"2026-12-01"', '"2027-01-01T00:00:00+09:00"', '"acme"', '"ｱｸﾒ"', '"株式会社"', '"%"', '"_"', '"true"', '"abc"', '"😀"'];
  const others = ['0', '1', '5', '10', '-1', '2.5'];
  if (kind === 'text') return pick(strings);
  if (kind === 'ordered') return pick([...strings, ...others]);
  return pick([...strings, ...others, 'true', 'false', 'null', '""']);
}

function randomCondition(depth: number): string {
  const roll = rand();
  if (depth > 0 && roll < 0.2) return `${randomCondition(depth - 1)} and ${randomCondition(depth - 1)}`;
  if (depth > 0 && roll < 0.35) return `(${randomCondition(depth - 1)} or ${randomCondition(depth - 1)})`;
  if (depth > 0 && roll < 0.45) return `not ${randomCondition(depth - 1)}`;
  const field = pick(FIELDS);
  switch (pick(['=', '!=', '<', '<=', '>', '>=', 'in', 'not in', 'contains', 'starts with', 'is empty', 'is not empty'])) {
    case 'in':
      return `${field} in (${randomLiteral('any')}, ${randomLiteral('any')})`;
    case 'not in':
      return `${field} not in (${randomLiteral('any')}, ${randomLiteral('any')})`;
    case 'contains':
      return `${field} contains ${randomLiteral('text')}`;
    case 'starts with':
      return `${field} starts with ${randomLiteral('text')}`;
    case 'is empty':
      return `${field} is empty`;
    case 'is not empty':
      return `${field} is not empty`;
    case '=':
      return `${field} = ${randomLiteral('any')}`;
    case '!=':
      return `${field} != ${randomLiteral('any')}`;
    default:
      return `${field} ${pick(['<', '<=', '>', '>='])} ${randomLiteral('ordered')}`;
  }
}

function parse(source: string): ConditionNode {
  const result = parseCondition(source);
  if (!result.ok) throw new Error(`${source}: ${result.error.message} at ${result.error.column}`);
  return result.ast;
}

/** How a value is stored: booleans as 1/0, dates as ISO text, undefined as NULL. */
function stored(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  return value;
}

let db: Database.Database;

beforeAll(() => {
  db = new Database(':memory:');
  registerConditionFunctions(db);
  db.exec(`CREATE TABLE leads (id INTEGER PRIMARY KEY, ${FIELDS.join(', ')}, custom TEXT)`);
  const insert = db.prepare(`INSERT INTO leads VALUES (?, ${FIELDS.map(() => '?').join(', ')}, ?)`);
  LEADS.forEach((lead, index) => insert.run(index, ...FIELDS.map((field) => stored(lead[field])), JSON.stringify(lead)));
  // Declared types convert values as they are stored, and a collation could make = case-blind.
  db.exec(`CREATE TABLE typed_leads (id INTEGER PRIMARY KEY, status TEXT COLLATE NOCASE, tier TEXT, score NUMERIC,
    company TEXT, renewal_date TEXT, meeting_at TEXT, vip INTEGER, phone REAL, note TEXT COLLATE NOCASE)`);
  db.exec(`INSERT INTO typed_leads SELECT id, ${FIELDS.join(', ')} FROM leads`);
});

function check(source: string) {
  const ast = parse(source);
  const expected = LEADS.flatMap((lead, index) => (evaluateCondition(ast, lead) ? [index] : []));
  const asColumns = conditionToSql(ast, (field) => (FIELDS as readonly string[]).includes(field) ? field : undefined);
  const asJson = conditionToSql(ast, (field) => `json_extract(custom, '$.${field}')`);
  const select = (sql: string, params: unknown[]) => db.prepare(`SELECT id FROM leads WHERE ${sql} ORDER BY id`).pluck().all(...params);
  expect(select(asColumns.sql, asColumns.params), `${source}\n${asColumns.sql}`).toEqual(expected);
  expect(select(asJson.sql, asJson.params), `${source} (JSON)`).toEqual(expected);
  // And the evaluator gives the same answer on the rows as SQLite hands them back.
  const rows = db.prepare(`SELECT * FROM leads ORDER BY id`).all() as Record<string, unknown>[];
  expect(rows.flatMap((row, index) => (evaluateCondition(ast, row) ? [index] : [])), `${source} (rows read back)`).toEqual(expected);
  // With declared types the stored values differ from the leads; SQL must still agree with the evaluator on them.
  const typedRows = db.prepare(`SELECT * FROM typed_leads ORDER BY id`).all() as Record<string, unknown>[];
  const typed = conditionToSql(ast, (field) => `typed_leads.${field}`);
  expect(
    db.prepare(`SELECT id FROM typed_leads WHERE ${typed.sql} ORDER BY id`).pluck().all(...typed.params),
    `${source} (typed columns)`,
  ).toEqual(typedRows.flatMap((row, index) => (evaluateCondition(ast, row) ? [index] : [])));
}

describe('conditionToSql agrees with evaluateCondition', () => {
  it('has leads of every kind', () => {
    expect(LEADS.length).toBeGreaterThanOrEqual(40);
  });

  it.each(CONDITIONS)('%s', (source) => {
    check(source);
  });

  it('selects something and leaves something out for most conditions', () => {
    const discriminating = CONDITIONS.filter((source) => {
      const ast = parse(source);
      const count = LEADS.filter((lead) => evaluateCondition(ast, lead)).length;
      return count > 0 && count < LEADS.length;
    });
    expect(discriminating.length).toBeGreaterThan(CONDITIONS.length - 3);
  });

  it('on 500 random conditions', () => {
    for (let i = 0; i < 500; i++) check(randomCondition(3));
  });
});
