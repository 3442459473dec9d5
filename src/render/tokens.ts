/**
 * The variables a template may use besides `lead.*`: who sends, the sending company,
 * and the compliance blocks every automatic email must carry.
 */
export const SENDER_TOKENS = ['name', 'display_name', 'email', 'title', 'phone', 'signature'] as const;
export const ORG_TOKENS = ['company', 'postal_address', 'phone', 'website', 'opt_out_contact'] as const;
export const TOP_LEVEL_TOKENS = ['footer', 'unsubscribe', 'unsubscribe_mailto', 'unsubscribe_url'] as const;

/** Every token name that is not `lead.*`, for did-you-mean suggestions. */
export function knownTokenNames(leadFieldNames: Iterable<string>): string[] {
  return [
    ...[...leadFieldNames].map((field) => `lead.${field}`),
    ...SENDER_TOKENS.map((name) => `sender.${name}`),
    ...ORG_TOKENS.map((name) => `org.${name}`),
    ...TOP_LEVEL_TOKENS,
  ];
}

/** Whether `path` names a value the renderer provides (given the lead fields). */
export function isKnownToken(path: readonly string[], leadFieldNames: ReadonlySet<string>): boolean {
  const [root, key] = path;
  switch (root) {
    case 'lead':
      return key !== undefined && leadFieldNames.has(key);
    case 'sender':
      return key !== undefined && (SENDER_TOKENS as readonly string[]).includes(key);
    case 'org':
      return key !== undefined && (ORG_TOKENS as readonly string[]).includes(key);
    default:
      return path.length === 1 && (TOP_LEVEL_TOKENS as readonly string[]).includes(root ?? '');
  }
}
