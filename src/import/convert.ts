import { IANAZone } from 'luxon';
import type { LeadFieldDefinition } from '../workspace/types.js';
import { type CellConverter, type FieldValue, quote } from './cell.js';
import { DO_NOT_CONTACT, FULL_NAME_KANA } from './cell-converters.js';
import type { ColumnPlan } from './headers.js';
import { isFamilyFirst, splitFamilyFirst, splitPersonName } from './names.js';
import { zoneForPhone } from './phone-zone.js';

/** A problem with one cell; the pipeline adds the CSV line. */
export interface RowIssue {
  /** The CSV header of the cell's column. */
  column: string;
  /** The cell as read. */
  value: string;
  code: string;
  message: string;
}
export type RowError = RowIssue;
export type RowWarning = RowIssue;

/** Fill-ins for fields the lead has no value for; an existing lead's stored value is never replaced by one. */
export interface LeadDefaults {
  /** From the phone's calling code when international, else the workspace zone. */
  timezone: string;
  /** The workspace language, when it has one. */
  language?: 'en' | 'ja';
}

export interface LeadInput {
  /** Trimmed, NFKC, lower case. */
  email: string;
  /** Only the non-blank cells (a blank cell never clears a stored value), built-in and custom together, typed. Never `email`. */
  fields: Record<string, FieldValue>;
  doNotContact: boolean;
  defaults: Readonly<LeadDefaults>;
}

export type RowResult = { ok: true; lead: LeadInput; warnings: readonly RowWarning[] } | { ok: false; errors: RowError[] };

export interface ConvertContext {
  /** The workspace's IANA zone: the default for leads, and the zone of date-times without an offset. */
  timezone: string;
  language?: 'en' | 'ja';
  /** Not needed by the conversion itself (mapHeaders compiled each column's converter); accepted for symmetry. */
  fields?: Map<string, LeadFieldDefinition>;
}

const NO_WARNINGS: readonly RowWarning[] = Object.freeze([]);

/**
 * What the row loop does with a converted cell. `name` and `phone` are also kept in locals
 * and the name parts as bits, so that after the loop nothing is read back from `fields`
 * (whose shape varies with the blank cells of each row, which makes reading it slow).
 */
type Role = 'field' | 'name' | 'phone' | 'email' | 'kana' | 'do_not_contact';
interface Step { index: number; header: string; field: string; role: Role; bit: number; convert: CellConverter }

const FIRST = 1;
const LAST = 2;
const FIRST_KANA = 4;
const LAST_KANA = 8;
const TIMEZONE = 16;
const BITS: Readonly<Record<string, number>> = { first_name: FIRST, last_name: LAST, first_name_kana: FIRST_KANA, last_name_kana: LAST_KANA, timezone: TIMEZONE };

/**
 * Compiles the per-row conversion once per file: one converter per column from the plan,
 * then per row only the cell conversions, the name split and the default zone. Collects
 * every error of a row. A whole-name column (`氏名`, `Name`) is kept in `full_name` and
 * split into last_name/first_name (see names.ts) where the row has no explicit value for
 * them; a kana reading column is split into last_name_kana/first_name_kana the same way.
 * A name that cannot be split is a warning (IMPORT_NAME_NOT_SPLIT), not an error, and not
 * even that when the row has a first or last name of its own (an export of leads).
 */
export function createRowConverter(plan: readonly ColumnPlan[], context: ConvertContext): (cells: readonly string[]) => RowResult {
  const zone = context.timezone;
  if (!IANAZone.isValidZone(zone)) throw new Error(`createRowConverter: "${zone}" is not an IANA time zone`);
  const steps: Step[] = plan.map((column) => ({
    index: column.index,
    header: column.header,
    field: column.field,
    role: roleOf(column.field),
    bit: Object.hasOwn(BITS, column.field) ? BITS[column.field]! : 0,
    convert: column.convert,
  }));
  const emailStep = steps.find((step) => step.role === 'email');
  const nameHeader = plan.find((column) => column.field === 'full_name')?.header ?? '';
  const kanaHeader = plan.find((column) => column.field === FULL_NAME_KANA)?.header ?? '';
  const baseDefaults = defaultsFor(zone, context.language);
  const phoneDefaults = new Map<string, Readonly<LeadDefaults>>();

  return (cells) => {
    const fields: Record<string, FieldValue> = {};
    let email = '';
    let doNotContact = false;
    let fullName: string | undefined;
    let kana: string | undefined;
    let phone: string | undefined;
    let given = 0;
    let errors: RowError[] | undefined;
    let warnings: RowWarning[] | undefined;
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      const raw = cells[step.index];
      if (raw === undefined || raw === '') continue;
      const value = step.convert(raw, zone);
      if (value === undefined) continue;
      if (typeof value === 'object') {
        (errors ??= []).push({ column: step.header, value: raw, code: value.code, message: value.message });
        continue;
      }
      switch (step.role) {
        case 'field':
          fields[step.field] = value;
          given |= step.bit;
          break;
        case 'name':
          fields.full_name = fullName = value as string;
          break;
        case 'phone':
          fields.phone = phone = value as string;
          break;
        case 'email':
          email = value as string;
          break;
        case 'kana':
          kana = value as string;
          break;
        case 'do_not_contact':
          doNotContact = value as boolean;
      }
    }
    if (email === '' && !errors?.some((error) => error.code === 'IMPORT_EMAIL_INVALID')) {
      const column = emailStep?.header ?? '';
      const value = emailStep === undefined ? '' : (cells[emailStep.index] ?? '');
      (errors ??= []).push({ column, value, code: 'IMPORT_EMAIL_MISSING', message: `the row has no email address${column ? ` in "${column}"` : ''} (every lead needs one)` });
    }
    if (errors !== undefined) return { ok: false, errors };

    // Explicit 姓/名 (and セイ/メイ) cells win over the split, part by part. A name that
    // cannot be split is worth a warning only when the row gives neither part.
    if (fullName !== undefined && (given & (FIRST | LAST)) !== (FIRST | LAST)) {
      const parts = splitPersonName(fullName);
      if (parts === undefined) {
        if ((given & (FIRST | LAST)) === 0) (warnings ??= []).push(nameNotSplit(nameHeader, fullName));
      } else {
        if ((given & LAST) === 0) fields.last_name = parts.family;
        if ((given & FIRST) === 0) fields.first_name = parts.given;
      }
    }
    if (kana !== undefined && (given & (FIRST_KANA | LAST_KANA)) !== (FIRST_KANA | LAST_KANA)) {
      const parts = splitFamilyFirst(kana);
      if (parts === undefined) {
        if ((given & (FIRST_KANA | LAST_KANA)) === 0) (warnings ??= []).push(kanaNotSplit(kanaHeader, kana));
      } else {
        if ((given & LAST_KANA) === 0) fields.last_name_kana = parts.family;
        if ((given & FIRST_KANA) === 0) fields.first_name_kana = parts.given;
      }
    }

    let defaults = baseDefaults;
    if ((given & TIMEZONE) === 0 && phone !== undefined) {
      const phoneZone = zoneForPhone(phone, zone);
      if (phoneZone !== undefined && phoneZone !== zone) {
        defaults = phoneDefaults.get(phoneZone) ?? defaultsFor(phoneZone, context.language);
        phoneDefaults.set(phoneZone, defaults);
      }
    }
    return { ok: true, lead: { email, fields, doNotContact, defaults }, warnings: warnings ?? NO_WARNINGS };
  };
}

function roleOf(field: string): Role {
  if (field === 'full_name') return 'name';
  if (field === 'phone') return 'phone';
  if (field === 'email') return 'email';
  if (field === FULL_NAME_KANA) return 'kana';
  if (field === DO_NOT_CONTACT) return 'do_not_contact';
  return 'field';
}

function defaultsFor(timezone: string, language: 'en' | 'ja' | undefined): Readonly<LeadDefaults> {
  return Object.freeze(language === undefined ? { timezone } : { timezone, language });
}

/** The advice follows the name's script: a Latin name is not told to write 山田 太郎. */
function nameNotSplit(column: string, name: string): RowWarning {
  const message = isFamilyFirst(name)
    ? `${quote(name)} has no space between family and given name, so it was kept whole in full_name (write it as 山田 太郎, or give separate 姓 and 名 columns)`
    : `${quote(name)} has no space between given and family name, so it was kept whole in full_name (write it as "Taro Yamada" or "Yamada, Taro", or give separate first_name and last_name columns)`;
  return { column, value: name, code: 'IMPORT_NAME_NOT_SPLIT', message };
}

function kanaNotSplit(column: string, reading: string): RowWarning {
  return {
    column,
    value: reading,
    code: 'IMPORT_NAME_NOT_SPLIT',
    message: `${quote(reading)} has no space between family and given name, so it was not imported (write it as ヤマダ タロウ, or give separate セイ and メイ columns)`,
  };
}
