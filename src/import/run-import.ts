import { statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { CadenceError } from '../errors.js';
import type { Store } from '../store/database.js';
import { appendEvent } from '../store/events.js';
import { finishImportRun, startImportRun, staleImportRuns, type ImportCounts } from '../store/import-runs.js';
import { erasureKey } from '../store/meta.js';
import { erasedHashes, erasureHash, suppressionKinds } from '../store/suppressions.js';
import { waitingMarker, yieldToWaitingWriters } from '../store/write-turns.js';
import type { WorkspaceConfig } from '../workspace/types.js';
import type { FieldValue } from './cell.js';
import type { CsvEncoding } from './csv/decode.js';
import { unreadable } from './csv/read.js';
import type { ReadRowsOptions, RowBatch } from './read-rows.js';
import { AddressWindow } from './address-window.js';
import { PackedReader, type PackedRows } from './packed-rows.js';
import { duplicateInFile, RefusalLog, type RowProblem } from './refusals.js';
import { importRowStream } from './row-stream.js';
import { LeadLines, writeImportBatch, type ImportRow } from './write-batch.js';

export interface ImportOptions {
  file: string;
  map: Record<string, string>;
  encoding: CsvEncoding | 'auto';
  delimiter?: string;
  /** Owner and source for new leads, and for stored leads that have none. */
  owner?: string;
  source?: string;
  onConflict: 'update' | 'skip';
  strict: boolean;
  dryRun: boolean;
  /** Where to write every refused row as CSV (its cells, line and reason). */
  errorsOut?: string;
}

export interface ImportEnvironment {
  now: Date;
  actor: string;
  pid: number;
  isAlive: (pid: number, since?: string) => boolean;
  onProgress?: (progress: { bytesRead: number; totalBytes: number; rows: number }) => void;
}

export interface ImportReport extends ImportCounts {
  runId: number | undefined;
  encoding: CsvEncoding;
  /** `--strict` found refused rows: nothing was written. */
  aborted: boolean;
  dryRun: boolean;
  errors: RowProblem[];
  /** More refused rows than `errors` holds (all are in --errors-out). */
  errorsTruncated: boolean;
  warnings: RowProblem[];
  unmapped: string[];
  /** Earlier imports that were killed, found and marked as interrupted by this one. */
  interrupted: number[];
  /** Write transactions, and the longest one: how long a concurrent tick could have waited. */
  batches: number;
  longestBatchMs: number;
}

/** SQLite's page cache while importing, in KiB: counted in the import's memory. */
const IMPORT_CACHE_KB = 4_096;
/** Batches aim at this long a write transaction, so a tick is never kept waiting long. */
const TARGET_BATCH_MS = 150;
/** And never more rows than this in one, */
const MAX_BATCH_ROWS = 20_000;
/** nor more text (rows with long notes take longer to write than the last batch's rows did). */
const MAX_BATCH_CHARS = 4_000_000;
/**
 * Rows put in address order together (AddressWindow): 50,000-row windows took 7.6 s of
 * the store's work for 1M rows where file order took 12.9 s; the writing thread holds
 * about one window, so it is bounded in text too (rows with long values).
 */
export const WINDOW_ROWS = 48_000;
const WINDOW_CHARS = 12_000_000;
const MAX_WARNINGS = 1000;
/**
 * Rows written between checkpoints while importing (the write-ahead log then holds up to
 * ~110 MB). Each checkpoint syncs the files: one every 100,000 rows took ~0.4 s less of a
 * 1M-row import than one every 40,000, and ~2 s less than SQLite's every 1,000 pages. The
 * import checkpoints itself, after a batch has committed, so no write transaction is made
 * longer by one (and a checkpoint does not keep another writer waiting); the log is
 * emptied when the import ends.
 */
const CHECKPOINT_ROWS = 100_000;

/**
 * Imports a CSV file of leads: streams it (memory does not grow with the file), converts
 * each row on a second thread, and writes batches in short transactions. Refused rows are
 * collected with their physical line and never stop the others, unless `strict`: then the
 * whole file is checked first and nothing is written when any row is refused.
 */
export async function importLeads(store: Store, config: WorkspaceConfig, options: ImportOptions, env: ImportEnvironment): Promise<ImportReport> {
  const at = env.now.toISOString();
  checkOwner(config, options.owner);
  const refusals = new RefusalLog(options.errorsOut);
  // A larger page cache keeps more of the email index in memory between batches (random
  // addresses touch pages all over it; the OS page cache holds the rest), and a longer
  // write-ahead log between checkpoints (CHECKPOINT_ROWS, run by the BatchWriter) lets
  // many batches' copies of the same index page reach the database file as one write.
  store.db.pragma(`cache_size = -${IMPORT_CACHE_KB}`);
  store.db.pragma('wal_autocheckpoint = 0');
  try {
    if (options.strict) {
      const check = await readAll(store, config, options, refusals, env, undefined);
      if (check.counts.refused > 0) return report(check, refusals, { runId: undefined, aborted: true, dryRun: options.dryRun, interrupted: [] });
      refusals.reset();
    }
    const interrupted = options.dryRun ? [] : markInterrupted(store, at, env);
    const runId = options.dryRun
      ? 0
      : startImportRun(store.db, { file: options.file, fileSize: fileSize(options.file), encoding: options.encoding, options: describeOptions(options), at, actor: env.actor, pid: env.pid, dryRun: false });
    let result: PassResult;
    try {
      result = await readAll(store, config, options, refusals, env, { runId, at });
    } catch (error) {
      // Left 'running', the next import would report this run as killed and "completed" by it.
      if (!options.dryRun) finishImportRun(store.db, runId, 'failed', at);
      throw error;
    }
    if (!options.dryRun) {
      store.db.transaction(() => {
        finishImportRun(store.db, runId, 'done', at, result.counts);
        appendEvent(store.db, { type: 'import.finished', at, actor: env.actor, data: { import: runId, ...result.counts } });
      }).immediate();
    }
    return report(result, refusals, { runId: options.dryRun ? undefined : runId, aborted: false, dryRun: options.dryRun, interrupted });
  } finally {
    refusals.close();
    store.db.pragma('wal_autocheckpoint = 1000');
    truncateLog(store);
  }
}

interface PassResult {
  counts: ImportCounts;
  encoding: CsvEncoding;
  warnings: RowProblem[];
  unmapped: string[];
  batches: number;
  longestBatchMs: number;
}

function report(pass: PassResult, refusals: RefusalLog, rest: Pick<ImportReport, 'runId' | 'aborted' | 'dryRun' | 'interrupted'>): ImportReport {
  return { ...pass.counts, encoding: pass.encoding, warnings: pass.warnings, unmapped: pass.unmapped, batches: pass.batches, longestBatchMs: pass.longestBatchMs, ...refusals.report(), ...rest };
}

/**
 * One pass over the file. With `write` it stores batches; without, it only converts and
 * checks (the first pass of --strict), erasures included.
 */
async function readAll(store: Store, config: WorkspaceConfig, options: ImportOptions, refusals: RefusalLog, env: ImportEnvironment, write: { runId: number; at: string } | undefined): Promise<PassResult> {
  const runDefaults: Record<string, FieldValue> = {};
  if (options.owner) runDefaults.owner = options.owner;
  if (options.source) runDefaults.source = options.source;
  const readOptions: ReadRowsOptions = {
    file: options.file,
    encoding: options.encoding,
    ...(options.delimiter ? { delimiter: options.delimiter } : {}),
    map: options.map,
    config: { timezone: config.timezone, ...(config.language ? { language: config.language } : {}), ...(config.lead_fields ? { lead_fields: config.lead_fields } : {}), ...(config.statuses ? { statuses: config.statuses } : {}), ...(config.reps ? { reps: config.reps } : {}) },
    runDefaults,
    keepCells: options.errorsOut !== undefined,
    checkDuplicates: !write || options.dryRun,
  };
  const counts: ImportCounts = { inserted: 0, updated: 0, unchanged: 0, refused: 0 };
  const warnings: RowProblem[] = [];
  const writer = write ? new BatchWriter(store, options, runDefaults, write, env.actor) : undefined;
  const marker = waitingMarker(store.path);
  const erased = write ? undefined : erasureCheck(store);
  let unmapped: string[] = [];
  let encoding: CsvEncoding = 'utf-8';
  let lastProgress = 0;
  /** Writes the batches that are due, giving way between them to a writer that waits. */
  const writeDue = async (ended: boolean): Promise<void> => {
    while (writer?.due(ended)) {
      writer.writeBatch(counts, refusals);
      await yieldToWaitingWriters(marker);
    }
  };
  for await (const event of importRowStream(readOptions)) {
    if (event.kind === 'header') {
      unmapped = event.unmapped;
      refusals.setHeader(event.header);
      writer?.setEmailColumn(event.emailColumn);
      continue;
    }
    encoding = event.encoding;
    refuse(event, counts, refusals);
    for (const warning of event.warnings) if (warnings.length < MAX_WARNINGS) warnings.push(warning);
    if (writer) {
      writer.add(event.rows);
      await writeDue(false);
    }
    else if (erased) {
      const reader = new PackedReader(event.rows);
      for (let index = 0; index < event.rows.count; index++) if (erased(reader.email(index))) refuseErased(reader.row(index, runDefaults), counts, refusals);
    }
    if (env.onProgress && performance.now() - lastProgress > 200) {
      lastProgress = performance.now();
      env.onProgress({ bytesRead: event.bytesRead, totalBytes: event.totalBytes, rows: event.rowsRead });
    }
  }
  await writeDue(true);
  return { counts, encoding, warnings, unmapped, batches: writer?.batches ?? 0, longestBatchMs: Math.round(writer?.longestMs ?? 0) };
}

function refuse(batch: RowBatch, counts: ImportCounts, refusals: RefusalLog): void {
  for (const refused of batch.refused) {
    counts.refused++;
    refusals.add(refused.problems, refused.cells);
  }
}

function refuseErased(row: ImportRow, counts: ImportCounts, refusals: RefusalLog): void {
  counts.refused++;
  refusals.add([{ line: row.line, column: 'email', value: row.email, code: 'IMPORT_ERASED', message: 'this person was erased at their request; they cannot be imported again' }], row.cells);
}

/** For the checking pass of --strict: whether an address belongs to an erased person. */
function erasureCheck(store: Store): ((email: string) => boolean) | undefined {
  if (!suppressionKinds(store.db).has('hash')) return undefined;
  const hashes = erasedHashes(store.db);
  const key = erasureKey(store.db);
  return (email) => hashes.has(erasureHash(key, email));
}

/**
 * Collects rows into windows and writes each window in address order (AddressWindow), in
 * batches sized to about TARGET_BATCH_MS of writing each. A window is written while the
 * next one fills, at the pace it fills, so the writing never waits for a whole window to
 * be read, and the writing thread holds about one window and one batch of rows.
 */
class BatchWriter {
  private gathering: PackedRows[] = [];
  private gatheredRows = 0;
  private gatheredChars = 0;
  private window: AddressWindow | undefined;
  /** Every row up to this line is written: the last line of the last window written whole. */
  private writtenThrough = 0;
  private size = 2000;
  private rowsSinceCheckpoint = 0;
  private emailColumn = 'email';
  /** Which leads this import has met, for rows that repeat an address (a dry run's reader checks). */
  private readonly firstLines: LeadLines | undefined;
  batches = 0;
  longestMs = 0;
  private readonly checkErased: boolean;

  constructor(
    private readonly store: Store,
    private readonly options: ImportOptions,
    private readonly defaults: Record<string, FieldValue>,
    private readonly write: { runId: number; at: string },
    private readonly actor: string,
  ) {
    this.checkErased = suppressionKinds(store.db).has('hash');
    this.firstLines = options.dryRun ? undefined : new LeadLines();
  }

  setEmailColumn(header: string): void {
    this.emailColumn = header;
  }

  /** Takes a read batch into the window that is filling. */
  add(rows: PackedRows): void {
    if (rows.count === 0) return;
    this.gathering.push(rows);
    this.gatheredRows += rows.count;
    this.gatheredChars += rows.chars;
  }

  /**
   * Whether a batch is to be written now: the window being written keeps ahead of the one
   * filling (in proportion), and is done when that one is full; at the end of the file
   * (`ended`), whatever is left. When the window is done and the next is full (or the file
   * has ended), the next becomes the window: sorted here.
   */
  due(ended: boolean): boolean {
    const filled = Math.max(this.gatheredRows / WINDOW_ROWS, this.gatheredChars / WINDOW_CHARS);
    if (!this.window?.remaining) {
      if (this.gatheredRows === 0 || (filled < 1 && !ended)) return false;
      this.window = new AddressWindow(this.gathering);
      this.gathering = [];
      this.gatheredRows = 0;
      this.gatheredChars = 0;
      return true;
    }
    return ended || filled >= 1 || this.window.next < this.window.size * filled;
  }

  /** Writes the next batch of the window, in one transaction. */
  writeBatch(counts: ImportCounts, refusals: RefusalLog): void {
    const window = this.window!;
    const from = window.next;
    const end = Math.min(window.size, from + this.size);
    let to = from;
    for (let chars = 0; to < end && (to === from || chars < MAX_BATCH_CHARS); to++) chars += window.chars(to);
    const whole = to === window.size;
    const outcome = writeImportBatch(
      this.store.db,
      { readers: window.readers, chunks: window.chunks.subarray(from, to), indexes: window.indexes.subarray(from, to) },
      {
        runId: this.write.runId,
        at: this.write.at,
        actor: this.actor,
        onConflict: this.options.onConflict,
        defaults: this.defaults,
        checkErased: this.checkErased,
        dryRun: this.options.dryRun,
        writtenThrough: whole ? window.lastLine : this.writtenThrough,
        ...(this.firstLines ? { firstLines: this.firstLines } : {}),
      },
    );
    const elapsed = Math.max(1, outcome.heldMs);
    window.next = to;
    if (whole) {
      this.writtenThrough = window.lastLine;
      this.window = undefined;
    }
    this.rowsSinceCheckpoint += to - from;
    if (this.rowsSinceCheckpoint >= CHECKPOINT_ROWS && !this.options.dryRun) {
      this.store.db.pragma('wal_checkpoint(PASSIVE)');
      this.rowsSinceCheckpoint = 0;
    }
    this.batches++;
    this.longestMs = Math.max(this.longestMs, elapsed);
    this.size = nextBatchSize(this.size, to - from, elapsed);
    counts.inserted += outcome.counts.inserted;
    counts.updated += outcome.counts.updated;
    counts.unchanged += outcome.counts.unchanged;
    for (const row of outcome.erased) refuseErased(row, counts, refusals);
    for (const { row, emailCell, firstLine } of outcome.duplicates) {
      counts.refused++;
      refusals.add([duplicateInFile({ line: row.line, column: this.emailColumn, value: emailCell }, row.email, firstLine)], row.cells);
    }
  }
}

/**
 * The rows of the next batch, for about TARGET_BATCH_MS of writing: from the rows the last
 * batch had (the last of a window has fewer than were asked for: sized from the asking,
 * the batch after it took 380 ms) and at most twice the last size, as a short batch's time
 * says little of a long one's.
 */
export function nextBatchSize(size: number, rows: number, elapsedMs: number): number {
  return Math.round(Math.min(MAX_BATCH_ROWS, 2 * size, Math.max(200, (rows * TARGET_BATCH_MS) / Math.max(1, elapsedMs))));
}

function checkOwner(config: WorkspaceConfig, owner: string | undefined): void {
  if (owner === undefined || !config.reps?.length || config.reps.some((rep) => rep.name === owner)) return;
  throw new CadenceError('IMPORT_UNKNOWN_OWNER', `--owner "${owner}" is not one of the reps in cadence.yaml`, {
    hint: `reps: ${config.reps.map((rep) => rep.name).join(', ')}`,
    exitCode: 2,
  });
}

/**
 * Copies the write-ahead log into the store and empties it, so the import does not leave
 * a log of CHECKPOINT_ROWS rows behind. Does not wait: while another process
 * reads, the log is only copied (and reused from its start by later writes).
 */
function truncateLog(store: Store): void {
  const timeout = store.db.pragma('busy_timeout', { simple: true }) as number;
  store.db.pragma('busy_timeout = 0');
  try {
    store.db.pragma('wal_checkpoint(TRUNCATE)');
  } catch (error) {
    if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
    store.db.pragma('wal_checkpoint(PASSIVE)');
  } finally {
    store.db.pragma(`busy_timeout = ${timeout}`);
  }
}

/** Imports still marked running whose process is gone were killed: say so, once. */
function markInterrupted(store: Store, at: string, env: ImportEnvironment): number[] {
  return store.db.transaction(() => {
    const stale = staleImportRuns(store.db, env.isAlive);
    for (const run of stale) {
      finishImportRun(store.db, run.id, 'interrupted', at);
      appendEvent(store.db, { type: 'import.interrupted', at, actor: env.actor, data: { import: run.id, lastLine: run.lastLine } });
    }
    return stale.map((run) => run.id);
  }).immediate();
}

/** The file's size; IMPORT_UNREADABLE (not a raw ENOENT with a stack) when it cannot be read. */
function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch (error) {
    throw unreadable(path, error);
  }
}

function describeOptions(options: ImportOptions): Record<string, unknown> {
  const { file: _file, errorsOut: _errorsOut, ...rest } = options;
  return rest;
}
