import { asNumber, isoInstant, orderValues, textKey, toComparable, truthOf, valuesEqual } from './values.js';

/** The SQL functions that `conditionToSql` output calls; register them with {@link registerConditionFunctions}. */
export const SQL_FUNCTIONS = {
  /** `(value)` → the text `contains` and `starts with` compare (NFKC, lower case), NULL when empty. */
  nfkcLower: 'cadence_nfkc_lower',
  /** `(value, literal)` → 1 or 0, never NULL: the evaluator's equality. */
  equals: 'cadence_equals',
  /** `(value, literal)` → -1, 0 or 1; NULL when the value is empty or has no order against the literal. */
  compare: 'cadence_compare',
  /** `(value)` → 1 (true, 1, "true"), 0 (false, 0, "false") or NULL. */
  truth: 'cadence_truth',
} as const;

/** The part of a better-sqlite3 `Database` that registering functions needs. */
export interface SqlFunctionHost {
  function(name: string, options: { deterministic: boolean }, implementation: (...args: never[]) => unknown): unknown;
}

/**
 * Defines the functions that SQL from `conditionToSql` uses, on one connection. They are
 * deterministic and run the very code `evaluateCondition` runs, so a query and the
 * evaluator agree on numbers written as text, ISO dates, booleans and full-width text.
 */
export function registerConditionFunctions(db: SqlFunctionHost): void {
  const deterministic = { deterministic: true };
  db.function(SQL_FUNCTIONS.nfkcLower, deterministic, (value: unknown) => {
    const comparable = toComparable(value);
    return comparable === null ? null : textKey(comparable);
  });
  db.function(SQL_FUNCTIONS.equals, deterministic, (value: unknown, literal: string | number) => {
    const comparable = toComparable(value);
    return comparable !== null && valuesEqual(comparable, literal) ? 1 : 0;
  });
  db.function(SQL_FUNCTIONS.compare, deterministic, (value: unknown, literal: string | number) => {
    const comparable = toComparable(value);
    return comparable === null ? null : (orderValues(comparable, literal) ?? null);
  });
  db.function(SQL_FUNCTIONS.truth, deterministic, (value: unknown) => {
    const comparable = toComparable(value);
    const truth = comparable === null ? undefined : truthOf(comparable);
    return truth === undefined ? null : truth ? 1 : 0;
  });
}

/**
 * Text that equality compares exactly in every case (not numeric, not an ISO date), so
 * plain SQL `=` gives the evaluator's answer and an index on the column can be used.
 */
export function isPlainText(text: string): boolean {
  return text !== '' && asNumber(text) === undefined && isoInstant(text) === undefined;
}
