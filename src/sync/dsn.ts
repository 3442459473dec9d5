/** The failed recipient of a delivery status notification (RFC 3464). */
export interface DeliveryStatus {
  recipient: string | undefined;
  /** `failed`, `delayed`, `delivered`, `relayed` or `expanded`. */
  action: string | undefined;
  /** The enhanced status code, e.g. `5.1.1`. */
  status: string | undefined;
  diagnostic: string | undefined;
}

/**
 * Reads the per-recipient fields of a `message/delivery-status` part: the first
 * recipient that failed (or the first recipient at all), with its status.
 */
export function parseDeliveryStatus(text: string): DeliveryStatus {
  // Blocks are separated by blank lines: the message's fields, then one block per recipient.
  const blocks = text.replace(/\r\n/g, '\n').replace(/\n[ \t]+/g, ' ').split(/\n\s*\n/).map(fieldsOf);
  const recipients = blocks.filter((fields) => fields['final-recipient'] || fields['original-recipient']);
  const chosen = recipients.find((fields) => /^failed$/i.test(fields.action ?? '')) ?? recipients[0] ?? {};
  const address = (chosen['final-recipient'] ?? chosen['original-recipient'])?.replace(/^[^;]*;\s*/, '').replace(/[<>]/g, '').trim().toLowerCase();
  return { recipient: address || undefined, action: chosen.action?.toLowerCase(), status: chosen.status?.match(/\d\.\d{1,3}\.\d{1,3}/)?.[0], diagnostic: chosen['diagnostic-code']?.replace(/^[^;]*;\s*/, '') };
}

function fieldsOf(block: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of block.split('\n')) {
    const match = /^([A-Za-z-]+):\s*(.*)$/.exec(line.trim());
    if (match && fields[match[1]!.toLowerCase()] === undefined) fields[match[1]!.toLowerCase()] = match[2]!.trim();
  }
  return fields;
}

/** Whether a status means the address is bad for good (5.x.x, action failed), not a delay. */
export function isPermanentFailure(status: DeliveryStatus): boolean {
  return status.action === 'failed' || (status.action === undefined && status.status?.startsWith('5.') === true);
}
