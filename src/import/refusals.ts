import { accessSync, closeSync, constants, openSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { CadenceError } from '../errors.js';
import { csvLine } from '../leads/export.js';
import { quote } from './cell.js';

/** A refused row's problem, as `--json` and the screen show it. */
export interface RowProblem {
  /** The physical line in the file where the row starts. */
  line: number;
  /** The CSV header of the cell (or a description of where). */
  column: string;
  value: string;
  code: string;
  message: string;
}

/** How many problems are kept in memory for the report; --errors-out gets every one. */
const KEEP = 10_000;

/**
 * The refused rows of an import: kept for the report up to a bound, and written in full to
 * `--errors-out` as CSV — the row's own cells with its line and reasons after them, so the
 * file can be fixed and imported again as it is. A row the CSV parser could not split has
 * its line as written in the first cell. The file is UTF-8 with a byte-order mark, which
 * is how Excel (Japanese Excel included) knows to read it as UTF-8.
 */
export class RefusalLog {
  private problems: RowProblem[] = [];
  private truncated = false;
  private fd: number | undefined;
  private header: readonly string[] | undefined;
  private headerWritten = false;

  /** With a path, the file is created (emptied) at once, so no stale file from an earlier run remains. */
  constructor(path: string | undefined) {
    if (path === undefined) return;
    try {
      this.fd = openSync(path, 'w');
    } catch (error) {
      throw errorsOutUnwritable(path, error);
    }
    writeSync(this.fd, '\uFEFF');
  }

  setHeader(cells: readonly string[]): void {
    this.header = cells;
    if (this.fd !== undefined && !this.headerWritten) {
      writeSync(this.fd, csvLine([...cells, 'line', 'error_code', 'error']));
      this.headerWritten = true;
    }
  }

  /** One refused row: its problems (at least one) and its cells when it had any. */
  add(problems: readonly RowProblem[], cells: readonly string[] | undefined): void {
    // The lowest lines are kept: the store's refusals arrive a window late (and within it
    // in address order), after the reader's refusals of later lines.
    for (const problem of problems) this.problems.push(problem);
    if (this.problems.length >= 2 * KEEP) this.trim();
    if (this.fd === undefined) return;
    if (!this.headerWritten) {
      writeSync(this.fd, csvLine([...(this.header ?? []), 'line', 'error_code', 'error']));
      this.headerWritten = true;
    }
    const width = this.header?.length ?? 0;
    const shown = width > 0 ? cells : undefined;
    const row = Array.from({ length: width }, (_, index) => shown?.[index] ?? '');
    const reasons = problems.map((problem) => (shown ? `${problem.column}: ${problem.message}` : `${problem.message}: ${problem.value}`)).join('; ');
    writeSync(this.fd, csvLine([...row, problems[0]!.line, problems.map((problem) => problem.code).join(' '), reasons]));
  }

  /** Forgets what --strict's checking pass found, before the writing pass. */
  reset(): void {
    this.problems = [];
    this.truncated = false;
  }

  /**
   * The refused rows kept, by line: the store refuses some rows (a repeated address, an
   * erased person) after the reader has refused rows further on.
   */
  report(): { errors: RowProblem[]; errorsTruncated: boolean } {
    this.trim();
    return { errors: [...this.problems], errorsTruncated: this.truncated };
  }

  /** Sorts the kept problems by line and keeps the first KEEP. */
  private trim(): void {
    this.problems.sort((a, b) => a.line - b.line);
    if (this.problems.length > KEEP) {
      this.problems.length = KEEP;
      this.truncated = true;
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * Whether `--errors-out PATH` can be written, checked before importing (opening it would
 * create it): IMPORT_ERRORS_OUT_UNWRITABLE, a usage error, when it names a directory, a
 * file in a folder that does not exist or cannot be written, or the file being imported
 * (which it would empty).
 */
export function checkErrorsOut(path: string, imported: string): void {
  const target = statIfAny(path);
  if (target?.isDirectory()) throw errorsOutUnwritable(path, Object.assign(new Error('is a directory'), { code: 'EISDIR' }));
  const source = statIfAny(imported);
  if (path === imported || (target && source && target.ino === source.ino && target.dev === source.dev)) {
    throw errorsOutUnwritable(path, new Error('it is the file being imported, which it would empty'));
  }
  if (!target) {
    const folder = statIfAny(dirname(path));
    if (!folder) throw errorsOutUnwritable(path, Object.assign(new Error('no such folder'), { code: 'ENOENT' }));
    if (!folder.isDirectory()) throw errorsOutUnwritable(path, Object.assign(new Error('not a folder'), { code: 'ENOTDIR' }));
  }
  try {
    accessSync(target ? path : dirname(path), constants.W_OK);
  } catch (error) {
    throw errorsOutUnwritable(path, error);
  }
}

function statIfAny(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function errorsOutUnwritable(path: string, cause: unknown): CadenceError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const reason =
    code === 'EISDIR'
      ? 'it is a directory'
      : code === 'ENOENT' || code === 'ENOTDIR'
        ? `the folder ${dirname(path)} does not exist`
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : cause instanceof Error
            ? cause.message
            : String(cause);
  return new CadenceError('IMPORT_ERRORS_OUT_UNWRITABLE', `--errors-out ${path}: cannot write there: ${reason}`, {
    hint: 'give the path of a CSV file in a folder that exists, for example --errors-out refused.csv',
    exitCode: 2,
    cause,
  });
}

/** A later row for an address already on an earlier line of the file. */
export function duplicateInFile(cell: { line: number; column: string; value: string }, email: string, firstLine: number): RowProblem {
  return {
    ...cell,
    code: 'IMPORT_DUPLICATE_IN_FILE',
    message: `${quote(email)} is already on line ${firstLine} of this file; the first row for an address counts (merge the rows, or import this one on its own)`,
  };
}
