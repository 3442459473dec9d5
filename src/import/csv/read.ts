import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { CadenceError } from '../../errors.js';
import {
  createDetectingTextDecoder,
  createTextDecoder,
  type CsvEncoding,
  type StreamingTextDecoder,
} from './decode.js';
import { CsvParser, type CsvItem, type CsvParserOptions } from './parser.js';

export interface OpenCsvOptions extends CsvParserOptions {
  encoding: CsvEncoding | 'auto';
  /** Bytes read at a time, default 1 MiB; each chunk becomes one yielded array. */
  chunkBytes?: number;
}

/** An open lead file: its records come out batch by batch, in constant memory. */
export interface CsvSource {
  /**
   * The encoding the file is read in. With 'auto' this is decided from the first
   * non-ASCII bytes: 'utf-8' while everything read so far was ASCII (which is UTF-8);
   * it turns 'cp932' only if Japanese further than the first chunk is CP932.
   */
  encoding(): CsvEncoding;
  /** The records and syntax errors, one array per chunk read. */
  items: AsyncGenerator<CsvItem[], void, undefined>;
  /**
   * Whether the text behind the records last yielded held U+FFFD, the decoder's stand-in
   * for bytes that are not valid in the encoding: only then need their cells be searched.
   */
  replaced(): boolean;
  /** Bytes handed to the parser so far, for a progress bar. */
  bytesRead(): number;
  /** The file's size when it was opened. */
  totalBytes: number;
  /** Closes the file early (iterating `items` to the end, or leaving the loop, closes it too). */
  close(): void;
}

/**
 * Opens a CSV file and reads its first chunk, so that an unreadable file, a UTF-16 file
 * or (with 'auto') the encoding is known before the first record is asked for.
 */
export async function openCsv(path: string, options: OpenCsvOptions): Promise<CsvSource> {
  const stats = await stat(path).catch((error: unknown) => {
    throw unreadable(path, error);
  });
  if (stats.isDirectory()) throw unreadable(path, Object.assign(new Error('is a directory'), { code: 'EISDIR' }));

  const parser = new CsvParser(options);
  // Small reads: a chunk's records and converted rows are what the reading thread holds
  // at once, so its heap (and the import's memory) stays small; 1 MiB reads cost ~40 MB.
  const stream = createReadStream(path, { highWaterMark: Math.max(4, options.chunkBytes ?? 64 * 1024) });
  const chunks = stream[Symbol.asyncIterator]();
  const nextChunk = async (): Promise<Buffer | undefined> => {
    try {
      const next = await chunks.next();
      return next.done ? undefined : (next.value as Buffer);
    } catch (error) {
      throw unreadable(path, error);
    }
  };

  const detecting = options.encoding === 'auto' ? createDetectingTextDecoder() : undefined;
  const decoder: StreamingTextDecoder = detecting ?? createTextDecoder(options.encoding as CsvEncoding);
  let bytesRead = 0;
  let ended = false;
  const readText = async (): Promise<string> => {
    const bytes = await nextChunk();
    if (bytes === undefined) {
      ended = true;
      return decoder.end();
    }
    if (bytesRead === 0) checkByteOrderMark(path, bytes, options.encoding);
    bytesRead += bytes.length;
    return decoder.write(bytes);
  };

  // Decode ahead until the encoding is known: it is, after the first chunk, unless that
  // ends within the detection window after the first non-ASCII byte (or is all ASCII).
  const decodedAhead: string[] = [];
  try {
    do decodedAhead.push(await readText());
    while (!ended && detecting?.holding());
  } catch (error) {
    stream.destroy();
    throw error;
  }

  // One search per chunk (not per cell): a record may have begun in an earlier chunk, so
  // a U+FFFD counts for as long as the parser holds text from the chunk it was in.
  let replaced = false;
  let held = false;
  async function* parse(): AsyncGenerator<CsvItem[], void, undefined> {
    try {
      let text = decodedAhead.shift();
      while (text !== undefined) {
        const out: CsvItem[] = [];
        replaced = held || text.includes('\uFFFD');
        parser.push(text, out);
        held = replaced && parser.holding();
        if (out.length > 0) yield out;
        text = decodedAhead.shift() ?? (ended ? undefined : await readText());
      }
      const out: CsvItem[] = [];
      replaced = held;
      parser.end(out);
      if (out.length > 0) yield out;
    } finally {
      stream.destroy();
    }
  }

  return {
    encoding: () => (detecting ? (detecting.encoding() ?? 'utf-8') : (options.encoding as CsvEncoding)),
    items: parse(),
    replaced: () => replaced,
    bytesRead: () => bytesRead,
    totalBytes: stats.size,
    close: () => {
      stream.destroy();
    },
  };
}

/** Reads every record of a CSV file, one array per chunk. */
export async function* readCsvFile(path: string, options: OpenCsvOptions): AsyncGenerator<CsvItem[], void, undefined> {
  const source = await openCsv(path, options);
  yield* source.items;
}

function checkByteOrderMark(path: string, head: Uint8Array, encoding: CsvEncoding | 'auto'): void {
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    throw new CadenceError('IMPORT_UNSUPPORTED_ENCODING', `${path} is UTF-16 text (Excel's "Unicode Text"), which cadence does not read`, {
      hint: 'save it from Excel as "CSV UTF-8 (Comma delimited)" and import that file',
    });
  }
  if (encoding === 'cp932' && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    throw new CadenceError('IMPORT_ENCODING_MISMATCH', `${path} starts with a UTF-8 byte-order mark, but was to be read as CP932 (Shift_JIS)`, {
      hint: 'import it with --encoding utf-8, or leave the encoding to auto-detection',
    });
  }
}

/** IMPORT_UNREADABLE for `path`, with the reason and a hint for the usual causes. */
export function unreadable(path: string, cause: unknown): CadenceError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const [reason, hint] =
    code === 'ENOENT'
      ? ['no such file', 'check the path and the file name']
      : code === 'EISDIR'
        ? ['it is a directory', 'give the path of a CSV file inside it']
        : code === 'EACCES' || code === 'EPERM'
          ? ['permission denied', `check the file's permissions with: ls -l ${path}`]
          : [cause instanceof Error ? cause.message : String(cause), `check that the file can be read, for example with: head ${path}`];
  return new CadenceError('IMPORT_UNREADABLE', `cannot read ${path}: ${reason}`, { hint, cause });
}
