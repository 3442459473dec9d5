import MailComposer from 'nodemailer/lib/mail-composer/index.js';

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
 * The message as RFC 5322 bytes: text and HTML parts, a stored Message-ID, threading
 * headers, and List-Unsubscribe (with List-Unsubscribe-Post for one-click when there is
 * an https link, as RFC 8058 asks).
 */
export async function composeMessage(message: OutgoingMessage): Promise<Buffer> {
  const listUnsubscribe = message.unsubscribeUrl ? `<${message.unsubscribeUrl}>, <${message.unsubscribeMailto}>` : `<${message.unsubscribeMailto}>`;
  const headers: Record<string, string> = { 'List-Unsubscribe': listUnsubscribe };
  if (message.unsubscribeUrl) headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  const composer = new MailComposer({
    messageId: message.messageId,
    from: message.from.name ? { name: message.from.name, address: message.from.address } : message.from.address,
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: textToHtml(message.text),
    date: message.date,
    headers,
    ...(message.inReplyTo ? { inReplyTo: message.inReplyTo, references: message.references ?? [message.inReplyTo] } : {}),
  });
  return new Promise((resolve, reject) => composer.compile().build((error: Error | null, buffer: Buffer) => (error ? reject(error) : resolve(buffer))));
}

/** The text as simple HTML: escaped, paragraphs kept, links clickable. */
export function textToHtml(text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const linked = escaped.replace(/(https?:\/\/[^\s<]+|mailto:[^\s<]+)/g, '<a href="$1">$1</a>');
  return `<!doctype html><html><body><div style="white-space: pre-wrap; font-family: sans-serif">${linked}</div></body></html>`;
}
