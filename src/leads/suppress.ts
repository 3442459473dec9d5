import { CadenceError } from '../errors.js';
import { appendEvent } from '../store/events.js';
import { findLeadByEmail } from '../store/leads.js';
import { erasureKey } from '../store/meta.js';
import type { Store } from '../store/database.js';
import { addSuppression, erasureHash, findSuppression, removeSuppression, type SuppressionKind } from '../store/suppressions.js';
import { isPlausibleEmail, normaliseEmail } from './email.js';

export interface SuppressionTarget {
  kind: Exclude<SuppressionKind, 'hash'>;
  value: string;
}

/** `someone@example.com` or `@example.com` (the whole domain and its subdomains). */
export function parseSuppressionTarget(text: string): SuppressionTarget {
  const normalised = normaliseEmail(text);
  if (normalised.startsWith('@')) {
    const domain = normalised.slice(1);
    if (/^[^\s@]+\.[^\s@]+$/.test(domain)) return { kind: 'domain', value: domain };
  } else if (isPlausibleEmail(normalised)) {
    return { kind: 'address', value: normalised };
  }
  throw new CadenceError('SUPPRESS_BAD_TARGET', `"${text}" is neither an email address nor @domain`, {
    hint: 'write an address (taro@example.co.jp) or a whole domain (@example.co.jp)',
    exitCode: 2,
  });
}

/** Adds a suppression (logged); nothing is ever sent to a suppressed address again. */
export function suppress(store: Store, target: SuppressionTarget, reason: string, at: string, actor: string): { added: boolean } {
  const { db } = store;
  return db.transaction(() => {
    const added = addSuppression(db, { ...target, reason, at, actor });
    if (added) {
      const lead = target.kind === 'address' ? findLeadByEmail(db, target.value) : undefined;
      appendEvent(db, { type: 'suppression.added', at, actor, leadId: lead?.id ?? null, data: { kind: target.kind, ...(target.kind === 'domain' ? { domain: target.value } : {}), reason } });
    }
    return { added };
  }).immediate();
}

/** Lifts a suppression; an erasure (a person's request to be forgotten) cannot be lifted. */
export function unsuppress(store: Store, target: SuppressionTarget, at: string, actor: string): void {
  const { db } = store;
  db.transaction(() => {
    if (target.kind === 'address' && findSuppression(db, target.value, erasureHash(erasureKey(db), target.value))?.kind === 'hash') {
      throw new CadenceError('SUPPRESSION_ERASED', `${target.value} was erased at the person's request and stays suppressed`, {
        hint: 'an erasure cannot be undone: the person has to contact you again themselves',
      });
    }
    const removed = removeSuppression(db, target.kind, target.value);
    if (!removed) {
      throw new CadenceError('SUPPRESSION_NOT_FOUND', `${target.kind === 'domain' ? '@' : ''}${target.value} is not suppressed`, {
        hint: target.kind === 'address' ? 'a domain suppression covers it? see `cadence leads show EMAIL`' : 'list suppressions with `cadence leads show EMAIL`',
      });
    }
    const lead = target.kind === 'address' ? findLeadByEmail(db, target.value) : undefined;
    appendEvent(db, { type: 'suppression.removed', at, actor, leadId: lead?.id ?? null, data: { kind: target.kind, ...(target.kind === 'domain' ? { domain: target.value } : {}), reason: removed.reason } });
  }).immediate();
}
