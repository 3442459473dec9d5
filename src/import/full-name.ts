import type { FieldValue } from '../store/leads.js';

const CJK = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f]/;

/**
 * The display name from its parts: family name first for Japanese (山田 太郎) and for
 * leads whose language is ja, given name first otherwise (Taro Yamada).
 */
export function composeFullName(fields: Readonly<Record<string, FieldValue>>): string | undefined {
  const first = fields.first_name === undefined ? '' : String(fields.first_name);
  const last = fields.last_name === undefined ? '' : String(fields.last_name);
  if (!first && !last) return undefined;
  const familyFirst = fields.language === 'ja' || CJK.test(first) || CJK.test(last);
  return (familyFirst ? `${last} ${first}` : `${first} ${last}`).trim();
}
