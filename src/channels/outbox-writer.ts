import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { OutgoingMessage } from './compose.js';
import { outboxPath } from './outbox.js';
import type { DeliveryOutcome } from './transport.js';

/** A batch of messages for the outbox's writing thread, and its answer. */
export interface OutboxBatch {
  batch: number;
  dir: string;
  messages: readonly OutgoingMessage[];
}
export interface OutboxBatchDone {
  batch: number;
  outcomes: ({ path: string } | { error: string })[];
}

/**
 * Builds and writes outbox messages on a thread of its own, so a tick's engine goes on with
 * the next steps on its thread while the files are made on the other core (a 10,000-step
 * tick spent ~0.6 s of its thread on building and writing them). Started on first use,
 * it keeps the process alive only while it has batches to write.
 */
export class OutboxWriter {
  private worker: Worker | undefined;
  private next = 0;
  private readonly pending = new Map<number, { worker: Worker; messageIds: string[]; resolve: (outcomes: DeliveryOutcome[]) => void }>();

  constructor(private readonly dir: string) {}

  write(messages: readonly OutgoingMessage[]): Promise<DeliveryOutcome[]> {
    const worker = this.start();
    const batch = this.next++;
    const messageIds = messages.map((message) => message.messageId);
    const done = new Promise<DeliveryOutcome[]>((resolve) => this.pending.set(batch, { worker, messageIds, resolve }));
    worker.ref();
    try {
      worker.postMessage({ batch, dir: this.dir, messages } satisfies OutboxBatch);
    } catch (error) {
      this.settle(worker, batch, `the outbox's writing thread could not take the messages: ${error instanceof Error ? error.message : String(error)}`);
    }
    return done;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./outbox-thread.js', import.meta.url));
    worker.unref();
    worker.on('message', ({ batch, outcomes }: OutboxBatchDone) => {
      const waiting = this.pending.get(batch);
      this.pending.delete(batch);
      this.unrefWhenIdle(worker);
      waiting?.resolve(outcomes.map((outcome) => ('path' in outcome ? { kind: 'delivered', path: outcome.path } : { kind: 'deferred', reason: outcome.error })));
    });
    const fail = (reason: string): void => {
      if (this.worker === worker) this.worker = undefined;
      for (const [batch, waiting] of this.pending) if (waiting.worker === worker) this.settle(worker, batch, reason);
    };
    worker.on('error', (error) => fail(`the outbox's writing thread failed: ${error.message}`));
    worker.on('messageerror', (error) => {
      fail(`the outbox's writing thread sent an answer that could not be read: ${error.message}`);
      void worker.terminate();
    });
    worker.on('exit', (code) => fail(`the outbox's writing thread stopped (code ${code})`));
    this.worker = worker;
    return worker;
  }

  /**
   * Answers a batch the thread will not answer (it died, or never got it): a message whose
   * file is in the outbox arrived, any other is deferred, to be tried again as the same
   * message — never a second copy of one that was written.
   */
  private settle(worker: Worker, batch: number, reason: string): void {
    const waiting = this.pending.get(batch);
    if (!waiting) return;
    this.pending.delete(batch);
    this.unrefWhenIdle(worker);
    waiting.resolve(
      waiting.messageIds.map((messageId): DeliveryOutcome => {
        const path = outboxPath(this.dir, messageId);
        return existsSync(path) ? { kind: 'delivered', path } : { kind: 'deferred', reason };
      }),
    );
  }

  private unrefWhenIdle(worker: Worker): void {
    if (![...this.pending.values()].some((other) => other.worker === worker)) worker.unref();
  }
}
