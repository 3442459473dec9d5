/** What a cell converter found wrong: becomes a RowError with the row's column and value. */
export class CellError {
  constructor(
    readonly code: string,
    readonly message: string,
  ) {}
}

export type FieldValue = string | number | boolean;

/**
 * Converts one raw CSV cell: the stored value, `undefined` for a blank cell ("no value
 * given"), or a CellError. Success allocates nothing beyond the value itself.
 * `zone` is the workspace's time zone, in which a date-time without an offset is read.
 */
export type CellConverter = (raw: string, zone: string) => FieldValue | undefined | CellError;

/** `"value"` as messages quote it: JSON quoting, so spaces and control characters show. */
export function quote(value: string): string {
  return JSON.stringify(value);
}
