import { Buffer } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CadenceError } from '../errors.js';

const FIRST_CAPACITY = 1 << 12;
const MAX_LOAD = 0.7;
const STAGING_BYTES = 64 * 1024;
/** A record: the line (4 bytes), the length in code units with a bit for two-byte text (4), then the text. */
const RECORD_HEAD = 8;
const WIDE = 0x8000_0000;

/**
 * The addresses of a file's rows so far, to find a later row for the same address, exactly
 * and in little memory: 1M addresses as strings would take ~100 MB of the reading thread's
 * heap. A hash set holds a 32-bit hash of each address and where the address itself was
 * written, side by side (8 bytes a slot, 16 MB for 1M rows, outside the JS heap); the
 * addresses go to a temporary file (in memory only when no temporary file can be made),
 * which is read back only when a hash matches — a repeated address, or a collision (about
 * a hundred in a million addresses), which is told apart by the text itself.
 */
export class SeenAddresses {
  /** Per slot: the hash (0 when empty), then the address's offset in the spool. */
  private slots = new Uint32Array(2 * FIRST_CAPACITY);
  private count = 0;
  private readonly spool = new Spool();

  /** `hashOf` is for tests, to make addresses collide. */
  constructor(private readonly hashOf: (address: string) => number = addressHash) {}

  /**
   * The line of the earlier row with this address; or 0 when there is none, and then this
   * row is remembered as the address's first.
   */
  firstLine(address: string, line: number): number {
    const hash = this.hashOf(address);
    const { slots } = this;
    const mask = slots.length / 2 - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const found = slots[2 * slot]!;
      if (found === 0) {
        slots[2 * slot] = hash;
        slots[2 * slot + 1] = this.spool.append(address, line);
        if (++this.count > (slots.length / 2) * MAX_LOAD) this.grow();
        return 0;
      }
      if (found === hash) {
        const earlier = this.spool.read(slots[2 * slot + 1]!);
        if (earlier.address === address) return earlier.line;
      }
    }
  }

  /** Removes the temporary file. */
  close(): void {
    this.spool.close();
  }

  private grow(): void {
    const old = this.slots;
    const slots = new Uint32Array(old.length * 2);
    const mask = slots.length / 2 - 1;
    for (let index = 0; index < old.length; index += 2) {
      const hash = old[index]!;
      if (hash === 0) continue;
      let slot = hash & mask;
      while (slots[2 * slot] !== 0) slot = (slot + 1) & mask;
      slots[2 * slot] = hash;
      slots[2 * slot + 1] = old[index + 1]!;
    }
    this.slots = slots;
  }
}

/** A 32-bit hash of the address, never the 0 of an empty slot; its low bits choose the slot. */
export function addressHash(address: string): number {
  let h1 = 0x811c9dc5;
  let h2 = address.length;
  for (let i = 0; i < address.length; i++) {
    const code = address.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 0x01000193);
    h2 = Math.imul(h2 ^ code, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return mix(h1 ^ mix(h2)) >>> 0 || 1;
}

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * Append-only records of (line, address), in a temporary file written through a small
 * buffer. The file is unlinked as soon as it is open where the system allows it, so even a
 * killed import leaves nothing behind.
 */
class Spool {
  private fd: number | undefined;
  private path: string | undefined;
  /** Where there is no temporary file: everything stays in `staging`, which grows. */
  private staging = new Uint8Array(STAGING_BYTES);
  private used = 0;
  /** Bytes before `staging`, in the file. */
  private flushed = 0;

  constructor() {
    const path = join(tmpdir(), `cadence-import-${randomUUID()}.tmp`);
    try {
      this.fd = openSync(path, 'wx+', 0o600);
    } catch {
      return;
    }
    try {
      unlinkSync(path);
    } catch {
      this.path = path;
    }
  }

  append(address: string, line: number): number {
    let wide = false;
    for (let i = 0; i < address.length; i++) if (address.charCodeAt(i) > 0xff) wide = true;
    const size = RECORD_HEAD + address.length * (wide ? 2 : 1);
    if (this.used + size > this.staging.length) this.makeRoom(size);
    const offset = this.flushed + this.used;
    if (offset + size > 0xffff_ffff) {
      throw new CadenceError('IMPORT_TOO_LARGE', 'the file has more addresses than one import can check for duplicates (over 4 GB of them)', { hint: 'split the file and import the parts one after the other' });
    }
    const bytes = this.staging;
    let at = this.used;
    writeUint32(bytes, at, line);
    writeUint32(bytes, at + 4, wide ? (address.length | WIDE) >>> 0 : address.length);
    at += RECORD_HEAD;
    for (let i = 0; i < address.length; i++) {
      const code = address.charCodeAt(i);
      if (wide) {
        bytes[at++] = code & 0xff;
        bytes[at++] = code >>> 8;
      } else bytes[at++] = code;
    }
    this.used = at;
    return offset;
  }

  read(offset: number): { line: number; address: string } {
    const head = this.bytesAt(offset, RECORD_HEAD);
    const line = readUint32(head, 0);
    const length = readUint32(head, 4);
    const wide = (length & WIDE) !== 0;
    const chars = length & ~WIDE;
    const text = Buffer.from(this.bytesAt(offset + RECORD_HEAD, chars * (wide ? 2 : 1)));
    return { line, address: text.toString(wide ? 'utf16le' : 'latin1') };
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    if (this.path !== undefined) unlinkSync(this.path);
    this.path = undefined;
  }

  private bytesAt(offset: number, length: number): Uint8Array {
    if (offset >= this.flushed) return this.staging.subarray(offset - this.flushed, offset - this.flushed + length);
    const bytes = new Uint8Array(length);
    readSync(this.fd!, bytes, 0, length, offset);
    return bytes;
  }

  private makeRoom(size: number): void {
    if (this.fd !== undefined && this.used > 0) {
      writeSync(this.fd, this.staging, 0, this.used, this.flushed);
      this.flushed += this.used;
      this.used = 0;
    }
    if (this.used + size > this.staging.length) {
      const larger = new Uint8Array(Math.max(this.staging.length * 2, this.used + size));
      larger.set(this.staging.subarray(0, this.used));
      this.staging = larger;
    }
  }
}

function writeUint32(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value & 0xff;
  bytes[at + 1] = (value >>> 8) & 0xff;
  bytes[at + 2] = (value >>> 16) & 0xff;
  bytes[at + 3] = value >>> 24;
}

function readUint32(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}
