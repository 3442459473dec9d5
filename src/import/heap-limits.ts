/**
 * Heap limits of the import's threads. V8 grows a heap lazily up to a size it picks from
 * the machine's memory, so an import left to the defaults reached 400 MB of RSS with a
 * few MB of live data; with limits it collects sooner and stays within them. The writer's
 * limit leaves room for a whole write batch (bounded in rows and in text) plus the batches
 * the reader may send ahead: at 64 MB it ran out under a concurrent writer at 1M rows.
 */
export const IMPORT_HEAP_LIMITS = {
  writer: { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 8 },
  reader: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 },
} as const;
