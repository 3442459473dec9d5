import type { FieldValue } from '../store/leads.js';
import type { RepDefinition, WorkspaceConfig } from '../workspace/types.js';

/** What a template renders with: the lead, the sender (the lead's owner) and the compliance blocks. */
export interface RenderContext {
  lead: Record<string, FieldValue>;
  sender: Record<string, string>;
  org: Record<string, string>;
  footer: string;
  unsubscribe: string;
  unsubscribe_mailto: string;
  unsubscribe_url: string;
}

/** The rep who sends to a lead: its owner, else the rep of the default mailbox, else the first rep. */
export function senderFor(config: WorkspaceConfig, owner: FieldValue | undefined): RepDefinition | undefined {
  const reps = config.reps ?? [];
  return reps.find((rep) => rep.name === owner) ?? reps.find((rep) => rep.mailbox === config.default_mailbox) ?? reps[0];
}

/**
 * The legal footer (特定電子メール法 and CAN-SPAM: sender's name, postal address and how
 * to opt out), in the lead's language.
 */
export function legalFooter(config: WorkspaceConfig, language: FieldValue | undefined): string {
  const { company, postal_address: address, opt_out_contact: contact } = config.sender;
  return language === 'ja'
    ? `${company}\n${address}\n配信停止のご連絡先: ${contact}`
    : `${company}\n${address}\nTo stop receiving these emails, contact ${contact}`;
}

/** The unsubscribe block: the mailto address carrying the message's token, and the https link when there is one. */
export function unsubscribeText(language: FieldValue | undefined, mailto: string, url: string): string {
  const lines = language === 'ja' ? [`配信停止をご希望の場合は、こちらへ空メールをお送りください: ${mailto}`] : [`To unsubscribe, send an empty email to ${mailto}`];
  if (url) lines.push(language === 'ja' ? `または: ${url}` : `or visit ${url}`);
  return lines.join('\n');
}

/**
 * Builds the render context for one message. `token` is the message's unsubscribe
 * token: it goes into the mailto address (`unsubscribe+TOKEN@…`) and the https link.
 */
export function buildRenderContext(config: WorkspaceConfig, lead: { email: string; fields: Record<string, FieldValue> }, token: string): RenderContext {
  const rep = senderFor(config, lead.fields.owner);
  const sender: Record<string, string> = {};
  if (rep) {
    sender.name = rep.name;
    sender.email = rep.email;
    const display = rep.display_name ?? config.mailboxes?.[rep.mailbox ?? '']?.name;
    if (display) sender.display_name = display;
    if (rep.title) sender.title = rep.title;
    if (rep.phone) sender.phone = rep.phone;
    if (rep.signature) sender.signature = rep.signature.trimEnd();
  }
  const org: Record<string, string> = { company: config.sender.company, postal_address: config.sender.postal_address, opt_out_contact: config.sender.opt_out_contact };
  if (config.sender.phone) org.phone = config.sender.phone;
  if (config.sender.website) org.website = config.sender.website;
  const [local, domain] = config.sender.unsubscribe.mailto.split('@') as [string, string];
  const mailto = `mailto:${local}+${token}@${domain}`;
  const url = config.sender.unsubscribe.https ? `${config.sender.unsubscribe.https}${config.sender.unsubscribe.https.includes('?') ? '&' : '?'}t=${token}` : '';
  const language = lead.fields.language;
  return {
    // The lead's zone falls back to the workspace's, as scheduling does; `date` renders in it.
    lead: { timezone: config.timezone, ...lead.fields, email: lead.email },
    sender,
    org,
    footer: legalFooter(config, language),
    unsubscribe: unsubscribeText(language, `${local}+${token}@${domain}`, url),
    unsubscribe_mailto: mailto,
    unsubscribe_url: url,
  };
}
