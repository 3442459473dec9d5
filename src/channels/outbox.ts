import { existsSync, mkdirSync, rename, renameSync, rmSync, writeFile, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** The outbox file of a message: its Message-ID makes the name, so a retry finds it. */
export function outboxPath(dir: string, messageId: string): string {
  return join(dir, `${messageId.replace(/[<>]/g, '').replace(/[^A-Za-z0-9._@-]/g, '_')}.eml`);
}

/** Outbox folders already made by this thread. */
const made = new Set<string>();

function makeOutbox(dir: string): void {
  if (made.has(dir)) return;
  mkdirSync(join(dir, '.tmp'), { recursive: true });
  made.add(dir);
}

/**
 * Writes a message into the outbox atomically (a temporary file renamed into place), so
 * the outbox never holds half a message, and a crash leaves either the whole file or none.
 */
export async function writeToOutbox(dir: string, messageId: string, bytes: Buffer): Promise<string> {
  makeOutbox(dir);
  const path = outboxPath(dir, messageId);
  // Written beside the outbox (in .tmp/, so writers do not queue on one folder's lock),
  // one name per message: only the process that claimed a message writes it.
  const temporary = temporaryPath(dir, path);
  // Asynchronous, so the file is written while the engine goes on; through fs's
  // callbacks, which cost the engine's thread half what fs/promises does.
  await new Promise<void>((resolve, reject) => {
    writeFile(temporary, bytes, (written) => {
      if (written) reject(written);
      else rename(temporary, path, (renamed) => (renamed ? reject(renamed) : resolve()));
    });
  });
  return path;
}

/**
 * The same, synchronously: for the outbox's writing thread (outbox-thread.ts), which
 * writes one file after another. On this machine's disk that took a quarter less time
 * than four at a time through the thread pool while the disk was quiet; in its slow
 * phases (after large deletions) the two swung alike.
 */
export function writeToOutboxSync(dir: string, messageId: string, bytes: Buffer): string {
  makeOutbox(dir);
  const path = outboxPath(dir, messageId);
  const temporary = temporaryPath(dir, path);
  writeFileSync(temporary, bytes);
  renameSync(temporary, path);
  return path;
}

/**
 * Whether a message reached the outbox (for settling one a killed tick left sending);
 * half a file it left behind is removed.
 */
export function inOutbox(dir: string, messageId: string): boolean {
  const path = outboxPath(dir, messageId);
  rmSync(temporaryPath(dir, path), { force: true });
  return existsSync(path);
}

function temporaryPath(dir: string, path: string): string {
  return join(dir, '.tmp', basename(path));
}
