import { copyFileSync } from 'node:fs';
import DatabaseConstructor from 'better-sqlite3';
import { CadenceError } from '../errors.js';

/**
 * Copies the live store into `targets` without writing to it: a read-only connection and
 * SQLite's online backup (a consistent snapshot even while a tick runs), then file copies.
 */
export async function copyStore(livePath: string, targets: readonly string[]): Promise<void> {
  let live;
  try {
    live = new DatabaseConstructor(livePath, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new CadenceError('STORE_MISSING', `cannot open the store ${livePath}: ${(error as Error).message}`, {
      hint: 'run plan where the store lives (the host that runs `cadence tick`), or point at it with --db PATH or CADENCE_DB',
      cause: error,
    });
  }
  try {
    await live.backup(targets[0]!);
  } finally {
    live.close();
  }
  for (const target of targets.slice(1)) copyFileSync(targets[0]!, target);
}
