/** Trimmed, NFKC-normalised (full-width ＠ and letters) and lower-cased. */
export function normaliseEmail(text: string): string {
  return text.normalize('NFKC').trim().toLowerCase();
}

/**
 * A deliberately loose check: one @, a local part, a dotted domain, no spaces. Japanese
 * carrier addresses such as taro..yamada@docomo.ne.jp are real; bounces decide the rest.
 */
export function isPlausibleEmail(email: string): boolean {
  const at = email.indexOf('@');
  if (at <= 0 || at !== email.lastIndexOf('@')) return false;
  const domain = email.slice(at + 1);
  return /^[^\s@]+$/.test(email.slice(0, at)) && /^[^\s@.]+(\.[^\s@.]+)+$/.test(domain);
}
