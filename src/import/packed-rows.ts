import { LEAD_COLUMNS } from '../store/leads.js';
import type { FieldValue } from './cell.js';
import { composeFullName } from './full-name.js';
import type { ImportRow } from './write-batch.js';

/**
 * Converted rows packed flat for the trip from the reading thread to the writing one:
 * an array of primitives clones several times faster than objects, and the writer binds
 * an insert straight from a slice of it. Per row, in order: line, do-not-contact (0/1),
 * a bit mask of the lead columns the row itself gave (the others are defaults or the
 * composed full name), the row's cells as JSON (only with --errors-out, else null), the
 * email cell as written when it is not the address itself (else null; a refusal shows the
 * cell), then exactly the insert's parameters: email, the lead columns, the custom JSON,
 * and the time twice (created_at, updated_at).
 */
export interface PackedRows {
  count: number;
  values: (string | number | null)[];
  /** Characters of text in `values`: how much memory the rows hold, whatever their number. */
  chars: number;
}

/** An empty pack to fill. */
export function emptyPack(): PackedRows {
  return { count: 0, values: [], chars: 0 };
}

const HEAD = 5;
/** Where in a row's head the email cell as written is. */
const EMAIL_CELL = 4;
export const PACKED_STRIDE = HEAD + 1 + LEAD_COLUMNS.length + 1 + 2;
const FULL_NAME = LEAD_COLUMNS.indexOf('full_name');

/**
 * Packs a row as the new lead it would insert: its own cells first, then the run's
 * defaults (`--owner`, `--source`), then its own defaults (time zone, language), and the
 * full name composed from the parts when the row gave none. `customFields` is the
 * workspace's custom fields in a fixed order (customFieldOrder), so the custom JSON is
 * built without sorting keys per row.
 */
export function packRow(into: PackedRows, row: ImportRow, runDefaults: Readonly<Record<string, FieldValue>>, customFields: readonly CustomField[], at: string, emailCell?: string): void {
  const { fields, defaults } = row;
  const values = into.values;
  let mask = 0;
  let chars = row.email.length + 2 * at.length;
  const start = values.length;
  values.push(row.line, row.doNotContact ? 1 : 0, 0, row.cells ? JSON.stringify(row.cells) : null, emailCell === undefined || emailCell === row.email ? null : emailCell, row.email);
  for (let index = 0; index < LEAD_COLUMNS.length; index++) {
    const column = LEAD_COLUMNS[index]!;
    let value = fields[column];
    if (value !== undefined) mask |= 1 << index;
    else value = runDefaults[column] ?? defaults[column];
    if (value === undefined || value === '') values.push(null);
    else {
      const text = typeof value === 'string' ? value : String(value);
      chars += text.length;
      values.push(text);
    }
  }
  if (values[start + HEAD + 1 + FULL_NAME] === null) {
    const fullName = composeFullName(fields);
    if (fullName !== undefined) {
      values[start + HEAD + 1 + FULL_NAME] = fullName;
      chars += fullName.length;
    }
  }
  let custom = '{';
  for (const field of customFields) {
    const value = fields[field.name];
    if (value !== undefined) custom += `${custom.length > 1 ? ',' : ''}${field.key}${JSON.stringify(value)}`;
  }
  custom += '}';
  values[start + 2] = mask;
  values.push(custom, at, at);
  into.count++;
  into.chars += chars + custom.length;
}

/** A custom field's name and its JSON key prefix (`"name":`), made once per import. */
export interface CustomField {
  name: string;
  key: string;
}

/** The workspace's custom fields in a fixed (sorted) order, as packRow takes them. */
export function customFieldOrder(names: Iterable<string>): CustomField[] {
  return [...names].sort().map((name) => ({ name, key: `${JSON.stringify(name)}:` }));
}

/** Reads rows back; `insertParams` is what an insert binds. */
export class PackedReader {
  /** Reused for every row: binding allocates nothing per row. */
  private readonly params: (string | number | null)[] = new Array<string | number | null>(PACKED_STRIDE - HEAD).fill(null);

  constructor(readonly packed: PackedRows) {}

  line(index: number): number {
    return this.packed.values[index * PACKED_STRIDE] as number;
  }

  email(index: number): string {
    return this.packed.values[index * PACKED_STRIDE + HEAD] as string;
  }

  /** The email cell as the file has it (a refused row is shown as written). */
  emailCell(index: number): string {
    return (this.packed.values[index * PACKED_STRIDE + EMAIL_CELL] as string | null) ?? this.email(index);
  }

  doNotContact(index: number): boolean {
    return this.packed.values[index * PACKED_STRIDE + 1] === 1;
  }

  /** The insert's parameters, in an array that the next call overwrites. */
  insertParams(index: number): readonly (string | number | null)[] {
    const start = index * PACKED_STRIDE + HEAD;
    const { values } = this.packed;
    for (let offset = 0; offset < this.params.length; offset++) this.params[offset] = values[start + offset]!;
    return this.params;
  }

  /**
   * The row as the reading side had it, for the rarer paths (an existing lead to merge, a
   * refusal to report): its own fields, and its defaults (the columns it did not give,
   * except the composed full name and the run's defaults, which the writer knows).
   */
  row(index: number, runDefaults: Readonly<Record<string, FieldValue>>): ImportRow {
    const base = index * PACKED_STRIDE;
    const values = this.packed.values;
    const mask = values[base + 2] as number;
    const fields: Record<string, FieldValue> = {};
    const defaults: Record<string, FieldValue> = {};
    for (let column = 0; column < LEAD_COLUMNS.length; column++) {
      const value = values[base + HEAD + 1 + column];
      if (value === null || value === undefined) continue;
      const name = LEAD_COLUMNS[column]!;
      if (mask & (1 << column)) fields[name] = value;
      else if (column !== FULL_NAME && runDefaults[name] === undefined) defaults[name] = value;
    }
    Object.assign(fields, JSON.parse(values[base + HEAD + 1 + LEAD_COLUMNS.length] as string) as Record<string, FieldValue>);
    const cells = values[base + 3];
    return {
      line: values[base] as number,
      doNotContact: values[base + 1] === 1,
      fields,
      defaults,
      email: values[base + HEAD] as string,
      ...(cells === null ? {} : { cells: JSON.parse(cells as string) as string[] }),
    };
  }
}
