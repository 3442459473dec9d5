import { existsSync, mkdirSync, rename, rmSync, writeFile } from 'node:fs';
import { basename, join } from 'node:path';

/** The outbox file of a message: its Message-ID makes the name, so a retry finds it. */
export function outboxPath(dir: string, messageId: string): string {
  return join(dir, `${messageId.replace(/[<>]/g, '').replace(/[^A-Za-z0-9._@-]/g, '_')}.eml`);
}

/** Outbox folders already made by this process. */
const made = new Set<string>();

/**
 * Writes a message into the outbox atomically (a temporary file renamed into place), so
 * the outbox never holds half a message, and a crash leaves either the whole file or none.
 */
export async function writeToOutbox(dir: string, messageId: string, bytes: Buffer): Promise<string> {
  if (!made.has(dir)) {
    mkdirSync(join(dir, '.tmp'), { recursive: true });
    made.add(dir);
  }
  const path = outboxPath(dir, messageId);
  // Written beside the outbox (in .tmp/, so writers do not queue on one folder's lock),
  // one name per message: only the process that claimed a message writes it.
  const temporary = temporaryPath(dir, path);
  // Asynchronous, so the files are written while the engine goes on with the next steps;
  // through fs's callbacks, which cost the engine's thread half what fs/promises does.
  await new Promise<void>((resolve, reject) => {
    writeFile(temporary, bytes, (written) => {
      if (written) reject(written);
      else rename(temporary, path, (renamed) => (renamed ? reject(renamed) : resolve()));
    });
  });
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
