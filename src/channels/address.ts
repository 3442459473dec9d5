import { domainToASCII } from 'node:url';

const ASCII = /^[\x00-\x7f]*$/;

/**
 * An address as it goes over the wire and into headers: an internationalized domain in
 * its ASCII form (IDNA, `xn--…`), which every server takes — sent as Unicode, a server
 * without SMTPUTF8 refuses it as a bad address (5.1.3), and that would read as a bounce.
 * A non-ASCII part before the @ stays as it is: only a server with SMTPUTF8 (RFC 6531)
 * can deliver to it (see {@link needsSmtpUtf8}). The store keeps the address as written.
 */
export function wireAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 0) return address;
  const domain = address.slice(at + 1);
  if (ASCII.test(domain)) return address;
  const ascii = domainToASCII(domain);
  return ascii ? `${address.slice(0, at)}@${ascii}` : address;
}

/** Whether the part before the @ has non-ASCII characters, which only a server with SMTPUTF8 takes. */
export function needsSmtpUtf8(address: string): boolean {
  const at = address.lastIndexOf('@');
  return !ASCII.test(at < 0 ? address : address.slice(0, at));
}
