import { randomBytesPooled } from '../util/random.js';
import type { FieldValue } from '../store/leads.js';
import { senderFor } from '../render/context.js';
import type { SequenceDefinition, StepDefinition, WorkspaceConfig } from '../workspace/types.js';

/**
 * Who an email to a lead comes from: the mailbox named by the step, else the sequence,
 * else the lead owner's rep, else the workspace default; its address and display name
 * (the rep's when the mailbox has none).
 */
export function senderOf(config: WorkspaceConfig, owner: FieldValue | undefined, sequence: SequenceDefinition | undefined, step: StepDefinition | undefined): { mailbox: string | null; address: string; name: string | null } {
  const rep = senderFor(config, owner);
  const mailbox = step?.mailbox ?? sequence?.mailbox ?? rep?.mailbox ?? config.default_mailbox ?? null;
  const settings = mailbox ? config.mailboxes?.[mailbox] : undefined;
  return { mailbox, address: settings?.address ?? rep?.email ?? config.sender.opt_out_contact, name: settings?.name ?? rep?.display_name ?? null };
}

/**
 * A new Message-ID in the sender's domain: the time, this process's count of ids made,
 * and 64 random bits. The count keeps the ids of one tick in the order they were made,
 * so the store's unique index on them grows at its end instead of taking each new id on a
 * page of its own (with the token's, ~18% of a 10,000-step tick's log).
 */
export function newMessageId(now: Date, fromAddress: string): string {
  return `<${now.getTime().toString(36)}.${madeCount()}.${randomBytesPooled(8).toString('hex')}@${fromAddress.split('@')[1] ?? 'cadence.invalid'}>`;
}

/**
 * A new per-message unsubscribe token (it goes into the mailto address and the https
 * link): the time in base 36 and the count, as for Message-IDs, then 80 random bits,
 * which alone make it unguessable. 24 characters: `List-Unsubscribe` with the mailto
 * address stays on one line for a short domain.
 */
export function newUnsubscribeToken(now: Date = new Date()): string {
  return `${now.getTime().toString(36)}${madeCount()}${randomBytesPooled(10).toString('base64url')}`;
}

let made = 0;

/**
 * Two base-36 digits counting up. After 1,296 they start again, below the ids already
 * made in that moment: the next ones still sit together, a page or two per batch.
 */
function madeCount(): string {
  made = (made + 1) % 36 ** 2;
  return made.toString(36).padStart(2, '0');
}
