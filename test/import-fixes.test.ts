import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import { checkErrorsOut } from '../src/import/refusals.js';
import { importLeads, type ImportEnvironment, type ImportOptions } from '../src/import/run-import.js';
import { openStore, type Store } from '../src/store/database.js';
import { loadValidConfig } from '../src/workspace/config.js';
import { initWorkspace } from '../src/workspace/init.js';
import type { WorkspaceConfig } from '../src/workspace/types.js';
import { csvText, parseCsv } from './helpers/lead-store.js';

/**
 * The import service on the defects a review found: text mangled by a wrong encoding,
 * duplicates within a file, and --errors-out. Real files and a real store.
 */
const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

const NOW = new Date('2026-12-01T09:00:00Z');

function workspace(): { root: string; config: WorkspaceConfig; store: Store; file: (name: string, content: string | Uint8Array) => string } {
  const root = mkdtempSync(join(tmpdir(), 'cadence-import-fixes-'));
  initWorkspace(root, 'en');
  const store = openStore(join(root, '.cadence', 'cadence.db'));
  cleanups.push(() => {
    store.close();
    rmSync(root, { recursive: true, force: true });
  });
  const file = (name: string, content: string | Uint8Array): string => {
    writeFileSync(join(root, name), content);
    return join(root, name);
  };
  return { root, config: loadValidConfig(root), store, file };
}

function options(file: string, extra: Partial<ImportOptions> = {}): ImportOptions {
  return { file, map: {}, encoding: 'auto', onConflict: 'update', strict: false, dryRun: false, ...extra };
}

const environment: ImportEnvironment = { now: NOW, actor: 'sato', pid: 4242, isAlive: (pid) => pid === 4242 };

const count = (store: Store, sql: string): number => (store.db.prepare(sql).get() as { n: number }).n;
const leads = (store: Store): Record<string, unknown>[] => store.db.prepare('SELECT * FROM leads ORDER BY id').all() as Record<string, unknown>[];
const eventTypes = (store: Store, after = 0): string[] => (store.db.prepare('SELECT type FROM events WHERE id > ? ORDER BY id').pluck().all(after) as string[]);
const lastEvent = (store: Store): number => count(store, 'SELECT coalesce(max(id), 0) AS n FROM events');

describe('bytes that are not valid in the encoding', () => {
  it('refuses the rows of a Shift_JIS file read as UTF-8 (IMPORT_BAD_BYTES, by column) instead of storing U+FFFD', async () => {
    const { store, config, file } = workspace();
    const csv = file('sjis.csv', iconv.encode(csvText([['email', 'last_name', 'first_name', 'company'], ['taro@example.jp', '山田', '太郎', '㈱テスト'], ['john@example.com', 'Smith', 'John', 'Acme']]), 'cp932'));
    const report = await importLeads(store, config, options(csv, { encoding: 'utf-8' }), environment);
    expect(report).toMatchObject({ inserted: 1, refused: 1, encoding: 'utf-8' });
    expect(report.errors.map(({ line, column, code }) => [line, column, code])).toEqual([
      [2, 'last_name', 'IMPORT_BAD_BYTES'],
      [2, 'first_name', 'IMPORT_BAD_BYTES'],
      [2, 'company', 'IMPORT_BAD_BYTES'],
    ]);
    expect(report.errors[0]!.message).toMatch(/not valid UTF-8 .*--encoding shift_jis/);
    expect(JSON.stringify(leads(store))).not.toContain('\uFFFD');
    expect(leads(store).map((lead) => lead.email)).toEqual(['john@example.com']);
  });

  it('refuses a Latin-1 row far into a file detected as UTF-8 (auto), rather than storing Caf\uFFFD', async () => {
    const { store, config, file } = workspace();
    const rows = [['email', 'company'], ['muller@example.de', 'Müller GmbH']];
    // More than the 64 KiB that detection looks at after the first non-ASCII byte.
    for (let i = 0; i < 3000; i++) rows.push([`user${i}@example.com`, `Company number ${i}`]);
    const head = Buffer.from(csvText(rows), 'utf8');
    const latin1 = Buffer.from('cafe@example.fr,Café de Flore\nlast@example.com,Last\n', 'latin1');
    const report = await importLeads(store, config, options(file('mixed.csv', Buffer.concat([head, latin1]))), environment);
    expect(report).toMatchObject({ inserted: 3002, refused: 1, encoding: 'utf-8' });
    expect(report.errors).toEqual([expect.objectContaining({ line: rows.length + 1, column: 'company', value: 'Caf\uFFFD de Flore', code: 'IMPORT_BAD_BYTES' })]);
    expect(count(store, "SELECT count(*) AS n FROM leads WHERE email = 'cafe@example.fr'")).toBe(0);
  });

  it('fails on a header row that does not decode with IMPORT_ENCODING_MISMATCH and the way out, not IMPORT_NO_EMAIL_COLUMN', async () => {
    const { store, config, file } = workspace();
    const csv = file('meibo.csv', iconv.encode(csvText([['メールアドレス', '氏名'], ['taro@example.jp', '山田 太郎']]), 'cp932'));
    await expect(importLeads(store, config, options(csv, { encoding: 'utf-8' }), environment)).rejects.toMatchObject({
      code: 'IMPORT_ENCODING_MISMATCH',
      exitCode: 1,
      hint: expect.stringContaining('try --encoding shift_jis'),
    });
    expect(count(store, 'SELECT count(*) AS n FROM leads')).toBe(0);
  });
});

describe('duplicates within a file', () => {
  const contradicting = csvText([
    ['email', 'last_name', 'first_name', 'company', 'status'],
    ['Taro@Example.co.jp', '山田', '太郎', 'A社', 'new'],
    ['hanako@example.jp', '鈴木', '花子', 'B社', 'new'],
    ['taro@example.co.jp', '佐藤', '次郎', 'C社', 'MQL'],
  ]);

  it('keeps the first row for an address and refuses a later one, naming the first line; a re-run changes nothing', async () => {
    const { store, config, file } = workspace();
    const csv = file('dups.csv', contradicting);
    const first = await importLeads(store, config, options(csv), environment);
    expect(first).toMatchObject({ inserted: 2, updated: 0, unchanged: 0, refused: 1 });
    expect(first.errors).toEqual([
      {
        line: 4,
        column: 'email',
        value: 'taro@example.co.jp',
        code: 'IMPORT_DUPLICATE_IN_FILE',
        message: '"taro@example.co.jp" is already on line 2 of this file; the first row for an address counts (merge the rows, or import this one on its own)',
      },
    ]);
    expect(store.db.prepare("SELECT last_name, first_name, company, status FROM leads WHERE email = 'taro@example.co.jp'").get()).toEqual({ last_name: '山田', first_name: '太郎', company: 'A社', status: 'new' });
    expect(eventTypes(store)).toEqual(['lead.imported', 'lead.imported', 'import.finished']);

    const stored = leads(store);
    const after = lastEvent(store);
    for (let run = 0; run < 2; run++) {
      const again = await importLeads(store, config, options(csv), environment);
      expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 2, refused: 1 });
      expect(again.errors.map((error) => error.code)).toEqual(['IMPORT_DUPLICATE_IN_FILE']);
    }
    expect(leads(store)).toEqual(stored);
    expect(eventTypes(store, after)).toEqual(['import.finished', 'import.finished']);
  });

  it('compares addresses as they are stored (full width, case), and a refused row is not the first', async () => {
    const { store, config, file } = workspace();
    const csv = file(
      'dups.csv',
      csvText([
        ['email', 'company', 'status'],
        ['ＴＡＲＯ＠ｅｘａｍｐｌｅ．ｃｏ．ｊｐ', 'A社', ''],
        ['taro@example.co.jp', 'B社', ''],
        ['hanako@example.jp', 'C社', 'Hot'],
        ['Hanako@Example.jp', 'D社', ''],
      ]),
    );
    const report = await importLeads(store, config, options(csv), environment);
    expect(report.errors.map(({ line, code }) => [line, code])).toEqual([
      [3, 'IMPORT_DUPLICATE_IN_FILE'],
      [4, 'IMPORT_BAD_STATUS'],
    ]);
    expect(store.db.prepare('SELECT email, company FROM leads ORDER BY email').all()).toEqual([
      { email: 'hanako@example.jp', company: 'D社' },
      { email: 'taro@example.co.jp', company: 'A社' },
    ]);
  });

  it('--strict refuses a file with a duplicate and writes nothing; a dry run counts it as the real run does', async () => {
    const { store, config, file } = workspace();
    const csv = file('dups.csv', contradicting);
    const strict = await importLeads(store, config, options(csv, { strict: true }), environment);
    expect(strict).toMatchObject({ aborted: true, refused: 1, errors: [{ line: 4, code: 'IMPORT_DUPLICATE_IN_FILE' }] });
    expect(count(store, 'SELECT count(*) AS n FROM leads')).toBe(0);
    const dry = await importLeads(store, config, options(csv, { dryRun: true }), environment);
    expect(dry).toMatchObject({ inserted: 2, updated: 0, refused: 1, dryRun: true });
    expect(count(store, 'SELECT count(*) AS n FROM leads')).toBe(0);
  });
});

describe('--errors-out', () => {
  it('is UTF-8 with a BOM; a refused duplicate keeps its cells; a row the parser could not split has its line in the first cell', async () => {
    const { root, store, config, file } = workspace();
    const text = ['email,company,status', 'taro@example.jp,山田商事,new', 'broken@example.jp,"unclosed,new', 'taro@example.jp,佐藤商事,new', ''].join('\n');
    const errorsOut = join(root, 'refused.csv');
    const report = await importLeads(store, config, options(file('leads.csv', iconv.encode(text, 'cp932')), { errorsOut }), environment);
    expect(report).toMatchObject({ inserted: 1, refused: 2, encoding: 'cp932' });
    const written = readFileSync(errorsOut, 'utf8');
    expect(written.startsWith('\uFEFF')).toBe(true);
    const rows = parseCsv(written.slice(1));
    expect(rows[0]).toEqual(['email', 'company', 'status', 'line', 'error_code', 'error']);
    expect(rows[1]!.slice(0, 5)).toEqual(['broken@example.jp,"unclosed,new', '', '', '3', 'CSV_UNCLOSED_QUOTE']);
    expect(rows[2]!.slice(0, 5)).toEqual(['taro@example.jp', '佐藤商事', 'new', '4', 'IMPORT_DUPLICATE_IN_FILE']);
  });

  it('a path that cannot be written is IMPORT_ERRORS_OUT_UNWRITABLE (bad usage) before a run starts', async () => {
    const { root, store, config, file } = workspace();
    const csv = file('leads.csv', 'email\na@example.com\n');
    for (const errorsOut of ['/nonexistent/dir/x.csv', root]) {
      await expect(importLeads(store, config, options(csv, { errorsOut }), environment)).rejects.toMatchObject({ code: 'IMPORT_ERRORS_OUT_UNWRITABLE', exitCode: 2 });
    }
    expect(count(store, 'SELECT count(*) AS n FROM import_runs')).toBe(0);
  });

  it('checkErrorsOut: a directory, a missing folder, the imported file itself; a new file in a folder that exists is fine', () => {
    const { root, file } = workspace();
    const csv = file('leads.csv', 'email\n');
    mkdirSync(join(root, 'out'));
    const code = (path: string): string | undefined => {
      try {
        checkErrorsOut(path, csv);
        return undefined;
      } catch (error) {
        return `${(error as { code: string }).code}: ${(error as Error).message}`;
      }
    };
    expect(code(join(root, 'out'))).toBe(`IMPORT_ERRORS_OUT_UNWRITABLE: --errors-out ${join(root, 'out')}: cannot write there: it is a directory`);
    expect(code('/nonexistent/dir/x.csv')).toBe('IMPORT_ERRORS_OUT_UNWRITABLE: --errors-out /nonexistent/dir/x.csv: cannot write there: the folder /nonexistent/dir does not exist');
    expect(code(csv)).toMatch(/it is the file being imported/);
    expect(code(join(root, 'out', 'refused.csv'))).toBeUndefined();
    expect(readFileSync(csv, 'utf8')).toBe('email\n');
  });
});
