import { CadenceError } from '../errors.js';
import type { MailboxDefinition } from '../workspace/types.js';
import { connectImap, describe, type Env } from './imap-client.js';

export interface AppendResult {
  appended: boolean;
  folder?: string;
  uid?: number;
}

/**
 * Stores a copy of a message cadence sent in the mailbox's Sent folder, so the rep's mail
 * client shows it — when the mailbox asks for it (`imap.append_sent: true`). The folder
 * is `imap.sent_folder`, else the one the server marks `\Sent`, else `Sent`. Marked as
 * read. Throws SYNC_APPEND_FAILED when the server refuses it.
 */
export async function appendToSent(mailbox: MailboxDefinition, env: Env, bytes: Buffer, name = mailbox.address): Promise<AppendResult> {
  if (!mailbox.imap?.append_sent) return { appended: false };
  const client = await connectImap(name, mailbox, env);
  try {
    const folder = mailbox.imap.sent_folder ?? (await client.list()).find((entry) => entry.specialUse === '\\Sent')?.path ?? 'Sent';
    const response = await client.append(folder, bytes, ['\\Seen']);
    if (!response) throw new Error('the server did not take the message');
    return { appended: true, folder, ...(response.uid === undefined ? {} : { uid: response.uid }) };
  } catch (error) {
    throw new CadenceError('SYNC_APPEND_FAILED', `could not store the sent message in the Sent folder of "${name}": ${describe(error)}`, { hint: 'check imap.sent_folder in cadence.yaml (the folder must exist)', cause: error });
  } finally {
    await client.logout().catch(() => client.close());
  }
}
