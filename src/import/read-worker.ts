import { parentPort, workerData } from 'node:worker_threads';
import { readImportRows, type ReadRowsOptions } from './read-rows.js';
import { toThreadError } from './thread-messages.js';

/**
 * The reading half of an import on its own thread: parses and converts rows while the
 * main thread writes the previous batches. It runs ahead by at most the credit the main
 * thread grants, so memory stays bounded however fast it reads.
 */
const port = parentPort!;
let credit = 0;
let wake: (() => void) | undefined;
port.on('message', (message: { credit: number }) => {
  credit += message.credit;
  wake?.();
});

async function run(): Promise<void> {
  try {
    for await (const event of readImportRows(workerData as ReadRowsOptions)) {
      while (credit <= 0) await new Promise<void>((resolve) => (wake = resolve));
      credit--;
      port.postMessage({ event });
    }
    port.postMessage({ done: true });
  } catch (error) {
    port.postMessage(toThreadError(error));
  }
}

void run();
