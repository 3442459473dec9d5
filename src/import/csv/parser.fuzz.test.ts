import { describe, expect, it } from 'vitest';
import { CsvParser, type CsvErrorCode, type CsvItem, type CsvParserOptions } from './parser.js';

/**
 * The parser's rules written the slow, obvious way: the whole input at once, one
 * character at a time. The real parser (fast path, chunks, rescans) must agree with it.
 */
function referenceParse(input: string, options: Required<CsvParserOptions>): CsvItem[] {
  const { delimiter, maxQuotedLines, maxFieldBytes, maxRecordBytes } = options;
  const n = input.length;
  const isBreak = (at: number) => input[at] === '\n' || input[at] === '\r';
  const breakLength = (at: number) => (input[at] === '\r' && input[at + 1] === '\n' ? 2 : 1);
  type Outcome = { fields: string[]; end: number; breaks: number } | { code: CsvErrorCode; column: number; lines: number };

  function parseRecord(start: number): Outcome {
    const fields: string[] = [];
    let breaks = 0;
    let i = start;
    for (;;) {
      const column = fields.length + 1;
      if (i - start > maxRecordBytes) return { code: 'CSV_FIELD_TOO_LARGE', column, lines: breaks };
      if (i >= n) return { fields: [...fields, ''], end: n, breaks };
      if (input[i] === '"') {
        let content = '';
        let j = i + 1;
        let fieldBreaks = 0;
        for (;;) {
          if (j - (i + 1) > maxFieldBytes) return { code: 'CSV_UNCLOSED_QUOTE', column, lines: breaks };
          if (j >= n) return { code: 'CSV_UNCLOSED_QUOTE', column, lines: isBreak(n - 1) ? breaks - 1 : breaks };
          if (input[j] === '"') {
            if (input[j + 1] !== '"') break;
            content += '"';
            j += 2;
          } else if (isBreak(j)) {
            content += input.slice(j, j + breakLength(j));
            j += breakLength(j);
            breaks++;
            fieldBreaks++;
            if (fieldBreaks >= maxQuotedLines) return { code: 'CSV_UNCLOSED_QUOTE', column, lines: breaks - 1 };
          } else {
            content += input[j];
            j++;
          }
        }
        fields.push(content);
        const after = j + 1;
        if (after >= n) return { fields, end: n, breaks };
        if (input[after] === delimiter) {
          i = after + 1;
          continue;
        }
        if (isBreak(after)) return { fields, end: after + breakLength(after), breaks };
        return { code: 'CSV_BAD_QUOTE', column, lines: breaks };
      }
      let j = i;
      while (j < n && input[j] !== delimiter && !isBreak(j)) j++;
      if (j - i > maxFieldBytes) return { code: 'CSV_FIELD_TOO_LARGE', column, lines: breaks };
      fields.push(input.slice(i, j));
      if (j >= n) return { fields, end: n, breaks };
      if (input[j] === delimiter) {
        i = j + 1;
        continue;
      }
      return { fields, end: j + breakLength(j), breaks };
    }
  }

  const out: CsvItem[] = [];
  let pos = 0;
  let line = 1;
  while (pos < n) {
    if (isBreak(pos)) {
      pos += breakLength(pos);
      line++;
      continue;
    }
    const outcome = parseRecord(pos);
    if ('fields' in outcome) {
      out.push({ fields: outcome.fields, line, endLine: line + outcome.breaks });
      line += outcome.breaks + 1;
      pos = outcome.end;
      continue;
    }
    let lineEnd = pos;
    while (lineEnd < n && !isBreak(lineEnd)) lineEnd++;
    const raw = input.slice(pos, Math.min(lineEnd, pos + 1000));
    out.push({ error: { line, endLine: line + outcome.lines, column: outcome.column, code: outcome.code, message: '', raw } });
    pos = lineEnd < n ? lineEnd + breakLength(lineEnd) : n;
    line++;
  }
  return out;
}

function withoutMessages(items: CsvItem[]): CsvItem[] {
  return items.map((item) => ('error' in item ? { error: { ...item.error, message: '' } } : item));
}

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKENS = ['a', 'bc', '"', '""', ',', ',', ';', '\n', '\r', '\r\n', '\r\n', '山田', ' ', 'x"y', '"q"', '\t'];

describe('CsvParser against a character-by-character reference', () => {
  it('agrees on random inputs, options and chunkings', () => {
    const next = random(20261124);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
    for (let run = 0; run < 4000; run++) {
      const tokens: string[] = [];
      const count = Math.floor(next() * 40);
      for (let t = 0; t < count; t++) tokens.push(next() < 0.01 ? 'Z'.repeat(1100) : pick(TOKENS));
      const input = tokens.join('');
      const options = {
        delimiter: pick([',', ',', ';', '\t']),
        maxQuotedLines: pick([1, 2, 3, 1000]),
        maxFieldBytes: pick([2, 5, 10, 2000]),
        maxRecordBytes: pick([4, 12, 50, 100_000]),
      };

      const parser = new CsvParser(options);
      const out: CsvItem[] = [];
      for (let at = 0; at < input.length; ) {
        const size = next() < 0.3 ? 1 : 1 + Math.floor(next() * 30);
        parser.push(input.slice(at, at + size), out);
        at += size;
      }
      parser.end(out);

      const context = JSON.stringify({ run, input: input.length > 300 ? `${input.slice(0, 300)}…` : input, options });
      expect(withoutMessages(out), context).toEqual(referenceParse(input, options));
    }
  });
});
