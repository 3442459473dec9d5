import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { CadenceError } from '../errors.js';
import { openStore } from './database.js';
import { appendEvent, leadEvents, readEvents } from './events.js';
import { findLeadByEmail, insertPackedLeadIfNew, LEAD_COLUMNS, leadColumnValues, queryLeads, updateLeadFields } from './leads.js';
import { LATEST_VERSION, migrate, MIGRATIONS } from './migrations.js';
import { addSuppression, erasureHash, findSuppression } from './suppressions.js';
import { erasureKey } from './meta.js';
import { advanceEnrollment, insertEnrollment } from './enrollments.js';
import { withTempStoreInMemory } from './temp-store.js';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});
function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cadence-store-'));
  dirs.push(dir);
  return join(dir, '.cadence', 'cadence.db');
}
const AT = '2026-12-01T00:00:00.000Z';

function insert(db: Database.Database, email: string, fields: Record<string, string | number | boolean>): number {
  const { columns, custom } = leadColumnValues(fields);
  return insertPackedLeadIfNew(db, [email, ...columns, custom, AT, AT])!;
}

describe('the store', () => {
  it('is created with WAL and migrated to the latest version', () => {
    const store = openStore(tempDb());
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    store.close();
  });

  it('is made with 8 KB pages; a store made with 4 KB pages keeps them, and its leads', () => {
    const fresh = openStore(tempDb());
    expect(fresh.db.pragma('page_size', { simple: true })).toBe(8192);
    fresh.close();
    const path = tempDb();
    const store = openStore(path);
    store.close();
    rmSync(path);
    const old = new Database(path);
    old.pragma('page_size = 4096');
    old.pragma('journal_mode = WAL');
    migrate(old);
    insert(old, 'kept@example.com', { company: 'Kept' });
    old.close();
    const reopened = openStore(path);
    expect(reopened.db.pragma('page_size', { simple: true })).toBe(4096);
    expect(findLeadByEmail(reopened.db, 'kept@example.com')?.fields).toMatchObject({ company: 'Kept' });
    reopened.close();
  });

  it.each(MIGRATIONS.map((migration) => migration.version - 1))('migrates from version %i with the data kept', (from) => {
    const path = tempDb();
    const store = openStore(path, { create: true });
    store.close();
    // Rebuild a store at version `from`, then let openStore take it to the latest.
    rmSync(path);
    const db = new Database(path);
    migrate(db, from);
    if (from >= 1) db.prepare("INSERT INTO leads (email, custom, created_at, updated_at) VALUES ('kept@example.com', '{}', ?, ?)").run(AT, AT);
    db.close();
    const migrated = openStore(path);
    expect(migrated.db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    if (from >= 1) expect(findLeadByEmail(migrated.db, 'kept@example.com')).toBeDefined();
    migrated.close();
  });

  it('refuses a store written by a newer cadence', () => {
    const path = tempDb();
    openStore(path).close();
    const db = new Database(path);
    db.pragma(`user_version = ${LATEST_VERSION + 1}`);
    db.close();
    expect(() => openStore(path)).toThrow(CadenceError);
    try {
      openStore(path);
    } catch (error) {
      expect((error as CadenceError).code).toBe('STORE_TOO_NEW');
    }
  });

  it('says there is no store yet instead of creating one for a read', () => {
    expect(() => openStore(tempDb(), { create: false })).toThrow(/no store/);
  });
});

describe('leads', () => {
  it('keep built-in fields in columns and custom ones typed in JSON', () => {
    const store = openStore(tempDb());
    insert(store.db, 'taro@example.co.jp', { last_name: '山田', first_name: '太郎', employees: 120, vip: true, renewal_date: '2027-03-31' });
    const lead = findLeadByEmail(store.db, 'TARO@example.co.jp')!;
    expect(lead.fields).toEqual({ last_name: '山田', first_name: '太郎', employees: 120, vip: true, renewal_date: '2027-03-31' });
    expect(LEAD_COLUMNS).toContain('last_name');
    store.close();
  });

  it('insert only a new address, and update only the changed columns', () => {
    const store = openStore(tempDb());
    const id = insert(store.db, 'a@example.com', { company: 'Acme' });
    const { columns, custom } = leadColumnValues({ company: 'Other' });
    expect(insertPackedLeadIfNew(store.db, ['a@example.com', ...columns, custom, AT, AT])).toBeUndefined();
    updateLeadFields(store.db, id, { company: 'Acme', title: 'CEO', tier: 'A' }, ['title', 'tier'], '2026-12-02T00:00:00.000Z');
    const lead = findLeadByEmail(store.db, 'a@example.com')!;
    expect(lead.fields).toEqual({ company: 'Acme', title: 'CEO', tier: 'A' });
    expect(lead.updatedAt).toBe('2026-12-02T00:00:00.000Z');
    expect(queryLeads(store.db, { sql: 'leads.title = ?', params: ['CEO'] })).toHaveLength(1);
    store.close();
  });
});

describe('events', () => {
  it('have increasing ids that are never reused, even after erasure deletes the newest', () => {
    const store = openStore(tempDb());
    const first = appendEvent(store.db, { type: 'lead.imported', at: AT, actor: 'sato', leadId: 1, data: { line: 2 } });
    const second = appendEvent(store.db, { type: 'lead.imported', at: AT, actor: 'sato', leadId: 2 });
    store.db.prepare('DELETE FROM events WHERE id = ?').run(second);
    const third = appendEvent(store.db, { type: 'lead.updated', at: AT, actor: 'system', leadId: 1 });
    expect(second).toBeGreaterThan(first);
    expect(third).toBeGreaterThan(second);
    expect(readEvents(store.db, first).map((event) => event.id)).toEqual([third]);
    expect(readEvents(store.db, 0)[0]).toMatchObject({ type: 'lead.imported', actor: 'sato', leadId: 1, data: { line: 2 } });
    expect(leadEvents(store.db, 1).map((event) => event.type)).toEqual(['lead.updated', 'lead.imported']);
    store.close();
  });
});

describe('suppressions', () => {
  it('match an address, a domain and its subdomains, and an erasure hash', () => {
    const store = openStore(tempDb());
    addSuppression(store.db, { kind: 'address', value: 'No@Example.com', reason: 'unsubscribed', at: AT, actor: 'system' });
    addSuppression(store.db, { kind: 'domain', value: 'competitor.co.jp', reason: 'competitor', at: AT, actor: 'sato' });
    addSuppression(store.db, { kind: 'hash', value: erasureHash(erasureKey(store.db), 'gone@example.com'), reason: 'erased', at: AT, actor: 'sato' });
    expect(findSuppression(store.db, 'no@example.com')?.reason).toBe('unsubscribed');
    expect(findSuppression(store.db, 'taro@mail.competitor.co.jp')?.reason).toBe('competitor');
    expect(findSuppression(store.db, 'gone@example.com')?.kind).toBe('hash');
    expect(findSuppression(store.db, 'yes@example.com')).toBeUndefined();
    expect(findSuppression(store.db, 'taro@co.jp')).toBeUndefined();
    store.close();
  });

  it('hash with a key of the store, so the hash alone does not reveal a guessable address', () => {
    const one = openStore(tempDb());
    const two = openStore(tempDb());
    expect(erasureHash(erasureKey(one.db), 'a@example.com')).not.toBe(erasureHash(erasureKey(two.db), 'a@example.com'));
    expect(erasureHash(erasureKey(one.db), 'a@example.com')).toBe(erasureHash(erasureKey(one.db), 'A@example.com'));
    one.close();
    two.close();
  });
});

describe('enrollments', () => {
  it('moves an enrollment on, writing its sequence version only when it changed', () => {
    const store = openStore(tempDb());
    const leadId = insert(store.db, 'moved@example.com', {});
    const id = insertEnrollment(store.db, { leadId, sequence: 'outbound', version: 'v1', stepIndex: 0, stepId: 'intro', dueAt: AT, enrolledAt: AT, actor: 'test' });
    const read = () => store.db.prepare('SELECT version, step_index, step_id, due_at FROM enrollments WHERE id = ?').get(id);
    // Unchanged for the enrollment as read: the version column is not written at all (the
    // stored value, changed behind its back here, shows it).
    store.db.prepare("UPDATE enrollments SET version = 'v0' WHERE id = ?").run(id);
    advanceEnrollment(store.db, { id, version: 'v1' }, { stepIndex: 1, stepId: 'follow', dueAt: '2026-12-04T00:00:00.000Z', lastDoneAt: AT, version: 'v1' }, AT);
    expect(read()).toEqual({ version: 'v0', step_index: 1, step_id: 'follow', due_at: '2026-12-04T00:00:00.000Z' });
    advanceEnrollment(store.db, { id, version: 'v1' }, { stepIndex: 2, stepId: 'call', dueAt: null, lastDoneAt: AT, version: 'v2' }, AT);
    expect(read()).toEqual({ version: 'v2', step_index: 2, step_id: 'call', due_at: null });
    store.close();
  });
});

describe('temporary storage in memory', () => {
  it('is switched on for the work and back after, also when the work fails', async () => {
    const store = openStore(tempDb());
    const before = store.db.pragma('temp_store', { simple: true });
    expect(before).not.toBe(2);
    expect(await withTempStoreInMemory(store.db, async () => store.db.pragma('temp_store', { simple: true }))).toBe(2);
    expect(store.db.pragma('temp_store', { simple: true })).toBe(before);
    await expect(withTempStoreInMemory(store.db, async () => Promise.reject(new Error('failed')))).rejects.toThrow('failed');
    expect(store.db.pragma('temp_store', { simple: true })).toBe(before);
    store.close();
  });

  it('leaves a connection with TEMP tables or triggers as it is (switching would drop them)', async () => {
    const store = openStore(tempDb());
    store.db.exec('CREATE TEMP TABLE journal (id INTEGER)');
    store.db.exec('INSERT INTO temp.journal VALUES (1)');
    const before = store.db.pragma('temp_store', { simple: true });
    expect(await withTempStoreInMemory(store.db, async () => store.db.pragma('temp_store', { simple: true }))).toBe(before);
    expect(store.db.prepare('SELECT count(*) AS n FROM temp.journal').get()).toEqual({ n: 1 });
    store.close();
  });
});

describe('migrations', () => {
  it('apply each step once when two processes open a new store together (the second finds it done under the lock)', () => {
    const path = tempDb();
    openStore(path).close();
    const late = new Database(path);
    // This connection read the version before the other one migrated: it starts from 0.
    const pragma = late.pragma.bind(late);
    let stale = true;
    late.pragma = ((source: string, options?: Database.PragmaOptions) => {
      if (stale && source === 'user_version' && options?.simple) {
        stale = false;
        return 0;
      }
      return pragma(source, options);
    }) as typeof late.pragma;
    expect(() => migrate(late)).not.toThrow();
    expect(pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    late.close();
  });
});
