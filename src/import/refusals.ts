import { closeSync, openSync, writeSync } from 'node:fs';
import { csvLine } from '../leads/export.js';

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
 * file can be fixed and imported again as it is.
 */
export class RefusalLog {
  private problems: RowProblem[] = [];
  private truncated = false;
  private fd: number | undefined;
  private header: readonly string[] | undefined;
  private headerWritten = false;

  /** With a path, the file is created (emptied) at once, so no stale file from an earlier run remains. */
  constructor(path: string | undefined) {
    if (path !== undefined) this.fd = openSync(path, 'w');
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
    for (const problem of problems) {
      if (this.problems.length < KEEP) this.problems.push(problem);
      else this.truncated = true;
    }
    if (this.fd === undefined) return;
    if (!this.headerWritten) {
      writeSync(this.fd, csvLine([...(this.header ?? []), 'line', 'error_code', 'error']));
      this.headerWritten = true;
    }
    const width = this.header?.length ?? 0;
    const row = Array.from({ length: width }, (_, index) => cells?.[index] ?? '');
    const reasons = problems.map((problem) => (cells ? `${problem.column}: ${problem.message}` : `${problem.message}: ${problem.value}`)).join('; ');
    writeSync(this.fd, csvLine([...row, problems[0]!.line, problems.map((problem) => problem.code).join(' '), reasons]));
  }

  /** Forgets what --strict's checking pass found, before the writing pass. */
  reset(): void {
    this.problems = [];
    this.truncated = false;
  }

  report(): { errors: RowProblem[]; errorsTruncated: boolean } {
    return { errors: this.problems, errorsTruncated: this.truncated };
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
