import { didYouMean } from '../util/did-you-mean.js';
import { BUILTIN_LEAD_FIELDS } from '../workspace/lead-fields.js';
import type { LeadFieldDefinition } from '../workspace/types.js';
import type { CellConverter } from './cell.js';
import { converterFor, DO_NOT_CONTACT, FULL_NAME_KANA } from './cell-converters.js';
import { BUILTIN_HEADER_ALIASES } from './header-aliases.js';
import { headerKey } from './normalize-text.js';

/** One imported column: where it is, what it feeds, and its converter (built once per file). */
export interface ColumnPlan {
  /** 0-based position in each row. */
  index: number;
  /** The header cell as written, for messages. */
  header: string;
  /** A lead field (built-in or custom), or `do_not_contact` / `full_name_kana`. */
  field: string;
  /** Named by `--map`, or matched by field name, label or alias. */
  by: 'map' | 'alias';
  convert: CellConverter;
}

export interface HeaderProblem {
  code: 'IMPORT_MAP_UNKNOWN_FIELD' | 'IMPORT_MAP_UNKNOWN_COLUMN' | 'IMPORT_DUPLICATE_COLUMN' | 'IMPORT_NO_EMAIL_COLUMN';
  message: string;
  hint?: string;
  /** The 0-based columns concerned (none for an unknown --map column or a missing email column). */
  columns: number[];
}

export interface HeaderPlan {
  columns: ColumnPlan[];
  unmapped: { index: number; header: string }[];
  /** Any problem means the file cannot be imported as mapped. */
  problems: HeaderProblem[];
}

export interface HeaderOptions {
  /** `--map "CSV column=field"`: explicit, wins over matching. A field of `-` or `` skips the column. */
  map: Record<string, string>;
  /** Every lead field of the workspace, built-in and custom (`leadFields(config)`). */
  fields: Map<string, LeadFieldDefinition>;
}

const SKIP = new Set(['', '-']);

/**
 * Decides which column feeds which field, once per file. `--map` entries first; every
 * other column by its header (compared by `headerKey`), in this order of precedence: a
 * field's own name (built-in or custom), a custom field's `aliases`, the built-in aliases
 * (BUILTIN_HEADER_ALIASES), a custom field's `label`. A column matched by name or alias
 * loses to one named by `--map` for the same field, and is left unmapped. Collects every
 * problem, not just the first.
 */
export function mapHeaders(headers: readonly string[], options: HeaderOptions): HeaderPlan {
  const problems: HeaderProblem[] = [];
  const targets = targetKeys(options.fields);
  const explicit = new Map<number, string | null>();
  for (const [column, field] of Object.entries(options.map)) {
    const indexes = columnsNamed(headers, column);
    const target = SKIP.has(field.trim()) ? null : targets.get(headerKey(field));
    if (indexes.length === 0) problems.push(unknownColumn(column, field, headers));
    if (target === undefined) problems.push(unknownField(column, field, targets));
    for (const index of indexes) explicit.set(index, target ?? null);
  }
  const claimedByMap = new Set([...explicit.values()].filter((field) => field !== null));
  const aliases = aliasIndex(options.fields);
  const feeding: ColumnPlan[] = [];
  const unmapped: HeaderPlan['unmapped'] = [];
  headers.forEach((cell, index) => {
    const header = cell.startsWith('\uFEFF') ? cell.slice(1) : cell;
    const named = explicit.get(index);
    const matched = named === undefined ? aliases.get(headerKey(header)) : undefined;
    if (named) feeding.push(plan(index, header, named, 'map', options.fields));
    else if (matched !== undefined && !claimedByMap.has(matched)) feeding.push(plan(index, header, matched, 'alias', options.fields));
    else unmapped.push({ index, header });
  });
  problems.push(...duplicates(feeding, headers));
  if (!feeding.some((column) => column.field === 'email')) {
    problems.push({ code: 'IMPORT_NO_EMAIL_COLUMN', message: 'no column holds the email address (looked for Email, E-mail, Mail, メールアドレス, …)', hint: 'name the column that does: --map "YourColumn=email"', columns: [] });
  }
  // With a duplicate, the first column feeding a field stays in the plan, so it is consistent.
  const columns = feeding.filter((column, i) => feeding.findIndex((other) => other.field === column.field) === i);
  return { columns, unmapped, problems };
}

function plan(index: number, header: string, field: string, by: ColumnPlan['by'], fields: Map<string, LeadFieldDefinition>): ColumnPlan {
  return { index, header, field, by, convert: converterFor(field, fields.get(field)) };
}

/** What a --map value may name, by header key: every field and the two import-only targets. */
function targetKeys(fields: Map<string, LeadFieldDefinition>): Map<string, string> {
  const targets = new Map<string, string>();
  for (const name of [...fields.keys(), DO_NOT_CONTACT, FULL_NAME_KANA]) targets.set(headerKey(name), name);
  return targets;
}

function aliasIndex(fields: Map<string, LeadFieldDefinition>): Map<string, string> {
  const index = new Map<string, string>();
  const claim = (names: Iterable<string>, field: string): void => {
    for (const name of names) if (!index.has(headerKey(name))) index.set(headerKey(name), field);
  };
  const custom = [...fields].filter(([name]) => !Object.hasOwn(BUILTIN_LEAD_FIELDS, name));
  for (const name of [...fields.keys(), DO_NOT_CONTACT, FULL_NAME_KANA]) claim([name], name);
  for (const [name, definition] of custom) claim(definition.aliases ?? [], name);
  for (const [name, aliases] of Object.entries(BUILTIN_HEADER_ALIASES)) claim(aliases, name);
  for (const [name, definition] of custom) claim(definition.label === undefined ? [] : [definition.label], name);
  return index;
}

function columnsNamed(headers: readonly string[], column: string): number[] {
  const key = headerKey(column);
  const indexes: number[] = [];
  headers.forEach((header, index) => {
    if (key !== '' && headerKey(header) === key) indexes.push(index);
  });
  return indexes;
}

function unknownColumn(column: string, field: string, headers: readonly string[]): HeaderProblem {
  const named = headers.filter((header) => header.trim() !== '');
  const suggestion = didYouMean(column, named);
  return {
    code: 'IMPORT_MAP_UNKNOWN_COLUMN',
    message: `--map "${column}=${field}" names a column the file does not have`,
    hint: suggestion === undefined ? `the columns are: ${named.map((header) => `"${header}"`).join(', ')}` : `did you mean "${suggestion}"?`,
    columns: [],
  };
}

function unknownField(column: string, field: string, targets: Map<string, string>): HeaderProblem {
  const suggestion = didYouMean(field, targets.values());
  return {
    code: 'IMPORT_MAP_UNKNOWN_FIELD',
    message: `--map "${column}=${field}": there is no lead field "${field}"`,
    hint: suggestion === undefined ? 'declare custom fields under lead_fields: in cadence.yaml, or skip the column with --map "COLUMN=-"' : `did you mean "${suggestion}"?`,
    columns: [],
  };
}

/**
 * Fields fed by more than one column. The hint offers `--map` only for a column it can
 * name alone: --map matches headers as aliases do, so `--map "Email=-"` would skip every
 * column headed Email (or E-mail), not just one of them.
 */
function duplicates(columns: readonly ColumnPlan[], headers: readonly string[]): HeaderProblem[] {
  const byField = new Map<string, ColumnPlan[]>();
  for (const column of columns) byField.set(column.field, [...(byField.get(column.field) ?? []), column]);
  const keyCounts = new Map<string, number>();
  for (const header of headers) keyCounts.set(headerKey(header), (keyCounts.get(headerKey(header)) ?? 0) + 1);
  const problems: HeaderProblem[] = [];
  for (const [field, feeding] of byField) {
    if (feeding.length < 2) continue;
    const names = feeding.map((column) => `"${column.header}" (column ${column.index + 1})`);
    const sameName = feeding.filter((column) => keyCounts.get(headerKey(column.header))! > 1);
    const last = feeding.at(-1)!.header;
    problems.push({
      code: 'IMPORT_DUPLICATE_COLUMN',
      message: `${names.slice(0, -1).join(', ')} and ${names.at(-1)!} ${feeding.length === 2 ? 'both' : 'all'} feed ${field}`,
      hint:
        sameName.length === 0
          ? `keep one: --map "${last}=-" skips a column, --map "${last}=FIELD" sends it to another field`
          : `--map cannot tell columns ${sameName.slice(0, -1).map((column) => column.index + 1).join(', ')} and ${sameName.at(-1)!.index + 1} apart ("${sameName[0]!.header}=-" would skip ${sameName.length === 2 ? 'both' : 'all of them'}): rename or delete one in the file, then import again`,
      columns: feeding.map((column) => column.index),
    });
  }
  return problems;
}
