import type { ImapFlow, ImapFlowOptions } from 'imapflow';
import { CadenceError } from '../errors.js';
import type { MailboxDefinition } from '../workspace/types.js';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * The IMAP connection settings of a mailbox, with the user and password read from the
 * environment variables `cadence.yaml` names. A missing variable is an error naming it:
 * never a silent skip.
 */
export function imapOptions(name: string, mailbox: MailboxDefinition, env: Env): ImapFlowOptions {
  const imap = mailbox.imap;
  if (!imap) throw new CadenceError('SYNC_NO_IMAP', `mailbox "${name}" has no imap settings`, { hint: `add imap: { host, user, password_env } to mailboxes.${name} in cadence.yaml` });
  const user = imap.user ?? (imap.user_env ? env[imap.user_env] : mailbox.address);
  if (!user) throw missing(name, imap.user_env!, 'user name');
  if (!imap.password_env) throw new CadenceError('SYNC_MISSING_CREDENTIAL', `mailbox "${name}" names no password_env for IMAP`, { hint: `add password_env: CADENCE_IMAP_${name.toUpperCase().replace(/\W/g, '_')} to mailboxes.${name}.imap and set that variable` });
  const pass = env[imap.password_env];
  if (!pass) throw missing(name, imap.password_env, 'password');
  const port = imap.port ?? 993;
  return {
    host: imap.host,
    port,
    secure: imap.secure ?? port === 993,
    auth: { user, pass },
    logger: false,
    // Bounded waits: a dead server fails this mailbox instead of hanging cron.
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
    disableAutoIdle: true,
  };
}

function missing(name: string, variable: string, what: string): CadenceError {
  return new CadenceError('SYNC_MISSING_CREDENTIAL', `the IMAP ${what} of mailbox "${name}" is not set: the environment variable ${variable} is empty`, { hint: `export ${variable}=... in the environment cron runs cadence in` });
}

/** Connects (imapflow is loaded only here: the tick without --sync never pays for it). */
export async function connectImap(name: string, mailbox: MailboxDefinition, env: Env): Promise<ImapFlow> {
  const options = imapOptions(name, mailbox, env);
  const { ImapFlow } = await import('imapflow');
  const client = new ImapFlow(options);
  // imapflow reports a dropped connection as an 'error' event; without a listener Node would crash.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    throw new CadenceError('SYNC_CONNECT_FAILED', `could not read mailbox "${name}" at ${options.host}:${options.port}: ${describe(error)}`, { hint: 'check host, port, secure and the credentials in cadence.yaml and the environment', cause: error });
  }
  return client;
}

export function describe(error: unknown): string {
  if (error && typeof error === 'object') {
    const { responseText, message, code } = error as { responseText?: string; message?: string; code?: string };
    return [responseText ?? message, code].filter(Boolean).join(' ') || String(error);
  }
  return String(error);
}
