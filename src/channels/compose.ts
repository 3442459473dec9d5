import { randomBytesPooled } from '../util/random.js';
import { wireAddress } from './address.js';
import { wrap as wrapBase64 } from 'nodemailer/lib/base64';
import { encodeWord, encodeWords, foldLines, isPlainText, quoteString } from 'nodemailer/lib/mime-funcs';
import { encode as quotedPrintable, wrap as wrapQuotedPrintable } from 'nodemailer/lib/qp';

export interface OutgoingMessage {
  messageId: string;
  from: { name?: string; address: string };
  to: string;
  subject: string;
  text: string;
  date: Date;
  /** The Message-ID this one replies to, and the thread's earlier ids (threaded follow-ups). */
  inReplyTo?: string;
  references?: string[];
  /** mailto: with the message's token; an https link when the team has one. */
  unsubscribeMailto: string;
  unsubscribeUrl?: string;
}

/**
 * The message as RFC 5322 bytes: text and HTML parts (multipart/alternative), a stored
 * Message-ID, threading headers, and List-Unsubscribe (with List-Unsubscribe-Post for
 * one-click when there is an https link, as RFC 8058 asks). Built synchronously with
 * nodemailer's MIME encoders: encoded words for non-ASCII headers, quoted-printable or
 * base64 bodies by content — a tick composes thousands, and a stream per message cost
 * several times more.
 */
export function composeMessage(message: OutgoingMessage): Buffer {
  const boundary = `--_cadence_${randomBytesPooled(12).toString('hex')}`;
  const headers = [
    `Content-Type: multipart/alternative;\r\n boundary="${boundary}"`,
    header('From', mailbox(message.from)),
    header('To', oneLine(wireAddress(message.to))),
    header('Subject', subject(oneLine(message.subject))),
    header('Message-ID', message.messageId),
    `Date: ${message.date.toUTCString().replace(/GMT$/, '+0000')}`,
  ];
  if (message.inReplyTo) {
    headers.push(header('In-Reply-To', oneLine(message.inReplyTo)));
    headers.push(header('References', oneLine((message.references ?? [message.inReplyTo]).join(' '))));
  }
  headers.push(header('List-Unsubscribe', oneLine(message.unsubscribeUrl ? `<${message.unsubscribeUrl}>, <${message.unsubscribeMailto}>` : `<${message.unsubscribeMailto}>`)));
  if (message.unsubscribeUrl) headers.push('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
  headers.push('MIME-Version: 1.0');
  const parts = [part('text/plain', message.text), part('text/html', textToHtml(message.text), true)];
  return Buffer.from(`${headers.join('\r\n')}\r\n\r\n${parts.map((body) => `--${boundary}\r\n${body}\r\n`).join('')}--${boundary}--\r\n`, 'utf8');
}

function header(name: string, value: string): string {
  return foldLines(`${name}: ${value}`, 76).replace(/\r?\n$/, '');
}

/**
 * A header value on one line: a line break in a value (from a lead's field, say) would
 * start a header of its own — `Bcc:` or `Reply-To:` smuggled in from a CSV cell.
 */
function oneLine(value: string): string {
  return value.replace(/[\r\n]+\s*/g, ' ');
}

/** The subject, its non-ASCII words encoded (all of it when it holds text that would read as an encoded word). */
function subject(text: string): string {
  return text.includes('=?') ? encodeWord(text, 'B', 52) : encodeWords(text, 'B', 52);
}

/**
 * `Name <address>`: a plain name as it is, one with specials quoted, a non-ASCII one
 * encoded whole — a comma left bare would make two addresses of one.
 */
function mailbox(from: { name?: string; address: string }): string {
  const address = oneLine(wireAddress(from.address));
  if (!from.name) return address;
  const plain = oneLine(from.name);
  const name = !isPlainText(plain) ? encodeWords(plain, 'B', 52, true) : /^[\w ]*$/.test(plain) ? plain : quoteString(plain);
  return `${name} <${address}>`;
}

/**
 * A body part: 7bit when it is ASCII in short lines, else quoted-printable (readable in
 * the outbox and in mail sources), or base64 when a third of it or more is not ASCII
 * (Japanese) and for the generated HTML.
 */
function part(type: string, content: string, preferBase64 = false): string {
  const text = content.replace(/\r?\n/g, '\r\n');
  const bytes = Buffer.from(text, 'utf8');
  let encoding: string;
  let body: string;
  if (preferBase64 || bytes.length - text.length > text.length / 3) {
    encoding = 'base64';
    body = wrapBase64(bytes.toString('base64'), 76);
  } else if (bytes.length === text.length && !hasLongLine(text)) {
    encoding = '7bit';
    body = text;
  } else {
    encoding = 'quoted-printable';
    body = wrapQuotedPrintable(quotedPrintable(bytes), 76);
  }
  return `Content-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: ${encoding}\r\n\r\n${body}`;
}

function hasLongLine(text: string): boolean {
  let start = 0;
  for (;;) {
    const end = text.indexOf('\r\n', start);
    if ((end < 0 ? text.length : end) - start > 76) return true;
    if (end < 0) return false;
    start = end + 2;
  }
}

/** The text as simple HTML: escaped, paragraphs kept, links clickable. */
export function textToHtml(text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const linked = escaped.replace(/(https?:\/\/[^\s<]+|mailto:[^\s<]+)/g, '<a href="$1">$1</a>');
  return `<!doctype html><html><body><div style="white-space: pre-wrap; font-family: sans-serif">${linked}</div></body></html>`;
}
