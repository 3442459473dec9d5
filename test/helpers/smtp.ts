import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  messageId: string;
}

/** How the test server misbehaves; tests change it between ticks. */
export interface SmtpBehaviour {
  /** Recipients refused at RCPT TO with 550 5.1.1. */
  rejectRecipients: Set<string>;
  /** Recipients refused at RCPT TO with a code and text of the test's choosing. */
  /** An answer to RCPT TO for an address, given after `delayMs` when set. */
  rcptErrors: Map<string, { code: number; text: string; delayMs?: number }>;
  /** Answer the next N MAIL FROM commands with this code (e.g. 421, 451). */
  failMailFrom: { count: number; code: number };
  /** Answer the next N messages at the end of DATA with this code. */
  failData: { count: number; code: number };
  /** Drop the connection in the middle of the next N messages. */
  dropMidMessage: number;
}

export interface TestSmtpServer {
  port: number;
  received: ReceivedMail[];
  logins: { method: string; user: string; secret: string }[];
  behaviour: SmtpBehaviour;
  /** MAIL FROM and RCPT TO as the client wrote them (the server decodes xn-- domains in `received`). */
  commands: string[];
  close: () => Promise<void>;
}

function smtpError(code: number, text: string): Error {
  return Object.assign(new Error(text), { responseCode: code });
}

/**
 * A real SMTP server (smtp-server) on 127.0.0.1 and a free port, collecting what it
 * accepts. STARTTLS is off (its built-in certificate has expired). With `auth`, logins are
 * checked: a password, or an XOAUTH2 access token.
 */
export async function startSmtpServer(auth?: { user: string; pass?: string; accessToken?: string }, extensions: { hideSMTPUTF8?: boolean } = {}): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const logins: TestSmtpServer['logins'] = [];
  const behaviour: SmtpBehaviour = { rejectRecipients: new Set(), rcptErrors: new Map(), failMailFrom: { count: 0, code: 451 }, failData: { count: 0, code: 451 }, dropMidMessage: 0 };
  const commands: string[] = [];
  const quiet = (): void => {};
  const logger = {
    trace: quiet,
    info: quiet,
    warn: quiet,
    error: quiet,
    fatal: quiet,
    debug: (...args: unknown[]): void => {
      const command = /^C: ((?:MAIL FROM|RCPT TO):.*)$/i.exec(args.filter((arg) => typeof arg === 'string').join(' '));
      if (command) commands.push(command[1]!);
    },
  };
  const options: SMTPServerOptions = {
    disabledCommands: auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    allowInsecureAuth: true,
    authOptional: !auth,
    ...(auth?.accessToken ? { authMethods: ['XOAUTH2'] } : {}),
    logger: logger as unknown as SMTPServerOptions['logger'],
    ...extensions,
    onAuth(login, _session, callback) {
      logins.push({ method: login.method, user: login.username ?? '', secret: login.method === 'XOAUTH2' ? (login.accessToken ?? '') : (login.password ?? '') });
      const ok = login.username === auth?.user && (login.method === 'XOAUTH2' ? login.accessToken === auth?.accessToken : login.password === auth?.pass);
      if (ok) callback(null, { user: login.username });
      else callback(smtpError(535, 'authentication failed'));
    },
    onMailFrom(_address, _session, callback) {
      if (behaviour.failMailFrom.count > 0) {
        behaviour.failMailFrom.count--;
        callback(smtpError(behaviour.failMailFrom.code, 'try again later'));
        return;
      }
      callback();
    },
    onRcptTo(address, _session, callback) {
      const chosen = behaviour.rcptErrors.get(address.address);
      if (chosen) setTimeout(() => callback(smtpError(chosen.code, chosen.text)), chosen.delayMs ?? 0);
      else if (behaviour.rejectRecipients.has(address.address)) callback(smtpError(550, '5.1.1 no such user here'));
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      if (behaviour.dropMidMessage > 0) {
        behaviour.dropMidMessage--;
        stream.once('data', () => {
          const connection = [...(server as unknown as { connections: Set<{ id: string; _socket: { destroy: () => void } }> }).connections].find((candidate) => candidate.id === session.id);
          connection?._socket.destroy();
        });
        stream.on('data', () => {});
        stream.on('end', () => callback(smtpError(451, 'dropped')));
        return;
      }
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (behaviour.failData.count > 0) {
          behaviour.failData.count--;
          callback(smtpError(behaviour.failData.code, 'try again later'));
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw,
          messageId: /^Message-ID: (.+)$/im.exec(raw)?.[1]?.trim() ?? '',
        });
        callback();
      });
    },
  };
  const server = new SMTPServer(options);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  // A client killed in the middle of a message (the crash tests do it) resets its
  // connection; smtp-server reports that as an error event, which is expected here.
  server.on('error', () => {});
  const port = (server.server.address() as { port: number }).port;
  return { port, received, logins, behaviour, commands, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
