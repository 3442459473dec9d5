import type { Database } from 'better-sqlite3';
import { statement } from './statements.js';

/** What happened, to whom, by whom: one row of the append-only log. */
export interface EventInput {
  type: string;
  at: string;
  actor: string;
  leadId?: number | null;
  data?: unknown;
}

export interface StoredEvent {
  id: number;
  type: string;
  at: string;
  actor: string;
  leadId: number | null;
  data: unknown;
}

interface EventRow {
  id: number;
  type: string;
  at: string;
  actor: string;
  lead_id: number | null;
  data: string | null;
}

/** Appends an event and returns its id (ids only grow). Call inside the caller's transaction. */
export function appendEvent(db: Database, event: EventInput): number {
  const result = statement(db, INSERT_EVENT).run(
    event.type,
    event.at,
    event.actor,
    event.leadId ?? null,
    event.data === undefined ? null : JSON.stringify(event.data),
  );
  return Number(result.lastInsertRowid);
}

/**
 * The import's hot path: events of one type, time and actor whose data is already JSON
 * text, inserted EVENT_GROUP to a statement (a statement per event was ~12% of a 1M-row
 * import). Call `flush` before appending any other event, so the log keeps the order
 * things happened in, and before the transaction ends.
 */
export class EventGroup {
  private readonly params: (string | number)[] = [];

  constructor(
    private readonly db: Database,
    private readonly type: string,
    private readonly at: string,
    private readonly actor: string,
  ) {}

  add(leadId: number, data: string): void {
    this.params.push(this.type, this.at, this.actor, leadId, data);
    if (this.params.length === EVENT_GROUP * 5) this.flush();
  }

  flush(): void {
    const { params } = this;
    if (params.length === EVENT_GROUP * 5) statement(this.db, INSERT_GROUP).run(params);
    else for (let start = 0; start < params.length; start += 5) statement(this.db, INSERT_EVENT).run(params.slice(start, start + 5));
    params.length = 0;
  }
}

const EVENT_GROUP = 64;
const INSERT_EVENT = 'INSERT INTO events (type, at, actor, lead_id, data) VALUES (?, ?, ?, ?, ?)';
const INSERT_GROUP = `${INSERT_EVENT}${', (?, ?, ?, ?, ?)'.repeat(EVENT_GROUP - 1)}`;

/** Events after the cursor `after` (an event id), oldest first: how consumers read the log. */
export function readEvents(db: Database, after: number, limit = 1000): StoredEvent[] {
  const rows = statement(db, 'SELECT * FROM events WHERE id > ? ORDER BY id LIMIT ?').all(after, limit) as EventRow[];
  return rows.map(toEvent);
}

/** A lead's timeline, newest first. */
export function leadEvents(db: Database, leadId: number, limit = 50): StoredEvent[] {
  const rows = statement(db, 'SELECT * FROM events WHERE lead_id = ? ORDER BY id DESC LIMIT ?').all(leadId, limit) as EventRow[];
  return rows.map(toEvent);
}

/**
 * Every event with its lead's address (empty for events about no lead, or an erased one),
 * oldest first; `leadFilter` (SQL over the leads table) keeps the events of matching leads.
 */
export function* iterateEventsWithEmail(db: Database, leadFilter?: { sql: string; params: unknown[] }): Generator<StoredEvent & { email: string }> {
  const where = leadFilter ? `WHERE events.lead_id IN (SELECT id FROM leads WHERE ${leadFilter.sql})` : '';
  const sql = `SELECT events.*, coalesce(leads.email, '') AS email FROM events LEFT JOIN leads ON leads.id = events.lead_id ${where} ORDER BY events.id`;
  for (const row of db.prepare(sql).iterate(...(leadFilter?.params ?? [])) as Iterable<EventRow & { email: string }>) {
    yield { ...toEvent(row), email: row.email };
  }
}

function toEvent(row: EventRow): StoredEvent {
  return { id: row.id, type: row.type, at: row.at, actor: row.actor, leadId: row.lead_id, data: row.data === null ? null : JSON.parse(row.data) };
}

/** The newest event's id (0 for an empty log): where a command's own events start. */
export function lastEventId(db: Database): number {
  return (statement(db, 'SELECT coalesce(max(id), 0) FROM events').pluck().get() as number) ?? 0;
}

/** Enrollments that triggers asked for and the sequence refused, logged after event `after`. */
export function refusedTriggerEnrollments(db: Database, after: number): { email: string | null; sequence: string; reason: string; trigger: string }[] {
  const rows = statement(db, "SELECT events.data, leads.email FROM events LEFT JOIN leads ON leads.id = events.lead_id WHERE events.id > ? AND events.type = 'enrollment.skipped' ORDER BY events.id").all(after) as { data: string; email: string | null }[];
  return rows.flatMap((row) => {
    const data = JSON.parse(row.data) as { sequence: string; reason: string; by?: string };
    return data.by?.startsWith('trigger ') ? [{ email: row.email, sequence: data.sequence, reason: data.reason, trigger: data.by.slice('trigger '.length) }] : [];
  });
}
