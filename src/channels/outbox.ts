import { existsSync, mkdirSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The outbox file of a message: its Message-ID makes the name, so a retry finds it. */
export function outboxPath(dir: string, messageId: string): string {
  return join(dir, `${messageId.replace(/[<>]/g, '').replace(/[^A-Za-z0-9._@-]/g, '_')}.eml`);
}

/**
 * Writes a message into the outbox atomically (a temporary file renamed into place), so
 * the outbox never holds half a message, and a crash leaves either the whole file or none.
 */
const made = new Set<string>();

export async function writeToOutbox(dir: string, messageId: string, bytes: Buffer): Promise<string> {
  if (!made.has(dir)) {
    mkdirSync(dir, { recursive: true });
    made.add(dir);
  }
  const path = outboxPath(dir, messageId);
  const temporary = `${path}.${process.pid}.tmp`;
  // Asynchronous, so a batch's files are written side by side (several times faster than
  // one after another on a busy disk).
  await writeFile(temporary, bytes);
  await rename(temporary, path);
  return path;
}

/** Whether a message reached the outbox (for settling one a crashed tick left sending). */
export function inOutbox(dir: string, messageId: string): boolean {
  return existsSync(outboxPath(dir, messageId));
}
