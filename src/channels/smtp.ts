import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import { CadenceError } from '../errors.js';
import type { MailboxDefinition, SmtpSettings } from '../workspace/types.js';
import { needsSmtpUtf8, wireAddress } from './address.js';
import type { Delivery, DeliveryOutcome, Transport } from './transport.js';

/** Tries within one tick for an answer that may pass (4xx, a dropped connection), with these pauses between them. */
export const IN_TICK_RETRY_PAUSES_MS = [250, 1_000] as const;

interface SmtpError extends Error {
  code?: string;
  command?: string;
  responseCode?: number;
  response?: string;
}

/**
 * The SMTP transport: one pooled connection set per mailbox (nodemailer, kept open for the
 * whole tick), credentials read only from the environment variables the config names.
 * All are read when the transport opens, so a missing one stops the tick before anything
 * is sent — never a quiet fallback to the outbox.
 */
export function smtpTransport(mailboxes: Readonly<Record<string, MailboxDefinition>>, env: NodeJS.ProcessEnv, options: { pauses?: readonly number[] } = {}): Transport {
  const settings = new Map<string, SMTPPool.Options>();
  for (const [name, mailbox] of Object.entries(mailboxes)) {
    if (mailbox.smtp) settings.set(name, poolOptions(name, mailbox.smtp, env));
  }
  const pools = new Map<string, Transporter>();
  // A mailbox whose server cannot be reached or refuses the login: its other messages wait
  // for the next tick instead of each waiting out the same failure.
  const broken = new Map<string, string>();
  const pauses = options.pauses ?? IN_TICK_RETRY_PAUSES_MS;

  const pool = (name: string): Transporter => {
    let transporter = pools.get(name);
    if (!transporter) {
      transporter = nodemailer.createTransport(settings.get(name)!);
      pools.set(name, transporter);
    }
    return transporter;
  };

  const attempt = async (name: string, delivery: Delivery): Promise<DeliveryOutcome> => {
    try {
      const info = await pool(name).sendMail({ envelope: { from: wireAddress(delivery.envelope.from), to: [wireAddress(delivery.envelope.to)] }, raw: delivery.bytes });
      if ((info.rejected ?? []).length > 0) return notABounceWithoutSmtpUtf8({ kind: 'rejected', reason: `the server refused ${delivery.envelope.to}`, recipient: true }, delivery.envelope.to);
      return { kind: 'delivered', response: String(info.response ?? '') };
    } catch (error) {
      const { outcome, mailboxDown } = classifySmtpError(error as SmtpError);
      if (mailboxDown && outcome.kind !== 'delivered') broken.set(name, outcome.reason);
      return notABounceWithoutSmtpUtf8(outcome, delivery.envelope.to);
    }
  };

  const connections = [...settings.values()].reduce((sum, options) => sum + (options.maxConnections ?? 5), 0);
  return {
    kind: 'smtp',
    // Small batches: a message is marked sending only shortly before a connection takes it,
    // so a killed tick leaves few in doubt.
    batch: Math.max(50, 10 * connections),
    async deliver(delivery) {
      const name = delivery.mailbox;
      if (name === null || !settings.has(name)) {
        return { kind: 'deferred', reason: name === null ? 'no mailbox to send from: set default_mailbox or a mailbox on the rep, sequence or step' : `mailbox "${name}" has no smtp: settings` };
      }
      // What went wrong before it went through, kept with the message's event: a connection
      // lost after the server had the whole message may have delivered it already.
      const earlier: string[] = [];
      let answered: DeliveryOutcome | undefined;
      for (let tries = 0; ; tries++) {
        const down = broken.get(name);
        // Taken down while this message waited to try again: its own answer stands (the
        // attempt counts), whichever of the two answers came first.
        if (down) return answered ?? { kind: 'deferred', reason: down, mailboxDown: true };
        const outcome = await attempt(name, delivery);
        answered = outcome;
        if (outcome.kind === 'delivered') return earlier.length > 0 ? { ...outcome, retriedAfter: earlier } : outcome;
        if (outcome.kind !== 'deferred' || tries >= pauses.length || broken.has(name)) return outcome;
        earlier.push(outcome.reason);
        await new Promise((resolve) => setTimeout(resolve, pauses[tries]));
      }
    },
    fateOf: () => 'unknown',
    async close() {
      for (const transporter of pools.values()) transporter.close();
      pools.clear();
    },
  };
}

/**
 * An address with non-ASCII before the @ reaches only a server that takes SMTPUTF8; a
 * refusal of it may say no more than that, so it is not read as a bounce (which would
 * suppress a good address for ever): the message fails and a person decides.
 */
function notABounceWithoutSmtpUtf8(outcome: DeliveryOutcome, to: string): DeliveryOutcome {
  if (outcome.kind !== 'rejected' || !outcome.recipient || !needsSmtpUtf8(to)) return outcome;
  return { kind: 'rejected', recipient: false, reason: `${outcome.reason} (the address has non-ASCII characters before the @, which only a server with SMTPUTF8, RFC 6531, accepts: not taken for a bounce)` };
}

/**
 * Reads an SMTP failure. A bounce — the address is bad — is a 5xx naming the mailbox:
 * enhanced status 5.1.x (bad address) or 5.2.1 (mailbox disabled), or, from a server
 * without enhanced codes, a 550/551/553 to RCPT TO that says so. A 5.7.x (relay denied,
 * sender not allowed) or a 5xx to the login or MAIL FROM is the mailbox's problem: it is
 * taken down for the tick and nothing is held against the lead. A full mailbox (5.2.2),
 * a 4xx, a timeout or a dropped connection may pass: tried again. Any other 5xx refuses
 * the message for good. An unreachable server, a refused login or a TLS failure takes
 * the mailbox down for the rest of the tick.
 */
export function classifySmtpError(error: SmtpError): { outcome: DeliveryOutcome; mailboxDown: boolean } {
  const status = error.responseCode;
  const text = (error.response ?? error.message).replace(/\s+/g, ' ').trim();
  const reason = status ? text : `${error.code ?? 'error'}: ${text}`;
  const enhanced = /\b([245])\.(\d{1,3})\.(\d{1,3})\b/.exec(text);
  const down = (why: string = reason): { outcome: DeliveryOutcome; mailboxDown: boolean } => ({ outcome: { kind: 'deferred', reason: why, mailboxDown: true }, mailboxDown: true });
  if (error.code === 'EAUTH' || /^AUTH/.test(error.command ?? '')) return down();
  if (error.code === 'EDNS' || error.code === 'ETLS' || /ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|Greeting never received|Connection timeout|wrong version number|certificate|self.signed|SSL routines|TLS/i.test(error.message)) return down();
  if (status !== undefined && status >= 500 && status < 600) {
    if (error.command === 'MAIL FROM') return down(`the server refused the sender: ${reason}`);
    if (enhanced?.[2] === '7') return down(`the server refused to take mail from this mailbox: ${reason}`);
    if (enhanced?.[2] === '2' && enhanced[3] === '2') return { outcome: { kind: 'deferred', reason }, mailboxDown: false };
    const badAddress = enhanced ? enhanced[2] === '1' || (enhanced[2] === '2' && enhanced[3] === '1') : error.command === 'RCPT TO' && [550, 551, 553].includes(status) && /user|mailbox|recipient|address|no such|unknown|not exist|invalid/i.test(text);
    return { outcome: { kind: 'rejected', reason, recipient: badAddress }, mailboxDown: false };
  }
  return { outcome: { kind: 'deferred', reason }, mailboxDown: false };
}

function poolOptions(name: string, smtp: SmtpSettings, env: NodeJS.ProcessEnv): SMTPPool.Options {
  const read = (variable: string, what: string): string => {
    const value = env[variable];
    if (value === undefined || value === '') {
      throw new CadenceError('SMTP_CREDENTIAL_MISSING', `mailbox "${name}": the environment variable ${variable} (${what}) is not set; nothing was sent`, {
        hint: `set ${variable} in the environment the tick runs in (for cron, in the crontab or a file it sources); cadence never falls back to the outbox`,
      });
    }
    return value;
  };
  const user = smtp.user ?? (smtp.user_env ? read(smtp.user_env, 'the SMTP user') : undefined);
  let auth: SMTPPool.Options['auth'];
  if (smtp.oauth2) {
    const account = smtp.oauth2.user ?? user;
    if (!account) throw missingUser(name);
    auth = {
      type: 'OAuth2',
      user: account,
      clientId: read(smtp.oauth2.client_id_env, 'the OAuth2 client id'),
      clientSecret: read(smtp.oauth2.client_secret_env, 'the OAuth2 client secret'),
      refreshToken: read(smtp.oauth2.refresh_token_env, 'the OAuth2 refresh token'),
      ...(smtp.oauth2.access_url ? { accessUrl: smtp.oauth2.access_url } : {}),
    };
  } else if (smtp.password_env) {
    if (!user) throw missingUser(name);
    auth = { user, pass: read(smtp.password_env, 'the SMTP password') };
  }
  return {
    pool: true,
    host: smtp.host,
    port: smtp.port ?? (smtp.secure ? 465 : 587),
    secure: smtp.secure ?? false,
    maxConnections: smtp.pool?.max_connections ?? 5,
    maxMessages: Infinity,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
    ...(auth ? { auth } : {}),
  };
}

function missingUser(name: string): CadenceError {
  return new CadenceError('SMTP_CREDENTIAL_MISSING', `mailbox "${name}": smtp has a password or oauth2 but no user; nothing was sent`, {
    hint: 'add user: (or user_env:) to the mailbox\'s smtp settings',
  });
}
