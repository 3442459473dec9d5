import { describe, expect, it } from 'vitest';
import { classifySmtpError } from './smtp.js';

const error = (fields: { code?: string; command?: string; responseCode?: number; response?: string; message?: string }) => Object.assign(new Error(fields.message ?? fields.response ?? 'failed'), fields);

describe('classifySmtpError', () => {
  it('a bad address is a bounce: 5.1.x, 5.2.1, or a 550 naming the user from a server without enhanced codes', () => {
    expect(classifySmtpError(error({ command: 'RCPT TO', responseCode: 550, response: '550 5.1.1 <a@b.example>: user unknown' })).outcome).toMatchObject({ kind: 'rejected', recipient: true });
    expect(classifySmtpError(error({ command: 'RCPT TO', responseCode: 550, response: '550 5.2.1 mailbox disabled' })).outcome).toMatchObject({ kind: 'rejected', recipient: true });
    expect(classifySmtpError(error({ command: 'RCPT TO', responseCode: 550, response: '550 No such user here' })).outcome).toMatchObject({ kind: 'rejected', recipient: true });
  });

  it('a refusal that is the mailbox’s is no bounce: relay or sender policy (5.7.x), the sender, the login, TLS, an unreachable server', () => {
    for (const fields of [
      { command: 'RCPT TO', responseCode: 550, response: '550 5.7.1 Relaying denied' },
      { command: 'RCPT TO', responseCode: 553, response: '553 5.7.1 Sender address rejected: not owned by user' },
      { command: 'MAIL FROM', responseCode: 550, response: '550 sender refused' },
      { code: 'EAUTH', command: 'AUTH PLAIN', responseCode: 535, response: '535 authentication failed' },
      { code: 'ESOCKET', command: 'CONN', message: 'C0D7:error:0A00010B:SSL routines:ssl3_get_record:wrong version number' },
      { code: 'ESOCKET', command: 'CONN', message: 'connect ECONNREFUSED 127.0.0.1:2525' },
    ]) {
      expect(classifySmtpError(error(fields))).toMatchObject({ outcome: { kind: 'deferred', mailboxDown: true }, mailboxDown: true });
    }
  });

  it('what may pass is tried again: a 4xx, a full mailbox (5.2.2), a connection lost mid-message', () => {
    expect(classifySmtpError(error({ command: 'DATA', responseCode: 451, response: '451 try again later' }))).toEqual({ outcome: { kind: 'deferred', reason: '451 try again later' }, mailboxDown: false });
    expect(classifySmtpError(error({ command: 'RCPT TO', responseCode: 552, response: '552 5.2.2 Mailbox full' })).outcome).toMatchObject({ kind: 'deferred' });
    expect(classifySmtpError(error({ code: 'ECONNECTION', command: 'CONN', message: 'Connection closed unexpectedly' }))).toMatchObject({ outcome: { kind: 'deferred' }, mailboxDown: false });
  });

  it('another 5xx refuses the message for good', () => {
    expect(classifySmtpError(error({ command: 'DATA', responseCode: 554, response: '554 5.6.0 message content rejected' })).outcome).toMatchObject({ kind: 'rejected', recipient: false });
  });
});
