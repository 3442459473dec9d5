import type { Database } from 'better-sqlite3';
import { statement } from './statements.js';

export type TriggerDateState = 'pending' | 'fired' | 'missed';

export interface TriggerDate {
  trigger: string;
  leadId: number;
  fireAt: string;
  state: TriggerDateState;
}

interface TriggerDateRow {
  trigger: string;
  lead_id: number;
  fire_at: string;
  state: TriggerDateState;
}

const toDate = (row: TriggerDateRow): TriggerDate => ({ trigger: row.trigger, leadId: row.lead_id, fireAt: row.fire_at, state: row.state });

export function findTriggerDate(db: Database, trigger: string, leadId: number): TriggerDate | undefined {
  const row = statement(db, 'SELECT * FROM trigger_dates WHERE trigger = ? AND lead_id = ?').get(trigger, leadId) as TriggerDateRow | undefined;
  return row ? toDate(row) : undefined;
}

/** Sets the moment a date trigger fires for a lead (`undefined`: never, the field is empty). */
export function putTriggerDate(db: Database, trigger: string, leadId: number, moment: { fireAt: string; state: TriggerDateState } | undefined, at: string): void {
  if (!moment) {
    statement(db, 'DELETE FROM trigger_dates WHERE trigger = ? AND lead_id = ?').run(trigger, leadId);
    return;
  }
  statement(db, `INSERT INTO trigger_dates (trigger, lead_id, fire_at, state, updated_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (trigger, lead_id) DO UPDATE SET fire_at = excluded.fire_at, state = excluded.state, updated_at = excluded.updated_at`).run(trigger, leadId, moment.fireAt, moment.state, at);
}

export function markTriggerDate(db: Database, trigger: string, leadId: number, state: TriggerDateState, at: string): void {
  statement(db, 'UPDATE trigger_dates SET state = ?, updated_at = ? WHERE trigger = ? AND lead_id = ?').run(state, at, trigger, leadId);
}

/** Date firings that are due, earliest first (indexed on the pending moments). */
export function dueTriggerDates(db: Database, now: string, limit: number): TriggerDate[] {
  return (statement(db, "SELECT * FROM trigger_dates WHERE state = 'pending' AND fire_at <= ? ORDER BY fire_at, trigger, lead_id LIMIT ?").all(now, limit) as TriggerDateRow[]).map(toDate);
}

/** Pending firings from `from` up to `until`, for `cadence plan`. */
export function pendingTriggerDates(db: Database, until: string): TriggerDate[] {
  return (statement(db, "SELECT * FROM trigger_dates WHERE state = 'pending' AND fire_at <= ? ORDER BY fire_at, trigger, lead_id").all(until) as TriggerDateRow[]).map(toDate);
}

export function anyTriggerDateDue(db: Database, now: string): boolean {
  return statement(db, "SELECT 1 FROM trigger_dates WHERE state = 'pending' AND fire_at <= ? LIMIT 1").get(now) !== undefined;
}

/** The rule (field, offset, time) each date trigger was last scheduled with. */
export function triggerDateRules(db: Database): Map<string, string> {
  return new Map((statement(db, 'SELECT trigger, rule FROM trigger_date_rules').all() as { trigger: string; rule: string }[]).map((row) => [row.trigger, row.rule]));
}

export function setTriggerDateRule(db: Database, trigger: string, rule: string | undefined): void {
  if (rule === undefined) statement(db, 'DELETE FROM trigger_date_rules WHERE trigger = ?').run(trigger);
  else statement(db, 'INSERT INTO trigger_date_rules (trigger, rule) VALUES (?, ?) ON CONFLICT (trigger) DO UPDATE SET rule = excluded.rule').run(trigger, rule);
}

/** Forgets a date trigger's schedule (its rule changed or it is gone). */
export function clearTriggerDates(db: Database, trigger: string): void {
  statement(db, 'DELETE FROM trigger_dates WHERE trigger = ?').run(trigger);
}
