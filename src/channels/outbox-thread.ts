import { parentPort } from 'node:worker_threads';
import { composeMessage } from './compose.js';
import { writeToOutboxSync } from './outbox.js';
import type { OutboxBatch, OutboxBatchDone } from './outbox-writer.js';

/**
 * The outbox's writing thread: builds each message of a batch and writes its file, one
 * after another, and answers with each one's path or the error that stopped it.
 */
parentPort!.on('message', ({ batch, dir, messages }: OutboxBatch) => {
  const outcomes = messages.map((message) => {
    try {
      return { path: writeToOutboxSync(dir, message.messageId, composeMessage(message)) };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  });
  parentPort!.postMessage({ batch, outcomes } satisfies OutboxBatchDone);
});
