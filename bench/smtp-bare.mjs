// The bare loop of the SMTP bench, as its own process (timed whole, like the tick):
// N messages of about the size cadence sends, handed at once to a pooled nodemailer
// transport (5 connections, maxMessages: Infinity). Usage: node smtp-bare.mjs PORT N
import nodemailer from 'nodemailer';

const [port, total] = process.argv.slice(2).map(Number);
const sample = Buffer.from(`From: Alex Morgan <alex@example.com>\r\nTo: lead@example.org\r\nSubject: bench\r\nMessage-ID: <x@example.com>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${'A quick note about your team and how we could help. '.repeat(40)}\r\n`);
const transport = nodemailer.createTransport({ pool: true, host: '127.0.0.1', port, secure: false, maxConnections: 5, maxMessages: Infinity, ignoreTLS: true });
await Promise.all(Array.from({ length: total }, (_, i) => transport.sendMail({ envelope: { from: 'alex@example.com', to: [`lead${i}@example.org`] }, raw: sample })));
transport.close();
