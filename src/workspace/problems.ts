/** One finding of `cadence validate`: an error fails validation, a warning does not. */
export interface Problem {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  /** Path relative to the workspace root, with forward slashes. */
  file: string;
  /** 1-based; absent when the problem concerns the whole file. */
  line?: number;
  column?: number;
  hint?: string;
}

export interface Position {
  line: number;
  column: number;
}

/** Collects problems for one file; `at` positions may be absent. */
export class ProblemList {
  readonly items: Problem[] = [];

  error(code: string, file: string, at: Position | undefined, message: string, hint?: string): void {
    this.push('error', code, file, at, message, hint);
  }

  warning(code: string, file: string, at: Position | undefined, message: string, hint?: string): void {
    this.push('warning', code, file, at, message, hint);
  }

  private push(
    severity: Problem['severity'],
    code: string,
    file: string,
    at: Position | undefined,
    message: string,
    hint: string | undefined,
  ): void {
    this.items.push({
      severity,
      code,
      message,
      file,
      ...(at ? { line: at.line, column: at.column } : {}),
      ...(hint === undefined ? {} : { hint }),
    });
  }
}

/** Sorted by file, then position, so output is stable for review and snapshots. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      a.code.localeCompare(b.code),
  );
}
