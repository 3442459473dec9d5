/**
 * Heap limits of the import's threads. V8 grows a heap lazily up to a size it picks from
 * the machine's memory, so an import left to the defaults reached 400 MB of RSS with a
 * few MB of live data; with limits it collects sooner and stays within them. The writer's
 * limit leaves room for its window of rows (AddressWindow: ~20 MB) plus the batches the
 * reader may send ahead: at 64 MB it ran out under a concurrent writer at 1M rows. The
 * reader makes a few KB of short-lived garbage a row: with 8 MB of young generation a
 * fifth of its time went to scavenges, and on two cores that time is taken from the
 * writer (16 MB: −1.5 s of CPU and −0.5 s of wall time a million rows, +12 MB).
 */
export const IMPORT_HEAP_LIMITS = {
  writer: { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 8 },
  reader: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 16 },
} as const;
