import { UsageError } from '../../errors.js';

/** One row of the file, with the physical lines it spans (1-based). */
export interface CsvRecord {
  fields: string[];
  /** Physical line where the record starts. */
  line: number;
  /** Physical line where it ends: later than `line` when a quoted cell holds line breaks. */
  endLine: number;
}

export type CsvErrorCode = 'CSV_UNCLOSED_QUOTE' | 'CSV_BAD_QUOTE' | 'CSV_FIELD_TOO_LARGE';

/**
 * A record the parser refused. Only its start line is consumed: parsing resumes on the
 * physical line after `line`, so `line..endLine` (the lines read before giving up) may
 * also show up again as records or errors of their own.
 */
export interface CsvSyntaxError {
  line: number;
  /** The line on which the problem was found. */
  endLine: number;
  /** 1-based index of the field with the problem. */
  column: number;
  code: CsvErrorCode;
  message: string;
  /** The record's start line as written in the file (without its line break), cut to 1,000 characters. */
  raw: string;
}

export type CsvItem = CsvRecord | { error: CsvSyntaxError };

export interface CsvParserOptions {
  /** One character, default ','. */
  delimiter?: string;
  /** Most physical lines one quoted field may span before it counts as unclosed; default 1000. */
  maxQuotedLines?: number;
  /**
   * Longest field, default 1 MiB. Measured in UTF-16 code units of the decoded text (what
   * the parser holds in memory), not in bytes of the file.
   */
  maxFieldBytes?: number;
  /** Longest record, in the same unit; default 8 × `maxFieldBytes`. */
  maxRecordBytes?: number;
}

export function isCsvError(item: CsvItem): item is { error: CsvSyntaxError } {
  return 'error' in item;
}

const LF = 10;
const CR = 13;
const QUOTE = 34;
const RAW_MAX = 1000;

const NEED_MORE = 0;
const RECORD = 1;
const FAILED = 2;
type Status = typeof NEED_MORE | typeof RECORD | typeof FAILED;

/**
 * A push-based RFC 4180 parser: feed it decoded text in chunks of any size, split
 * anywhere, and it appends every complete record (or syntax error) to `out`.
 *
 * Line breaks may be CRLF, LF or a lone CR, mixed. Empty lines are skipped but counted.
 * A quote inside an unquoted field is kept as written (as Excel does). An error costs
 * only the record's start line: an unclosed quote is given up after `maxQuotedLines`
 * lines or `maxFieldBytes` characters, so it can never swallow the rest of the file, and
 * memory stays bounded by those limits.
 *
 * Fields are slices of the pushed chunks; a consumer that keeps a field long after its
 * batch (in a Set, say) keeps that chunk alive too.
 */
export class CsvParser {
  private readonly delimiter: string;
  private readonly delimiterCode: number;
  private readonly maxQuotedLines: number;
  private readonly maxFieldBytes: number;
  private readonly maxRecordBytes: number;
  private readonly maxFastLine: number;

  /** Unconsumed text; always starts at the beginning of a physical line. */
  private pending = '';
  /** Physical line number of `pending`'s first character. */
  private line = 1;
  /** The last chunk ended with CR: a LF at the start of the next belongs to it. */
  private skipLF = false;
  /** Discarding the rest of a refused line that was longer than the buffer. */
  private skippingLine = false;

  // What parseRecord found, kept in fields so the hot path allocates no result objects.
  private recordFields: string[] = [];
  private recordEnd = 0;
  private recordBreaks = 0;
  private failure: Omit<CsvSyntaxError, 'line' | 'raw'> | undefined;
  // drain's next LF and CR, shared with parseRecord so that neither searches a region twice.
  private lfAt = -1;
  private crAt = -1;
  /** An unfinished record at the start of `pending`: its fields so far and where to go on. */
  private resume: { fields: string[]; offset: number; breaks: number; copied: number } | undefined;

  constructor(options: CsvParserOptions = {}) {
    const delimiter = options.delimiter ?? ',';
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\r' || delimiter === '\n') {
      throw new UsageError(
        'IMPORT_BAD_DELIMITER',
        `the CSV delimiter must be one character other than a quote or a line break, not ${JSON.stringify(delimiter)}`,
        'use a single character such as "," ";" or a tab',
      );
    }
    this.delimiter = delimiter;
    this.delimiterCode = delimiter.charCodeAt(0);
    this.maxQuotedLines = Math.max(1, options.maxQuotedLines ?? 1000);
    this.maxFieldBytes = Math.max(1, options.maxFieldBytes ?? 1024 * 1024);
    this.maxRecordBytes = Math.max(1, options.maxRecordBytes ?? 8 * this.maxFieldBytes);
    this.maxFastLine = Math.min(this.maxFieldBytes, this.maxRecordBytes);
  }

  /** Parses `chunk` and appends the records it completes to `out`. */
  push(chunk: string, out: CsvItem[]): void {
    let text = chunk;
    if (this.skipLF && text.length > 0) {
      this.skipLF = false;
      if (text.charCodeAt(0) === LF) text = text.slice(1);
    }
    if (this.skippingLine) {
      const lineBreak = firstLineBreak(text, 0);
      if (lineBreak === -1) return;
      this.skippingLine = false;
      this.line++;
      text = text.slice(this.afterLineBreak(text, lineBreak, false));
    }
    if (text.length === 0) return;
    this.drain(this.pending.length === 0 ? text : this.pending + text, false, out);
  }

  /** Whether text pushed so far is still held for a record not yet complete. */
  holding(): boolean {
    return this.pending.length > 0;
  }

  /** Flushes the last record (a final line needs no line break). */
  end(out: CsvItem[]): void {
    const rest = this.pending;
    this.pending = '';
    this.skipLF = false;
    if (this.skippingLine) {
      this.skippingLine = false;
      return;
    }
    if (rest.length > 0) this.drain(rest, true, out);
  }

  private drain(s: string, final: boolean, out: CsvItem[]): void {
    const len = s.length;
    const delimiter = this.delimiter;
    const maxFastLine = this.maxFastLine;
    let pos = 0;
    // Next LF, CR and quote at or after pos (len when none): each is searched once per
    // chunk region rather than once per line.
    let nextLF = -1;
    let nextCR = -1;
    let nextQuote = -1;
    // parseRecord left a record unfinished at the start of `pending`: go on where it stopped.
    const previousResume = this.resume;
    const resuming = previousResume !== undefined;
    while (pos < len) {
      const c = s.charCodeAt(pos);
      if (c === LF || c === CR) {
        pos = this.afterLineBreak(s, pos, final);
        this.line++;
        continue;
      }
      if (nextLF < pos) nextLF = indexOrEnd(s, '\n', pos);
      if (nextCR < pos) nextCR = indexOrEnd(s, '\r', pos);
      if (nextQuote < pos) nextQuote = indexOrEnd(s, '"', pos);
      const eol = nextLF < nextCR ? nextLF : nextCR;

      // Fast path: a complete line without quotes is split in one native call.
      if (eol < len && nextQuote > eol && eol - pos <= maxFastLine) {
        out.push({ fields: s.slice(pos, eol).split(delimiter), line: this.line, endLine: this.line });
        pos = this.afterLineBreak(s, eol, final);
        this.line++;
        continue;
      }

      this.lfAt = nextLF;
      this.crAt = nextCR;
      const status = this.parseRecord(s, pos, final, resuming && pos === 0);
      if (status === NEED_MORE) break;
      if (status === RECORD) {
        nextLF = this.lfAt;
        nextCR = this.crAt;
        const line = this.line;
        out.push({ fields: this.recordFields, line, endLine: line + this.recordBreaks });
        this.line += this.recordBreaks + 1;
        pos = this.recordEnd;
        continue;
      }
      // The error's raw text is the first RAW_MAX characters of its start line: wait for
      // them (or the line's end) so that the result does not depend on chunk boundaries.
      if (eol === len && !final && len - pos < RAW_MAX) break;
      const { endLine, column, code, message } = this.failure!;
      const raw = copyString(s.slice(pos, Math.min(eol, pos + RAW_MAX)));
      out.push({ error: { line: this.line, endLine, column, code, message, raw } });
      // Resume on the line after the start line: a stray quote costs one line, not the file.
      // (That goes back over text parseRecord searched: nextLF and nextCR keep the values
      // found from the record's start.)
      if (eol < len) {
        pos = this.afterLineBreak(s, eol, final);
        this.line++;
      } else {
        pos = len;
        if (!final) this.skippingLine = true;
      }
    }
    this.pending = pos < len ? s.slice(pos) : '';
    if (resuming && this.resume === previousResume) this.resume = undefined;
  }

  /** Parses the record starting at `start`, the general (and slower) way. */
  private parseRecord(s: string, start: number, final: boolean, resuming: boolean): Status {
    const len = s.length;
    const delimiter = this.delimiterCode;
    const maxField = this.maxFieldBytes;
    const resume = resuming ? this.resume : undefined;
    const fields = resume ? resume.fields : [];
    let breaks = resume ? resume.breaks : 0;
    let nextBreak = -1;
    let i = resume ? start + resume.offset : start;
    for (;;) {
      const column = fields.length + 1;
      const breaksBeforeField = breaks;
      if (i - start > this.maxRecordBytes) {
        return this.fail('CSV_FIELD_TOO_LARGE', column, breaks, `the record is longer than ${this.maxRecordBytes} characters`);
      }
      if (i >= len) {
        if (!final) return this.needMore(fields, i - start, breaksBeforeField);
        fields.push('');
        return this.succeed(fields, len, breaks);
      }

      if (s.charCodeAt(i) === QUOTE) {
        const from = i + 1;
        const limit = from + maxField;
        let j = from;
        let fieldBreaks = 0;
        let escaped = false;
        // Jump from quote to quote; line breaks in between are found by indexOf too, and
        // counted one by one (they are rare). Giving up is decided exactly as a
        // character-by-character scan would: past `limit`, or at the Nth line break.
        for (;;) {
          let quote = s.indexOf('"', j);
          if (quote === -1) quote = len;
          for (;;) {
            if (nextBreak < j) nextBreak = this.lineBreakFrom(s, j);
            if (nextBreak >= quote) break;
            if (nextBreak > limit) return this.unclosedBySize(column, breaks);
            j = s.charCodeAt(nextBreak) === CR && s.charCodeAt(nextBreak + 1) === LF ? nextBreak + 2 : nextBreak + 1;
            breaks++;
            fieldBreaks++;
            if (fieldBreaks >= this.maxQuotedLines) {
              return this.fail(
                'CSV_UNCLOSED_QUOTE',
                column,
                breaks - 1,
                `the quote that opens field ${column} is not closed within ${this.maxQuotedLines} lines`,
              );
            }
          }
          if (quote > limit) return this.unclosedBySize(column, breaks);
          if (quote >= len) {
            if (!final) return this.needMore(fields, i - start, breaksBeforeField);
            // Report the last line that has text, not the empty one after a final line break.
            const last = s.charCodeAt(len - 1);
            const lastLine = last === LF || last === CR ? breaks - 1 : breaks;
            return this.fail('CSV_UNCLOSED_QUOTE', column, lastLine, `the quote that opens field ${column} is not closed before the end of the file`);
          }
          if (quote + 1 >= len && !final) return this.needMore(fields, i - start, breaksBeforeField);
          if (s.charCodeAt(quote + 1) !== QUOTE) {
            j = quote;
            break;
          }
          escaped = true;
          j = quote + 2;
        }
        const value = s.slice(from, j);
        fields.push(escaped ? value.replaceAll('""', '"') : value);
        const after = j + 1;
        if (after >= len) return this.succeed(fields, len, breaks);
        const c = s.charCodeAt(after);
        if (c === delimiter) {
          i = after + 1;
          continue;
        }
        if (c === LF || c === CR) return this.succeed(fields, this.afterLineBreak(s, after, final), breaks);
        return this.fail(
          'CSV_BAD_QUOTE',
          column,
          breaks,
          `field ${column} has text after its closing quote; a quote inside a quoted field must be doubled ("")`,
        );
      }

      let j = i;
      const stop = Math.min(len, i + maxField + 1);
      while (j < stop) {
        const c = s.charCodeAt(j);
        if (c === delimiter || c === LF || c === CR) break;
        j++;
      }
      if (j - i > maxField) {
        return this.fail('CSV_FIELD_TOO_LARGE', column, breaks, `field ${column} is longer than ${maxField} characters`);
      }
      if (j >= len) {
        if (!final) return this.needMore(fields, i - start, breaksBeforeField);
        fields.push(s.slice(i));
        return this.succeed(fields, len, breaks);
      }
      fields.push(s.slice(i, j));
      if (s.charCodeAt(j) === delimiter) {
        i = j + 1;
        continue;
      }
      return this.succeed(fields, this.afterLineBreak(s, j, final), breaks);
    }
  }

  /** The first line break at or after `from` in the current buffer (its length when none). */
  private lineBreakFrom(s: string, from: number): number {
    if (this.lfAt < from) this.lfAt = indexOrEnd(s, '\n', from);
    if (this.crAt < from) this.crAt = indexOrEnd(s, '\r', from);
    return this.lfAt < this.crAt ? this.lfAt : this.crAt;
  }

  private unclosedBySize(column: number, breaks: number): Status {
    const message = `the quote that opens field ${column} is not closed within ${this.maxFieldBytes} characters`;
    return this.fail('CSV_UNCLOSED_QUOTE', column, breaks, message);
  }

  /**
   * Remembers how far an unfinished record got, so that the next push goes on from the
   * start of its last field instead of the start of the record: a record spread over many
   * small chunks is then scanned about once, not once per chunk.
   */
  private needMore(fields: string[], fieldOffset: number, breaks: number): Status {
    // Completed fields are copied: as slices they would keep each chunk they came from alive.
    const copied = this.resume?.fields === fields ? this.resume.copied : 0;
    for (let k = copied; k < fields.length; k++) fields[k] = copyString(fields[k]!);
    this.resume = { fields, offset: fieldOffset, breaks, copied: fields.length };
    return NEED_MORE;
  }

  private succeed(fields: string[], end: number, breaks: number): Status {
    this.recordFields = fields;
    this.recordEnd = end;
    this.recordBreaks = breaks;
    return RECORD;
  }

  private fail(code: CsvErrorCode, column: number, breaks: number, message: string): Status {
    this.failure = { code, column, endLine: this.line + breaks, message };
    return FAILED;
  }

  /** Position after the line break at `at` (CRLF counts as one). */
  private afterLineBreak(s: string, at: number, final: boolean): number {
    if (s.charCodeAt(at) === CR) {
      if (at + 1 < s.length) return s.charCodeAt(at + 1) === LF ? at + 2 : at + 1;
      if (!final) this.skipLF = true;
    }
    return at + 1;
  }
}

function indexOrEnd(s: string, search: string, from: number): number {
  const at = s.indexOf(search, from);
  return at === -1 ? s.length : at;
}

function firstLineBreak(s: string, from: number): number {
  const lf = s.indexOf('\n', from);
  const cr = s.indexOf('\r', from);
  if (lf === -1) return cr;
  if (cr === -1) return lf;
  return lf < cr ? lf : cr;
}

/** A copy that does not keep the (large) chunk it was sliced from alive. */
function copyString(s: string): string {
  return (' ' + s).slice(1);
}
