import { performance } from 'node:perf_hooks';
import type { Database } from 'better-sqlite3';
import { appendEvent, EventGroup } from '../store/events.js';
import { recordImportProgress, type ImportCounts } from '../store/import-runs.js';
import { findLeadByEmail, findLeadIdByEmail, insertPackedLeadIfNew, updateLeadFields, type FieldValue } from '../store/leads.js';
import type { PackedReader } from './packed-rows.js';
import { erasureKey } from '../store/meta.js';
import { addSuppression, erasedHashes, erasureHash } from '../store/suppressions.js';
import { composeFullName } from './full-name.js';

/** One converted CSV row, ready to store. `fields` holds only the cells that had a value. */
export interface ImportRow {
  line: number;
  email: string;
  fields: Record<string, FieldValue>;
  /** Fill-ins where the lead has no value (time zone from the phone, the workspace language). */
  defaults: Record<string, FieldValue>;
  doNotContact: boolean;
  /** The row as read, for --errors-out should the store refuse it (only kept with --errors-out). */
  cells?: readonly string[];
}

export interface BatchContext {
  runId: number;
  at: string;
  actor: string;
  onConflict: 'update' | 'skip';
  /** Defaults for new leads, and for stored leads with no value yet (`--owner`, `--source`). */
  defaults: Record<string, FieldValue>;
  /** Whether the store has erasure suppressions (then every row's hash is checked). */
  checkErased: boolean;
  /**
   * Dry run: the batch is written and rolled back. No memory of earlier batches is needed:
   * the reader lets only the first row for an address through.
   */
  dryRun: boolean;
  /**
   * The leads this import has written or matched so far, with the line that did: a later
   * row for one of them is refused as a duplicate in the file. Absent when the reader
   * checks duplicates itself (a dry run).
   */
  firstLines?: LeadLines;
  /** Every row of the file up to this line is written once this batch is (the run's progress). */
  writtenThrough: number;
}

/** The rows of one batch: row k is `readers[chunks[k]]`'s row `indexes[k]`. */
export interface BatchRows {
  readers: readonly PackedReader[];
  chunks: Uint32Array;
  indexes: Uint32Array;
}

export interface BatchOutcome {
  counts: ImportCounts;
  /** Rows refused by what only the store knows: a person erased at their request. */
  erased: ImportRow[];
  /** Rows for a lead an earlier row of the file already wrote or matched. */
  duplicates: { row: ImportRow; emailCell: string; firstLine: number }[];
  /** How long the transaction held the store's write lock (not counting the wait for it). */
  heldMs: number;
}

/**
 * The line of this import's row for each lead it has written or matched, by lead id: 4
 * bytes a lead in blocks of 65,536 ids, made as ids are met. The store's unique email
 * index finds the lead; this only remembers that the import has been there — so memory
 * grows with the leads touched, at a quarter of what remembering addresses costs, and
 * not at all with rows that are new (their ids are in a few blocks).
 */
export class LeadLines {
  private readonly blocks: (Uint32Array | undefined)[] = [];

  get(id: number): number {
    return this.blocks[Math.floor(id / BLOCK)]?.[id % BLOCK] ?? 0;
  }

  set(id: number, line: number): void {
    (this.blocks[Math.floor(id / BLOCK)] ??= new Uint32Array(BLOCK))[id % BLOCK] = line;
  }
}

const BLOCK = 65_536;

/**
 * Writes one batch of rows in one IMMEDIATE transaction (with its events and the run's
 * progress), so a killed import leaves whole batches only and a re-run completes it.
 * A dry run does the same work and rolls it back.
 */
export function writeImportBatch(db: Database, batch: BatchRows, context: BatchContext): BatchOutcome {
  const outcome: BatchOutcome = { counts: { inserted: 0, updated: 0, unchanged: 0, refused: 0 }, erased: [], duplicates: [], heldMs: 0 };
  let locked = 0;
  const work = db.transaction(() => {
    locked = performance.now();
    const hashes = context.checkErased ? erasedHashes(db) : undefined;
    const key = hashes ? erasureKey(db) : '';
    const imported = new EventGroup(db, 'lead.imported', context.at, context.actor);
    for (let k = 0; k < batch.chunks.length; k++) {
      const rows = batch.readers[batch.chunks[k]!]!;
      const index = batch.indexes[k]!;
      const email = rows.email(index);
      if (hashes?.has(erasureHash(key, email))) {
        outcome.erased.push(rows.row(index, context.defaults));
        outcome.counts.refused++;
        continue;
      }
      const result = writeRow(db, rows, index, context, imported);
      if (typeof result === 'number') {
        outcome.duplicates.push({ row: rows.row(index, context.defaults), emailCell: rows.emailCell(index), firstLine: result });
        outcome.counts.refused++;
        continue;
      }
      outcome.counts[result]++;
      if (rows.doNotContact(index) && addSuppression(db, { kind: 'address', value: email, reason: 'do_not_contact', at: context.at, actor: context.actor })) {
        imported.flush();
        appendEvent(db, { type: 'suppression.added', at: context.at, actor: context.actor, leadId: findLeadIdByEmail(db, email) ?? null, data: { kind: 'address', reason: 'do_not_contact', import: context.runId } });
      }
    }
    imported.flush();
    recordImportProgress(db, context.runId, outcome.counts, context.writtenThrough);
    if (context.dryRun) throw DRY_RUN;
  });
  try {
    work.immediate();
  } catch (error) {
    if (error !== DRY_RUN) throw error;
  }
  outcome.heldMs = performance.now() - locked;
  return outcome;
}

const DRY_RUN = Symbol('dry run: roll back');

/** What became of the row; a number is the earlier line of the file that had its lead. */
function writeRow(db: Database, rows: PackedReader, index: number, context: BatchContext, imported: EventGroup): 'inserted' | 'updated' | 'unchanged' | number {
  const { at, actor, runId, firstLines } = context;
  const line = rows.line(index);
  const id = insertPackedLeadIfNew(db, rows.insertParams(index, at));
  if (id !== undefined) {
    firstLines?.set(id, line);
    imported.add(id, `{"import":${runId},"line":${line}}`);
    return 'inserted';
  }
  if (context.onConflict === 'skip') return earlierLine(firstLines, () => findLeadIdByEmail(db, rows.email(index))!, line) ?? 'unchanged';
  const stored = findLeadByEmail(db, rows.email(index))!;
  const earlier = earlierLine(firstLines, () => stored.id, line);
  if (earlier !== undefined) return earlier;
  const row = rows.row(index, context.defaults);
  const merged = mergeFields(stored.fields, row.fields, context.defaults, row.defaults);
  if (!merged.changes) return 'unchanged';
  updateLeadFields(db, stored.id, merged.fields, Object.keys(merged.changes), at);
  imported.flush();
  appendEvent(db, { type: 'lead.updated', at, actor, leadId: stored.id, data: { import: runId, line: row.line, changes: merged.changes } });
  return 'updated';
}

/** The line of the file's earlier row for this lead; else the lead is this row's from now on. */
function earlierLine(firstLines: LeadLines | undefined, leadId: () => number, line: number): number | undefined {
  if (!firstLines) return undefined;
  const id = leadId();
  const earlier = firstLines.get(id);
  if (earlier !== 0) return earlier;
  firstLines.set(id, line);
  return undefined;
}

/**
 * Fills the stored fields from the row's non-empty cells (an empty cell never blanks a
 * stored value) and the defaults where nothing is stored; returns what changed.
 */
export function mergeFields(
  stored: Readonly<Record<string, FieldValue>>,
  incoming: Readonly<Record<string, FieldValue>>,
  ...defaults: Readonly<Record<string, FieldValue>>[]
): { fields: Record<string, FieldValue>; changes: Record<string, [FieldValue | null, FieldValue]> | undefined } {
  const fields: Record<string, FieldValue> = { ...stored };
  let changes: Record<string, [FieldValue | null, FieldValue]> | undefined;
  const apply = (key: string, value: FieldValue): void => {
    if (fields[key] === value) return;
    (changes ??= {})[key] = [fields[key] ?? null, value];
    fields[key] = value;
  };
  for (const key in incoming) apply(key, incoming[key]!);
  for (const fill of defaults) for (const key in fill) if (fields[key] === undefined) apply(key, fill[key]!);
  if (incoming.full_name === undefined && (incoming.first_name !== undefined || incoming.last_name !== undefined)) {
    const fullName = composeFullName(fields);
    if (fullName) apply('full_name', fullName);
  }
  return { fields, changes };
}
