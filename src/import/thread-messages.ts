import { readFileSync } from 'node:fs';
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

/**
 * Whether the process that wrote a row still runs: a signal 0 probe (EPERM means it runs
 * as another user), and — where /proc tells when a process started (Linux) — that the
 * process with that id started before `since`, the time the row was written. After a
 * reboot, or once ids wrap, another process may carry a dead tick's id; it started later.
 */
export function isProcessAlive(pid: number, since?: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (since === undefined) return true;
  const started = processStartedAt(pid);
  // A second of slack: the clock read for the row and the kernel's tick count differ a little.
  return started === undefined || started <= Date.parse(since) + 1_000;
}

/** When a process started (ms since the epoch), from /proc; undefined where there is none. */
export function processStartedAt(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces and parentheses): state is the 3rd, starttime the 22nd.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    bootTime ??= Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
    if (!Number.isFinite(ticks) || !Number.isFinite(bootTime)) return undefined;
    // The kernel counts in USER_HZ, 100 a second on Linux.
    return bootTime * 1000 + (ticks / 100) * 1000;
  } catch {
    return undefined;
  }
}

let bootTime: number | undefined;
