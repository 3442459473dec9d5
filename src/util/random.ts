import { randomFillSync } from 'node:crypto';

/**
 * Random bytes from the system's generator, drawn from a pooled buffer: a tick needs three
 * small random values per message, and a system call for each cost more than the rest of
 * building the message. Same source as `crypto.randomBytes`.
 */
const pool = Buffer.allocUnsafe(16 * 1024);
let offset = pool.length;

export function randomBytesPooled(size: number): Buffer {
  if (offset + size > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const bytes = Buffer.from(pool.subarray(offset, offset + size));
  offset += size;
  return bytes;
}
