import type { QueuedMessage } from '../store/messages.js';
import type { WorkspaceConfig } from '../workspace/types.js';

/**
 * Over SMTP, a copy of each message the server took into the Sent folder of mailboxes
 * that ask for it (`imap.append_sent`), so the rep's mail client shows it; undefined when
 * none does. A failed copy throws (the caller reports it; the message stays sent).
 */
export async function sentFolderCopies(config: WorkspaceConfig, env: NodeJS.ProcessEnv): Promise<((message: QueuedMessage, bytes: Buffer) => Promise<void>) | undefined> {
  if (config.transport !== 'smtp' || !Object.values(config.mailboxes ?? {}).some((mailbox) => mailbox.imap?.append_sent)) return undefined;
  const { appendToSent } = await import('../sync/append-sent.js');
  return async (message, bytes) => {
    const mailbox = message.mailbox ? config.mailboxes?.[message.mailbox] : undefined;
    if (mailbox?.imap?.append_sent) await appendToSent(mailbox, env, bytes, message.mailbox!);
  };
}
