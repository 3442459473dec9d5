import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { Io } from './io.js';

interface GlobalOptions {
  workspace?: string;
  db?: string;
  as?: string;
  now?: string;
}

function globals(command: Command): GlobalOptions {
  return command.optsWithGlobals() as GlobalOptions;
}

/** The store file: `--db`, then CADENCE_DB, then the workspace's .cadence/cadence.db. */
export function storePath(command: Command, io: Io, root: string): string {
  const explicit = globals(command).db ?? io.env.CADENCE_DB;
  return explicit ? resolve(io.cwd, explicit) : join(root, '.cadence', 'cadence.db');
}

/** Who is acting, for the events log: `--as`, then CADENCE_USER, then the login name. */
export function actor(command: Command, io: Io): string {
  const named = globals(command).as ?? io.env.CADENCE_USER;
  if (named) return named;
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/**
 * "Now": `--now ISO`, then CADENCE_NOW, then the system clock. Time is injectable
 * everywhere so a sequence can be rehearsed day by day.
 */
export function now(command: Command, io: Io): Date {
  const given = globals(command).now ?? io.env.CADENCE_NOW;
  if (given === undefined || given === '') return new Date();
  return parseTime(given, '--now or CADENCE_NOW', 'CLOCK_BAD_NOW');
}

/**
 * An ISO 8601 date or date and time from the command line (`--start`, `--until`,
 * `--from`); anything else is a usage error naming the option.
 */
export function parseTime(text: string, option: string, code = 'BAD_TIME'): Date {
  const date = /^(\d{4})-(\d{2})-(\d{2})(T|$)/.exec(text);
  const parsed = date ? new Date(text) : new Date(Number.NaN);
  // 2026-02-30 would roll over into March: a date that does not exist is refused.
  const exists = date !== null && new Date(Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]))).toISOString().startsWith(`${date[1]}-${date[2]}-${date[3]}`);
  if (Number.isNaN(parsed.getTime()) || !exists) {
    throw new UsageError(code, `${option}: "${text}" is not an ISO date and time`, 'write it like 2026-12-01 or 2026-12-01T09:00:00+09:00');
  }
  return parsed;
}
