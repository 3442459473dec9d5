import type { ImapFlow } from 'imapflow';
import { CadenceError, UsageError } from '../errors.js';
import { mailCursor, setMailCursor } from '../store/mail-cursors.js';
import { didYouMean } from '../util/did-you-mean.js';
import type { MailboxDefinition } from '../workspace/types.js';
import { applyIncoming, DEFAULT_OOO_DAYS, type SyncContext, type SyncOutcome } from './apply-message.js';
import { classifyIncoming } from './classify.js';
import { connectImap, describe, imapOptions, type Env } from './imap-client.js';
import { readIncoming } from './incoming.js';

export interface SyncInput extends SyncContext {
  env: Env;
  /** Only this mailbox (a key of `mailboxes`). */
  mailbox?: string;
}

export interface FolderReport {
  mailbox: string;
  folder: string;
  read: number;
  /** The folder's UIDVALIDITY changed (the server renumbered it): read from its end, nothing twice. */
  reset?: boolean;
  outcomes: SyncOutcome[];
}

export interface SyncReport {
  folders: FolderReport[];
  counts: Record<SyncOutcome['kind'], number>;
  errors: { mailbox: string; message: string }[];
}

/** UIDs fetched per round trip. */
const FETCH_BATCH = 50;

/**
 * `cadence sync`: reads each mailbox's folders over IMAP from the stored cursor
 * (UIDVALIDITY + last UID) and acts on every new message — a reply ends its sequences,
 * an out-of-office pauses them, a bounce or an unsubscribe suppresses the address. Each
 * message's effects and the cursor move commit together: running sync twice, or after a
 * crash, handles nothing twice. A mailbox that cannot be read is reported; the others
 * are still read. Missing credentials are an error before anything is read.
 */
export async function syncMailboxes(input: SyncInput): Promise<SyncReport> {
  const mailboxes = selectMailboxes(input);
  for (const [name, mailbox] of mailboxes) imapOptions(name, mailbox, input.env);
  const report: SyncReport = { folders: [], counts: { reply: 0, ooo: 0, bounce: 0, unsubscribe: 0, meeting: 0, ignored: 0 }, errors: [] };
  for (const [name, mailbox] of mailboxes) {
    let client: ImapFlow | undefined;
    try {
      client = await connectImap(name, mailbox, input.env);
      for (const folder of mailbox.imap!.folders ?? ['INBOX']) {
        const folderReport = await syncFolder(input, client, name, mailbox, folder);
        report.folders.push(folderReport);
        for (const outcome of folderReport.outcomes) report.counts[outcome.kind]++;
      }
    } catch (error) {
      report.errors.push({ mailbox: name, message: error instanceof CadenceError ? error.message : `mailbox "${name}": ${describe(error)}` });
    } finally {
      await client?.logout().catch(() => client?.close());
    }
  }
  return report;
}

function selectMailboxes(input: SyncInput): [string, MailboxDefinition][] {
  const all = Object.entries(input.config.mailboxes ?? {});
  if (input.mailbox !== undefined) {
    const chosen = all.find(([name]) => name === input.mailbox);
    if (!chosen) {
      const guess = didYouMean(input.mailbox, all.map(([name]) => name));
      throw new UsageError('SYNC_UNKNOWN_MAILBOX', `there is no mailbox "${input.mailbox}" in cadence.yaml`, guess ? `did you mean "${guess}"?` : `mailboxes: ${all.map(([name]) => name).join(', ') || '(none)'}`);
    }
    return [chosen];
  }
  const readable = all.filter(([, mailbox]) => mailbox.imap);
  if (readable.length === 0) throw new CadenceError('SYNC_NO_IMAP', 'no mailbox in cadence.yaml has imap settings, so there is nothing to read', { hint: 'add imap: { host, user, password_env } to a mailbox under mailboxes:' });
  return readable;
}

async function syncFolder(input: SyncInput, client: ImapFlow, name: string, mailbox: MailboxDefinition, folder: string): Promise<FolderReport> {
  const { db } = input.store;
  const at = input.now.toISOString();
  const folderReport: FolderReport = { mailbox: name, folder, read: 0, outcomes: [] };
  const lock = await client.getMailboxLock(folder, { readOnly: true });
  try {
    const box = client.mailbox;
    if (!box) throw new Error(`folder ${folder} could not be opened`);
    const uidValidity = String(box.uidValidity);
    const end = Math.max(0, Number(box.uidNext ?? 1) - 1);
    const cursor = mailCursor(db, name, folder);
    let uids: number[];
    if (cursor && cursor.uidValidity === uidValidity) {
      uids = ((await client.search({ uid: `${cursor.lastUid + 1}:*` }, { uid: true })) || []).filter((uid) => uid > cursor.lastUid);
    } else if (cursor) {
      // Renumbered: the old cursor means nothing now. Start from the end rather than risk handling a message twice.
      folderReport.reset = true;
      uids = [];
    } else {
      // The first read takes the whole folder: only mail that answers ours, or that a lead
      // wrote after entering a live sequence, acts (see apply-message.ts).
      uids = (await client.search({ all: true }, { uid: true })) || [];
    }
    uids.sort((a, b) => a - b);
    const own = new Set([mailbox.address.toLowerCase(), ...(mailbox.imap?.user ? [mailbox.imap.user.toLowerCase()] : [])]);
    for (let index = 0; index < uids.length; index += FETCH_BATCH) {
      const batch = uids.slice(index, index + FETCH_BATCH);
      const sources: { uid: number; source: Buffer }[] = [];
      for await (const message of client.fetch(batch.join(','), { uid: true, source: true }, { uid: true })) {
        if (message.source) sources.push({ uid: message.uid, source: message.source });
      }
      sources.sort((a, b) => a.uid - b.uid);
      for (const { uid, source } of sources) {
        const incoming = await readIncoming(source).catch(() => undefined);
        // A message that cannot be parsed is passed over (its cursor moves), never retried forever.
        const classification = incoming ? classifyIncoming(incoming, input.config.sender.unsubscribe.mailto) : ({ kind: 'ignored', why: 'the message could not be parsed' } as const);
        const outcome = db.transaction(() => {
          const result = incoming ? applyIncoming(input, incoming, classification, { mailbox: name, folder, uid, ownAddresses: own, oooDays: mailbox.imap?.ooo_days ?? DEFAULT_OOO_DAYS }) : { uid, kind: 'ignored' as const, why: 'the message could not be parsed' };
          setMailCursor(db, name, folder, { uidValidity, lastUid: uid }, at);
          return result;
        }).immediate();
        folderReport.read++;
        folderReport.outcomes.push(outcome);
      }
    }
    const last = Math.max(end, uids.at(-1) ?? 0, cursor && cursor.uidValidity === uidValidity ? cursor.lastUid : 0);
    db.transaction(() => setMailCursor(db, name, folder, { uidValidity, lastUid: last }, at)).immediate();
  } finally {
    lock.release();
  }
  return folderReport;
}
