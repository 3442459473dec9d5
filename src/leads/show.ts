import { CadenceError } from '../errors.js';
import type { Store } from '../store/database.js';
import { leadEvents, type StoredEvent } from '../store/events.js';
import { findLeadByEmail, type Lead } from '../store/leads.js';
import { erasureKey } from '../store/meta.js';
import { erasureHash, findSuppression, type Suppression } from '../store/suppressions.js';
import { normaliseEmail } from './email.js';

export interface LeadDetails {
  lead: Lead;
  suppression: Suppression | undefined;
  /** Newest first. */
  events: StoredEvent[];
}

/** A lead with its suppression and its timeline, or LEAD_NOT_FOUND. */
export function leadDetails(store: Store, email: string, eventLimit = 100): LeadDetails {
  const address = normaliseEmail(email);
  const lead = findLeadByEmail(store.db, address);
  if (!lead) {
    const erased = findSuppression(store.db, address, erasureHash(erasureKey(store.db), address))?.kind === 'hash';
    throw new CadenceError('LEAD_NOT_FOUND', erased ? `${address} was erased at the person's request` : `no lead with the address ${address}`, {
      hint: erased ? 'an erased person stays suppressed and cannot be imported again' : 'list leads with `cadence leads --where \'email contains "..."\'`',
    });
  }
  return { lead, suppression: findSuppression(store.db, address), events: leadEvents(store.db, lead.id, eventLimit) };
}
