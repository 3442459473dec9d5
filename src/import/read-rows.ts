import { CadenceError } from '../errors.js';
import { leadFields } from '../workspace/lead-fields.js';
import type { WorkspaceConfig } from '../workspace/types.js';
import type { FieldValue } from './cell.js';
import { createRowConverter } from './convert.js';
import type { CsvEncoding } from './csv/decode.js';
import { isCsvError, type CsvRecord } from './csv/parser.js';
import { openCsv } from './csv/read.js';
import { mapHeaders, type HeaderPlan } from './headers.js';
import { duplicateInFile, type RowProblem } from './refusals.js';
import { customFieldOrder, emptyPack, packRow, type PackedRows } from './packed-rows.js';
import { SeenAddresses } from './seen-addresses.js';
import type { ImportRow } from './write-batch.js';

/** A read batch is sent on once it holds this much text, however few its rows. */
const MAX_READ_BATCH_CHARS = 500_000;

/** What reading needs: the file, how to read it, and the parts of cadence.yaml that convert rows. */
export interface ReadRowsOptions {
  file: string;
  encoding: CsvEncoding | 'auto';
  delimiter?: string;
  map: Record<string, string>;
  config: Pick<WorkspaceConfig, 'timezone' | 'language' | 'lead_fields' | 'statuses' | 'reps'>;
  /** `--owner`, `--source`: fill-ins for new leads. */
  runDefaults: Record<string, FieldValue>;
  /** Keep each row's cells, for --errors-out. */
  keepCells: boolean;
  /** Rows per yielded batch. */
  batchRows?: number;
  /**
   * Refuse a later row for an address here, remembering every address read (~16 bytes a
   * row). A writing import leaves this to the store instead (write-batch.ts), so its
   * memory does not grow with the file; a dry run and --strict's checking pass write
   * nothing, so they need it here.
   */
  checkDuplicates: boolean;
}

/** One step of reading: converted rows, refused rows and warnings, and how far the file is read. */
export interface RowBatch {
  kind: 'rows';
  rows: PackedRows;
  refused: { problems: RowProblem[]; cells: readonly string[] | undefined }[];
  warnings: RowProblem[];
  bytesRead: number;
  totalBytes: number;
  /** Data rows seen so far (blank rows are not counted). */
  rowsRead: number;
  /** The encoding the file is read in (with auto, decided by the first non-ASCII bytes). */
  encoding: CsvEncoding;
}

/** The header row, before any rows: the columns that map to no field are reported. */
export interface HeaderRead {
  kind: 'header';
  header: string[];
  unmapped: string[];
  /** The header of the email column, to name it in a refusal. */
  emailColumn: string;
}

export type ReadEvent = HeaderRead | RowBatch;

/**
 * Reads and converts a leads CSV, with no store: the part of an import that can run on
 * another core. The header comes first (a problem with it stops everything); then
 * batches of converted rows, each refused row with its physical line. Within the file the
 * first row for an address counts: a later one is refused (IMPORT_DUPLICATE_IN_FILE), so
 * that importing the file again changes nothing.
 */
export async function* readImportRows(options: ReadRowsOptions): AsyncGenerator<ReadEvent> {
  const source = await openCsv(options.file, { encoding: options.encoding, ...(options.delimiter ? { delimiter: options.delimiter } : {}) });
  const { config } = options;
  const statuses = config.statuses ? new Set(config.statuses) : undefined;
  const reps = config.reps?.length ? new Set(config.reps.map((rep) => rep.name)) : undefined;
  const batchRows = options.batchRows ?? 1000;
  const customFields = customFieldOrder(Object.keys(config.lead_fields ?? {}));
  let header: { cells: string[]; convert: ReturnType<typeof createRowConverter>; email: { index: number; header: string } } | undefined;
  let batch = emptyBatch();
  let rowsRead = 0;
  const seen = options.checkDuplicates ? new SeenAddresses() : undefined;
  const progress = (bytesRead: number): RowBatch => ({ ...batch, bytesRead, totalBytes: source.totalBytes, rowsRead, encoding: source.encoding() });
  try {
    for await (const items of source.items) {
      const replaced = source.replaced();
      for (const item of items) {
        if (isCsvError(item)) {
          // Its cells are unknown: --errors-out gets the line as written, in the first cell.
          batch.refused.push({ problems: [csvProblem(item.error, header?.cells)], cells: options.keepCells ? [item.error.raw] : undefined });
        } else if (!header) {
          if (replaced) checkHeaderBytes(item.fields, options.file, source.encoding());
          const plan = planHeader(item, options);
          const email = plan.columns.find((column) => column.field === 'email')!;
          header = { cells: item.fields, convert: createRowConverter(plan.columns, { timezone: config.timezone, ...(config.language ? { language: config.language } : {}) }), email };
          yield { kind: 'header', header: item.fields, unmapped: plan.unmapped.map((column) => column.header), emailColumn: email.header };
        } else if (!item.fields.every((cell) => cell.trim() === '')) {
          rowsRead++;
          const outcome = (replaced ? badBytes(item, header.cells, source.encoding()) : undefined) ?? toRow(item, header.cells, header.convert, statuses, reps, options);
          if ('problems' in outcome) batch.refused.push({ problems: outcome.problems, cells: options.keepCells ? item.fields : undefined });
          else {
            const first = seen?.firstLine(outcome.row.email, item.line) ?? 0;
            if (first !== 0) batch.refused.push({ problems: [duplicateInFile({ line: item.line, column: header.email.header, value: item.fields[header.email.index] ?? outcome.row.email }, outcome.row.email, first)], cells: options.keepCells ? item.fields : undefined });
            else {
              packRow(batch.rows, outcome.row, options.runDefaults, customFields, item.fields[header.email.index]);
              for (const warning of outcome.warnings) batch.warnings.push(warning);
            }
          }
        }
        // Sent on in small batches, not a whole read chunk's rows at once: what is in
        // flight between the threads (serialized, then cloned) stays a few MB.
        if (batch.rows.count + batch.refused.length >= batchRows || batch.rows.chars >= MAX_READ_BATCH_CHARS) {
          yield progress(source.bytesRead());
          batch = emptyBatch();
        }
      }
    }
    if (!header) {
      throw new CadenceError('IMPORT_EMPTY', `${options.file} has no header row`, { hint: 'the first line of the file must name the columns, such as email,first_name,last_name,company' });
    }
    yield progress(source.totalBytes);
  } finally {
    source.close();
    seen?.close();
  }
}

function emptyBatch(): RowBatch {
  return { kind: 'rows', rows: emptyPack(), refused: [], warnings: [], bytesRead: 0, totalBytes: 0, rowsRead: 0, encoding: 'utf-8' };
}

/** The text has U+FFFD only where the decoder met bytes that are not valid in the encoding. */
const REPLACEMENT = '\uFFFD';

function encodingAdvice(encoding: CsvEncoding): { name: string; hint: string } {
  return encoding === 'utf-8'
    ? { name: 'UTF-8', hint: 'if the file is Shift_JIS (as Japanese Excel saves CSV), import it with --encoding shift_jis; else save it as "CSV UTF-8"' }
    : { name: 'Shift_JIS (CP932)', hint: 'if the file is UTF-8, import it with --encoding utf-8' };
}

/** A header that did not decode means the whole file is being read in the wrong encoding. */
function checkHeaderBytes(cells: readonly string[], file: string, encoding: CsvEncoding): void {
  if (!cells.some((cell) => cell.includes(REPLACEMENT))) return;
  const { name } = encodingAdvice(encoding);
  throw new CadenceError('IMPORT_ENCODING_MISMATCH', `${file}: the header row has bytes that are not valid ${name} (read as ${REPLACEMENT})`, {
    hint: encoding === 'utf-8' ? 'try --encoding shift_jis (what Japanese Excel writes), or save the file as "CSV UTF-8"' : 'try --encoding utf-8',
  });
}

/** A row with undecodable bytes is refused, not stored with U+FFFD in place of its text. */
function badBytes(record: CsvRecord, headers: readonly string[], encoding: CsvEncoding): { problems: RowProblem[] } | undefined {
  let problems: RowProblem[] | undefined;
  for (let index = 0; index < record.fields.length; index++) {
    const cell = record.fields[index]!;
    if (cell.indexOf(REPLACEMENT) === -1) continue;
    const { name, hint } = encodingAdvice(encoding);
    (problems ??= []).push({
      line: record.line,
      column: headers[index] ?? `(column ${index + 1})`,
      value: cell,
      code: 'IMPORT_BAD_BYTES',
      message: `the cell has bytes that are not valid ${name} (read as ${REPLACEMENT}): ${hint}`,
    });
  }
  return problems && { problems };
}

function csvProblem(error: { line: number; column: number; raw: string; code: string; message: string }, header: readonly string[] | undefined): RowProblem {
  return { line: error.line, column: header?.[error.column - 1] ?? `column ${error.column}`, value: error.raw, code: error.code, message: error.message };
}

function planHeader(record: CsvRecord, options: ReadRowsOptions): HeaderPlan {
  const plan = mapHeaders(record.fields, { map: options.map, fields: leadFields(options.config as WorkspaceConfig) });
  if (plan.problems.length > 0) {
    const usage = plan.problems.every((problem) => problem.code.startsWith('IMPORT_MAP_'));
    throw new CadenceError(plan.problems[0]!.code, `${options.file}: ${plan.problems.length === 1 ? plan.problems[0]!.message : `${plan.problems.length} problems with the header row`}`, {
      details: plan.problems.length === 1 ? [] : plan.problems.map((problem) => `${problem.code}  ${problem.message}`),
      ...(plan.problems[0]!.hint ? { hint: plan.problems[0]!.hint } : {}),
      exitCode: usage ? 2 : 1,
    });
  }
  return plan;
}

type RowOutcome = { row: ImportRow; warnings: RowProblem[] } | { problems: RowProblem[] };

function toRow(
  record: CsvRecord,
  headers: readonly string[],
  convert: ReturnType<typeof createRowConverter>,
  statuses: Set<string> | undefined,
  reps: Set<string> | undefined,
  options: ReadRowsOptions,
): RowOutcome {
  const line = record.line;
  if (record.fields.length > headers.length && record.fields.slice(headers.length).some((cell) => cell.trim() !== '')) {
    return {
      problems: [{ line, column: `(column ${headers.length + 1})`, value: record.fields.slice(headers.length).join(','), code: 'IMPORT_EXTRA_CELLS', message: `the row has ${record.fields.length} cells but the header has ${headers.length} (an unquoted comma in a value?)` }],
    };
  }
  const result = convert(record.fields);
  if (!result.ok) return { problems: result.errors.map((error) => ({ line, ...error })) };
  const { lead } = result;
  const problems: RowProblem[] = [];
  if (statuses && lead.fields.status !== undefined && !statuses.has(String(lead.fields.status))) {
    problems.push({ line, column: 'status', value: String(lead.fields.status), code: 'IMPORT_BAD_STATUS', message: `"${String(lead.fields.status)}" is not one of the statuses in cadence.yaml (${[...statuses].join(', ')})` });
  }
  if (reps && lead.fields.owner !== undefined && !reps.has(String(lead.fields.owner))) {
    problems.push({ line, column: 'owner', value: String(lead.fields.owner), code: 'IMPORT_UNKNOWN_OWNER', message: `"${String(lead.fields.owner)}" is not one of the reps in cadence.yaml (${[...reps].join(', ')})` });
  }
  if (problems.length > 0) return { problems };
  const row: ImportRow = {
    line,
    email: lead.email,
    fields: lead.fields,
    defaults: lead.defaults as unknown as Record<string, FieldValue>,
    doNotContact: lead.doNotContact,
    ...(options.keepCells ? { cells: record.fields } : {}),
  };
  return { row, warnings: result.warnings.length === 0 ? [] : result.warnings.map((warning) => ({ line, ...warning })) };
}
