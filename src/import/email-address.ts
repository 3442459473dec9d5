import { CellError, quote } from './cell.js';
import { nfkc } from './normalize-text.js';

// A deliberately simple rule, not RFC 5322 (nor ajv's "email" format): Japanese carrier
// addresses such as taro..yamada@docomo.ne.jp or taro.@ezweb.ne.jp are real and must pass.
const LOCAL = String.raw`[^\s@<>(),;:"[\]\\]+`;
const LABEL = String.raw`[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?`;
const EMAIL = new RegExp(String.raw`^${LOCAL}@${LABEL}(?:\.${LABEL})+$`, 'u');
// The same rule for the usual ASCII domain, without the slower Unicode-aware matching.
const ASCII_LABEL = String.raw`[a-z0-9](?:[a-z0-9-]*[a-z0-9])?`;
const ASCII_EMAIL = new RegExp(String.raw`^${LOCAL}@${ASCII_LABEL}(?:\.${ASCII_LABEL})+$`);
const UPPER_OR_NON_ASCII = /[A-Z\u0080-\uffff]/;
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
  const email = UPPER_OR_NON_ASCII.test(text) ? text.toLowerCase() : text;
  if (email === '') return undefined;
  if (ASCII_EMAIL.test(email) || EMAIL.test(email)) return email;
  return new CellError('IMPORT_EMAIL_INVALID', `${quote(email)} is not an email address: ${whatIsWrong(email)} (${EXPECTED})`);
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
