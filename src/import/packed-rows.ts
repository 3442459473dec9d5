import { LEAD_COLUMNS } from '../store/leads.js';
import type { FieldValue } from './cell.js';
import { composeFullName } from './full-name.js';
import type { ImportRow } from './write-batch.js';

/**
 * Converted rows packed for the trip from the reading thread to the writing one, and for
 * the writing thread's window (AddressWindow), which holds ~50,000 of them: per row its
 * address, and the rest of the row as one string, its values separated by NUL: a quarter
 * of the memory of a row's two dozen values one by one (~320 bytes a row instead of
 * ~1,300 on the writing thread's heap, measured). Nothing in the rest is an empty
 * string but a missing value, so an empty field reads back as null. In order: line,
 * do-not-contact (0/1), a bit mask of the lead columns the row itself gave (the others
 * are defaults or the composed full name), the row's cells as JSON (only with
 * --errors-out), the email cell as written when it is not the address itself, then the
 * lead columns and the custom JSON. A row with a NUL in a value (binary junk in a cell) is
 * packed as a JSON array of the same fields instead, after ESCAPED.
 */
export interface PackedRows {
  count: number;
  emails: string[];
  rests: string[];
  /** The line of the last row (rows are packed in file order). */
  lastLine: number;
  /** Characters of text: how much memory the rows hold, whatever their number. */
  chars: number;
}

/** An empty pack to fill. */
export function emptyPack(): PackedRows {
  return { count: 0, emails: [], rests: [], lastLine: 0, chars: 0 };
}

const SEPARATOR = '\0';
const ESCAPED = '\u0002';
const HEAD = 5;
/** Where in a row's head the email cell as written is. */
const EMAIL_CELL = 4;
const CUSTOM = HEAD + LEAD_COLUMNS.length;
const FULL_NAME = LEAD_COLUMNS.indexOf('full_name');

/**
 * Packs a row as the new lead it would insert: its own cells first, then the run's
 * defaults (`--owner`, `--source`), then its own defaults (time zone, language), and the
 * full name composed from the parts when the row gave none. `customFields` is the
 * workspace's custom fields in a fixed order (customFieldOrder), so the custom JSON is
 * built without sorting keys per row.
 */
export function packRow(into: PackedRows, row: ImportRow, runDefaults: Readonly<Record<string, FieldValue>>, customFields: readonly CustomField[], emailCell?: string): void {
  const { fields, defaults } = row;
  const parts = PARTS;
  let mask = 0;
  let unsafe = false;
  for (let index = 0; index < LEAD_COLUMNS.length; index++) {
    const column = LEAD_COLUMNS[index]!;
    let value = fields[column];
    if (value !== undefined) mask |= 1 << index;
    else value = runDefaults[column] ?? defaults[column];
    let text = value === undefined ? '' : typeof value === 'string' ? value : String(value);
    if (text === '' && index === FULL_NAME) text = composeFullName(fields) ?? '';
    if (text.includes(SEPARATOR)) unsafe = true;
    parts[HEAD + index] = text;
  }
  let custom = '{';
  for (const field of customFields) {
    const value = fields[field.name];
    if (value !== undefined) custom += `${custom.length > 1 ? ',' : ''}${field.key}${JSON.stringify(value)}`;
  }
  parts[CUSTOM] = `${custom}}`;
  const cell = emailCell === undefined || emailCell === row.email ? '' : emailCell;
  if (cell.includes(SEPARATOR)) unsafe = true;
  parts[0] = String(row.line);
  parts[1] = row.doNotContact ? '1' : '0';
  parts[2] = String(mask);
  parts[3] = row.cells ? JSON.stringify(row.cells) : '';
  parts[EMAIL_CELL] = cell;
  // join makes one flat string; concatenation would keep dozens of pieces alive until the
  // batch is sent, which the reading thread's small heap then copies and promotes.
  const rest = unsafe ? ESCAPED + JSON.stringify(parts) : parts.join(SEPARATOR);
  into.emails.push(row.email);
  into.rests.push(rest);
  into.lastLine = row.line;
  into.count++;
  into.chars += row.email.length + rest.length;
}

/** The fields of the row being packed (one array for all rows: packing allocates only the row's string). */
const PARTS: string[] = new Array<string>(CUSTOM + 1).fill('');

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
  private readonly params: (string | number | null)[] = new Array<string | number | null>(LEAD_COLUMNS.length + 4).fill(null);
  /** The fields of the row read last: a row is split once however many of its values are read. */
  private loaded = -1;
  private fields: string[] = [];

  constructor(readonly packed: PackedRows) {}

  private load(index: number): string[] {
    if (index !== this.loaded) {
      const rest = this.packed.rests[index]!;
      this.fields = rest.startsWith(ESCAPED) ? (JSON.parse(rest.slice(ESCAPED.length)) as string[]) : rest.split(SEPARATOR);
      this.loaded = index;
    }
    return this.fields;
  }

  line(index: number): number {
    return Number(this.load(index)[0]);
  }

  email(index: number): string {
    return this.packed.emails[index]!;
  }

  /** The email cell as the file has it (a refused row is shown as written). */
  emailCell(index: number): string {
    return this.load(index)[EMAIL_CELL] || this.email(index);
  }

  doNotContact(index: number): boolean {
    return this.load(index)[1] === '1';
  }

  /** The insert's parameters (`at` the lead's created and updated time), in an array that the next call overwrites. */
  insertParams(index: number, at: string): readonly (string | number | null)[] {
    const fields = this.load(index);
    const params = this.params;
    params[0] = this.packed.emails[index]!;
    for (let column = 0; column < LEAD_COLUMNS.length; column++) params[column + 1] = fields[HEAD + column] || null;
    params[LEAD_COLUMNS.length + 1] = fields[CUSTOM]!;
    params[LEAD_COLUMNS.length + 2] = at;
    params[LEAD_COLUMNS.length + 3] = at;
    return params;
  }

  /**
   * The row as the reading side had it, for the rarer paths (an existing lead to merge, a
   * refusal to report): its own fields, and its defaults (the columns it did not give,
   * except the composed full name and the run's defaults, which the writer knows).
   */
  row(index: number, runDefaults: Readonly<Record<string, FieldValue>>): ImportRow {
    const values = this.load(index);
    const mask = Number(values[2]);
    const fields: Record<string, FieldValue> = {};
    const defaults: Record<string, FieldValue> = {};
    for (let column = 0; column < LEAD_COLUMNS.length; column++) {
      const value = values[HEAD + column];
      if (!value) continue;
      const name = LEAD_COLUMNS[column]!;
      if (mask & (1 << column)) fields[name] = value;
      else if (column !== FULL_NAME && runDefaults[name] === undefined) defaults[name] = value;
    }
    Object.assign(fields, JSON.parse(values[CUSTOM]!) as Record<string, FieldValue>);
    const cells = values[3];
    return {
      line: Number(values[0]),
      doNotContact: values[1] === '1',
      fields,
      defaults,
      email: this.packed.emails[index]!,
      ...(cells ? { cells: JSON.parse(cells) as string[] } : {}),
    };
  }
}
