import { describe, expect, it } from 'vitest';
import { UsageError } from '../../errors.js';
import { CsvParser, type CsvItem, type CsvParserOptions } from './parser.js';

/** Parses `input` pushed in the given pieces (whole by default). */
function parse(input: string | string[], options: CsvParserOptions = {}): CsvItem[] {
  const parser = new CsvParser(options);
  const out: CsvItem[] = [];
  for (const piece of typeof input === 'string' ? [input] : input) parser.push(piece, out);
  parser.end(out);
  return out;
}

const record = (line: number, fields: string[], endLine = line): CsvItem => ({ fields, line, endLine });

/** [line, endLine, code] of each error, and [line, fields] of each record. */
function summary(items: CsvItem[]): unknown[] {
  return items.map((item) => ('error' in item ? [item.error.line, item.error.endLine, item.error.code] : [item.line, item.fields]));
}

describe('CsvParser', () => {
  it('reads plain and quoted fields, with "" escapes, delimiters and line breaks inside quotes', () => {
    expect(parse('name,company,notes\nTaro,"Acme, Inc.","say ""hi""\nthen call"\n"",x,""""\n')).toEqual([
      record(1, ['name', 'company', 'notes']),
      record(2, ['Taro', 'Acme, Inc.', 'say "hi"\nthen call'], 3),
      record(4, ['', 'x', '"']),
    ]);
  });

  it('accepts CRLF, LF and lone CR (Excel for Mac) mixed in one file', () => {
    expect(parse('a,1\r\nb,2\nc,3\rd,4\r\n"e\r\nf",5\r"g\rh",6\n')).toEqual([
      record(1, ['a', '1']),
      record(2, ['b', '2']),
      record(3, ['c', '3']),
      record(4, ['d', '4']),
      record(5, ['e\r\nf', '5'], 6),
      record(7, ['g\rh', '6'], 8),
    ]);
  });

  it('skips empty lines but counts them, and keeps a final line without a line break', () => {
    expect(parse('\n\r\n\ra,b\n\n\nc,d')).toEqual([record(4, ['a', 'b']), record(7, ['c', 'd'])]);
    expect(parse(' \n,\n')).toEqual([record(1, [' ']), record(2, ['', ''])]);
    expect(parse('a,\n"x",')).toEqual([record(1, ['a', '']), record(2, ['x', ''])]);
    expect(parse('')).toEqual([]);
    expect(parse('\r\n\r\n')).toEqual([]);
  });

  it('keeps a quote inside an unquoted field as written, as Excel does', () => {
    expect(parse('ab"c,5" screen, "x"\n')).toEqual([record(1, ['ab"c', '5" screen', ' "x"'])]);
  });

  it('refuses text after a closing quote, and goes on with the next line', () => {
    const items = parse('id,company\n1,"Acme "Big" Corp",x\n2,"ok"\n3,"ab"c\n');
    expect(items).toEqual([
      record(1, ['id', 'company']),
      {
        error: {
          line: 2,
          endLine: 2,
          column: 2,
          code: 'CSV_BAD_QUOTE',
          message: 'field 2 has text after its closing quote; a quote inside a quoted field must be doubled ("")',
          raw: '1,"Acme "Big" Corp",x',
        },
      },
      record(3, ['2', 'ok']),
      expect.objectContaining({ error: expect.objectContaining({ line: 4, column: 2, code: 'CSV_BAD_QUOTE', raw: '3,"ab"c' }) }),
    ]);
  });

  it('lets an unclosed quote in the middle of a 1,000-line file cost only its own line', () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `${i + 1},lead${i + 1}@example.com,Acme`);
    lines[499] = '500,"lead500@example.com,Acme';
    const items = parse(lines.join('\r\n') + '\r\n');

    expect(items).toHaveLength(1000);
    expect(items[499]).toEqual({
      error: {
        line: 500,
        endLine: 1000,
        column: 2,
        code: 'CSV_UNCLOSED_QUOTE',
        message: 'the quote that opens field 2 is not closed before the end of the file',
        raw: '500,"lead500@example.com,Acme',
      },
    });
    items.forEach((item, i) => {
      if (i !== 499) expect(item).toEqual(record(i + 1, [`${i + 1}`, `lead${i + 1}@example.com`, 'Acme']));
    });
  });

  it('gives up on a quote still open after maxQuotedLines lines and resumes after its start line', () => {
    const input = 'a,"open\nb,1\nc,2\nd,3\n"e\nf",4\n';
    expect(summary(parse(input, { maxQuotedLines: 3 }))).toEqual([
      [1, 3, 'CSV_UNCLOSED_QUOTE'],
      [2, ['b', '1']],
      [3, ['c', '2']],
      [4, ['d', '3']],
      [5, ['e\nf', '4']],
    ]);
    expect(summary(parse(input, { maxQuotedLines: 5 }))[0]).toEqual([1, 5, 'CSV_BAD_QUOTE']);
  });

  it('gives up on a quote still open after maxFieldBytes characters', () => {
    const input = `x,"${'y'.repeat(30)}\nnext,1\n`;
    const items = parse(input, { maxFieldBytes: 20 });
    expect(summary(items)).toEqual([[1, 1, 'CSV_UNCLOSED_QUOTE'], [2, ['next', '1']]]);
    expect(parse(`"${'y'.repeat(20)}",z\n`, { maxFieldBytes: 20 })).toEqual([record(1, ['y'.repeat(20), 'z'])]);
  });

  it('refuses an overlong unquoted field or record without holding the rest of its line', () => {
    const long = 'z'.repeat(5000);
    const input = `a,b\nc,${long},d\ne,f\n`;
    const pieces = input.match(/[^]{1,64}/g)!;
    const expected = [
      record(1, ['a', 'b']),
      {
        error: {
          line: 2,
          endLine: 2,
          column: 2,
          code: 'CSV_FIELD_TOO_LARGE',
          message: 'field 2 is longer than 100 characters',
          raw: `c,${long}`.slice(0, 1000),
        },
      },
      record(3, ['e', 'f']),
    ];
    expect(parse(input, { maxFieldBytes: 100 })).toEqual(expected);
    expect(parse(pieces, { maxFieldBytes: 100 })).toEqual(expected);
    expect(summary(parse('1,2,3,4,5,6\n7\n', { maxRecordBytes: 4 }))).toEqual([[1, 1, 'CSV_FIELD_TOO_LARGE'], [2, ['7']]]);
  });

  it('reads other delimiters, and refuses one that cannot work', () => {
    expect(parse('a;"b;c";d\n1;2,5;3\n', { delimiter: ';' })).toEqual([record(1, ['a', 'b;c', 'd']), record(2, ['1', '2,5', '3'])]);
    expect(parse('山田\t"a\tb"\t,\n', { delimiter: '\t' })).toEqual([record(1, ['山田', 'a\tb', ','])]);
    for (const delimiter of ['', ';;', '"', '\n', '\r']) {
      expect(() => new CsvParser({ delimiter })).toThrow(UsageError);
    }
  });

  it('gives the same result wherever the chunks are cut', () => {
    const inputs = [
      'a,b\r\n"c\r\nd","e""f"\r\n\r\ng,"h"\ri,j\n',
      '"x""",""""\r\n"ab"c,1\n"",\n\r\r\n;a"b,"q\n',
      '1,"unclosed\r\n2,ok\r\n3,"x\r\ny"\r\n',
      '山田,"株式会社\r\nテスト",髙\r①,㈱,"＠"',
    ];
    for (const input of inputs) {
      for (const options of [{}, { maxQuotedLines: 2 }, { maxFieldBytes: 3 }]) {
        const whole = parse(input, options);
        expect(parse(input.split(''), options)).toEqual(whole);
        for (let i = 0; i <= input.length; i++) {
          for (let j = i; j <= input.length; j++) {
            expect(parse([input.slice(0, i), input.slice(i, j), input.slice(j)], options)).toEqual(whole);
          }
        }
      }
    }
  });
});
