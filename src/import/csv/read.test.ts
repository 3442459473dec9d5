import { Buffer } from 'node:buffer';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { CadenceError } from '../../errors.js';
import type { CsvItem } from './parser.js';
import { openCsv, readCsvFile, type OpenCsvOptions } from './read.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadence-csv-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function writeFile(name: string, content: string | Uint8Array): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

async function readAll(file: string, options: OpenCsvOptions = { encoding: 'auto' }): Promise<CsvItem[]> {
  const items: CsvItem[] = [];
  for await (const batch of readCsvFile(file, options)) items.push(...batch);
  return items;
}

const record = (line: number, fields: string[], endLine = line): CsvItem => ({ fields, line, endLine });

const LEADS = [
  'email,last_name,first_name,company',
  'taro@example.jp,山田,太郎,㈱テスト商事',
  'hanako＠example.jp,髙橋,花子,"株式会社①, 本社"',
  'akira@example.jp,ｱｷﾗ,ﾃｽﾄ,"ﾃｽﾄ\r\n㈲"',
  'last@example.jp,中村,～,',
];
const LEAD_RECORDS = [
  record(1, ['email', 'last_name', 'first_name', 'company']),
  record(2, ['taro@example.jp', '山田', '太郎', '㈱テスト商事']),
  record(3, ['hanako＠example.jp', '髙橋', '花子', '株式会社①, 本社']),
  record(4, ['akira@example.jp', 'ｱｷﾗ', 'ﾃｽﾄ', 'ﾃｽﾄ\r\n㈲'], 5),
  record(6, ['last@example.jp', '中村', '～', '']),
];

describe('openCsv', () => {
  it('detects and decodes a CP932 file from Japanese Excel exactly', async () => {
    const file = writeFile('excel-sjis.csv', iconv.encode(LEADS.join('\r\n') + '\r\n', 'cp932'));
    const source = await openCsv(file, { encoding: 'auto' });
    expect(source.encoding()).toBe('cp932');
    const items: CsvItem[] = [];
    for await (const batch of source.items) items.push(...batch);
    expect(items).toEqual(LEAD_RECORDS);
    expect(source.bytesRead()).toBe(source.totalBytes);
    expect(await readAll(file, { encoding: 'cp932' })).toEqual(LEAD_RECORDS);
  });

  it('says which yielded records may hold U+FFFD, also when one began in an earlier chunk', async () => {
    // 16-byte chunks: the bad byte (0xFF) is in the first chunk of a quoted cell that ends
    // in a later one, and the rows after it are clean.
    const bytes = Buffer.concat([Buffer.from('email,note\na@x.com,"ab'), Buffer.from([0xff]), Buffer.from('cdefghijklmnopqrstuvwxyz"\nb@x.com,clean row that is long\nc@x.com,ok\n')]);
    const source = await openCsv(writeFile('bad-byte.csv', bytes), { encoding: 'utf-8', chunkBytes: 16 });
    const flagged: string[] = [];
    const clean: string[] = [];
    for await (const batch of source.items) {
      for (const item of batch) if (!('error' in item)) (source.replaced() ? flagged : clean).push(item.fields[0]!);
    }
    expect(flagged).toContain('a@x.com');
    expect(clean).toContain('c@x.com');
  });

  it('reads UTF-8 with and without a BOM, with LF, CRLF or both', async () => {
    for (const [name, text] of [
      ['lf.csv', LEADS.join('\n') + '\n'],
      ['crlf-bom.csv', '\ufeff' + LEADS.join('\r\n')],
      ['mixed.csv', LEADS.map((line, i) => line + (i % 2 ? '\n' : '\r\n')).join('')],
    ] as const) {
      const file = writeFile(name, text);
      expect(await readAll(file), name).toEqual(LEAD_RECORDS);
      expect((await openCsv(file, { encoding: 'auto' })).encoding()).toBe('utf-8');
    }
  });

  it('gives the same records whatever the chunk size, in both encodings', async () => {
    const text = LEADS.join('\r\n') + '\n\n' + LEADS.join('\r').replaceAll('\r\n', '\n');
    for (const [encoding, bytes] of [
      ['utf-8', Buffer.from(text)],
      ['cp932', iconv.encode(text, 'cp932')],
    ] as const) {
      const file = writeFile(`chunks-${encoding}.csv`, bytes);
      const whole = await readAll(file, { encoding });
      expect(whole).toHaveLength(10);
      for (const chunkBytes of [4, 5, 7, 13, 64]) {
        expect(await readAll(file, { encoding: 'auto', chunkBytes }), `${encoding} ${chunkBytes}`).toEqual(whole);
      }
    }
  });

  it('keeps the line numbers after quoted multi-line cells exact', async () => {
    const lines = ['id,notes'];
    for (let i = 1; i <= 300; i++) lines.push(i % 10 === 0 ? `${i},"first\r\nsecond\nthird"` : `${i},plain`);
    const items = await readAll(writeFile('multiline.csv', lines.join('\r\n')), { encoding: 'auto', chunkBytes: 100 });
    let line = 2;
    for (const [i, item] of items.slice(1).entries()) {
      const multiline = (i + 1) % 10 === 0;
      expect(item).toEqual(record(line, [`${i + 1}`, multiline ? 'first\r\nsecond\nthird' : 'plain'], multiline ? line + 2 : line));
      line += multiline ? 3 : 1;
    }
  });

  it('loses only the line of an unclosed quote in a 1,000-line file', async () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `${i + 1},株式会社${i + 1},lead${i + 1}@example.jp`);
    lines[641] = '642,"株式会社642,lead642@example.jp';
    const file = writeFile('unclosed.csv', iconv.encode(lines.join('\r\n') + '\r\n', 'cp932'));
    const items = await readAll(file, { encoding: 'auto', chunkBytes: 4096 });
    expect(items).toHaveLength(1000);
    expect(items[641]).toEqual({
      error: expect.objectContaining({ line: 642, code: 'CSV_UNCLOSED_QUOTE', column: 2, raw: '642,"株式会社642,lead642@example.jp' }),
    });
    items.forEach((item, i) => {
      if (i !== 641) expect(item).toEqual(record(i + 1, [`${i + 1}`, `株式会社${i + 1}`, `lead${i + 1}@example.jp`]));
    });
  });

  it('reads ; and tab delimited files', async () => {
    const semicolon = writeFile('semicolon.csv', 'email;company\na@example.jp;"Acme; Inc."\n');
    expect(await readAll(semicolon, { encoding: 'auto', delimiter: ';' })).toEqual([
      record(1, ['email', 'company']),
      record(2, ['a@example.jp', 'Acme; Inc.']),
    ]);
    const tab = writeFile('tab.tsv', iconv.encode('email\tcompany\r\na@example.jp\t㈱テスト, 本社\r\n', 'cp932'));
    expect(await readAll(tab, { encoding: 'auto', delimiter: '\t' })).toEqual([
      record(1, ['email', 'company']),
      record(2, ['a@example.jp', '㈱テスト, 本社']),
    ]);
  });

  it('detects CP932 that starts only after the first 64 KiB and the first chunk', async () => {
    const ascii = Array.from({ length: 4000 }, (_, i) => `${i + 1},lead${i + 1}@example.com,Acme Corporation`);
    const japanese = ['4001,髙橋＠example.jp,㈱テスト①', '4002,ｱｷﾗ@example.jp,山田工業'];
    const file = writeFile('late-japanese.csv', iconv.encode([...ascii, ...japanese].join('\n') + '\n', 'cp932'));
    expect(fs.statSync(file).size).toBeGreaterThan(128 * 1024);

    const source = await openCsv(file, { encoding: 'auto', chunkBytes: 64 * 1024 });
    expect(source.encoding()).toBe('utf-8');
    const items: CsvItem[] = [];
    let batches = 0;
    for await (const batch of source.items) {
      items.push(...batch);
      batches++;
    }
    expect(batches).toBeGreaterThan(1);
    expect(source.encoding()).toBe('cp932');
    expect(items.slice(-2)).toEqual([
      record(4001, ['4001', '髙橋＠example.jp', '㈱テスト①']),
      record(4002, ['4002', 'ｱｷﾗ@example.jp', '山田工業']),
    ]);
    expect(items).toHaveLength(4002);
  });

  it('refuses a missing file, a directory and UTF-16 text with a code and a hint', async () => {
    const expectError = async (file: string, options: OpenCsvOptions, code: string, message: RegExp) => {
      const error: unknown = await openCsv(file, options).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(CadenceError);
      expect(error).toMatchObject({ code, message: expect.stringMatching(message), hint: expect.any(String) });
    };
    await expectError(path.join(dir, 'nope.csv'), { encoding: 'auto' }, 'IMPORT_UNREADABLE', /nope\.csv: no such file/);
    await expectError(dir, { encoding: 'auto' }, 'IMPORT_UNREADABLE', /is a directory/);
    const utf16 = writeFile('unicode-text.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a\tb\r\n', 'utf16le')]));
    await expectError(utf16, { encoding: 'auto' }, 'IMPORT_UNSUPPORTED_ENCODING', /UTF-16/);
    const bom = writeFile('bom.csv', '\ufeffa,b\n');
    await expectError(bom, { encoding: 'cp932' }, 'IMPORT_ENCODING_MISMATCH', /byte-order mark/);
  });

  it('reads an empty file as no records', async () => {
    const source = await openCsv(writeFile('empty.csv', ''), { encoding: 'auto' });
    const batches: CsvItem[][] = [];
    for await (const batch of source.items) batches.push(batch);
    expect(batches).toEqual([]);
    expect(source.encoding()).toBe('utf-8');
  });
});
