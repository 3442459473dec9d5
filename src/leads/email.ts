import { CellError } from '../import/cell.js';
import { convertEmail } from '../import/email-address.js';

/** Trimmed, NFKC-normalised (full-width ＠ and letters) and lower-cased, as import stores it. */
export function normaliseEmail(text: string): string {
  return text.normalize('NFKC').trim().toLowerCase();
}

/** Whether the text is an address by the same loose rule import uses (see convertEmail). */
export function isPlausibleEmail(email: string): boolean {
  const converted = convertEmail(email);
  return converted !== undefined && !(converted instanceof CellError);
}
