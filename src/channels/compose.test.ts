import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { composeMessage } from './compose.js';

const base = {
  messageId: '<m1.abc@example.co.jp>',
  from: { name: '山田 花子', address: 'yamada@example.co.jp' },
  to: 'taro@example.jp',
  subject: '【ご案内】新サービスのご紹介 — a long subject line that has to be folded over several header lines',
  text: '田中様\n\nいつもお世話になっております。\n\n配信停止: mailto:unsubscribe+tok@example.co.jp\n',
  date: new Date('2026-12-04T15:00:00Z'),
  unsubscribeMailto: 'mailto:unsubscribe+tok@example.co.jp',
};

describe('composeMessage', () => {
  it('builds a message a real parser reads back exactly: encoded Japanese headers, both parts, threading, unsubscribe', async () => {
    const bytes = composeMessage({ ...base, inReplyTo: '<m0@example.co.jp>', references: ['<root@example.co.jp>', '<m0@example.co.jp>'], unsubscribeUrl: 'https://example.co.jp/u?t=tok' });
    const raw = bytes.toString('utf8');
    expect(raw.split('\r\n').every((line) => line.length <= 78)).toBe(true);
    expect(raw).not.toMatch(/[^\r]\n/);
    const mail = await simpleParser(bytes);
    expect(mail.subject).toBe(base.subject);
    expect(mail.from?.value).toEqual([{ name: '山田 花子', address: 'yamada@example.co.jp' }]);
    expect(mail.messageId).toBe('<m1.abc@example.co.jp>');
    expect(mail.inReplyTo).toBe('<m0@example.co.jp>');
    expect(mail.references).toEqual(['<root@example.co.jp>', '<m0@example.co.jp>']);
    expect(mail.text?.replace(/\r\n/g, '\n')).toBe(base.text);
    expect(mail.html).toContain('<a href="mailto:unsubscribe+tok@example.co.jp">');
    expect(mail.date?.toISOString()).toBe('2026-12-04T15:00:00.000Z');
    expect(raw).toContain('\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n');
    expect(raw.replace(/\r\n /g, ' ')).toContain('List-Unsubscribe: <https://example.co.jp/u?t=tok>, <mailto:unsubscribe+tok@example.co.jp>');
  });

  it('keeps plain English readable: 7bit or quoted-printable, a display name with a comma quoted', async () => {
    const bytes = composeMessage({ ...base, from: { name: 'Acme, Inc.', address: 'sales@acme.example' }, subject: 'Quick question', text: `Hi Olivia,\n\n${'A line that is long enough to need a soft break somewhere in the middle of it. '.repeat(2)}\n` });
    const raw = bytes.toString('utf8');
    expect(raw).toContain('From: "Acme, Inc." <sales@acme.example>');
    expect(raw).toContain('Subject: Quick question');
    expect(raw).toContain('Content-Transfer-Encoding: quoted-printable');
    const mail = await simpleParser(bytes);
    expect(mail.from?.value).toEqual([{ name: 'Acme, Inc.', address: 'sales@acme.example' }]);
    expect(mail.text).toContain('soft break somewhere in the middle of it. A line');
  });

  it('never lets a line break in a value start a header of its own', async () => {
    const bytes = composeMessage({ ...base, subject: 'Your inquiry, Bob\nBcc: evil@attacker.example\r\nReply-To: evil@attacker.example', from: { name: 'Alex\nBcc: x@y.z', address: 'alex@example.com' } });
    const raw = bytes.toString('utf8');
    const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
    expect(head).not.toMatch(/^(Bcc|Reply-To):/im);
    const mail = await simpleParser(bytes);
    expect(mail.bcc).toBeUndefined();
    expect(mail.replyTo).toBeUndefined();
    expect(mail.subject).toBe('Your inquiry, Bob Bcc: evil@attacker.example Reply-To: evil@attacker.example');
  });

  it('a non-ASCII sender name with a comma stays one address; subject text that looks encoded is encoded', () => {
    const raw = composeMessage({ ...base, from: { name: 'Yamada, 太郎', address: 'y@example.co.jp' }, subject: 'about =?UTF-8?B?Zm9v?= tokens' }).toString('utf8');
    const from = /^From: (.*(?:\r\n .*)*)/m.exec(raw)![1]!.replace(/\r\n /g, ' ');
    expect(from).toMatch(/^=\?UTF-8\?B\?[^ ]+\?=( =\?UTF-8\?B\?[^ ]+\?=)* <y@example\.co\.jp>$/);
    expect(Buffer.from(/=\?UTF-8\?B\?([^?]+)\?=/.exec(from)![1]!, 'base64').toString('utf8')).toContain('Yamada,');
    expect(raw).not.toMatch(/^Subject: about =\?UTF-8\?B\?Zm9v\?= tokens/m);
  });
});
