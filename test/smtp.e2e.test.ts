import { createServer } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { bin, cadence, queryStore, sampleWorkspace, tempDir } from './helpers/cli.js';
import { ImapFlow } from 'imapflow';
import { startDovecot } from './helpers/dovecot.js';
import { startSmtpServer, type TestSmtpServer } from './helpers/smtp.js';

const temp = tempDir('cadence-smtp-');
afterAll(() => temp.remove());
let server: TestSmtpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

// A Tuesday in the past: over SMTP the clock may not run ahead of real time.
const TUESDAY = '2026-11-17T10:00:00-05:00';
const FRIDAY = '2026-11-20T10:00:00-05:00';
const PASSWORD = { CADENCE_SMTP_ALEX: 'correct horse' };

/** The sample workspace sending through the test server as alex (password from the environment). */
async function smtpWorkspace(name: string, port: number, edit: (yaml: string) => string = (yaml) => yaml): Promise<string> {
  const ws = join(temp.dir, name);
  await sampleWorkspace(ws);
  const path = join(ws, 'cadence.yaml');
  const yaml = readFileSync(path, 'utf8')
    .replace('transport: outbox', 'transport: smtp')
    .replace('host: smtp.example.com\n      port: 587', `host: 127.0.0.1\n      port: ${port}\n      secure: false`);
  writeFileSync(path, edit(yaml));
  return ws;
}

function run(ws: string, args: string[], env: Record<string, string> = {}) {
  return cadence(args, { cwd: ws, env: { CADENCE_NOW: TUESDAY, ...PASSWORD, ...env } });
}

function messages(ws: string) {
  return queryStore<{ id: number; message_id: string; to_address: string; state: string; attempts: number; unsubscribe_token: string; next_attempt_at: string | null; step_id: string }>(ws, 'SELECT id, message_id, to_address, state, attempts, unsubscribe_token, next_attempt_at, step_id FROM messages ORDER BY id');
}

/** Leads of our own, to have many messages in one tick. */
async function addLeads(ws: string, count: number): Promise<void> {
  const lines = ['email,first_name,last_name,company,status'];
  for (let i = 0; i < count; i++) lines.push(`lead${i}@example.org,Lead${i},Test,Company ${i},new`);
  writeFileSync(join(ws, 'many.csv'), `${lines.join('\n')}\n`);
  expect((await cadence(['import', 'many.csv'], { cwd: ws })).exitCode).toBe(0);
}

describe('cadence tick over SMTP (a real smtp-server on 127.0.0.1)', () => {
  it('delivers through the owner’s mailbox with its login: headers, unsubscribe route, footer, both parts, threading', async () => {
    server = await startSmtpServer({ user: 'alex@example.com', pass: 'correct horse' });
    const ws = await smtpWorkspace('deliver', server.port);
    expect((await run(ws, ['enroll', 'inbound-8day', '--lead', 'olivia.bennett@northwind.example.com'])).exitCode).toBe(0);
    const first = await run(ws, ['tick', '--json']);
    expect(first.exitCode).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ emailsSent: 1, errors: [], inDoubt: [] });
    expect(server.logins).toEqual([{ method: 'PLAIN', user: 'alex@example.com', secret: 'correct horse' }]);
    expect(server.received).toHaveLength(1);
    const [welcome] = messages(ws);
    const mail = server.received[0]!;
    expect(mail.from).toBe('alex@example.com');
    expect(mail.to).toEqual(['olivia.bennett@northwind.example.com']);
    expect(mail.messageId).toBe(welcome!.message_id);
    expect(mail.raw).toContain('From: Alex Morgan <alex@example.com>');
    expect(mail.raw).toContain(`List-Unsubscribe: <mailto:unsubscribe+${welcome!.unsubscribe_token}@example.com>`);
    expect(mail.raw).toMatch(/Content-Type: multipart\/alternative/);
    expect(mail.raw).toContain('Content-Type: text/plain; charset=utf-8');
    expect(mail.raw).toContain('Content-Type: text/html; charset=utf-8');
    expect(mail.raw.replace(/=\r?\n/g, '')).toContain('100 Example Street, Suite 200, New York, NY 10001, USA');
    expect(welcome!.state).toBe('sent');

    for (const day of ['18', '19']) expect((await run(ws, ['tick'], { CADENCE_NOW: `2026-11-${day}T10:00:00-05:00` })).exitCode).toBe(0);
    expect((await run(ws, ['tick'], { CADENCE_NOW: FRIDAY })).exitCode).toBe(0);
    expect(server.received).toHaveLength(2);
    const followup = server.received[1]!.raw;
    expect(followup).toContain(`In-Reply-To: ${welcome!.message_id}`);
    expect(followup).toMatch(/^Subject: Re: /m);

    const status = JSON.parse((await run(ws, ['status', '--json'], { CADENCE_NOW: FRIDAY })).stdout) as { mailboxes: { mailbox: string; today: number; dailyCap: number | null }[] };
    expect(status.mailboxes).toContainEqual(expect.objectContaining({ mailbox: 'alex', today: 1, dailyCap: 200 }));
  });

  it('retries 421 and 451 answers within the tick and delivers one copy', async () => {
    server = await startSmtpServer({ user: 'alex@example.com', pass: 'correct horse' });
    const ws = await smtpWorkspace('retry', server.port);
    server.behaviour.failMailFrom = { count: 1, code: 421 };
    server.behaviour.failData = { count: 1, code: 451 };
    expect((await run(ws, ['enroll', 'inbound-8day', '--lead', 'olivia.bennett@northwind.example.com'])).exitCode).toBe(0);
    const tick = await run(ws, ['tick', '--json']);
    expect(tick.exitCode).toBe(0);
    expect(server.received).toHaveLength(1);
    expect(messages(ws)).toEqual([expect.objectContaining({ state: 'sent', attempts: 1 })]);
  });

  it('a connection dropped in the middle of a message is retried: one copy arrives', async () => {
    server = await startSmtpServer({ user: 'alex@example.com', pass: 'correct horse' });
    const ws = await smtpWorkspace('drop', server.port);
    server.behaviour.dropMidMessage = 1;
    expect((await run(ws, ['enroll', 'inbound-8day', '--lead', 'olivia.bennett@northwind.example.com'])).exitCode).toBe(0);
    const tick = await run(ws, ['tick', '--json']);
    expect(tick.exitCode).toBe(0);
    expect(server.received.map((mail) => mail.messageId)).toEqual([messages(ws)[0]!.message_id]);
    expect(messages(ws)[0]!.state).toBe('sent');
    // The lost connection is kept with the message: had the server already had all of it, this says why two arrived.
    const sent = queryStore<{ data: string }>(ws, "SELECT data FROM events WHERE type = 'email.sent'");
    expect(JSON.parse(sent[0]!.data).retriedAfter).toEqual([expect.stringMatching(/ECONNECTION|ESOCKET|closed|ECONNRESET/)]);
  });

  it('a 550 for the recipient is a bounce: the address is suppressed and its sequences end', async () => {
    server = await startSmtpServer({ user: 'alex@example.com', pass: 'correct horse' });
    const ws = await smtpWorkspace('bounce', server.port);
    server.behaviour.rejectRecipients.add('marcus.lee@contoso.example.com');
    expect((await run(ws, ['enroll', 'inbound-8day', '--lead', 'olivia.bennett@northwind.example.com', '--lead', 'marcus.lee@contoso.example.com'])).exitCode).toBe(0);
    const tick = await run(ws, ['tick', '--json']);
    expect(tick.exitCode).toBe(0);
    expect(server.received.map((mail) => mail.to[0])).toEqual(['olivia.bennett@northwind.example.com']);
    expect(messages(ws).find((message) => message.to_address.startsWith('marcus'))!.state).toBe('bounced');
    expect(queryStore(ws, 'SELECT kind, value, reason FROM suppressions')).toEqual([{ kind: 'address', value: 'marcus.lee@contoso.example.com', reason: 'bounced' }]);
    expect(queryStore(ws, "SELECT e.state, e.reason FROM enrollments e JOIN leads l ON l.id = e.lead_id WHERE l.email LIKE 'marcus%'")).toEqual([{ state: 'exited', reason: 'bounce' }]);
    const bounced = queryStore<{ data: string }>(ws, "SELECT data FROM events WHERE type = 'email.bounced'");
    expect(JSON.parse(bounced[0]!.data)).toMatchObject({ source: 'smtp', note: expect.stringContaining('5.1.1') });
  });

  it('an internationalized domain goes over the wire in its ASCII form (xn--), in the envelope and the To header; the store keeps it as written', async () => {
    server = await startSmtpServer({ user: 'alex@example.com', pass: 'correct horse' }, { hideSMTPUTF8: true });
    const ws = await smtpWorkspace('idn', server.port);
    writeFileSync(join(ws, 'idn.csv'), 'email,first_name,last_name,company,status,inquiry\ntaro@例え.jp,Taro,Yamada,Reie,MQL,Pricing for 10 seats\n');
    expect((await cadence(['import', 'idn.csv'], { cwd: ws })).exitCode).toBe(0);
    expect((await run(ws, ['enroll', 'inbound-8day', '--lead', 'taro@例え.jp'])).exitCode).toBe(0);
    const tick = await run(ws, ['tick', '--json']);
    expect(tick.exitCode).toBe(0);
    expect(server.commands.filter((command) => command.startsWith('RCPT'))).toEqual(['RCPT TO:<taro@xn--r8jz45g.jp>']);
    expect(server.received).toHaveLength(1);
    expect(server.received[0]!.raw).toMatch(/^To: taro@xn--r8jz45g\.jp\r?$/m);
    expect(messages(ws).map((message) => [message.to_address, message.state])).toEqual([['taro@例え.jp', 'sent']]);
  });

  it('a non-ASCII address refused by a server without SMTPUTF8 fails for a person to look at: no bounce, no suppression', async () => {
    server = await startSmtpServer({ user: 'alex@example.com', pass: 'correct horse' }, { hideSMTPUTF8: true });
    const ws = await smtpWorkspace('smtputf8', server.port);
    server.behaviour.rcptErrors.set('山田@example.jp', { code: 553, text: '5.1.3 the recipient address is not a valid RFC 5321 address' });
    writeFileSync(join(ws, 'utf8.csv'), 'email,first_name,last_name,company,status,inquiry\n山田@example.jp,Taro,Yamada,Reie,MQL,Pricing for 10 seats\n');
    expect((await cadence(['import', 'utf8.csv'], { cwd: ws })).exitCode).toBe(0);
    expect((await run(ws, ['enroll', 'inbound-8day', '--lead', '山田@example.jp'])).exitCode).toBe(0);
    const tick = await run(ws, ['tick', '--json']);
    expect(tick.exitCode).toBe(3);
    expect(messages(ws).map((message) => message.state)).toEqual(['failed']);
    expect(queryStore(ws, 'SELECT kind, value FROM suppressions')).toEqual([]);
    expect(queryStore(ws, 'SELECT state, reason FROM enrollments')).toEqual([{ state: 'paused', reason: 'delivery_failed' }]);
    expect(JSON.parse(tick.stdout).errors[0].message).toContain('SMTPUTF8');
  });

  it('a server that keeps deferring: exit 3, the same message waits with backoff, and goes at a later tick', async () => {
    server = await startSmtpServer({ user: 'alex@example.com', pass: 'correct horse' });
    const ws = await smtpWorkspace('deferred', server.port);
    server.behaviour.failData = { count: 1000, code: 451 };
    expect((await run(ws, ['enroll', 'inbound-8day', '--lead', 'olivia.bennett@northwind.example.com'])).exitCode).toBe(0);
    const first = await run(ws, ['tick', '--json']);
    expect(first.exitCode).toBe(3);
    const result = JSON.parse(first.stdout) as { emailsSent: number; errors: { message: string; retryAt: string }[] };
    expect(result.emailsSent).toBe(0);
    expect(result.errors).toEqual([expect.objectContaining({ retryAt: '2026-11-17T15:01:00.000Z', message: expect.stringContaining('451') })]);
    expect(messages(ws)).toEqual([expect.objectContaining({ state: 'queued', attempts: 1, next_attempt_at: '2026-11-17T15:01:00.000Z' })]);
    server.behaviour.failData.count = 0;
    const early = await run(ws, ['tick', '--json'], { CADENCE_NOW: '2026-11-17T10:00:30-05:00' });
    expect(JSON.parse(early.stdout)).toMatchObject({ emailsSent: 0 });
    const later = await run(ws, ['tick', '--json'], { CADENCE_NOW: '2026-11-17T10:02:00-05:00' });
    expect(later.exitCode).toBe(0);
    expect(JSON.parse(later.stdout)).toMatchObject({ emailsSent: 1, errors: [] });
    expect(server.received.map((mail) => mail.messageId)).toEqual([messages(ws)[0]!.message_id]);
    expect(messages(ws)).toEqual([expect.objectContaining({ state: 'sent', attempts: 2 })]);
  });

  it('a missing password is an error before anything is recorded, never a fallback to the outbox', async () => {
    server = await startSmtpServer({ user: 'alex@example.com', pass: 'correct horse' });
    const ws = await smtpWorkspace('no-password', server.port);
    expect((await run(ws, ['enroll', 'inbound-8day', '--lead', 'olivia.bennett@northwind.example.com'])).exitCode).toBe(0);
    const tick = await cadence(['tick'], { cwd: ws, env: { CADENCE_NOW: TUESDAY, CADENCE_SMTP_ALEX: '' } });
    expect(tick.exitCode).toBe(1);
    expect(tick.stderr).toContain('SMTP_CREDENTIAL_MISSING');
    expect(tick.stderr).toContain('CADENCE_SMTP_ALEX');
    expect(tick.stderr).not.toMatch(/\n\s+at /);
    expect(messages(ws)).toEqual([]);
    expect(queryStore(ws, 'SELECT step_id, due_at IS NOT NULL AS due FROM enrollments')).toEqual([{ step_id: 'welcome', due: 1 }]);
    expect(server.received).toEqual([]);
  });

  it('refuses a clock ahead of real time', async () => {
    server = await startSmtpServer({ user: 'alex@example.com', pass: 'correct horse' });
    const ws = await smtpWorkspace('ahead', server.port);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    const tick = await run(ws, ['tick'], { CADENCE_NOW: tomorrow });
    expect(tick.exitCode).toBe(1);
    expect(tick.stderr).toContain('CLOCK_AHEAD');
  });

  it('signs in with OAuth2 (XOAUTH2), the access token fetched with the refresh token from the environment', async () => {
    const tokens: string[] = [];
    const tokenServer = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        tokens.push(body);
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 'access-123', expires_in: 3600, token_type: 'Bearer' }));
      });
    });
    await new Promise<void>((resolve) => tokenServer.listen(0, '127.0.0.1', () => resolve()));
    try {
      const tokenPort = (tokenServer.address() as { port: number }).port;
      server = await startSmtpServer({ user: 'alex@example.com', accessToken: 'access-123' });
      const ws = await smtpWorkspace('oauth2', server.port, (yaml) =>
        yaml.replace(
          '      password_env: CADENCE_SMTP_ALEX',
          `      oauth2:\n        client_id_env: ALEX_CLIENT_ID\n        client_secret_env: ALEX_CLIENT_SECRET\n        refresh_token_env: ALEX_REFRESH\n        access_url: http://127.0.0.1:${tokenPort}/token`,
        ),
      );
      expect((await run(ws, ['enroll', 'inbound-8day', '--lead', 'olivia.bennett@northwind.example.com'])).exitCode).toBe(0);
      const tick = await run(ws, ['tick', '--json'], { ALEX_CLIENT_ID: 'client', ALEX_CLIENT_SECRET: 'shh', ALEX_REFRESH: 'refresh-9' });
      expect(tick.exitCode).toBe(0);
      expect(server.logins).toEqual([{ method: 'XOAUTH2', user: 'alex@example.com', secret: 'access-123' }]);
      expect(tokens[0]).toContain('refresh_token=refresh-9');
      expect(server.received).toHaveLength(1);
    } finally {
      await new Promise((resolve) => tokenServer.close(resolve));
    }
  });

  it('a tick killed after the server took messages: they are held in doubt, listed, resolved by hand, and none is sent twice', async () => {
    server = await startSmtpServer({ user: 'alex@example.com', pass: 'correct horse' });
    const ws = await smtpWorkspace('in-doubt', server.port);
    await addLeads(ws, 12);
    expect((await run(ws, ['enroll', 'outbound-18day', '--where', 'email contains ".org"'])).exitCode).toBe(0);
    const killed = await execa(process.execPath, [bin, 'tick'], { cwd: ws, env: { NO_COLOR: '1', CADENCE_NOW: TUESDAY, ...PASSWORD, CADENCE_CRASH_AT: 'delivered:3' }, reject: false });
    expect(killed.signal).toBe('SIGKILL');
    expect(server.received.length).toBeGreaterThanOrEqual(3);
    expect(messages(ws).filter((message) => message.state === 'sending').length).toBe(12);

    const next = await run(ws, ['tick', '--json']);
    expect(next.exitCode).toBe(3);
    const inDoubt = (JSON.parse(next.stdout) as { inDoubt: string[] }).inDoubt;
    expect(inDoubt).toHaveLength(12);
    const status = JSON.parse((await run(ws, ['status', '--json'])).stdout) as { inDoubt: { messageId: string }[]; paused: { reason: string; count: number }[] };
    expect(status.inDoubt.map((message) => message.messageId).sort()).toEqual([...inDoubt].sort());
    expect(status.paused).toContainEqual({ reason: 'message_in_doubt', count: 12 });
    const again = await run(ws, ['tick', '--json']);
    expect(again.exitCode).toBe(3);
    expect((JSON.parse(again.stdout) as { inDoubt: string[] }).inDoubt.sort()).toEqual([...inDoubt].sort());
    const resume = await run(ws, ['resume', 'outbound-18day', '--lead', 'lead0@example.org']);
    expect(resume.exitCode).toBe(1);
    expect(resume.stderr).toContain('MESSAGE_IN_DOUBT');

    // A person checks the server's log: what arrived was sent; the rest is sent again.
    const arrived = new Set(server.received.map((mail) => mail.messageId));
    for (const messageId of inDoubt) {
      const resolved = await run(ws, ['resolve', messageId, arrived.has(messageId) ? 'sent' : 'resend']);
      expect(resolved.exitCode).toBe(0);
    }
    expect((await run(ws, ['resolve', inDoubt[0]!, 'sent'])).stderr).toContain('MESSAGE_NOT_IN_DOUBT');
    const final = await run(ws, ['tick', '--json']);
    expect(final.exitCode).toBe(0);
    const ids = server.received.map((mail) => mail.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(12);
    expect(messages(ws).every((message) => message.state === 'sent')).toBe(true);
    expect(queryStore(ws, "SELECT count(*) AS n FROM enrollments WHERE state = 'active' AND step_id <> 'intro'")).toEqual([{ n: 12 }]);
  }, 60_000);

  it('a message in doubt holds its enrollment even when it was paused until a date: the pause ending does not lift the hold', async () => {
    server = await startSmtpServer({ user: 'alex@example.com', pass: 'correct horse' });
    const ws = await smtpWorkspace('hold-over-pause', server.port);
    expect((await run(ws, ['enroll', 'inbound-8day', '--lead', 'olivia.bennett@northwind.example.com'])).exitCode).toBe(0);
    const killed = await execa(process.execPath, [bin, 'tick'], { cwd: ws, env: { NO_COLOR: '1', CADENCE_NOW: TUESDAY, ...PASSWORD, CADENCE_CRASH_AT: 'delivered:1' }, reject: false });
    expect(killed.signal).toBe('SIGKILL');
    // An out-of-office comes in before anyone looks: paused until the 18th.
    expect((await run(ws, ['log', 'olivia.bennett@northwind.example.com', 'ooo', '--until', '2026-11-18'])).exitCode).toBe(0);
    expect((await run(ws, ['tick'])).exitCode).toBe(3);
    const held = () => queryStore<{ state: string; reason: string; paused_until: string | null }>(ws, "SELECT state, reason, paused_until FROM enrollments WHERE sequence = 'inbound-8day'")[0];
    expect(held()).toEqual({ state: 'paused', reason: 'message_in_doubt', paused_until: null });
    expect((await run(ws, ['tick'], { CADENCE_NOW: '2026-11-19T10:00:00-05:00' })).exitCode).toBe(3);
    expect(held()).toMatchObject({ state: 'paused', reason: 'message_in_doubt' });
    const [message] = messages(ws);
    expect((await run(ws, ['resolve', message!.message_id, 'sent'], { CADENCE_NOW: '2026-11-19T10:00:00-05:00' })).exitCode).toBe(0);
    expect(held()).toMatchObject({ state: 'active' });
    expect(server.received).toHaveLength(1);
  }, 60_000);

  it('ticks killed at random moments: no message arrives twice, every one is sent or in doubt and listed', async () => {
    server = await startSmtpServer({ user: 'alex@example.com', pass: 'correct horse' });
    const ws = await smtpWorkspace('random-kills', server.port);
    await addLeads(ws, 150);
    expect((await run(ws, ['enroll', 'outbound-18day', '--where', 'email contains ".org"'])).exitCode).toBe(0);
    for (let round = 0; round < 4; round++) {
      const child = execa(process.execPath, [bin, 'tick'], { cwd: ws, env: { NO_COLOR: '1', CADENCE_NOW: TUESDAY, ...PASSWORD }, reject: false });
      await new Promise((resolve) => setTimeout(resolve, 300 + Math.floor(Math.random() * 400)));
      child.kill('SIGKILL');
      await child;
    }
    const last = await run(ws, ['tick', '--json']);
    expect([0, 3]).toContain(last.exitCode);
    const ids = server.received.map((mail) => mail.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    const stored = messages(ws);
    expect(new Set(stored.map((message) => message.step_id === 'intro' && message.to_address)).size).toBe(150);
    expect(stored.filter((message) => message.state !== 'sent' && message.state !== 'in_doubt')).toEqual([]);
    const status = JSON.parse((await run(ws, ['status', '--json'])).stdout) as { inDoubt: { messageId: string }[] };
    expect(status.inDoubt.map((message) => message.messageId).sort()).toEqual(stored.filter((message) => message.state === 'in_doubt').map((message) => message.message_id).sort());
    // Every sent message arrived exactly once.
    const arrived = new Set(ids);
    for (const message of stored.filter((candidate) => candidate.state === 'sent')) expect(arrived.has(message.message_id)).toBe(true);
  }, 90_000);

  it('with imap.append_sent, each message the server took is also stored in the mailbox’s Sent folder', async () => {
    const dovecot = await startDovecot();
    try {
      dovecot.addUser('alex@example.com', 'imap-secret');
      server = await startSmtpServer({ user: 'alex@example.com', pass: 'correct horse' });
      const ws = await smtpWorkspace('sent-copy', server.port, (yaml) =>
        yaml.replace('host: imap.example.com\n      port: 993\n      user: alex@example.com', `host: 127.0.0.1\n      port: ${dovecot.port}\n      secure: false\n      append_sent: true\n      user: alex@example.com`),
      );
      expect(readFileSync(join(ws, 'cadence.yaml'), 'utf8')).toContain('append_sent: true');
      expect((await run(ws, ['enroll', 'inbound-8day', '--lead', 'olivia.bennett@northwind.example.com'])).exitCode).toBe(0);
      const tick = await run(ws, ['tick', '--json'], { CADENCE_IMAP_ALEX: 'imap-secret' });
      expect(JSON.parse(tick.stdout)).toMatchObject({ emailsSent: 1, errors: [] });
      const client = new ImapFlow({ host: '127.0.0.1', port: dovecot.port, secure: false, auth: { user: 'alex@example.com', pass: 'imap-secret' }, logger: false });
      await client.connect();
      try {
        const lock = await client.getMailboxLock('Sent');
        try {
          const copies = [];
          for await (const message of client.fetch('1:*', { envelope: true })) copies.push(message.envelope?.messageId);
          expect(copies).toEqual([messages(ws)[0]!.message_id]);
        } finally {
          lock.release();
        }
      } finally {
        await client.logout();
      }
    } finally {
      await dovecot.stop();
    }
  }, 60_000);

  it('a Sent-folder copy that fails is reported (exit 3), and the message stays sent', async () => {
    server = await startSmtpServer({ user: 'alex@example.com', pass: 'correct horse' });
    // A port nothing listens on: the IMAP server for the copy cannot be reached.
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const ws = await smtpWorkspace('sent-copy-fails', server.port, (yaml) =>
      yaml.replace('host: imap.example.com\n      port: 993\n      user: alex@example.com', `host: 127.0.0.1\n      port: ${closed}\n      secure: false\n      append_sent: true\n      user: alex@example.com`),
    );
    expect((await run(ws, ['enroll', 'inbound-8day', '--lead', 'olivia.bennett@northwind.example.com'])).exitCode).toBe(0);
    const tick = await run(ws, ['tick', '--json'], { CADENCE_IMAP_ALEX: 'imap-secret' });
    expect(tick.exitCode).toBe(3);
    const result = JSON.parse(tick.stdout) as { emailsSent: number; errors: { message: string }[] };
    expect(result.emailsSent).toBe(1);
    expect(result.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/^sent, but /) })]);
    expect(messages(ws)[0]!.state).toBe('sent');
    expect(server.received).toHaveLength(1);
  }, 60_000);

  it('a message still queued when its lead unsubscribes is cancelled, never sent', async () => {
    server = await startSmtpServer({ user: 'alex@example.com', pass: 'correct horse' });
    const ws = await smtpWorkspace('cancelled', server.port);
    server.behaviour.failData = { count: 3, code: 451 };
    expect((await run(ws, ['enroll', 'inbound-8day', '--lead', 'olivia.bennett@northwind.example.com'])).exitCode).toBe(0);
    expect((await run(ws, ['tick'])).exitCode).toBe(3);
    expect(messages(ws)[0]!.state).toBe('queued');
    expect((await run(ws, ['log', 'olivia.bennett@northwind.example.com', 'unsubscribe'])).exitCode).toBe(0);
    const later = await run(ws, ['tick', '--json'], { CADENCE_NOW: '2026-11-17T10:05:00-05:00' });
    expect(JSON.parse(later.stdout)).toMatchObject({ emailsSent: 0 });
    expect(server.received).toEqual([]);
    expect(messages(ws)[0]!.state).toBe('cancelled');
    expect(queryStore<{ data: string }>(ws, "SELECT data FROM events WHERE type = 'email.cancelled'").map((row) => JSON.parse(row.data).reason)).toEqual(['the address is suppressed (unsubscribed)']);
  });

  it('a refusal that is the mailbox’s (relay denied 5.7.1, a wrong password) is no bounce and costs the message no attempt; a full mailbox (5.2.2) is tried again', async () => {
    server = await startSmtpServer({ user: 'alex@example.com', pass: 'correct horse' });
    const ws = await smtpWorkspace('mailbox-refusals', server.port);
    expect((await run(ws, ['enroll', 'inbound-8day', '--lead', 'olivia.bennett@northwind.example.com', '--lead', 'marcus.lee@contoso.example.com'])).exitCode).toBe(0);
    const wrong = await run(ws, ['tick', '--json'], { CADENCE_SMTP_ALEX: 'wrong' });
    expect(wrong.exitCode).toBe(3);
    expect((JSON.parse(wrong.stdout) as { errors: { message: string }[] }).errors.map((error) => error.message)).toEqual([expect.stringContaining('cannot send'), expect.stringContaining('cannot send')]);
    expect(messages(ws).map((message) => [message.state, message.attempts])).toEqual([['queued', 0], ['queued', 0]]);
    expect(queryStore(ws, "SELECT state FROM enrollments")).toEqual([{ state: 'active' }, { state: 'active' }]);
    expect(queryStore<{ n: number }>(ws, "SELECT count(*) AS n FROM tasks WHERE state = 'open'")[0]!.n).toBe(2);
    // The login is fixed; the server refuses one recipient as relaying and finds the other's
    // mailbox full. The relay refusal comes second, while the full mailbox waits to be tried
    // again within the tick: that message's own answer still stands (its attempt counts).
    server.behaviour.rcptErrors = new Map([
      ['olivia.bennett@northwind.example.com', { code: 550, text: '5.7.1 Relaying denied', delayMs: 100 }],
      ['marcus.lee@contoso.example.com', { code: 552, text: '5.2.2 Mailbox full' }],
    ]);
    const refused = await run(ws, ['tick', '--json'], { CADENCE_NOW: '2026-11-17T10:06:00-05:00' });
    expect(refused.exitCode).toBe(3);
    expect(queryStore(ws, 'SELECT * FROM suppressions')).toEqual([]);
    const byLead = Object.fromEntries(messages(ws).map((message) => [message.to_address, message]));
    expect(byLead['olivia.bennett@northwind.example.com']).toMatchObject({ state: 'queued', attempts: 0 });
    expect(byLead['marcus.lee@contoso.example.com']).toMatchObject({ state: 'queued', attempts: 1 });
  });

  it('the daily cap counts what is delivered: retries queued yesterday go first and nothing goes over it', async () => {
    server = await startSmtpServer({ user: 'alex@example.com', pass: 'correct horse' });
    const ws = await smtpWorkspace('cap-retries', server.port, (yaml) => yaml.replace(/daily_cap: 200[^\n]*/, 'daily_cap: 3'));
    await addLeads(ws, 6);
    server.behaviour.failData = { count: 1000, code: 451 };
    // Late in the working day (the workspace's zone): three are queued, all deferred; three wait for tomorrow.
    const evening = { CADENCE_NOW: '2026-11-17T17:50:00-05:00' };
    expect((await run(ws, ['enroll', 'outbound-18day', '--where', 'email contains ".org"', '--start', '2026-11-17T09:00:00-05:00'], evening)).exitCode).toBe(0);
    await run(ws, ['tick'], evening);
    expect(messages(ws).filter((message) => message.state === 'queued')).toHaveLength(3);
    expect(messages(ws)).toHaveLength(3);
    server.behaviour.failData.count = 0;
    // After midnight: the three retries go; the other three wait, the cap of the new day reached.
    await run(ws, ['tick'], { CADENCE_NOW: '2026-11-18T09:10:00-05:00' });
    expect(server.received).toHaveLength(3);
    const status = JSON.parse((await run(ws, ['status', '--json'], { CADENCE_NOW: '2026-11-18T09:10:00-05:00' })).stdout) as { mailboxes: { mailbox: string; today: number }[] };
    expect(status.mailboxes.find((row) => row.mailbox === 'alex')!.today).toBe(3);
    await run(ws, ['tick'], { CADENCE_NOW: '2026-11-18T15:00:00-05:00' });
    expect(server.received).toHaveLength(3);
  });
});
