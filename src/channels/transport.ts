import { resolve } from 'node:path';
import type { MailboxDefinition } from '../workspace/types.js';
import type { OutgoingMessage } from './compose.js';
import { inOutbox, writeToOutbox } from './outbox.js';
import { OutboxWriter } from './outbox-writer.js';

/** One message for the transport: its bytes, the SMTP envelope, and the mailbox it goes out through. */
export interface Delivery {
  messageId: string;
  mailbox: string | null;
  envelope: { from: string; to: string };
  bytes: Buffer;
}

/**
 * What became of a delivery. `deferred`: not accepted, for a reason that may pass (a 4xx
 * answer, a dropped connection, a server that cannot be reached): the same message is
 * tried again later. `rejected`: refused for good (a 5xx answer); `recipient` when the
 * server refused the address itself, which is a bounce. `mailboxDown`: the mailbox could
 * not send at all (no login, no server), which is not held against the message.
 * `unknown`: the server may have taken it (kept for transports that can tell; a lost
 * SMTP connection is tried again, as SMTP clients do: the server answers for a message
 * only with its final reply). `retriedAfter`: the failures before it went through.
 */
export type DeliveryOutcome =
  | { kind: 'delivered'; path?: string; response?: string; retriedAfter?: string[] }
  | { kind: 'deferred'; reason: string; mailboxDown?: boolean }
  | { kind: 'rejected'; reason: string; recipient: boolean }
  | { kind: 'unknown'; reason: string };

export interface Transport {
  readonly kind: 'outbox' | 'smtp';
  /** How many messages to hand over per batch (several batches are in flight). */
  readonly batch: number;
  deliver(delivery: Delivery): Promise<DeliveryOutcome>;
  /**
   * Whether a message that a killed tick had handed over arrived. The outbox can tell
   * (the file is there or not); an SMTP server cannot be asked, so its answer is unknown.
   */
  fateOf(messageId: string): 'delivered' | 'not_delivered' | 'unknown';
  /**
   * Builds and delivers a batch itself, one outcome per message in order, when it can do
   * that better than one `deliver` each (the outbox, on a thread of its own); undefined
   * when it would not (then each message goes through `deliver`).
   */
  composeAndDeliver?(messages: readonly OutgoingMessage[]): Promise<DeliveryOutcome[]> | undefined;
  close(): Promise<void>;
}

/**
 * The outbox: each message an `.eml` file, written atomically, named by its Message-ID.
 * Batches of many are built and written on a thread of its own; a few (a rep's email, a
 * retry), and everything when run from the TypeScript sources (the tests), on this one.
 */
export function outboxTransport(dir: string): Transport {
  const threads = !import.meta.url.endsWith('.ts') && process.env.CADENCE_OUTBOX_THREAD !== '0';
  let writer: OutboxWriter | undefined;
  return {
    kind: 'outbox',
    batch: 200,
    deliver: async (delivery) => ({ kind: 'delivered', path: await writeToOutbox(dir, delivery.messageId, delivery.bytes) }),
    fateOf: (messageId) => (inOutbox(dir, messageId) ? 'delivered' : 'not_delivered'),
    composeAndDeliver: (messages) => (threads && (writer || messages.length >= THREAD_BATCH_MIN) ? (writer ??= new OutboxWriter(dir)).write(messages) : undefined),
    close: async () => {
      await writer?.close();
    },
  };
}

/** The fewest messages worth starting the outbox's writing thread for (it takes ~30 ms to start). */
const THREAD_BATCH_MIN = 50;

/**
 * The transport `cadence.yaml` chose: the outbox folder, or the mailboxes' SMTP servers
 * with credentials from `env` (a missing one is an error here, before anything is sent).
 */
export async function openTransport(config: { transport: 'outbox' | 'smtp'; outbox?: { dir?: string }; mailboxes?: Readonly<Record<string, MailboxDefinition>> }, root: string, env: NodeJS.ProcessEnv): Promise<Transport> {
  if (config.transport === 'outbox') {
    return outboxTransport(resolve(root, config.outbox?.dir ?? '.cadence/outbox'));
  }
  const { smtpTransport } = await import('./smtp.js');
  return smtpTransport(config.mailboxes ?? {}, env);
}
