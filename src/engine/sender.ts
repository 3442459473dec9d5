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

/** A new Message-ID in the sender's domain. */
export function newMessageId(now: Date, fromAddress: string): string {
  return `<${now.getTime().toString(36)}.${randomBytesPooled(8).toString('hex')}@${fromAddress.split('@')[1] ?? 'cadence.invalid'}>`;
}

/**
 * A new per-message unsubscribe token (it goes into the mailto address and the https
 * link): 96 random bits after the time in base 36, so tokens made together sit together
 * in the store's index instead of touching a page each.
 */
export function newUnsubscribeToken(now: Date = new Date()): string {
  return `${now.getTime().toString(36)}${randomBytesPooled(12).toString('base64url')}`;
}
