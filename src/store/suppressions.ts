import { createHmac } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { erasureKey } from './meta.js';
import { statement } from './statements.js';

export type SuppressionKind = 'address' | 'domain' | 'hash';

export interface Suppression {
  id: number;
  kind: SuppressionKind;
  value: string;
  reason: string;
  createdAt: string;
  actor: string;
}

interface SuppressionRow {
  id: number;
  kind: SuppressionKind;
  value: string;
  reason: string;
  created_at: string;
  actor: string;
}

/** The keyed hash an erased address is remembered by (`key` is the store's {@link erasureKey}). */
export function erasureHash(key: string, email: string): string {
  return createHmac('sha256', key).update(email.toLowerCase()).digest('hex');
}

/** Every erasure hash, for checking a whole import batch at once. */
export function erasedHashes(db: Database): Set<string> {
  return new Set((statement(db, "SELECT value FROM suppressions WHERE kind = 'hash'").all() as { value: string }[]).map((row) => row.value));
}

/** The parent domains of an address: `a@mail.example.co.jp` → mail.example.co.jp, example.co.jp, co.jp. */
function domainsOf(email: string): string[] {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  const parts = domain.split('.');
  return parts.slice(0, -1).map((_, index) => parts.slice(index).join('.'));
}

/**
 * Why nothing may be sent to `email`, or undefined when it is not suppressed: by its
 * address, its domain or a parent domain, or its erasure hash.
 */
export function findSuppression(db: Database, email: string, hash?: string): Suppression | undefined {
  // One query for the address, every parent domain and the erasure hash (the tick asks
  // twice per message), the most specific first.
  const domains = domainsOf(email);
  const row = statement(
    db,
    `SELECT * FROM suppressions WHERE (kind = 'address' AND value = ?) OR (kind = 'hash' AND value = ?)${domains.length ? ` OR (kind = 'domain' AND value IN (${domains.map(() => '?').join(', ')}))` : ''}
      ORDER BY CASE kind WHEN 'address' THEN 0 WHEN 'domain' THEN 1 ELSE 2 END, length(value) DESC LIMIT 1`,
  ).get(email.toLowerCase(), hash ?? erasureHash(erasureKey(db), email), ...domains) as SuppressionRow | undefined;
  return row ? toSuppression(row) : undefined;
}

/** Adds a suppression; returns false when the same one already existed (its reason is kept). */
export function addSuppression(db: Database, entry: { kind: SuppressionKind; value: string; reason: string; at: string; actor: string }): boolean {
  const result = statement(db, 'INSERT OR IGNORE INTO suppressions (kind, value, reason, created_at, actor) VALUES (?, ?, ?, ?, ?)').run(
    entry.kind,
    entry.value.toLowerCase(),
    entry.reason,
    entry.at,
    entry.actor,
  );
  return result.changes === 1;
}

export function removeSuppression(db: Database, kind: Exclude<SuppressionKind, 'hash'>, value: string): Suppression | undefined {
  const row = statement(db, 'SELECT * FROM suppressions WHERE kind = ? AND value = ?').get(kind, value.toLowerCase()) as SuppressionRow | undefined;
  if (!row) return undefined;
  statement(db, 'DELETE FROM suppressions WHERE id = ?').run(row.id);
  return toSuppression(row);
}

export function listSuppressions(db: Database): Suppression[] {
  return (statement(db, 'SELECT * FROM suppressions ORDER BY id').all() as SuppressionRow[]).map(toSuppression);
}

/** Whether the store has any domain or erasure suppressions: imports skip per-row lookups when not. */
export function suppressionKinds(db: Database): Set<SuppressionKind> {
  return new Set((statement(db, 'SELECT DISTINCT kind FROM suppressions').all() as { kind: SuppressionKind }[]).map((row) => row.kind));
}

function toSuppression(row: SuppressionRow): Suppression {
  return { id: row.id, kind: row.kind, value: row.value, reason: row.reason, createdAt: row.created_at, actor: row.actor };
}
