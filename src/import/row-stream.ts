import { Worker } from 'node:worker_threads';
import { CadenceError } from '../errors.js';
import { readImportRows, type ReadEvent, type ReadRowsOptions } from './read-rows.js';
import { IMPORT_HEAP_LIMITS } from './heap-limits.js';

/** Batches the reading thread may be ahead of the writer by. */
const AHEAD = 4;

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
      const message = queue.shift() as { event?: ReadEvent; done?: true; error?: { code?: string; message: string; hint?: string; exitCode?: number; details?: string[] }; expected?: boolean } | undefined;
      if (!message) throw exited!;
      if (message.done) return;
      if (message.error) {
        const { error } = message;
        if (message.expected && error.code) {
          throw new CadenceError(error.code, error.message, { ...(error.hint ? { hint: error.hint } : {}), ...(error.exitCode ? { exitCode: error.exitCode } : {}), details: error.details ?? [] });
        }
        throw new Error(`the import's reading thread failed: ${error.message}`);
      }
      worker.postMessage({ credit: 1 });
      yield message.event!;
    }
  } finally {
    await worker.terminate();
  }
}
