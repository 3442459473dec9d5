import type { FieldValue } from './cell.js';
import type { ImportRow } from './write-batch.js';

/**
 * Converted rows packed flat for the trip from the reading thread to the writing one:
 * an array of primitives clones several times faster than objects, and the writer binds
 * an insert straight from a slice of it. Per row, in order: line, do-not-contact (0/1),
 * the row's own fields as JSON, its defaults as JSON, the cells as JSON (or null), then
 * exactly the insert's parameters: email, the lead columns, the custom JSON, and the
 * time twice (created_at, updated_at).
 */
export interface PackedRows {
  count: number;
  values: (string | number | null)[];
}

const HEAD = 5;

/** Values per row: the head plus the insert parameters. */
export function packedStride(columnCount: number): number {
  return HEAD + 1 + columnCount + 1 + 2;
}

export function packRow(into: PackedRows, row: ImportRow, at: string): void {
  const prepared = row.prepared!;
  into.values.push(row.line, row.doNotContact ? 1 : 0, JSON.stringify(row.fields), JSON.stringify(row.defaults), row.cells ? JSON.stringify(row.cells) : null, row.email);
  for (const column of prepared.columns) into.values.push(column);
  into.values.push(prepared.custom, at, at);
  into.count++;
}

/** Reads rows back; `insertParams` is the slice an insert binds. */
export class PackedReader {
  readonly stride: number;

  constructor(
    readonly packed: PackedRows,
    columnCount: number,
  ) {
    this.stride = packedStride(columnCount);
  }

  line(index: number): number {
    return this.packed.values[index * this.stride] as number;
  }

  email(index: number): string {
    return this.packed.values[index * this.stride + HEAD] as string;
  }

  doNotContact(index: number): boolean {
    return this.packed.values[index * this.stride + 1] === 1;
  }

  insertParams(index: number): (string | number | null)[] {
    const start = index * this.stride + HEAD;
    return this.packed.values.slice(start, start + this.stride - HEAD);
  }

  /** The full row, for the rarer paths: an existing lead to merge, a refusal to report. */
  row(index: number): ImportRow {
    const base = index * this.stride;
    const values = this.packed.values;
    const cells = values[base + 4];
    return {
      line: values[base] as number,
      doNotContact: values[base + 1] === 1,
      fields: JSON.parse(values[base + 2] as string) as Record<string, FieldValue>,
      defaults: JSON.parse(values[base + 3] as string) as Record<string, FieldValue>,
      ...(cells === null ? {} : { cells: JSON.parse(cells as string) as string[] }),
      email: values[base + HEAD] as string,
    };
  }
}
