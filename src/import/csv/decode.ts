import { Buffer, isAscii } from 'node:buffer';
import Encoding from 'encoding-japanese';
import iconv from 'iconv-lite';

/**
 * The encodings a lead file can be in. Japanese Excel writes CP932 (Windows-31J) when it
 * says "Shift_JIS": plain Shift_JIS has no ①, ㈱ or 髙, so every Shift_JIS name maps here.
 */
export type CsvEncoding = 'utf-8' | 'cp932';

/** Bytes in, text out, across chunks that may split a character. */
export interface StreamingTextDecoder {
  write(bytes: Uint8Array): string;
  end(): string;
}

/** How many bytes detection looks at. */
export const DETECTION_WINDOW = 64 * 1024;

const ENCODING_NAMES = new Map<string, CsvEncoding | 'auto'>([
  ['auto', 'auto'],
  ['utf-8', 'utf-8'],
  ['utf8', 'utf-8'],
  ['shift_jis', 'cp932'],
  ['shift-jis', 'cp932'],
  ['shiftjis', 'cp932'],
  ['sjis', 'cp932'],
  ['cp932', 'cp932'],
  ['windows-31j', 'cp932'],
  ['windows-932', 'cp932'],
  ['ms932', 'cp932'],
]);

/** The encoding a user named (case-insensitive), or undefined when it is not one we read. */
export function normaliseEncodingName(name: string): CsvEncoding | 'auto' | undefined {
  return ENCODING_NAMES.get(name.trim().toLowerCase());
}

/**
 * Guesses the encoding from the first bytes of a file (at most DETECTION_WINDOW are read).
 * Valid UTF-8, a UTF-8 BOM or pure ASCII is UTF-8; otherwise bytes that are well-formed
 * Shift_JIS are CP932; anything else is read as UTF-8 (with replacement characters).
 */
export function detectEncoding(head: Uint8Array): CsvEncoding {
  const window = head.subarray(0, DETECTION_WINDOW);
  if (window[0] === 0xef && window[1] === 0xbb && window[2] === 0xbf) return 'utf-8';
  if (isUtf8Prefix(window)) return 'utf-8';
  // Asked with no list, encoding-japanese tries EUC-JP before Shift_JIS, and half-width
  // kana (ｱｲｳ = B1 B2 B3) are valid EUC-JP; we read only UTF-8 and CP932, so ask about
  // Shift_JIS alone. The window may end inside a double-byte character: retry without it.
  if (Encoding.detect(window, 'SJIS') === 'SJIS') return 'cp932';
  if (window.length > 1 && Encoding.detect(window.subarray(0, -1), 'SJIS') === 'SJIS') return 'cp932';
  return 'utf-8';
}

/** Valid UTF-8, except perhaps for a character cut off at the end. */
function isUtf8Prefix(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * A streaming decoder for `encoding`. It drops a byte-order mark (U+FEFF) at the very
 * start unless `stripBom` is false; bytes that are invalid in the encoding become U+FFFD.
 */
export function createTextDecoder(encoding: CsvEncoding, options: { stripBom?: boolean } = {}): StreamingTextDecoder {
  const inner = encoding === 'utf-8' ? utf8Decoder() : cp932Decoder();
  let atStart = options.stripBom ?? true;
  const strip = (text: string): string => {
    if (!atStart || text.length === 0) return text;
    atStart = false;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  };
  return {
    write: (bytes) => strip(inner.write(bytes)),
    end: () => strip(inner.end()),
  };
}

function utf8Decoder(): StreamingTextDecoder {
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  return {
    write: (bytes) => decoder.decode(bytes, { stream: true }),
    end: () => decoder.decode(),
  };
}

function cp932Decoder(): StreamingTextDecoder {
  const decoder = iconv.getDecoder('cp932');
  return {
    write: (bytes) => decoder.write(asBuffer(bytes)),
    end: () => decoder.end() ?? '',
  };
}

/** A decoder that decides between UTF-8 and CP932 from the file itself. */
export interface DetectingTextDecoder extends StreamingTextDecoder {
  /** The encoding decided on, or undefined while every byte so far was ASCII. */
  encoding(): CsvEncoding | undefined;
  /** Non-ASCII bytes were seen and are held until there are enough to decide on. */
  holding(): boolean;
}

/**
 * Decodes with the encoding detected from the first non-ASCII bytes rather than from the
 * file's first bytes. Up to there both encodings read the same, so ASCII passes straight
 * through; from the first non-ASCII byte on, DETECTION_WINDOW bytes (or the rest of the
 * file) are held back, given to `detectEncoding`, and decoded with its answer. A file
 * whose first 64 KiB are ASCII and whose Japanese starts later is thus still read right,
 * and no more than a window and a chunk are ever held.
 */
export function createDetectingTextDecoder(): DetectingTextDecoder {
  let decided: { encoding: CsvEncoding; decoder: StreamingTextDecoder } | undefined;
  let held: Uint8Array[] = [];
  let heldBytes = 0;
  let passedAscii = false;

  const decide = (): { decoder: StreamingTextDecoder; text: string } => {
    const bytes = Buffer.concat(held);
    held = [];
    const encoding = detectEncoding(bytes);
    // A BOM is a BOM only at the start of the file.
    const decoder = createTextDecoder(encoding, { stripBom: !passedAscii });
    decided = { encoding, decoder };
    return { decoder, text: decoder.write(bytes) };
  };

  return {
    write(bytes) {
      if (decided) return decided.decoder.write(bytes);
      let ascii = '';
      if (heldBytes === 0) {
        if (isAscii(bytes)) {
          passedAscii ||= bytes.length > 0;
          return asBuffer(bytes).toString('latin1');
        }
        const firstNonAscii = bytes.findIndex((byte) => byte >= 0x80);
        ascii = asBuffer(bytes.subarray(0, firstNonAscii)).toString('latin1');
        passedAscii ||= firstNonAscii > 0;
        bytes = bytes.subarray(firstNonAscii);
      }
      // Copied: a caller may reuse its buffer once write() returns.
      held.push(Buffer.from(bytes));
      heldBytes += bytes.length;
      return heldBytes >= DETECTION_WINDOW ? ascii + decide().text : ascii;
    },
    end() {
      if (decided) return decided.decoder.end();
      if (heldBytes === 0) return '';
      const { decoder, text } = decide();
      return text + decoder.end();
    },
    encoding: () => decided?.encoding,
    holding: () => !decided && heldBytes > 0,
  };
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
