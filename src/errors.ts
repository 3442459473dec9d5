/**
 * Expected errors: a user can cause them, so they carry a code, a message that names
 * the file and position, and a hint with the next thing to do. The CLI's one handler
 * prints them without a stack and exits with `exitCode`.
 */
export class CadenceError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly exitCode: number;
  /** Extra lines printed under the message (for example every validation problem). */
  readonly details: readonly string[];

  constructor(
    code: string,
    message: string,
    options: { hint?: string; exitCode?: number; details?: readonly string[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CadenceError';
    this.code = code;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? 1;
    this.details = options.details ?? [];
  }
}

/** A usage mistake on the command line: exit code 2. */
export class UsageError extends CadenceError {
  constructor(code: string, message: string, hint?: string) {
    super(code, message, { exitCode: 2, ...(hint === undefined ? {} : { hint }) });
    this.name = 'UsageError';
  }
}

export function isCadenceError(error: unknown): error is CadenceError {
  return error instanceof CadenceError;
}
