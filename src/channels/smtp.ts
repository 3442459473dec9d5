import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import { CadenceError } from '../errors.js';
import type { MailboxDefinition, SmtpSettings } from '../workspace/types.js';
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
      const info = await pool(name).sendMail({ envelope: { from: delivery.envelope.from, to: [delivery.envelope.to] }, raw: delivery.bytes });
      if ((info.rejected ?? []).length > 0) return { kind: 'rejected', reason: `the server refused ${delivery.envelope.to}`, recipient: true };
      return { kind: 'delivered', response: String(info.response ?? '') };
    } catch (error) {
      const { outcome, mailboxDown } = classifySmtpError(error as SmtpError);
      if (mailboxDown && outcome.kind !== 'delivered') broken.set(name, outcome.reason);
      return outcome;
    }
  };

  return {
    kind: 'smtp',
    async deliver(delivery) {
      const name = delivery.mailbox;
      if (name === null || !settings.has(name)) {
        return { kind: 'deferred', reason: name === null ? 'no mailbox to send from: set default_mailbox or a mailbox on the rep, sequence or step' : `mailbox "${name}" has no smtp: settings` };
      }
      for (let tries = 0; ; tries++) {
        const down = broken.get(name);
        if (down) return { kind: 'deferred', reason: down };
        const outcome = await attempt(name, delivery);
        if (outcome.kind !== 'deferred' || tries >= pauses.length || broken.has(name)) return outcome;
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
 * Reads an SMTP failure. A 5xx to the recipient (RCPT TO, or a 5.1.x status such as
 * 5.1.1 unknown user) is a bounce; another 5xx for the message is a permanent failure;
 * a 5xx to the login or sender, a 4xx, a timeout or a dropped connection may pass and
 * is tried again. An unreachable server or a refused login takes the mailbox down for
 * the rest of the tick.
 */
export function classifySmtpError(error: SmtpError): { outcome: DeliveryOutcome; mailboxDown: boolean } {
  const status = error.responseCode;
  const text = (error.response ?? error.message).replace(/\s+/g, ' ').trim();
  const reason = status ? `${text}` : `${error.code ?? 'error'}: ${text}`;
  const login = error.code === 'EAUTH' || /^AUTH/.test(error.command ?? '');
  // Not a connection lost in the middle of a message (that is tried again at once), but
  // one that cannot be made at all.
  const unreachable = error.code === 'EDNS' || /ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|Greeting never received|Connection timeout/i.test(error.message);
  if (login || unreachable) return { outcome: { kind: 'deferred', reason }, mailboxDown: true };
  if (status !== undefined && status >= 500 && status < 600) {
    if (error.command === 'MAIL FROM') return { outcome: { kind: 'deferred', reason: `the server refused the sender: ${reason}` }, mailboxDown: true };
    const recipient = error.command === 'RCPT TO' || /\b5\.1\.\d+\b/.test(text);
    return { outcome: { kind: 'rejected', reason, recipient }, mailboxDown: false };
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
