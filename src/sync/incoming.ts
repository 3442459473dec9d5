import { simpleParser, type AddressObject } from 'mailparser';
import { parseDeliveryStatus, type DeliveryStatus } from './dsn.js';

/** What classification reads of a received message. */
export interface IncomingMessage {
  messageId: string | undefined;
  from: string | undefined;
  /** To, Cc, Delivered-To and X-Original-To addresses, as written. */
  recipients: string[];
  subject: string;
  /** In-Reply-To then References, as `<id>`. */
  references: string[];
  /** Header names lower-case; the first value of each. */
  headers: Record<string, string>;
  text: string;
  date: Date | undefined;
  /** A delivery status notification (`multipart/report; report-type=delivery-status`). */
  deliveryStatus: DeliveryStatus | undefined;
  /** Message-IDs found in a returned message (a bounce's copy of what we sent). */
  returnedMessageIds: string[];
}

const MESSAGE_ID = /<[^<>\s]+@[^<>\s]+>/g;

/** Parses a raw message (RFC 5322 bytes, as IMAP hands it over) into what sync needs. */
export async function readIncoming(source: Buffer): Promise<IncomingMessage> {
  const parsed = await simpleParser(source, { skipImageLinks: true, skipHtmlToText: false });
  const headers: Record<string, string> = {};
  for (const [name, value] of parsed.headers) headers[name.toLowerCase()] = headerText(value);
  // As written: an unsubscribe token in the local part is case-sensitive.
  const addresses = (value: AddressObject | AddressObject[] | undefined): string[] =>
    (Array.isArray(value) ? value : value ? [value] : []).flatMap((object) => object.value.flatMap((entry) => [entry.address, ...(entry.group ?? []).map((member) => member.address)])).filter((address): address is string => Boolean(address));
  const envelope = ['delivered-to', 'x-original-to'].flatMap((name) => (headers[name] ? [headers[name]!.replace(/[<>]/g, '').trim()] : []));
  const references = [...(parsed.inReplyTo ? [parsed.inReplyTo] : []), ...(Array.isArray(parsed.references) ? parsed.references : parsed.references ? [parsed.references] : [])].flatMap((text) => text.match(MESSAGE_ID) ?? []);
  const contentType = parsed.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  const report = contentType?.value?.toLowerCase() === 'multipart/report' && /delivery-status/i.test(contentType.params?.['report-type'] ?? '');
  // mailparser folds a message/delivery-status part into the text: read it from the body structure.
  const statusText = report && contentType?.params?.boundary ? deliveryStatusPart(source.toString('utf8'), contentType.params.boundary) : undefined;
  const returned = parsed.attachments.filter((attachment) => /^(message\/rfc822|text\/rfc822-headers|message\/global(-headers)?)$/i.test(attachment.contentType));
  const returnedText = [...returned.map((attachment) => attachment.content.toString('utf8')), ...(report ? [] : [parsed.text ?? ''])].join('\n');
  return {
    messageId: parsed.messageId,
    from: addresses(parsed.from)[0]?.toLowerCase(),
    recipients: [...new Set([...addresses(parsed.to), ...addresses(parsed.cc), ...envelope])],
    subject: parsed.subject ?? '',
    references: [...new Set(references)],
    headers,
    text: parsed.text ?? '',
    date: parsed.date,
    deliveryStatus: statusText === undefined ? undefined : parseDeliveryStatus(statusText),
    returnedMessageIds: [...new Set(returnedText.match(/^message-id:\s*(<[^<>\s]+@[^<>\s]+>)/gim)?.map((line) => line.replace(/^message-id:\s*/i, '')) ?? [])],
  };
}

function headerText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return headerText(value[0]);
  if (value && typeof value === 'object') {
    const object = value as { value?: unknown; text?: unknown; params?: Record<string, string> };
    if (typeof object.text === 'string') return object.text;
    if (typeof object.value === 'string') return `${object.value}${Object.entries(object.params ?? {}).map(([key, param]) => `; ${key}=${param}`).join('')}`;
  }
  return String(value ?? '');
}

/** The body of the `message/delivery-status` part of a `multipart/report` (RFC 3462), by its boundary. */
function deliveryStatusPart(source: string, boundary: string): string | undefined {
  for (const part of source.split(`--${boundary}`).slice(1)) {
    const split = part.search(/\r?\n\r?\n/);
    if (split < 0) continue;
    const head = part.slice(0, split);
    if (/^content-type:\s*message\/(global-)?delivery-status/im.test(head)) {
      const body = part.slice(split).replace(/^\r?\n\r?\n/, '');
      return /^content-transfer-encoding:\s*base64/im.test(head) ? Buffer.from(body, 'base64').toString('utf8') : body;
    }
  }
  return undefined;
}
