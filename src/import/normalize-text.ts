/**
 * Text normalisation at import, with two policies chosen per field:
 *
 * - **Codes** (email, phone, numbers, dates, date-times, booleans, enums, time zones,
 *   owner, status, stage, country, URLs): Unicode NFKC, so what a Japanese IME or an Excel
 *   export writes in full width (`ＴＡＲＯ＠ＥＸＡＭＰＬＥ．ＣＯＭ`, `０３－１２３４`) reads
 *   as the ASCII it means.
 * - **Free text** (names and their kana, company, department, title, source, campaign,
 *   custom string fields): trimmed, and half-width katakana widened (`ﾔﾏﾀﾞ` → `ヤマダ`),
 *   nothing else. NFKC would also rewrite `①` → `1`, `㈱` → `(株)`, `™` → `TM` and
 *   full-width letters that are part of how a company writes its own name.
 */

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const ASCII_OR_FULL_WIDTH_ASCII = /^[\x20-\x7e\u3000\uff01-\uff5e]*$/;
const HAS_HALF_WIDTH_KANA = /[\uff61-\uff9f]/;

/**
 * NFKC, with two shortcuts that give the same answer faster, since this runs on millions
 * of cells: printable ASCII is returned as is, and ASCII mixed only with full-width ASCII
 * (`ＴＡＲＯ＠ＥＸＡＭＰＬＥ．ＣＯＭ`, `０３－１２３４`) is narrowed code by code.
 */
export function nfkc(text: string): string {
  if (PRINTABLE_ASCII.test(text)) return text;
  if (!ASCII_OR_FULL_WIDTH_ASCII.test(text)) return text.normalize('NFKC');
  let narrow = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    narrow += code === 0x3000 ? ' ' : code >= 0xff01 ? String.fromCharCode(code - 0xfee0) : text[i]!;
  }
  return narrow;
}

// Half-width katakana and punctuation (U+FF61–U+FF9F) and their NFKC forms, single and
// with a voiced mark (ｶﾞ → ガ, ﾊﾟ → パ, ｳﾞ → ヴ), computed once from NFKC itself.
const HALF_WIDTH_START = 0xff61;
const WIDE: string[] = [];
const WIDE_VOICED = new Map<number, string>();
for (let code = HALF_WIDTH_START; code <= 0xff9f; code++) {
  const kana = String.fromCharCode(code);
  WIDE.push(kana.normalize('NFKC'));
  for (const mark of [0xff9e, 0xff9f]) {
    const voiced = (kana + String.fromCharCode(mark)).normalize('NFKC');
    if (voiced.length === 1) WIDE_VOICED.set(code * 2 + (mark - 0xff9e), voiced);
  }
}

/**
 * Half-width katakana and punctuation to full width, voiced marks composed
 * (`ﾔﾏﾀﾞ` → `ヤマダ`, `｢ｱｸﾒ｣` → `「アクメ」`); everything else untouched. Equivalent to
 * NFKC on those runs only.
 */
export function widenKana(text: string): string {
  if (!HAS_HALF_WIDTH_KANA.test(text)) return text;
  let wide = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < HALF_WIDTH_START || code > 0xff9f) {
      wide += text[i]!;
      continue;
    }
    const next = text.charCodeAt(i + 1);
    const voiced = next === 0xff9e || next === 0xff9f ? WIDE_VOICED.get(code * 2 + (next - 0xff9e)) : undefined;
    if (voiced === undefined) wide += WIDE[code - HALF_WIDTH_START]!;
    else {
      wide += voiced;
      i++;
    }
  }
  return wide;
}

/** A free-text cell: trimmed (full-width spaces too), kana widened; undefined when blank. */
export function freeText(raw: string): string | undefined {
  const text = raw.trim();
  return text === '' ? undefined : widenKana(text);
}

/** A code cell: trimmed and NFKC-normalised; undefined when blank. */
export function codeText(raw: string): string | undefined {
  const text = nfkc(raw).trim();
  return text === '' ? undefined : text;
}

// Characters a header may carry as decoration: spaces, punctuation, brackets, required-field stars.
const HEADER_NOISE = /[\s\-_.()[\]【】〔〕「」『』・/:*#\u2010-\u2015]/g;

/**
 * The key a CSV header is matched by: NFKC, lower case, without spaces, `-`, `_`, `.`,
 * brackets and similar decoration, so `E-mail`, `e_mail`, `Ｅメール` and `姓（カナ）`
 * match `email`, `eメール` and `姓カナ`. Also strips a byte-order mark.
 */
export function headerKey(header: string): string {
  return header.normalize('NFKC').toLowerCase().replace(HEADER_NOISE, '');
}
