import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendToSent } from '../src/sync/append-sent.js';
import { cadence, queryStore, sampleWorkspace, tempDir } from './helpers/cli.js';
import { startDovecot, type Dovecot } from './helpers/dovecot.js';

const temp = tempDir('cadence-sync-');
let dovecot: Dovecot;
const USER = 'alex@example.com';
const PASSWORD = 'imap-secret';
const env = (now: string): Record<string, string> => ({ CADENCE_NOW: now, CADENCE_IMAP_ALEX: PASSWORD });

beforeAll(async () => {
  dovecot = await startDovecot();
  dovecot.addUser(USER, PASSWORD);
}, 30_000);
afterAll(async () => {
  await dovecot?.stop();
  temp.remove();
});

/** Points the starter mailbox at the test server (plain IMAP on 127.0.0.1), logging in as `user`. */
function useTestServer(ws: string, user = USER): void {
  const path = join(ws, 'cadence.yaml');
  const config = readFileSync(path, 'utf8').replace(`host: imap.example.com\n      port: 993\n      user: ${USER}`, `host: 127.0.0.1\n      port: ${dovecot.port}\n      secure: false\n      user: ${user}`);
  expect(config).toContain(`port: ${dovecot.port}`);
  writeFileSync(path, config);
}

async function imap(user = USER): Promise<ImapFlow> {
  const client = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user, pass: PASSWORD }, logger: false, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
  await client.connect();
  return client;
}

/** Delivers messages into INBOX with the IMAP APPEND command, dated `at` (the rehearsal's clock). */
async function deliver(at: string, ...messages: string[]): Promise<void> {
  await deliverTo(USER, at, ...messages);
}

async function deliverTo(user: string, at: string, ...messages: string[]): Promise<void> {
  const client = await imap(user);
  try {
    for (const message of messages) await client.append('INBOX', Buffer.from(message.replace(/\r?\n/g, '\r\n')), [], new Date(at));
  } finally {
    await client.logout();
  }
}

const encoded = (text: string): string => `=?UTF-8?B?${Buffer.from(text).toString('base64')}?=`;

function mail(headers: Record<string, string>, body: string): string {
  const lines = Object.entries({ 'MIME-Version': '1.0', 'Content-Type': 'text/plain; charset=UTF-8', 'Content-Transfer-Encoding': '8bit', ...headers }).map(([name, value]) => `${name}: ${value}`);
  return `${lines.join('\n')}\n\n${body}\n`;
}

function deliveryReport(recipient: string, action: 'failed' | 'delayed', status: string, originalMessageId: string): string {
  return [
    'From: Mail Delivery System <MAILER-DAEMON@mx.example.net>',
    `To: ${USER}`,
    'Subject: Undelivered Mail Returned to Sender',
    `Message-ID: <dsn.${Math.random().toString(36).slice(2)}@mx.example.net>`,
    'Date: Wed, 02 Dec 2026 15:00:00 +0000',
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="REPORT"',
    '',
    '--REPORT',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'This is the mail system at host mx.example.net. Your message could not be delivered.',
    '',
    '--REPORT',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.net',
    'Arrival-Date: Wed, 02 Dec 2026 14:59:00 +0000',
    '',
    `Final-Recipient: rfc822; ${recipient}`,
    `Original-Recipient: rfc822;${recipient}`,
    `Action: ${action}`,
    `Status: ${status}`,
    `Diagnostic-Code: smtp; ${status.startsWith('5') ? '550 5.1.1 <' + recipient + '>: Recipient address rejected: User unknown' : '451 4.4.1 try again later'}`,
    '',
    '--REPORT',
    'Content-Type: text/rfc822-headers',
    '',
    `Message-ID: ${originalMessageId}`,
    `From: Alex Morgan <${USER}>`,
    `To: ${recipient}`,
    'Subject: (the message we sent)',
    '',
    '--REPORT--',
    '',
  ].join('\n');
}

type Row = { email: string; state: string; reason: string | null; paused_until: string | null };
const enrollmentOf = (ws: string, email: string): Row =>
  queryStore<Row>(ws, 'SELECT leads.email, enrollments.state, enrollments.reason, enrollments.paused_until FROM enrollments JOIN leads ON leads.id = enrollments.lead_id WHERE leads.email = ? ORDER BY enrollments.id DESC LIMIT 1', email)[0]!;
const sentTo = (ws: string, email: string): { message_id: string; unsubscribe_token: string; state: string } =>
  queryStore<{ message_id: string; unsubscribe_token: string; state: string }>(ws, 'SELECT message_id, unsubscribe_token, state FROM messages WHERE to_address = ? ORDER BY id LIMIT 1', email)[0]!;
const eventCount = (ws: string): number => queryStore<{ n: number }>(ws, 'SELECT count(*) AS n FROM events')[0]!.n;

const OLIVIA = 'olivia.bennett@northwind.example.com';
const MARCUS = 'marcus.lee@contoso.example.com';
const PRIYA = 'priya.shah@fabrikam.example.com';
const SATO = 'sato.kenji@sakura-kogyo.example.co.jp';
const SUZUKI = 'suzuki.yumi@midori-shoji.example.co.jp';
const TAKAHASHI = 'takahashi.ryo@aozora.example.co.jp';
const NY_DAY1 = '2026-12-01T10:00:00-05:00';
const TOKYO_DAY2 = '2026-12-02T10:00:00+09:00';
const DAY2 = '2026-12-02T11:00:00-05:00';

describe('cadence sync against a real IMAP server (dovecot on 127.0.0.1)', () => {
  let ws: string;

  beforeAll(async () => {
    ws = join(temp.dir, 'sync');
    await sampleWorkspace(ws);
    useTestServer(ws);
    const leads = [OLIVIA, MARCUS, PRIYA, SATO, SUZUKI, TAKAHASHI];
    for (const email of leads) expect((await cadence(['enroll', 'outbound-18day', '--lead', email], { cwd: ws, env: env(NY_DAY1) })).exitCode).toBe(0);
    // The intro emails go out in each lead's business hours: New York, then Tokyo.
    expect((await cadence(['tick'], { cwd: ws, env: env(NY_DAY1) })).exitCode).toBe(0);
    expect((await cadence(['tick'], { cwd: ws, env: env(TOKYO_DAY2) })).exitCode).toBe(0);
    for (const email of leads) expect(sentTo(ws, email), `an intro email to ${email}`).toBeDefined();
  }, 60_000);

  it('classifies replies, out-of-office (English and Japanese), bounces and unsubscribes, and applies their rules at once', async () => {
    const olivia = sentTo(ws, OLIVIA);
    await deliver(
      DAY2,
      // A reply in the thread (In-Reply-To names our message), from the lead.
      mail({ From: `Olivia Bennett <${OLIVIA}>`, To: USER, Subject: 'Re: your note', 'Message-ID': '<r1@northwind.example.com>', 'In-Reply-To': olivia.message_id, References: olivia.message_id, Date: 'Wed, 02 Dec 2026 16:00:00 +0000' }, 'Sounds good, call me tomorrow.'),
      // A fresh message (no thread headers) from a lead who is in a sequence: a reply by sender.
      mail({ From: MARCUS, To: USER, Subject: 'Question', 'Message-ID': '<r2@contoso.example.com>', Date: 'Wed, 02 Dec 2026 16:05:00 +0000' }, 'Do you have a price list?'),
      // An English out-of-office with a return date.
      mail({ From: TAKAHASHI, To: USER, Subject: 'Automatic reply: Out of Office', 'Auto-Submitted': 'auto-replied', 'Message-ID': '<o1@aozora.example.co.jp>', Date: 'Wed, 02 Dec 2026 16:10:00 +0000' }, 'I am out of the office and will be back on Monday, December 14. For urgent matters contact my team.'),
      // A Japanese out-of-office (不在) stating the last day away.
      mail({ From: SATO, To: USER, Subject: encoded('自動応答: 不在のお知らせ'), 'X-Autoreply': 'yes', 'Message-ID': '<o2@sakura-kogyo.example.co.jp>', Date: 'Wed, 02 Dec 2026 16:15:00 +0000' }, '誠に勝手ながら、12月10日(木)まで不在にしております。12月11日(金)より順次対応いたします。'),
      // A delivery status notification: the recipient does not exist.
      deliveryReport(PRIYA, 'failed', '5.1.1', sentTo(ws, PRIYA).message_id),
      // A request to the List-Unsubscribe mailto address, matched by its token.
      mail({ From: SUZUKI, To: `unsubscribe+${sentTo(ws, SUZUKI).unsubscribe_token}@example.com`, Subject: 'unsubscribe', 'Message-ID': '<u1@midori-shoji.example.co.jp>', Date: 'Wed, 02 Dec 2026 16:20:00 +0000' }, ''),
      // Neither: a newsletter from someone who is not a lead.
      mail({ From: 'news@vendor.example.org', To: USER, Subject: 'Our December news', 'Message-ID': '<n1@vendor.example.org>', Date: 'Wed, 02 Dec 2026 16:25:00 +0000' }, 'Hello!'),
    );
    const result = await cadence(['sync', '--json'], { cwd: ws, env: env(DAY2) });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(result.stdout) as { counts: Record<string, number>; folders: { folder: string; read: number; outcomes: { kind: string; lead?: string; until?: string }[] }[] };
    expect(report.counts).toMatchObject({ reply: 2, ooo: 2, bounce: 1, unsubscribe: 1, ignored: 1 });
    expect(report.folders[0]!.outcomes.map((outcome) => [outcome.kind, outcome.lead ?? null])).toEqual([
      ['reply', OLIVIA],
      ['reply', MARCUS],
      ['ooo', TAKAHASHI],
      ['ooo', SATO],
      ['bounce', PRIYA],
      ['unsubscribe', SUZUKI],
      ['ignored', null],
    ]);

    // Replies stop the sequence (its exit.events name reply).
    expect(enrollmentOf(ws, OLIVIA)).toMatchObject({ state: 'exited', reason: 'reply' });
    expect(enrollmentOf(ws, MARCUS)).toMatchObject({ state: 'exited', reason: 'reply' });
    const replyEvent = queryStore<{ data: string }>(ws, "SELECT data FROM events WHERE type = 'reply.received' AND lead_id = (SELECT id FROM leads WHERE email = ?)", OLIVIA)[0]!;
    expect(JSON.parse(replyEvent.data)).toMatchObject({ source: 'imap', mailbox: 'alex', folder: 'INBOX', inReplyTo: olivia.message_id, sequence: 'outbound-18day' });
    // Out-of-office pauses until the return date read from the text, in the lead's zone.
    expect(enrollmentOf(ws, TAKAHASHI)).toMatchObject({ state: 'paused', reason: 'out_of_office', paused_until: '2026-12-13T15:00:00.000Z' });
    expect(enrollmentOf(ws, SATO)).toMatchObject({ state: 'paused', reason: 'out_of_office', paused_until: '2026-12-10T15:00:00.000Z' });
    // A bounce and an unsubscribe suppress the address and end the sequence.
    const suppressions = queryStore<{ value: string; reason: string }>(ws, 'SELECT value, reason FROM suppressions ORDER BY value');
    expect(suppressions).toEqual([
      { value: PRIYA, reason: 'bounced' },
      { value: SUZUKI, reason: 'unsubscribed' },
    ]);
    expect(enrollmentOf(ws, PRIYA)).toMatchObject({ state: 'exited', reason: 'bounce' });
    expect(enrollmentOf(ws, SUZUKI)).toMatchObject({ state: 'exited', reason: 'unsubscribe' });
    expect(sentTo(ws, PRIYA).state).toBe('bounced');
    const bounce = JSON.parse(queryStore<{ data: string }>(ws, "SELECT data FROM events WHERE type = 'email.bounced'")[0]!.data) as Record<string, unknown>;
    expect(bounce).toMatchObject({ source: 'imap', recipient: PRIYA, status: '5.1.1' });
    // The cursor: UIDVALIDITY as text, the last UID read.
    const cursor = queryStore<{ uid_validity: string; last_uid: number }>(ws, 'SELECT uid_validity, last_uid FROM mail_cursors')[0]!;
    expect(cursor.uid_validity).toMatch(/^\d+$/);
    expect(cursor.last_uid).toBe(7);
  }, 60_000);

  it('handles nothing twice: a second sync reads nothing and changes nothing', async () => {
    const before = eventCount(ws);
    const again = await cadence(['sync'], { cwd: ws, env: env(DAY2) });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('alex INBOX: 0 new messages');
    expect(again.stdout).toContain('nothing new');
    expect(eventCount(ws)).toBe(before);
  });

  it('passes over a delivery delay (not a failure) and reads only what came since', async () => {
    await deliver(DAY2, deliveryReport(TAKAHASHI, 'delayed', '4.4.1', sentTo(ws, TAKAHASHI).message_id));
    const result = JSON.parse((await cadence(['sync', '--json'], { cwd: ws, env: env(DAY2) })).stdout) as { folders: { read: number; outcomes: { kind: string; why?: string }[] }[] };
    expect(result.folders[0]!.read).toBe(1);
    expect(result.folders[0]!.outcomes[0]).toMatchObject({ kind: 'ignored', why: 'delivery status delayed (not a failure)' });
    expect(queryStore(ws, 'SELECT 1 FROM suppressions WHERE value = ?', TAKAHASHI)).toHaveLength(0);
  });

  it('resumes an out-of-office pause at the first tick after the return date', async () => {
    expect((await cadence(['tick'], { cwd: ws, env: env('2026-12-11T09:30:00+09:00') })).exitCode).toBe(0);
    expect(enrollmentOf(ws, SATO).state).toBe('active');
    expect(enrollmentOf(ws, TAKAHASHI).state).toBe('paused');
    expect((await cadence(['tick'], { cwd: ws, env: env('2026-12-14T09:30:00+09:00') })).exitCode).toBe(0);
    expect(enrollmentOf(ws, TAKAHASHI).state).toBe('active');
  }, 30_000);

  it('tick --sync reads the mailbox before doing what is due', async () => {
    const sato = sentTo(ws, SATO);
    await deliver('2026-12-15T10:00:00+09:00', mail({ From: SATO, To: USER, Subject: encoded('Re: ご連絡ありがとうございます'), 'Message-ID': '<r3@sakura-kogyo.example.co.jp>', 'In-Reply-To': sato.message_id, Date: 'Tue, 15 Dec 2026 01:00:00 +0000' }, '詳しくお話を伺えますか。'));
    const tick = await cadence(['tick', '--sync'], { cwd: ws, env: env('2026-12-15T10:00:00+09:00') });
    expect(tick.exitCode).toBe(0);
    expect(tick.stdout).toContain(`reply  ${SATO}  exited outbound-18day`);
    expect(enrollmentOf(ws, SATO)).toMatchObject({ state: 'exited', reason: 'reply' });
    // With --json the sync report rides along in the tick's JSON.
    const json = await cadence(['tick', '--sync', '--json'], { cwd: ws, env: env('2026-12-15T10:05:00+09:00') });
    expect(json.exitCode).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ now: '2026-12-15T01:05:00.000Z', sync: expect.objectContaining({ errors: [] }) });
  }, 30_000);

  it('refuses to run without the password variable, naming it, and reads nothing', async () => {
    const before = eventCount(ws);
    const result = await cadence(['sync'], { cwd: ws, env: { CADENCE_NOW: DAY2 } });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('SYNC_MISSING_CREDENTIAL');
    expect(result.stderr).toContain('CADENCE_IMAP_ALEX');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(eventCount(ws)).toBe(before);
  });

  it('names an unknown mailbox (exit 2) and reports a server it cannot reach (exit 3)', async () => {
    const unknown = await cadence(['sync', '--mailbox', 'alx'], { cwd: ws, env: env(DAY2) });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('SYNC_UNKNOWN_MAILBOX');
    expect(unknown.stderr).toContain('did you mean "alex"?');
    const wrong = await cadence(['sync'], { cwd: ws, env: { ...env(DAY2), CADENCE_IMAP_ALEX: 'wrong-password' } });
    expect(wrong.exitCode).toBe(3);
    expect(wrong.stdout).toMatch(/error: could not read mailbox "alex" at 127\.0\.0\.1/);
  }, 30_000);
});

describe('a colleague replying in the thread', () => {
  it('ends only sequences with exit.colleague_reply, and logs whose reply it was', async () => {
    const ws = join(temp.dir, 'colleague');
    await sampleWorkspace(ws);
    // A mailbox of its own on the server: the first sync reads the whole folder.
    dovecot.addUser('colleague-test@example.com', PASSWORD);
    useTestServer(ws, 'colleague-test@example.com');
    const sequence = join(ws, 'sequences', 'outbound-18day.yaml');
    writeFileSync(sequence, readFileSync(sequence, 'utf8').replace('  events: [reply, meeting_booked]\n', '  events: [reply, meeting_booked]\n  colleague_reply: true\n'));
    expect((await cadence(['enroll', 'outbound-18day', '--lead', OLIVIA], { cwd: ws, env: env(NY_DAY1) })).exitCode).toBe(0);
    expect((await cadence(['tick'], { cwd: ws, env: env(NY_DAY1) })).exitCode).toBe(0);
    const sent = sentTo(ws, OLIVIA);
    await deliverTo('colleague-test@example.com', DAY2, mail({ From: 'pat.doe@northwind.example.com', To: USER, Subject: 'Re: intro', 'Message-ID': '<c1@northwind.example.com>', References: sent.message_id, Date: 'Wed, 02 Dec 2026 16:00:00 +0000' }, 'I handle this for Olivia.'));
    const report = JSON.parse((await cadence(['sync', '--json'], { cwd: ws, env: env(DAY2) })).stdout) as { folders: { outcomes: { kind: string; lead: string; colleague?: string }[] }[] };
    expect(report.folders[0]!.outcomes.map(({ kind, lead, colleague }) => ({ kind, lead, colleague }))).toEqual([{ kind: 'reply', lead: OLIVIA, colleague: 'pat.doe@northwind.example.com' }]);
    expect(enrollmentOf(ws, OLIVIA)).toMatchObject({ state: 'exited', reason: 'reply' });
  }, 60_000);
});

describe('appendToSent', () => {
  it('stores a copy of a sent message in the Sent folder, marked read, only when append_sent is on', async () => {
    const mailbox = { address: USER, imap: { host: dovecot.host, port: dovecot.port, secure: false, user: USER, password_env: 'CADENCE_IMAP_ALEX', append_sent: true } };
    const bytes = Buffer.from(mail({ From: USER, To: OLIVIA, Subject: 'Copy for the Sent folder', 'Message-ID': '<sent-copy-1@example.com>', Date: 'Wed, 02 Dec 2026 16:00:00 +0000' }, 'Hello Olivia').replace(/\n/g, '\r\n'));
    expect(await appendToSent({ ...mailbox, imap: { ...mailbox.imap, append_sent: false } }, { CADENCE_IMAP_ALEX: PASSWORD }, bytes)).toEqual({ appended: false });
    const result = await appendToSent(mailbox, { CADENCE_IMAP_ALEX: PASSWORD }, bytes);
    expect(result).toMatchObject({ appended: true, folder: 'Sent' });
    const client = await imap();
    try {
      const lock = await client.getMailboxLock('Sent');
      try {
        const messages = [];
        for await (const message of client.fetch('1:*', { envelope: true, flags: true })) messages.push(message);
        expect(messages.map((message) => message.envelope?.messageId)).toEqual(['<sent-copy-1@example.com>']);
        expect([...(messages[0]!.flags ?? [])]).toContain('\\Seen');
      } finally {
        lock.release();
      }
    } finally {
      await client.logout();
    }
    await expect(appendToSent({ ...mailbox, imap: { ...mailbox.imap, sent_folder: 'No/Such/Folder' } }, { CADENCE_IMAP_ALEX: PASSWORD }, bytes)).rejects.toMatchObject({ code: 'SYNC_APPEND_FAILED' });
  }, 30_000);
});
