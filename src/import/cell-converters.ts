import type { LeadFieldDefinition } from '../workspace/types.js';
import type { CellConverter } from './cell.js';
import { convertDate, convertDateTime } from './dates.js';
import { convertEmail } from './email-address.js';
import { convertLanguage, convertPhone, convertTimeZone } from './lead-values.js';
import { codeText, freeText } from './normalize-text.js';
import { convertBoolean, convertDoNotContact, convertNumber, enumConverter } from './values.js';

/** Import targets that are not lead fields: the do-not-contact flag and a whole-name kana reading to split. */
export const DO_NOT_CONTACT = 'do_not_contact';
export const FULL_NAME_KANA = 'full_name_kana';

/** Built-in fields that hold codes or identifiers rather than prose, so NFKC applies (see normalize-text.ts). */
const CODE_FIELDS: ReadonlySet<string> = new Set(['owner', 'status', 'stage', 'country', 'linkedin_url', 'website']);

const BUILTIN_CONVERTERS: Readonly<Record<string, CellConverter>> = {
  email: convertEmail,
  phone: convertPhone,
  timezone: convertTimeZone,
  language: convertLanguage,
  [DO_NOT_CONTACT]: convertDoNotContact,
  [FULL_NAME_KANA]: freeText,
};

/**
 * The converter for a column feeding `target`: built-in fields by their meaning, custom
 * fields by their declared type (number, boolean, date, datetime, enum, string), and
 * free text (trim, widen half-width kana) for everything else. Built once per column.
 */
export function converterFor(target: string, definition: LeadFieldDefinition | undefined): CellConverter {
  const builtin = Object.hasOwn(BUILTIN_CONVERTERS, target) ? BUILTIN_CONVERTERS[target] : undefined;
  if (builtin !== undefined) return builtin;
  if (CODE_FIELDS.has(target)) return codeText;
  switch (definition?.type) {
    case 'number':
      return convertNumber;
    case 'boolean':
      return convertBoolean;
    case 'date':
      return convertDate;
    case 'datetime':
      return convertDateTime;
    case 'enum':
      return enumConverter(target, definition.values ?? []);
    default:
      return freeText;
  }
}
