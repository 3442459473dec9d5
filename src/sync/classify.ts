import { isPermanentFailure, type DeliveryStatus } from './dsn.js';
import type { IncomingMessage } from './incoming.js';

/** What a received message is, before it is matched to a lead. */
export type Classification =
  | { kind: 'unsubscribe'; token: string }
  | { kind: 'bounce'; recipient: string | undefined; status: DeliveryStatus | undefined }
  | { kind: 'ooo' }
  | { kind: 'reply' }
  | { kind: 'ignored'; why: string };

const AUTO_SUBJECT = /(out of (the )?office|automatic reply|auto[- ]?reply|autoreply|auto[- ]?response|away from (the |my )?(office|desk)|on (vacation|holiday|leave|annual leave|parental leave)|abwesenheit|不在|自動応答|自動返信|自動送信|休暇|外出中|出張中|休業)/i;
const BOUNCE_SENDER = /^(mailer-daemon|postmaster|mail-daemon|bounces?)@/i;
const BOUNCE_SUBJECT = /(undeliver(ed|able)|delivery (status notification|failure|has failed)|returned mail|failure notice|配信不能|配送失敗|送信エラー|宛先不明)/i;

/**
 * Classifies a received message, most specific first: a request to the unsubscribe
 * address (its `+token`), a delivery status notification or a bounce from a mailer
 * daemon, an auto-reply (the `Auto-Submitted`, `X-Autoreply`, `X-Autorespond` and
 * `Precedence: auto_reply` headers, or an out-of-office subject in English or Japanese),
 * else a possible reply (whether it is one depends on whom it answers: see match.ts).
 */
export function classifyIncoming(message: IncomingMessage, unsubscribeMailto: string): Classification {
  const [local, domain] = unsubscribeMailto.toLowerCase().split('@') as [string, string];
  const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const tokenAddress = new RegExp(`^${escape(local)}\\+([A-Za-z0-9_-]+)@${escape(domain)}$`, 'i');
  for (const recipient of message.recipients) {
    const token = tokenAddress.exec(recipient)?.[1];
    if (token) return { kind: 'unsubscribe', token };
  }
  const headers = message.headers;
  const dsn = message.deliveryStatus;
  if (dsn) return isPermanentFailure(dsn) ? { kind: 'bounce', recipient: dsn.recipient, status: dsn } : { kind: 'ignored', why: `delivery status ${dsn.action ?? dsn.status ?? 'unknown'} (not a failure)` };
  if (message.from && BOUNCE_SENDER.test(message.from) && BOUNCE_SUBJECT.test(message.subject)) return { kind: 'bounce', recipient: undefined, status: undefined };
  const autoSubmitted = headers['auto-submitted'];
  const autoHeader =
    (autoSubmitted !== undefined && !/^no\b/i.test(autoSubmitted)) ||
    headers['x-autoreply'] !== undefined ||
    headers['x-autorespond'] !== undefined ||
    /^auto_reply$/i.test(headers.precedence?.trim() ?? '') ||
    (headers['x-auto-response-suppress'] !== undefined && AUTO_SUBJECT.test(message.subject));
  if (autoHeader || autoSubject(message.subject)) return { kind: 'ooo' };
  if (!message.from) return { kind: 'ignored', why: 'no sender' };
  return { kind: 'reply' };
}

/**
 * Without an auto-reply header, the subject decides only when it *begins* with what
 * auto-replies call themselves (`Automatic reply:`, `【不在】`, `自動返信:`): a person's
 * answer such as `Re: 不在時にお電話いただいた件` is a reply, whatever words it holds.
 */
function autoSubject(subject: string): boolean {
  const start = subject.trim().replace(/^[\[【(（<「『]\s*/, '');
  if (/^(re|fw|fwd|aw|wg|sv|回答|返信|転送)\s*[:：]/i.test(start)) return false;
  const match = AUTO_SUBJECT.exec(start);
  return match !== null && match.index === 0;
}
