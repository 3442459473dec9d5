import { CellError, quote } from './cell.js';
import { nfkc } from './normalize-text.js';

// A deliberately simple rule, not RFC 5322 (nor ajv's "email" format): Japanese carrier
// addresses such as taro..yamada@docomo.ne.jp or taro.@ezweb.ne.jp are real and must pass.
// One @, a local part without spaces or < > ( ) , ; : " [ ] \, a domain of two or more labels.
const LOCAL = String.raw`[^\s@<>(),;:"[\]\\]+`;
const LABEL = String.raw`[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?`;
export const EMAIL = new RegExp(String.raw`^${LOCAL}@${LABEL}(?:\.${LABEL})+$`, 'u');
const BAD_LOCAL_CHAR = /[\s<>(),;:"[\]\\]/;
const WHITESPACE = /\s/;
const EXPECTED = 'expected name@example.com';

/**
 * The address as stored: trimmed, NFKC (full-width `＠` and letters become ASCII), lower
 * case. Undefined when blank; a CellError (`IMPORT_EMAIL_INVALID`) when it is not one
 * `@` between a non-empty local part and a domain with a dot, with no spaces.
 */
export function convertEmail(raw: string): string | undefined | CellError {
  const text = nfkc(raw).trim();
  if (text === '') return undefined;
  const scan = scanAsciiEmail(text);
  if (scan === LOWER_CASE) return text;
  const email = text.toLowerCase();
  if (scan === MIXED_CASE || EMAIL.test(email)) return email;
  return new CellError('IMPORT_EMAIL_INVALID', `${quote(email)} is not an email address: ${whatIsWrong(email)} (${EXPECTED})`);
}

const UNDECIDED = 0;
const LOWER_CASE = 1;
const MIXED_CASE = 2;
const LOCAL_FORBIDDEN = new Uint8Array(128);
for (const c of ' <>(),;:"[]\\') LOCAL_FORBIDDEN[c.charCodeAt(0)] = 1;
for (let c = 0; c < 0x20; c++) LOCAL_FORBIDDEN[c] = 1;

/**
 * One pass over an all-ASCII address, for speed: LOWER_CASE or MIXED_CASE when it passes
 * EMAIL (as is, or once lower-cased); UNDECIDED for anything else, which EMAIL then decides.
 */
function scanAsciiEmail(text: string): number {
  let at = -1;
  let upper = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return UNDECIDED;
    if (c === 0x40) {
      if (at >= 0) return UNDECIDED;
      at = i;
    } else if (c >= 0x41 && c <= 0x5a) upper = true;
    else if (at < 0 ? LOCAL_FORBIDDEN[c] === 1 : !((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e)) return UNDECIDED;
  }
  if (at <= 0) return UNDECIDED;
  let dots = 0;
  let label = at + 1;
  for (let i = label; i <= text.length; i++) {
    if (i < text.length && text.charCodeAt(i) !== 0x2e) continue;
    if (i === label || text.charCodeAt(label) === 0x2d || text.charCodeAt(i - 1) === 0x2d) return UNDECIDED;
    if (i < text.length) dots++;
    label = i + 1;
  }
  if (dots === 0) return UNDECIDED;
  return upper ? MIXED_CASE : LOWER_CASE;
}

function whatIsWrong(email: string): string {
  const at = email.indexOf('@');
  if (at < 0) return 'it has no @';
  if (at !== email.lastIndexOf('@')) return 'it has more than one @ (one address per cell)';
  if (WHITESPACE.test(email)) return 'it contains a space';
  if (at === 0) return 'nothing comes before the @';
  if (BAD_LOCAL_CHAR.test(email.slice(0, at))) return 'the part before the @ contains one of < > ( ) , ; : " [ ] \\';
  const domain = email.slice(at + 1);
  if (domain === '') return 'nothing comes after the @';
  if (!domain.includes('.')) return `the domain ${quote(domain)} has no dot`;
  return `the domain ${quote(domain)} is not a host name`;
}
