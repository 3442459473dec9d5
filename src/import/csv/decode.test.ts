import { Buffer } from 'node:buffer';
import Encoding from 'encoding-japanese';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  createDetectingTextDecoder,
  createTextDecoder,
  detectEncoding,
  DETECTION_WINDOW,
  normaliseEncodingName,
  type StreamingTextDecoder,
} from './decode.js';

const JAPANESE = '山田,髙橋 ①㈱ lead＠example.jp ｱｷﾗ ～\n';
const utf8 = (text: string) => Buffer.from(text, 'utf8');
const cp932 = (text: string) => iconv.encode(text, 'cp932');

function decodeInPieces(decoder: StreamingTextDecoder, bytes: Uint8Array, cuts: number[]): string {
  let text = '';
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    text += decoder.write(bytes.subarray(from, cut));
    from = cut;
  }
  return text + decoder.end();
}

describe('normaliseEncodingName', () => {
  it('maps every Shift_JIS name to cp932, case-insensitively', () => {
    for (const name of ['shift_jis', 'Shift_JIS', 'SJIS', 'cp932', 'Windows-31J', 'MS932']) {
      expect(normaliseEncodingName(name)).toBe('cp932');
    }
    expect(normaliseEncodingName('UTF-8')).toBe('utf-8');
    expect(normaliseEncodingName('utf8')).toBe('utf-8');
    expect(normaliseEncodingName('Auto')).toBe('auto');
    expect(normaliseEncodingName('euc-jp')).toBeUndefined();
    expect(normaliseEncodingName('constructor')).toBeUndefined();
  });
});

describe('detectEncoding', () => {
  it('reads a BOM, valid UTF-8 and ASCII as UTF-8', () => {
    expect(detectEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x61]))).toBe('utf-8');
    expect(detectEncoding(utf8(JAPANESE))).toBe('utf-8');
    expect(detectEncoding(utf8('email,name\n'))).toBe('utf-8');
    expect(detectEncoding(new Uint8Array())).toBe('utf-8');
  });

  it('reads Shift_JIS bytes as cp932', () => {
    expect(detectEncoding(cp932(JAPANESE))).toBe('cp932');
  });

  it('reads half-width kana as cp932, where encoding-japanese left to itself says EUC-JP', () => {
    const kana = cp932('ｶﾀｶﾅ,ﾃｽﾄｶ\n');
    expect(Encoding.detect(kana)).toBe('EUCJP');
    expect(detectEncoding(kana)).toBe('cp932');
  });

  it('ignores a character cut off at the end of the window', () => {
    const line = '株式会社テスト,';
    for (const [encode, expected] of [
      [utf8, 'utf-8'],
      [cp932, 'cp932'],
    ] as const) {
      const bytes = encode(line.repeat(Math.ceil(DETECTION_WINDOW / 10)));
      for (let cut = DETECTION_WINDOW - 3; cut <= DETECTION_WINDOW + 3; cut++) {
        expect(detectEncoding(bytes.subarray(0, cut))).toBe(expected);
      }
    }
  });
});

describe('createTextDecoder', () => {
  it('decodes UTF-8 and CP932 the same wherever the bytes are cut', () => {
    for (const [encoding, bytes] of [
      ['utf-8', utf8(JAPANESE)],
      ['cp932', cp932(JAPANESE)],
    ] as const) {
      for (let i = 0; i <= bytes.length; i++) {
        for (let j = i; j <= bytes.length; j++) {
          expect(decodeInPieces(createTextDecoder(encoding), bytes, [i, j])).toBe(JAPANESE);
        }
      }
    }
  });

  it('strips a leading BOM, even one cut in pieces, and no other U+FEFF', () => {
    const bytes = utf8('\ufeffa,\ufeffb\n');
    for (let i = 0; i <= 4; i++) expect(decodeInPieces(createTextDecoder('utf-8'), bytes, [0, i])).toBe('a,\ufeffb\n');
    expect(decodeInPieces(createTextDecoder('utf-8', { stripBom: false }), bytes, [])).toBe('\ufeffa,\ufeffb\n');
  });

  it('turns invalid bytes into U+FFFD instead of failing', () => {
    expect(decodeInPieces(createTextDecoder('utf-8'), Buffer.from([0x61, 0xff, 0x62]), [])).toBe('a\ufffdb');
  });
});

describe('createDetectingTextDecoder', () => {
  it('passes ASCII through and decides at the first non-ASCII byte, however late', () => {
    const ascii = 'lead@example.com,Acme\n'.repeat(10_000);
    for (const [encode, encoding] of [
      [cp932, 'cp932'],
      [utf8, 'utf-8'],
    ] as const) {
      const bytes = Buffer.concat([utf8(ascii), encode(JAPANESE.repeat(5000))]);
      const decoder = createDetectingTextDecoder();
      let text = '';
      for (let at = 0; at < bytes.length; at += 65_536) {
        text += decoder.write(bytes.subarray(at, at + 65_536));
        if (at + 65_536 <= ascii.length) expect(decoder.encoding()).toBeUndefined();
      }
      text += decoder.end();
      expect(decoder.encoding()).toBe(encoding);
      expect(text).toBe(ascii + JAPANESE.repeat(5000));
    }
  });

  it('decides at the end for a small file fed a byte at a time, and strips a BOM only at the start', () => {
    const bytes = cp932(`a,b\n${JAPANESE}`);
    const decoder = createDetectingTextDecoder();
    expect(decodeInPieces(decoder, bytes, Array.from(bytes.keys()))).toBe(`a,b\n${JAPANESE}`);
    expect(decoder.encoding()).toBe('cp932');

    expect(decodeInPieces(createDetectingTextDecoder(), utf8('\ufeffa,髙\n'), [1, 2])).toBe('a,髙\n');
    expect(decodeInPieces(createDetectingTextDecoder(), utf8('a,\ufeff髙\n'), [])).toBe('a,\ufeff髙\n');
  });

  it('leaves the encoding undecided for pure ASCII', () => {
    const decoder = createDetectingTextDecoder();
    expect(decodeInPieces(decoder, utf8('a,b\n'), [2])).toBe('a,b\n');
    expect(decoder.encoding()).toBeUndefined();
  });
});
