import { Worker } from 'node:worker_threads';
import { readImportRows, type ReadEvent, type ReadRowsOptions } from './read-rows.js';
import { IMPORT_HEAP_LIMITS } from './heap-limits.js';
import { fromThreadError, type ThreadError } from './thread-messages.js';

/**
 * Batches the reading thread may be ahead of the writer by: about a write transaction's
 * rows, so it reads the next while the writer commits (the writer's thread takes no
 * messages during a transaction). Batches are ~1,000 rows, a few hundred KB serialized.
 */
const AHEAD = 16;

/**
 * The rows of a leads CSV, read on a worker thread (overlapping with the store's writes
 * on the other core) when running the built package, or on this thread when the worker
 * cannot be loaded (running from TypeScript sources, as the tests do).
 */
export function importRowStream(options: ReadRowsOptions): AsyncGenerator<ReadEvent> {
  if (import.meta.url.endsWith('.ts') || process.env.CADENCE_IMPORT_THREADS === '0') return readImportRows(options);
  return workerRows(options);
}

async function* workerRows(options: ReadRowsOptions): AsyncGenerator<ReadEvent> {
  const worker = new Worker(new URL('./read-worker.js', import.meta.url), { workerData: options, resourceLimits: IMPORT_HEAP_LIMITS.reader });
  const queue: unknown[] = [];
  let wake: (() => void) | undefined;
  let exited: Error | undefined;
  worker.on('message', (message) => {
    queue.push(message);
    wake?.();
  });
  worker.on('error', (error) => {
    exited = error;
    wake?.();
  });
  worker.on('exit', (code) => {
    if (code !== 0) exited ??= new Error(`the import's reading thread stopped with code ${code}`);
    wake?.();
  });
  worker.postMessage({ credit: AHEAD });
  try {
    for (;;) {
      while (queue.length === 0 && !exited) await new Promise<void>((resolve) => (wake = resolve));
      const message = queue.shift() as ({ event?: ReadEvent; done?: true } & Partial<ThreadError>) | undefined;
      if (!message) throw exited!;
      if (message.done) return;
      if (message.error) throw fromThreadError(message as ThreadError, "the import's reading thread");
      worker.postMessage({ credit: 1 });
      yield message.event!;
    }
  } finally {
    await worker.terminate();
  }
}
