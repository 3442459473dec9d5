import { PackedReader, type PackedRows } from './packed-rows.js';

/**
 * Rows gathered in file order and then written in address order. The store's unique email
 * index is most of what an import costs: rows in file order have addresses from all over
 * it, so every write transaction rewrites pages all over the index (~7,000 of its pages
 * per 12,000-row transaction at a million leads). Written in address order, a window's
 * rows go into one part of the index after another, and the pages each transaction
 * rewrites fall with the window's size, not the transaction's: measured on 1M rows in
 * 12,000-row transactions, the store's work went from 12.9 s in file order to 7.6 s with
 * 50,000-row windows (6.1 s sorting the whole file).
 *
 * The order is by the first five characters of the address, ties in file order: close
 * enough for the index (a prefix shares its pages), and a repeated address keeps its
 * earliest line first, so the later one is the row refused as the duplicate.
 */
export class AddressWindow {
  readonly readers: readonly PackedReader[];
  /** Row k of the window in address order: readers[chunks[k]], row indexes[k]. */
  readonly chunks: Uint32Array;
  readonly indexes: Uint32Array;
  /** The window's last line: once it is all written, every row up to it is. */
  readonly lastLine: number;
  /** Rows written so far (the next is chunks[next], indexes[next]). */
  next = 0;

  constructor(packs: readonly PackedRows[]) {
    this.readers = packs.map((pack) => new PackedReader(pack));
    let count = 0;
    for (const pack of packs) count += pack.count;
    if (count > MAX_WINDOW_ROWS) throw new RangeError(`a window of ${count} rows is over ${MAX_WINDOW_ROWS}`);
    const keys = new Float64Array(count);
    const chunkOf = new Uint32Array(count);
    const indexOf = new Uint32Array(count);
    let position = 0;
    packs.forEach((pack, chunk) => {
      for (let index = 0; index < pack.count; index++, position++) {
        keys[position] = addressKey(pack.emails[index]!) * POSITIONS + position;
        chunkOf[position] = chunk;
        indexOf[position] = index;
      }
    });
    keys.sort();
    this.chunks = new Uint32Array(count);
    this.indexes = new Uint32Array(count);
    for (let k = 0; k < count; k++) {
      const position = keys[k]! % POSITIONS;
      this.chunks[k] = chunkOf[position]!;
      this.indexes[k] = indexOf[position]!;
    }
    this.lastLine = packs.reduce((last, pack) => Math.max(last, pack.lastLine), 0);
  }

  get size(): number {
    return this.chunks.length;
  }

  get remaining(): number {
    return this.chunks.length - this.next;
  }

  /** Characters of text of row k (in address order). */
  chars(k: number): number {
    const { packed } = this.readers[this.chunks[k]!]!;
    const index = this.indexes[k]!;
    return packed.emails[index]!.length + packed.rests[index]!.length;
  }
}

/** Characters of the address that order a window, 7 bits each (beyond ASCII counts as one value, after it). */
const KEY_CHARACTERS = 5;
/** Positions in a window: the key's low bits (5 × 7 + 17 bits fit a double's 53 exactly). */
const POSITIONS = 2 ** 17;
export const MAX_WINDOW_ROWS = POSITIONS - 1;

/**
 * The ordering value of an address's first characters, as SQLite compares them (bytes of
 * UTF-8: ASCII before the rest). From the first character beyond ASCII on, all count as
 * the same, so `éz…` and `üa…` tie (file order) rather than sort against their bytes.
 */
export function addressKey(email: string): number {
  let key = 0;
  let beyond = false;
  for (let index = 0; index < KEY_CHARACTERS; index++) {
    const code = beyond ? 127 : index < email.length ? email.charCodeAt(index) : 0;
    if (code >= 127) beyond = true;
    key = key * 128 + Math.min(code, 127);
  }
  return key;
}
