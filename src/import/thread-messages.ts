import { CadenceError } from '../errors.js';

/** An error as it crosses from an import's thread to the one that started it. */
export interface ThreadError {
  error: { code?: string; message: string; hint?: string; exitCode?: number; details?: readonly string[] };
  expected: boolean;
}

/** A CadenceError keeps its code, hint and exit code; anything else keeps its stack. */
export function toThreadError(error: unknown): ThreadError {
  if (error instanceof CadenceError) {
    return { error: { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}), exitCode: error.exitCode, details: error.details }, expected: true };
  }
  return { error: { message: error instanceof Error ? (error.stack ?? error.message) : String(error) }, expected: false };
}

/** The error again, on the receiving side: `what` names the thread for unexpected ones. */
export function fromThreadError(message: ThreadError, what: string): Error {
  const { error } = message;
  if (message.expected && error.code) {
    return new CadenceError(error.code, error.message, { ...(error.hint ? { hint: error.hint } : {}), ...(error.exitCode ? { exitCode: error.exitCode } : {}), details: error.details ?? [] });
  }
  return new Error(`${what} failed: ${error.message}`);
}

/** Whether a process still runs (a signal 0 probe); EPERM means it runs as another user. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
