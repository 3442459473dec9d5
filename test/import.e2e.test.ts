import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WINDOW_ROWS } from '../src/import/run-import.js';
import { bin, cadence } from './helpers/cli.js';
import {
  count,
  counts,
  csvText,
  dumpLeads,
  ENV,
  events,
  fullDumpLeads,
  hasStore,
  importJson,
  leadRow,
  readStore,
  storeFile,
  Workspaces,
  parseCsv,
} from './helpers/lead-store.js';

const workspaces = new Workspaces();
beforeAll(() => workspaces.init());
afterAll(() => workspaces.removeAll());

const STACK = /\n\s+at /;


describe.concurrent('encodings and line endings', () => {
  const japanese = [
    ['メールアドレス', '氏名', '会社名', '電話番号', '役職'],
    ['Taka@Example.co.jp', '髙橋 一郎', '㈱髙島屋①', '+81 3-1234-5678', '部長'],
    ['hanako@example.jp', '山田　花子', '株式会社テスト', '06-1234-5678', '課長 ②'],
  ];
  const shiftJis = (): string => workspaces.file('名簿.csv', iconv.encode(csvText(japanese, '\r\n'), 'cp932'));

  it.for(['auto', 'shift_jis', 'cp932'])('imports a Shift_JIS (CP932) file written by Excel with --encoding %s', async (encoding, { expect }) => {
    const ws = workspaces.create();
    const { exitCode, report } = await importJson(ws, shiftJis(), ['--encoding', encoding]);
    expect(exitCode).toBe(0);
    expect(report).toMatchObject({ inserted: 2, refused: 0, encoding: 'cp932', unmapped: [] });
    readStore(ws, (db) => {
      expect(leadRow(db, 'taka@example.co.jp')).toMatchObject({
        last_name: '髙橋',
        first_name: '一郎',
        full_name: '髙橋 一郎',
        company: '㈱髙島屋①',
        phone: '+81 3-1234-5678',
        title: '部長',
        timezone: 'Asia/Tokyo',
      });
      expect(leadRow(db, 'hanako@example.jp')).toMatchObject({ last_name: '山田', first_name: '花子', company: '株式会社テスト', title: '課長 ②', timezone: 'America/New_York' });
    });
  });

  it('does not read the Shift_JIS file as UTF-8 when told to: the header does not decode, and the hint says what to try', async ({ expect }) => {
    const ws = workspaces.create();
    const result = await importJson(ws, shiftJis(), ['--encoding', 'utf-8']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^error IMPORT_ENCODING_MISMATCH {2}.*名簿\.csv: the header row has bytes that are not valid UTF-8/m);
    expect(result.stderr).toContain('hint: try --encoding shift_jis');
    expect(result.stderr).not.toMatch(STACK);
  });

  it('refuses the rows that do not decode (IMPORT_BAD_BYTES) rather than storing \uFFFD, and says so on screen', async ({ expect }) => {
    const ws = workspaces.create();
    const file = workspaces.file('ascii-header.csv', iconv.encode(csvText([['email', 'company'], ['taka@example.co.jp', '㈱髙島屋'], ['a@example.com', 'Acme']]), 'cp932'));
    const result = await cadence(['import', file, '--encoding', 'utf-8'], { cwd: ws, env: ENV });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('1 inserted, 0 updated, 0 unchanged, 1 refused');
    expect(result.stdout).toMatch(/line 2, company: ".*"  IMPORT_BAD_BYTES  the cell has bytes that are not valid UTF-8/);
    readStore(ws, (db) => expect(dumpLeads(db).map((lead) => lead.email)).toEqual(['a@example.com']));
  });

  it('reads a BOM, CRLF, LF and lone CR line ends and quoted multi-line cells, and counts lines exactly', async ({ expect }) => {
    const ws = workspaces.create();
    const text = [
      '\uFEFFEmail,Company,inquiry,interest\r\n', // line 1
      'a@x.com,"Acme\r\nInc.","first\nsecond",pricing\r\n', // lines 2-4
      'not-an-email,Foo,,\n', // line 5
      'b@x.com,"He said ""hi"", twice",,\r', // line 6, lone CR
      'c@x.com,Baz,,cheap\r\n', // line 7
      '\r\n', // line 8, blank
      'd@x.com,"multi\r\nline\r\n",,bogus\r\n', // lines 9-11
      'e@x.com,"  Last  ",,security', // line 12, no final line break
    ].join('');
    const file = workspaces.file('mixed.csv', text);
    const { exitCode, report } = await importJson(ws, file);
    expect(exitCode).toBe(0);
    expect(report?.encoding).toBe('utf-8');
    expect(counts(report)).toEqual({ inserted: 3, updated: 0, unchanged: 0, refused: 3 });
    expect(report?.errors.map((error) => [error.line, error.column, error.value, error.code])).toEqual([
      [5, 'Email', 'not-an-email', 'IMPORT_EMAIL_INVALID'],
      [7, 'interest', 'cheap', 'IMPORT_BAD_ENUM'],
      [9, 'interest', 'bogus', 'IMPORT_BAD_ENUM'],
    ]);
    readStore(ws, (db) => {
      expect(dumpLeads(db).map((lead) => lead.email)).toEqual(['a@x.com', 'b@x.com', 'e@x.com']);
      expect(leadRow(db, 'a@x.com')).toMatchObject({ company: 'Acme\r\nInc.', custom: JSON.stringify({ inquiry: 'first\nsecond', interest: 'pricing' }) });
      expect(leadRow(db, 'b@x.com')).toMatchObject({ company: 'He said "hi", twice' });
      expect(leadRow(db, 'e@x.com')).toMatchObject({ company: 'Last', custom: JSON.stringify({ interest: 'security' }) });
    });
  });
});

describe.concurrent('duplicates', () => {
  const header = ['email', 'first_name', 'last_name', 'company', 'title', 'phone', 'status'];
  const first = csvText([
    header,
    ['dup@x.com', 'Taro', 'Yamada', 'Acme', '', '', ''],
    ['other@x.com', 'Jiro', 'Sato', 'Beta', 'CEO', '', 'new'],
    ['DUP@x.com', '', '', '', 'CTO', '+81 3-1234-5678', ''],
    ['dup@x.com', 'Hanako', 'Suzuki', 'Gamma', '', '', ''],
  ]);

  it('within a file the first row for an address counts: later ones are refused, never merged, and a re-run changes nothing', async ({ expect }) => {
    const ws = workspaces.create();
    const errorsOut = join(ws, 'refused.csv');
    const { exitCode, report } = await importJson(ws, workspaces.file('dups.csv', first), ['--errors-out', errorsOut]);
    expect(exitCode).toBe(0);
    expect(counts(report)).toEqual({ inserted: 2, updated: 0, unchanged: 0, refused: 2 });
    expect(report!.errors.map(({ line, column, value, code }) => [line, column, value, code])).toEqual([
      [4, 'email', 'DUP@x.com', 'IMPORT_DUPLICATE_IN_FILE'],
      [5, 'email', 'dup@x.com', 'IMPORT_DUPLICATE_IN_FILE'],
    ]);
    expect(report!.errors[0]!.message).toContain('is already on line 2 of this file');
    expect(parseCsv(readFileSync(errorsOut, 'utf8').slice(1)).slice(1).map((row) => [row[0], row[7], row[8]])).toEqual([
      ['DUP@x.com', '4', 'IMPORT_DUPLICATE_IN_FILE'],
      ['dup@x.com', '5', 'IMPORT_DUPLICATE_IN_FILE'],
    ]);
    const [stored, lastEvent] = readStore(ws, (db) => {
      expect(count(db, 'SELECT count(*) AS n FROM leads')).toBe(2);
      expect(leadRow(db, 'dup@x.com')).toMatchObject({ first_name: 'Taro', last_name: 'Yamada', full_name: 'Taro Yamada', company: 'Acme', title: null, phone: null });
      expect(events(db).filter((event) => event.type === 'lead.updated')).toEqual([]);
      return [fullDumpLeads(db), count(db, 'SELECT max(id) AS n FROM events')] as const;
    });

    const again = await importJson(ws, workspaces.file('dups.csv', first));
    expect(counts(again.report)).toEqual({ inserted: 0, updated: 0, unchanged: 2, refused: 2 });
    readStore(ws, (db) => {
      expect(fullDumpLeads(db)).toEqual(stored);
      expect(events(db, lastEvent).map((event) => event.type)).toEqual(['import.finished']);
    });
  });

  it('against the store: --on-conflict skip leaves stored leads alone, update fills them from non-empty cells', async ({ expect }) => {
    const ws = workspaces.create();
    await importJson(ws, workspaces.file('dups.csv', first));
    const second = workspaces.file(
      'second.csv',
      csvText([
        ['email', 'company', 'title', 'status'],
        ['dup@x.com', 'NewCo', '', 'MQL'],
        ['new@x.com', 'Gamma', '', 'new'],
      ]),
    );
    const before = readStore(ws, dumpLeads);

    const skip = await importJson(ws, second, ['--on-conflict', 'skip']);
    expect(skip.exitCode).toBe(0);
    expect(counts(skip.report)).toEqual({ inserted: 1, updated: 0, unchanged: 1, refused: 0 });
    readStore(ws, (db) => {
      expect(dumpLeads(db).filter((lead) => lead.email !== 'new@x.com')).toEqual(before);
      expect(leadRow(db, 'new@x.com')).toMatchObject({ company: 'Gamma', status: 'new' });
    });

    const lastEvent = readStore(ws, (db) => count(db, 'SELECT max(id) AS n FROM events'));
    const update = await importJson(ws, second, ['--on-conflict', 'update']);
    expect(counts(update.report)).toEqual({ inserted: 0, updated: 1, unchanged: 1, refused: 0 });
    readStore(ws, (db) => {
      expect(leadRow(db, 'dup@x.com')).toMatchObject({ company: 'NewCo', status: 'MQL', title: null, first_name: 'Taro' });
      const updates = events(db, lastEvent).filter((event) => event.type === 'lead.updated');
      expect(updates.map((event) => event.data)).toEqual([{ import: 3, line: 2, changes: { company: ['Acme', 'NewCo'], status: [null, 'MQL'] } }]);
    });
  });
});

/**
 * 1,000 leads, some with quoted commas and multi-line cells (so physical lines and rows
 * differ), 37 of them bad in seven ways. Returns the text and, per bad row, its line.
 */
function thousandRows(): {
  text: string;
  header: string[];
  good: string[][];
  bad: Map<number, { index: number; kind: BadKind; code: RegExp; raw?: string }>;
  lineOf: number[];
} {
  const header = ['email', 'first_name', 'last_name', 'company', 'owner', 'interest', 'renewal_date', 'inquiry'];
  const kinds: BadKind[] = [
    ...Array<BadKind>(7).fill('email_invalid'),
    ...Array<BadKind>(5).fill('email_missing'),
    ...Array<BadKind>(6).fill('bad_date'),
    ...Array<BadKind>(6).fill('bad_enum'),
    ...Array<BadKind>(6).fill('unknown_owner'),
    ...Array<BadKind>(6).fill('extra_cells'),
    'unclosed_quote',
  ];
  const badAt = new Map<number, BadKind>();
  // 11 is prime to 37, so this visits every kind once, interleaved over the file.
  for (let k = 0; k < 37; k++) badAt.set(13 + k * 27, kinds[(k * 11) % 37]!);
  const good: string[][] = [];
  const lineOf: number[] = [];
  const bad = new Map<number, { index: number; kind: BadKind; code: RegExp; raw?: string }>();
  let text = `${header.join(',')}\r\n`;
  let line = 2;
  for (let i = 0; i < 1000; i++) {
    const row = [
      `user${i}@example.com`,
      `F${i}`,
      `L${i}`,
      i % 10 === 3 ? `Acme ${i}, Inc.` : `Co ${i}`,
      i % 5 === 0 ? 'alex' : '',
      ['pricing', 'security', 'integration', ''][i % 4]!,
      i % 3 === 0 ? '2026/12/01' : '',
      i % 50 === 7 ? `first line ${i}\nsecond line` : '',
    ];
    good.push(row);
    lineOf.push(line);
    const kind = badAt.get(i);
    let written: string;
    if (kind === 'unclosed_quote') {
      written = `user${i}@example.com,"F${i},L${i},Co ${i},,,,`;
      bad.set(line, { index: i, kind, code: /^CSV_(UNCLOSED|BAD)_QUOTE$/, raw: written });
    } else {
      const cells = [...row];
      if (kind === 'email_invalid') cells[0] = `user${i}.example.com`;
      if (kind === 'email_missing') cells[0] = '';
      if (kind === 'bad_date') cells[6] = '2026-02-30';
      if (kind === 'bad_enum') cells[5] = 'cheap';
      if (kind === 'unknown_owner') cells[4] = 'bob';
      if (kind === 'extra_cells') cells.push('extra');
      written = csvText([cells], '').trimEnd();
      if (kind) bad.set(line, { index: i, kind, code: new RegExp(`^${BAD_CODES[kind]}$`) });
    }
    text += `${written}\r\n`;
    line += 1 + (written.match(/\n/g)?.length ?? 0);
  }
  return { text, header, good, bad, lineOf };
}

type BadKind = 'email_invalid' | 'email_missing' | 'bad_date' | 'bad_enum' | 'unknown_owner' | 'extra_cells' | 'unclosed_quote';
const BAD_CODES: Record<Exclude<BadKind, 'unclosed_quote'>, string> = {
  email_invalid: 'IMPORT_EMAIL_INVALID',
  email_missing: 'IMPORT_EMAIL_MISSING',
  bad_date: 'IMPORT_BAD_DATE',
  bad_enum: 'IMPORT_BAD_ENUM',
  unknown_owner: 'IMPORT_UNKNOWN_OWNER',
  extra_cells: 'IMPORT_EXTRA_CELLS',
};

describe.concurrent('a 1,000-row file with 37 bad rows', () => {
  it('refuses each bad row at its physical line, imports the other 963, and --errors-out can be fixed and imported', async ({ expect }) => {
    const ws = workspaces.create();
    const { text, header, good, bad, lineOf } = thousandRows();
    expect(bad.size).toBe(37);
    const file = workspaces.file('thousand.csv', text);
    const errorsOut = join(ws, 'refused.csv');
    const { exitCode, report } = await importJson(ws, file, ['--errors-out', errorsOut]);

    expect(exitCode).toBe(0);
    expect(counts(report)).toEqual({ inserted: 963, updated: 0, unchanged: 0, refused: 37 });
    expect(report!.errors).toHaveLength(37);
    expect(report!.errors.map((error) => error.line)).toEqual([...bad.keys()]);
    for (const error of report!.errors) expect(error.code, `line ${error.line}`).toMatch(bad.get(error.line)!.code);

    const unclosed = [...bad.values()].find((row) => row.kind === 'unclosed_quote')!;
    readStore(ws, (db) => {
      expect(count(db, 'SELECT count(*) AS n FROM leads')).toBe(963);
      // The rows after the broken quote were read as rows of their own.
      for (let i = unclosed.index + 1; i <= unclosed.index + 3; i++) expect(leadRow(db, `user${i}@example.com`), `row ${i}`).toMatchObject({ first_name: `F${i}` });
      const multiLine = good.findIndex((row, i) => row[7] !== '' && !bad.has(lineOf[i]!));
      expect(leadRow(db, `user${multiLine}@example.com`)?.custom).toContain(JSON.stringify(good[multiLine]![7]).slice(1, -1));
    });

    // --errors-out: every refused row, with its own cells, its line and its reasons.
    // UTF-8 with a BOM, so that Excel reads it as UTF-8.
    const written = readFileSync(errorsOut, 'utf8');
    expect(written.startsWith('\uFEFF')).toBe(true);
    const refused = parseCsv(written.slice(1));
    expect(refused[0]).toEqual([...header, 'line', 'error_code', 'error']);
    expect(refused.slice(1).map((row) => Number(row[header.length]))).toEqual([...bad.keys()]);
    const fixed: string[][] = [refused[0]!];
    for (const row of refused.slice(1)) {
      const line = Number(row[header.length]);
      const { index, kind, code, raw } = bad.get(line)!;
      expect(row[header.length + 1]).toMatch(code);
      expect(row[header.length + 2]).not.toBe('');
      const cells = row.slice(0, header.length);
      const repaired = [...cells];
      if (kind === 'unclosed_quote') {
        // A row the CSV parser could not split has its line as written in the first cell.
        expect(cells).toEqual([raw, ...Array<string>(header.length - 1).fill('')]);
        repaired.splice(0, header.length, ...raw!.replace('"', '').split(','));
      } else {
        const original = good[index]!;
        if (kind === 'email_invalid') expect(cells[0]).toBe(`user${index}.example.com`);
        else if (kind === 'email_missing') expect(cells[0]).toBe('');
        else expect(cells[0]).toBe(original[0]);
        if (kind === 'email_invalid' || kind === 'email_missing') repaired[0] = `user${index}@example.com`;
        if (kind === 'bad_date') repaired[6] = '2026-12-01';
        if (kind === 'bad_enum') repaired[5] = 'pricing';
        if (kind === 'unknown_owner') repaired[4] = 'alex';
        expect(cells.slice(1, 4)).toEqual(original.slice(1, 4));
      }
      fixed.push([...repaired, ...row.slice(header.length)]);
    }
    const again = await importJson(ws, workspaces.file('fixed.csv', csvText(fixed, '\r\n')));
    expect(again.exitCode).toBe(0);
    expect(again.report).toMatchObject({ inserted: 37, updated: 0, refused: 0, unmapped: ['line', 'error_code', 'error'] });
    readStore(ws, (db) => {
      expect(count(db, 'SELECT count(*) AS n FROM leads')).toBe(1000);
      for (const { index, kind } of bad.values()) {
        const lead = leadRow(db, `user${index}@example.com`);
        expect(lead, `row ${index} (${kind})`).toMatchObject({ first_name: `F${index}` });
        if (kind === 'bad_date') expect(JSON.parse(String(lead!.custom))).toMatchObject({ renewal_date: '2026-12-01' });
        if (kind === 'unknown_owner') expect(lead!.owner).toBe('alex');
      }
    });
  });

  it('imported twice gives the same leads table; the second run changes nothing and logs no update', async ({ expect }) => {
    const ws = workspaces.create();
    const rows: string[][] = [['email', '氏名', 'フリガナ', 'company', 'phone', 'interest', 'meeting_at', 'do_not_contact', 'title']];
    for (let i = 0; i < 300; i++) {
      rows.push([
        `lead${i}@example.co.jp`,
        i % 2 ? `山田 太郎${i}` : `Taro${i} Yamada`,
        i % 2 ? 'ヤマダ タロウ' : '',
        `会社${i}`,
        ['+81 3-1234-5678', '+44 20 7946 0000', '', '03-1234-5678'][i % 4]!,
        ['pricing', '', 'security'][i % 3]!,
        i % 7 === 0 ? '2026/12/03 10:00' : '',
        i % 25 === 0 ? 'yes' : '',
        '',
      ]);
      // Duplicates that would complete the first row, contradict it, or repeat it: each is
      // refused, every run, so no run flips a value back and forth.
      if (i % 30 === 5) rows.push([`LEAD${i}@example.co.jp`, '', '', '', '', '', '', '', 'CTO']);
      if (i % 40 === 9) rows.push([`lead${i}@example.co.jp`, '佐藤 次郎', '', `別会社${i}`, '', '', '', '', '']);
      if (i % 50 === 11) rows.push([`lead${i}@example.co.jp`, '', '', '', '', '', '', '', '']);
    }
    rows.push(['broken', 'x', '', '', '', '', '', '', '']);
    const duplicates = 10 + 8 + 6;
    const file = workspaces.file('twice.csv', csvText(rows));
    const first = await importJson(ws, file);
    expect(first.exitCode).toBe(0);
    expect(first.report).toMatchObject({ inserted: 300, updated: 0, refused: 1 + duplicates });
    expect(first.report!.errors.filter((error) => error.code === 'IMPORT_DUPLICATE_IN_FILE')).toHaveLength(duplicates);
    const [leadsAfterFirst, lastEvent, suppressions] = readStore(ws, (db) => [fullDumpLeads(db), count(db, 'SELECT max(id) AS n FROM events'), count(db, 'SELECT count(*) AS n FROM suppressions')] as const);

    const second = await importJson(ws, file, [], { ...ENV, CADENCE_NOW: '2027-01-15T00:00:00Z' });
    expect(second.exitCode).toBe(0);
    expect(counts(second.report)).toEqual({ inserted: 0, updated: 0, unchanged: 300, refused: 1 + duplicates });
    readStore(ws, (db) => {
      expect(fullDumpLeads(db)).toEqual(leadsAfterFirst);
      expect(events(db, lastEvent).map((event) => event.type)).toEqual(['import.finished']);
      expect(count(db, 'SELECT count(*) AS n FROM suppressions')).toBe(suppressions);
    });
  });
});

describe('an import killed halfway', () => {
  const file = join(tmpdir(), `cadence-killed-${process.pid}.csv`);
  const ROWS = 200_000;
  afterAll(() => rmSync(file, { force: true }));

  it('leaves whole batches only, and a re-run completes it with every row exactly once', { timeout: 90_000 }, async () => {
    const lines = ['email,name,company,phone,interest'];
    for (let i = 0; i < ROWS; i++) {
      lines.push(`user${i}@example${i % 97}.com,${i % 5 === 0 ? `山田 太郎${i}` : `First${i} Last${i}`},Company ${i % 1000},${['+81 3-1234-5678', '+44 20 7946 0000', ''][i % 3]},${['pricing', 'security', ''][i % 3]}`);
    }
    writeFileSync(file, `${lines.join('\n')}\n`);
    const ws = workspaces.create();

    const child = execa(process.execPath, [bin, 'import', file, '--json'], { cwd: ws, env: { NO_COLOR: '1', ...ENV }, reject: false });
    const deadline = Date.now() + 30_000;
    // Killed once the first window of rows is written whole and the next one is under way.
    let inserted = 0;
    while (inserted <= WINDOW_ROWS && Date.now() < deadline && child.exitCode === null) {
      await sleep(10);
      if (!hasStore(ws)) continue;
      try {
        inserted = readStore(ws, (db) => (db.prepare("SELECT inserted FROM import_runs WHERE status = 'running'").get() as { inserted: number } | undefined)?.inserted ?? 0);
      } catch {
        // The store is still being created.
      }
    }
    child.kill('SIGKILL');
    const killed = await child;
    expect(killed.signal, 'the import was still running when killed').toBe('SIGKILL');
    expect(inserted).toBeGreaterThan(WINDOW_ROWS);

    const written = readStore(ws, (db) => {
      const run = db.prepare('SELECT * FROM import_runs').all() as { status: string; inserted: number; last_line: number }[];
      const leads = count(db, 'SELECT count(*) AS n FROM leads');
      expect(run).toHaveLength(1);
      expect(run[0]!.status).toBe('running');
      expect(leads).toBeGreaterThan(0);
      expect(leads).toBeLessThan(ROWS);
      expect(count(db, "SELECT count(*) AS n FROM events WHERE type = 'lead.imported'")).toBe(leads);
      expect(run[0]!.inserted).toBe(leads);
      // Windows of rows are written one after another (in address order inside each): every
      // row up to the recorded line is there, and the others are of the window being written.
      const through = run[0]!.last_line - 1;
      expect(through).toBeGreaterThanOrEqual(WINDOW_ROWS);
      const rows = (db.prepare('SELECT email FROM leads').pluck().all() as string[]).map((email) => Number(/^user(\d+)@/.exec(email)![1]));
      expect(rows.filter((row) => row < through)).toHaveLength(through);
      expect(rows.reduce((highest, row) => Math.max(highest, row), 0)).toBeLessThan(through + WINDOW_ROWS + 1000);
      return { leads, lastLine: run[0]!.last_line };
    });

    const rerun = await importJson(ws, file, [], ENV);
    expect(rerun.exitCode).toBe(0);
    expect(counts(rerun.report)).toEqual({ inserted: ROWS - written.leads, updated: 0, unchanged: written.leads, refused: 0 });

    const clean = workspaces.create();
    expect((await importJson(clean, file)).exitCode).toBe(0);

    const resumed = readStore(ws, (db) => {
      expect(count(db, 'SELECT count(*) AS n FROM leads')).toBe(ROWS);
      expect(count(db, "SELECT count(*) AS n FROM events WHERE type = 'lead.imported'")).toBe(ROWS);
      expect(count(db, "SELECT count(DISTINCT lead_id) AS n FROM events WHERE type = 'lead.imported'")).toBe(ROWS);
      expect(db.prepare('SELECT id, status FROM import_runs ORDER BY id').all()).toEqual([
        { id: 1, status: 'interrupted' },
        { id: 2, status: 'done' },
      ]);
      expect(events(db).filter((event) => event.type === 'import.interrupted').map((event) => event.data)).toEqual([{ import: 1, lastLine: written.lastLine }]);
      return dumpLeads(db);
    });
    const single = readStore(clean, dumpLeads);
    expect(resumed.length).toBe(ROWS);
    expect(resumed).toEqual(single);
  });
});

describe('a repeated address far apart in a large file', () => {
  it('is refused at its line, naming the first, across write batches and windows, and for stored leads with --on-conflict skip', { timeout: 90_000 }, async () => {
    const ws = workspaces.create();
    expect((await importJson(ws, workspaces.file('known.csv', 'email,company\nknown@example.com,Before\n'))).exitCode).toBe(0);
    const rows = ['email,company'];
    for (let i = 0; i < 2 * WINDOW_ROWS; i++) rows.push(`user${i}@example.com,Company ${i}`);
    rows.splice(3000, 0, 'known@example.com,After'); // line 3001: a stored lead
    rows[4501] = 'USER7@Example.com,Again'; // line 4502 repeats line 9
    const later = WINDOW_ROWS + 20_000; // a line in the second window
    rows[later - 1] = 'user28@example.com,Once more'; // repeats line 30, in the first
    rows.push('Known@example.com,Later'); // the last line repeats line 3001
    const last = rows.length;
    const file = workspaces.file('repeats.csv', `${rows.join('\n')}\n`);
    for (const mode of ['update', 'skip']) {
      const { exitCode, report } = await importJson(ws, file, ['--on-conflict', mode]);
      expect(exitCode).toBe(0);
      expect(report!.errors.map(({ line, value, code }) => [line, value, code])).toEqual([
        [4502, 'USER7@Example.com', 'IMPORT_DUPLICATE_IN_FILE'],
        [later, 'user28@example.com', 'IMPORT_DUPLICATE_IN_FILE'],
        [last, 'Known@example.com', 'IMPORT_DUPLICATE_IN_FILE'],
      ]);
      expect(report!.errors[0]!.message).toContain('is already on line 9 of this file');
      expect(report!.errors[1]!.message).toContain('is already on line 30 of this file');
      expect(report!.errors[2]!.message).toContain('is already on line 3001 of this file');
    }
    readStore(ws, (db) => {
      expect(leadRow(db, 'user7@example.com')).toMatchObject({ company: 'Company 7' });
      expect(leadRow(db, 'user28@example.com')).toMatchObject({ company: 'Company 28' });
      expect(leadRow(db, 'known@example.com')).toMatchObject({ company: 'After' });
      expect(count(db, 'SELECT count(*) AS n FROM leads')).toBe(2 * WINDOW_ROWS - 1); // the users but the two replaced rows, and known
      // Each new lead has its lead.imported event (written 64 to a statement), in the order the leads were.
      const imported = db.prepare("SELECT lead_id FROM events WHERE type = 'lead.imported' ORDER BY id").pluck().all() as number[];
      expect(imported).toHaveLength(2 * WINDOW_ROWS - 1);
      expect(imported.every((lead, index) => index === 0 || lead > imported[index - 1]!)).toBe(true);
    });
  });
});

describe('the write-ahead log of a large import', () => {
  it('is emptied when the import ends, even while another process keeps the store open', { timeout: 60_000 }, async () => {
    const ws = workspaces.create();
    expect((await importJson(ws, workspaces.file('first.csv', 'email\nfirst@example.com\n'))).exitCode).toBe(0);
    const rows = ['email,company'];
    for (let i = 0; i < 60_000; i++) rows.push(`user${i}@example${i % 89}.com,Company ${i}`);
    const file = workspaces.file('large.csv', `${rows.join('\n')}\n`);
    // An open connection (as a `cadence run` loop keeps) means SQLite does not remove the
    // log when the import closes the store: only the import's own truncation empties it.
    const other = new Database(storeFile(ws));
    try {
      other.pragma('journal_mode');
      const result = await importJson(ws, file);
      expect(result.exitCode).toBe(0);
      expect(result.report?.inserted).toBe(60_000);
      expect(statSync(`${storeFile(ws)}-wal`).size).toBe(0);
      expect(count(other, 'SELECT count(*) AS n FROM leads')).toBe(60_001);
    } finally {
      other.close();
    }
  });
});

describe.concurrent('--strict and --dry-run', () => {
  const clean = csvText([
    ['email', 'company', 'status'],
    ['a@x.com', 'A', 'new'],
    ['b@x.com', 'B', 'MQL'],
  ]);
  const withBadRow = csvText([
    ['email', 'company', 'status'],
    ['a@x.com', 'A2', 'SQL'],
    ['c@x.com', 'C', 'new'],
    ['d@x.com', 'D', 'Hot'],
    ['e@x.com', 'E', ''],
  ]);

  it('--strict writes nothing when one row is refused and exits 1; a clean file imports', async ({ expect }) => {
    const fresh = workspaces.create();
    const refused = await importJson(fresh, workspaces.file('bad.csv', withBadRow), ['--strict']);
    expect(refused.exitCode).toBe(1);
    expect(refused.report).toMatchObject({ aborted: true, refused: 1, errors: [{ line: 4, code: 'IMPORT_BAD_STATUS', value: 'Hot' }] });
    readStore(fresh, (db) => {
      expect(count(db, 'SELECT count(*) AS n FROM leads')).toBe(0);
      expect(count(db, 'SELECT count(*) AS n FROM import_runs')).toBe(0);
      expect(count(db, 'SELECT count(*) AS n FROM events')).toBe(0);
    });
    const text = await cadence(['import', workspaces.file('bad.csv', withBadRow), '--strict'], { cwd: fresh, env: ENV });
    expect(text.exitCode).toBe(1);
    expect(text.stdout).toContain('--strict: 1 row was refused, so nothing was written');
    expect(text.stdout).toContain('line 4, status: "Hot"  IMPORT_BAD_STATUS');

    const ws = workspaces.create();
    expect((await importJson(ws, workspaces.file('clean.csv', clean), ['--strict'])).report).toMatchObject({ inserted: 2, aborted: false });
    const before = readStore(ws, (db) => ({ leads: fullDumpLeads(db), runs: count(db, 'SELECT count(*) AS n FROM import_runs'), events: count(db, 'SELECT count(*) AS n FROM events') }));
    expect((await importJson(ws, workspaces.file('bad.csv', withBadRow), ['--strict'])).exitCode).toBe(1);
    readStore(ws, (db) => {
      expect({ leads: fullDumpLeads(db), runs: count(db, 'SELECT count(*) AS n FROM import_runs'), events: count(db, 'SELECT count(*) AS n FROM events') }).toEqual(before);
    });
  });

  /** 5,000 rows (several batches): new leads, updates of stored ones, duplicates far apart, refusals, do-not-contact. */
  function batchesFile(): string {
    const rows: string[][] = [['email', 'company', 'title', 'status', 'do_not_contact']];
    for (let i = 0; i < 5000; i++) {
      if (i % 1000 === 999) rows.push([`bad ${i}`, 'X', '', '', '']);
      else if (i >= 2500 && i % 10 === 0) rows.push([`lead${i - 2500}@x.com`, '', `Title ${i}`, '', '']);
      else if (i >= 2500 && i % 10 === 1) rows.push([`lead${i - 2500}@x.com`, '', '', '', '']);
      else rows.push([`lead${i}@x.com`, `Co ${i}`, '', i % 3 === 0 ? 'MQL' : '', i % 333 === 0 ? 'yes' : '']);
    }
    return csvText(rows);
  }
  const stored = csvText([
    ['email', 'company', 'status'],
    ['lead3@x.com', 'Co 3', 'MQL'], // unchanged by the file
    ['lead4@x.com', 'Old Co', 'new'], // updated
    ['lead10@x.com', 'Co 10', ''], // unchanged, then filled by a duplicate
  ]);

  function snapshot(ws: string): unknown {
    return readStore(ws, (db) => ({
      leads: fullDumpLeads(db),
      events: count(db, 'SELECT count(*) AS n FROM events'),
      runs: count(db, 'SELECT count(*) AS n FROM import_runs'),
      suppressions: count(db, 'SELECT count(*) AS n FROM suppressions'),
    }));
  }

  it('--dry-run writes nothing and reports the counts the real run then reports', async ({ expect }) => {
    const ws = workspaces.create();
    await importJson(ws, workspaces.file('stored.csv', stored));
    const file = workspaces.file('batches.csv', batchesFile());
    const before = snapshot(ws);
    const dry = await importJson(ws, file, ['--dry-run']);
    expect(dry.exitCode).toBe(0);
    expect(dry.report?.dryRun).toBe(true);
    expect(snapshot(ws)).toEqual(before);
    const real = await importJson(ws, file);
    expect(real.exitCode).toBe(0);
    // The rows repeating an address further down the file are refused (the first row counts).
    expect(counts(real.report)).toEqual({ inserted: 4495 - 3, updated: 1, unchanged: 2, refused: 505 });
    expect(counts(dry.report)).toEqual(counts(real.report));
    expect(dry.report!.errors).toEqual(real.report!.errors);
  });

  it('--dry-run works on a workspace that has no store yet, and creates none', async ({ expect }) => {
    const ws = workspaces.create();
    const file = workspaces.file('batches.csv', batchesFile());
    const dry = await importJson(ws, file, ['--dry-run']);
    expect(dry.stderr).toBe('');
    expect(dry.exitCode).toBe(0);
    expect(hasStore(ws)).toBe(false);
    const real = await importJson(ws, file);
    expect(counts(dry.report)).toEqual(counts(real.report));
    expect(real.report!.inserted).toBe(4995 - 500);
  });
});

describe.concurrent('names, time zones and do-not-contact', () => {
  it('splits 氏名 at a half- or full-width space, keeps 山田太郎 whole with a warning, and splits フリガナ', async ({ expect }) => {
    const ws = workspaces.create();
    const file = workspaces.file(
      'names.csv',
      csvText([
        ['メールアドレス', '氏名', 'フリガナ'],
        ['half@example.jp', '山田 太郎', 'ヤマダ タロウ'],
        ['full@example.jp', '山田　花子', 'ヤマダ　ハナコ'],
        ['whole@example.jp', '山田太郎', ''],
        ['narrow@example.jp', '佐藤 次郎', 'ｻﾄｳ ｼﾞﾛｳ'],
      ]),
    );
    const result = await cadence(['import', file], { cwd: ws, env: ENV });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('4 inserted');
    expect(result.stdout).toContain('warnings (the rows were imported):');
    expect(result.stdout).toMatch(/line 4, 氏名: "山田太郎" {2}IMPORT_NAME_NOT_SPLIT/);
    readStore(ws, (db) => {
      const pick = (email: string): unknown => {
        const lead = leadRow(db, email)!;
        return [lead.last_name, lead.first_name, lead.full_name, lead.last_name_kana, lead.first_name_kana];
      };
      expect(pick('half@example.jp')).toEqual(['山田', '太郎', '山田 太郎', 'ヤマダ', 'タロウ']);
      expect(pick('full@example.jp')).toEqual(['山田', '花子', '山田　花子', 'ヤマダ', 'ハナコ']);
      expect(pick('whole@example.jp')).toEqual([null, null, '山田太郎', null, null]);
      expect(pick('narrow@example.jp')).toEqual(['佐藤', '次郎', '佐藤 次郎', 'サトウ', 'ジロウ']);
    });
  });

  it('does not warn about a one-word full_name when the row has first_name or last_name (an export imported back)', async ({ expect }) => {
    const ws = workspaces.create();
    const file = workspaces.file(
      'export.csv',
      csvText([
        ['email', 'first_name', 'last_name', 'full_name'],
        ['madonna@example.com', 'Madonna', '', 'Madonna'],
        ['cher@example.com', '', 'Cher', 'Cher'],
        ['prince@example.com', '', '', 'Prince'],
      ]),
    );
    const { report } = await importJson(ws, file);
    expect(report?.inserted).toBe(3);
    expect(report?.warnings).toEqual([
      expect.objectContaining({ line: 4, column: 'full_name', code: 'IMPORT_NAME_NOT_SPLIT', message: expect.stringContaining('write it as "Taro Yamada"') }),
    ]);
  });

  it('takes the time zone from the phone when there is none, else the workspace zone (America/New_York)', async ({ expect }) => {
    const ws = workspaces.create();
    const noZoneColumn = workspaces.file(
      'phones.csv',
      csvText([
        ['email', 'phone'],
        ['tokyo@example.jp', '+81 3-1234-5678'],
        ['london@example.co.uk', '+44 20 7946 0000'],
        ['wide@example.jp', '＋８１ ９０－１２３４－５６７８'],
        ['domestic@example.jp', '03-1234-5678'],
        ['none@example.com', ''],
      ]),
    );
    const withZoneColumn = workspaces.file(
      'zones.csv',
      csvText([
        ['email', 'phone', 'Time Zone'],
        ['paris@example.fr', '+81 3-1234-5678', 'europe/paris'],
        ['blank@example.jp', '+81 3-1234-5678', ''],
      ]),
    );
    expect((await importJson(ws, noZoneColumn)).report?.inserted).toBe(5);
    expect((await importJson(ws, withZoneColumn)).report?.inserted).toBe(2);
    const zones = readStore(ws, (db) => Object.fromEntries((db.prepare('SELECT email, timezone FROM leads').all() as { email: string; timezone: string }[]).map((row) => [row.email, row.timezone])));
    expect(zones).toEqual({
      'tokyo@example.jp': 'Asia/Tokyo',
      'london@example.co.uk': 'Europe/London',
      'wide@example.jp': 'Asia/Tokyo',
      'domestic@example.jp': 'America/New_York',
      'none@example.com': 'America/New_York',
      'paris@example.fr': 'Europe/Paris',
      'blank@example.jp': 'Asia/Tokyo',
    });
  });

  it('suppresses a lead whose do_not_contact (配信停止) cell says so', async ({ expect }) => {
    const ws = workspaces.create();
    const file = workspaces.file(
      'dnc.csv',
      csvText([
        ['email', '配信停止'],
        ['stop@example.jp', '配信停止'],
        ['yes@example.com', 'yes'],
        ['keep@example.jp', 'いいえ'],
        ['blank@example.jp', ''],
      ]),
    );
    expect((await importJson(ws, file)).report?.inserted).toBe(4);
    for (const email of ['stop@example.jp', 'yes@example.com']) {
      const shown = await cadence(['leads', 'show', email], { cwd: ws, env: ENV });
      expect(shown.exitCode).toBe(0);
      expect(shown.stdout).toMatch(/^suppressed: do_not_contact \(address, /m);
    }
    for (const email of ['keep@example.jp', 'blank@example.jp']) {
      expect((await cadence(['leads', 'show', email], { cwd: ws, env: ENV })).stdout).toMatch(/^not suppressed$/m);
    }
    readStore(ws, (db) => {
      expect(db.prepare("SELECT kind, value, reason FROM suppressions ORDER BY value").all()).toEqual([
        { kind: 'address', value: 'stop@example.jp', reason: 'do_not_contact' },
        { kind: 'address', value: 'yes@example.com', reason: 'do_not_contact' },
      ]);
    });
  });
});

describe.concurrent('bad usage and unreadable files', () => {
  const file = (): string => workspaces.file('leads.csv', csvText([['Email', 'Firma'], ['a@x.com', 'A']]));

  it('an unknown --map field is a usage error with a suggestion', async ({ expect }) => {
    const ws = workspaces.create();
    const result = await cadence(['import', file(), '--map', 'Firma=compnay'], { cwd: ws, env: ENV });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('error IMPORT_MAP_UNKNOWN_FIELD');
    expect(result.stderr).toContain('hint: did you mean "company"?');
    expect(result.stderr).not.toMatch(STACK);
    readStore(ws, (db) => expect(count(db, 'SELECT count(*) AS n FROM leads')).toBe(0));
    // The same file with the field spelled right imports.
    expect((await importJson(ws, file(), ['--map', 'Firma=company'])).report?.inserted).toBe(1);
  });

  it('an --errors-out that cannot be written is IMPORT_ERRORS_OUT_UNWRITABLE, exit 2, before anything is imported', async ({ expect }) => {
    const ws = workspaces.create();
    for (const errorsOut of ['/nonexistent/dir/x.csv', ws]) {
      const result = await cadence(['import', file(), '--errors-out', errorsOut], { cwd: ws, env: ENV });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(/^error IMPORT_ERRORS_OUT_UNWRITABLE {2}--errors-out .*: cannot write there: (the folder \/nonexistent\/dir does not exist|it is a directory)$/m);
      expect(result.stderr).toContain('hint: ');
      expect(result.stderr).not.toMatch(STACK);
    }
    expect(hasStore(ws)).toBe(false);
  });

  it('--map twice for one column is IMPORT_BAD_MAP naming both, exit 2; two columns of one name get an honest hint', async ({ expect }) => {
    const ws = workspaces.create();
    const twice = await cadence(['import', file(), '--map', 'Firma=company', '--map', 'firma=-'], { cwd: ws, env: ENV });
    expect(twice.exitCode).toBe(2);
    expect(twice.stderr).toContain('error IMPORT_BAD_MAP  --map "Firma=company" and --map "firma=-" both map the column "firma"');
    expect(hasStore(ws)).toBe(false);

    const sameName = workspaces.file('two-emails.csv', csvText([['Email', 'Company', 'Email'], ['a@x.com', 'A', 'b@x.com']]));
    const result = await cadence(['import', sameName], { cwd: ws, env: ENV });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('error IMPORT_DUPLICATE_COLUMN');
    expect(result.stderr).toContain('hint: --map cannot tell columns 1 and 3 apart ("Email=-" would skip both): rename or delete one in the file, then import again');
  });

  it('a missing file is IMPORT_UNREADABLE, exit 1, without a stack trace', async ({ expect }) => {
    const ws = workspaces.create();
    const result = await cadence(['import', 'no-such-file.csv'], { cwd: ws, env: ENV });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^error IMPORT_UNREADABLE {2}cannot read .*no-such-file\.csv: no such file$/m);
    expect(result.stderr).toContain('hint: ');
    expect(result.stderr).not.toMatch(STACK);
    readStore(ws, (db) => expect(count(db, 'SELECT count(*) AS n FROM import_runs')).toBe(0));
  });

  it('a CSV without an email column is IMPORT_NO_EMAIL_COLUMN; the run is failed, not later taken for a killed one', async ({ expect }) => {
    const ws = workspaces.create();
    const noEmail = workspaces.file('no-email.csv', csvText([['Name', 'Company'], ['Taro', 'A']]));
    const result = await cadence(['import', noEmail], { cwd: ws, env: ENV });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('error IMPORT_NO_EMAIL_COLUMN');
    expect(result.stderr).toContain('hint: name the column that does: --map "YourColumn=email"');
    expect(result.stderr).not.toMatch(STACK);

    const next = await cadence(['import', file()], { cwd: ws, env: ENV });
    expect(next.exitCode).toBe(0);
    expect(next.stdout).not.toContain('interrupted');
    readStore(ws, (db) => {
      expect(db.prepare('SELECT id, status FROM import_runs ORDER BY id').all()).toEqual([
        { id: 1, status: 'failed' },
        { id: 2, status: 'done' },
      ]);
      expect(count(db, 'SELECT count(*) AS n FROM leads')).toBe(1);
    });
  });
});
