import type { ImportReport } from '../import/run-import.js';
import type { RowProblem } from '../import/refusals.js';
import { truncate } from '../util/width.js';
import type { Io } from './io.js';

const SHOWN = 20;

/** The import's outcome as text: counts, unmapped columns, the first refused rows, warnings. */
export function formatImportReport(file: string, report: ImportReport, errorsOut: string | undefined): string {
  const lines: string[] = [];
  const verb = report.aborted ? 'refused' : report.dryRun ? 'would import' : 'imported';
  lines.push(`${verb} ${file} (${report.encoding}): ${report.inserted} inserted, ${report.updated} updated, ${report.unchanged} unchanged, ${report.refused} refused${report.dryRun ? ' (dry run: nothing written)' : ''}`);
  if (report.aborted) lines.push(`--strict: ${report.refused} ${report.refused === 1 ? 'row was' : 'rows were'} refused, so nothing was written`);
  if (report.interrupted.length > 0) lines.push(`an earlier import (run ${report.interrupted.join(', ')}) had been interrupted; this run completed its rows`);
  if (report.unmapped.length > 0) lines.push(`columns not imported (no matching field; declare them in cadence.yaml lead_fields or --map them): ${report.unmapped.join(', ')}`);
  if (report.errors.length > 0) {
    const rows = new Set(report.errors.map((error) => error.line)).size;
    lines.push('', `refused rows${rows > SHOWN ? ` (first ${SHOWN} of ${report.refused})` : ''}${errorsOut ? `; every one is in ${errorsOut}` : rows > SHOWN ? '; --errors-out FILE writes every one' : ''}:`);
    lines.push(...problemLines(report.errors));
  }
  if (report.warnings.length > 0) {
    lines.push('', `warnings (the rows were imported):`);
    lines.push(...problemLines(report.warnings));
  }
  return `${lines.join('\n')}\n`;
}

function problemLines(problems: readonly RowProblem[]): string[] {
  const out: string[] = [];
  const seen = new Set<number>();
  for (const problem of problems) {
    if (!seen.has(problem.line) && seen.size >= SHOWN) break;
    seen.add(problem.line);
    out.push(`  line ${problem.line}, ${problem.column}: ${truncate(JSON.stringify(problem.value), 40)}  ${problem.code}  ${problem.message}`);
  }
  return out;
}

/** A one-line progress bar on stderr, redrawn in place; only used at a terminal. */
export function progressPrinter(io: Io): { update: (progress: { bytesRead: number; totalBytes: number; rows: number }) => void; done: () => void } {
  let drawn = false;
  return {
    update: ({ bytesRead, totalBytes, rows }) => {
      const ratio = totalBytes > 0 ? Math.min(1, bytesRead / totalBytes) : 1;
      const width = 30;
      const filled = Math.round(ratio * width);
      io.stderr(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}%  ${rows.toLocaleString('en-US')} rows`);
      drawn = true;
    },
    done: () => {
      if (drawn) io.stderr('\r\u001b[2K');
    },
  };
}
