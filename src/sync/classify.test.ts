import { describe, expect, it } from 'vitest';
import { classifyIncoming } from './classify.js';
import { parseDeliveryStatus } from './dsn.js';
import type { IncomingMessage } from './incoming.js';

const message = (overrides: Partial<IncomingMessage>): IncomingMessage => ({ messageId: '<m@x>', from: 'lead@example.org', recipients: ['rep@example.com'], subject: 'Re: hello', references: [], headers: {}, text: '', date: undefined, deliveryStatus: undefined, returnedMessageIds: [], ...overrides });
const classify = (overrides: Partial<IncomingMessage>): string => classifyIncoming(message(overrides), 'unsubscribe@example.com').kind;

describe('classifyIncoming', () => {
  it('finds the unsubscribe token in the recipient, keeping its case', () => {
    expect(classifyIncoming(message({ recipients: ['Unsubscribe+AbC_d-9@Example.com'] }), 'unsubscribe@example.com')).toEqual({ kind: 'unsubscribe', token: 'AbC_d-9' });
    expect(classify({ recipients: ['unsubscribe@example.com'] })).toBe('reply');
  });

  it('knows auto-replies by their headers and by English or Japanese subjects, but not Auto-Submitted: no', () => {
    expect(classify({ headers: { 'auto-submitted': 'auto-replied' } })).toBe('ooo');
    expect(classify({ headers: { 'x-autoreply': 'yes' } })).toBe('ooo');
    expect(classify({ headers: { precedence: 'auto_reply' } })).toBe('ooo');
    expect(classify({ subject: 'Automatic reply: Intro' })).toBe('ooo');
    expect(classify({ subject: '【不在】ご連絡ありがとうございます' })).toBe('ooo');
    expect(classify({ headers: { 'auto-submitted': 'no' } })).toBe('reply');
    expect(classify({ subject: '自動返信: ご連絡ありがとうございます' })).toBe('ooo');
    expect(classify({ subject: 'Out of Office: Re: Intro' })).toBe('ooo');
  });

  it('takes a person’s answer for a reply, whatever words its subject holds', () => {
    expect(classify({ subject: 'Re: 不在時にお電話いただいた件' })).toBe('reply');
    expect(classify({ subject: 'RE：年末年始休業のご案内について' })).toBe('reply');
    expect(classify({ subject: 'Re: our call while you were on vacation' })).toBe('reply');
    expect(classify({ subject: 'Question about your holiday schedule' })).toBe('reply');
  });

  it('takes a failed delivery status as a bounce, a delay as nothing', () => {
    const failed = parseDeliveryStatus('Reporting-MTA: dns; mx\n\nFinal-Recipient: rfc822; a@b.example\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 unknown\n');
    expect(failed).toEqual({ recipient: 'a@b.example', action: 'failed', status: '5.1.1', diagnostic: '550 5.1.1 unknown' });
    expect(classify({ deliveryStatus: failed })).toBe('bounce');
    expect(classify({ deliveryStatus: parseDeliveryStatus('Final-Recipient: rfc822; a@b.example\nAction: delayed\nStatus: 4.4.1\n') })).toBe('ignored');
  });

  it('takes a mailer daemon\'s plain-text bounce as a bounce', () => {
    expect(classify({ from: 'mailer-daemon@mx.example.net', subject: 'Undelivered Mail Returned to Sender' })).toBe('bounce');
  });
});
