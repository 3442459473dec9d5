/**
 * Splitting a whole-name cell (`氏名`, `Name`, `フリガナ`) into family and given names.
 *
 * - Names in a CJK script (kanji, kana, hangul) are written family name first and split
 *   at the first space, half- or full-width: `山田 太郎`, `山田　太郎` → 山田 / 太郎.
 * - Other names are written given name first and split at the last space, so middle
 *   names stay with the given name: `Mary Ann Smith` → Mary Ann / Smith. `Smith, John`
 *   (the CRM "Last, First" form) splits at the comma.
 * - A name without a space (`山田太郎`) cannot be split reliably: undefined.
 */

export interface NameParts {
  family: string;
  given: string;
}

const FAMILY_FIRST_SCRIPT = /[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f]/;

/** A personal name in whatever script, split by the convention of that script. */
export function splitPersonName(name: string): NameParts | undefined {
  return isFamilyFirst(name) ? splitFamilyFirst(name) : splitGivenFirst(name);
}

/** Whether a name is in a script written family name first (kanji, kana, hangul). */
export function isFamilyFirst(name: string): boolean {
  return FAMILY_FIRST_SCRIPT.test(name);
}

/** A name written family name first (Japanese, and every kana reading), split at the first space. */
export function splitFamilyFirst(name: string): NameParts | undefined {
  const space = firstSpace(name);
  if (space < 0) return undefined;
  return parts(name.slice(0, space), name.slice(space + 1));
}

function splitGivenFirst(name: string): NameParts | undefined {
  const comma = name.indexOf(',');
  if (comma >= 0) return parts(name.slice(0, comma), name.slice(comma + 1));
  const space = lastSpace(name);
  if (space < 0) return undefined;
  return parts(name.slice(space + 1), name.slice(0, space));
}

function parts(family: string, given: string): NameParts | undefined {
  const f = family.trim();
  const g = given.trim();
  return f === '' || g === '' ? undefined : { family: f, given: g };
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x3000 || code === 0xa0 || code === 0x09;
}

function firstSpace(text: string): number {
  for (let i = 0; i < text.length; i++) if (isSpace(text.charCodeAt(i))) return i;
  return -1;
}

function lastSpace(text: string): number {
  for (let i = text.length - 1; i >= 0; i--) if (isSpace(text.charCodeAt(i))) return i;
  return -1;
}
