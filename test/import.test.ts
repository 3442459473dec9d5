import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CadenceError } from '../src/errors.js';
import { importLeads, nextBatchSize, type ImportEnvironment, type ImportOptions } from '../src/import/run-import.js';
import { forgetLead } from '../src/leads/forget.js';
import { openStore, type Store } from '../src/store/database.js';
import { getImportRun, startImportRun } from '../src/store/import-runs.js';
import { loadValidConfig } from '../src/workspace/config.js';
import { initWorkspace } from '../src/workspace/init.js';
import type { WorkspaceConfig } from '../src/workspace/types.js';
import { csvText } from './helpers/lead-store.js';

/**
 * The import service called directly, with a fixed clock and actor and a fake process
 * table. From TypeScript sources the rows are read on this thread (the built CLI uses a
 * worker), so these also cover that path.
 */
const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

const NOW = new Date('2026-12-01T09:00:00Z');

function workspace(): { root: string; config: WorkspaceConfig; store: Store; file: (name: string, text: string) => string } {
  const root = mkdtempSync(join(tmpdir(), 'cadence-import-'));
  initWorkspace(root, 'en');
  const store = openStore(join(root, '.cadence', 'cadence.db'));
  cleanups.push(() => {
    store.close();
    rmSync(root, { recursive: true, force: true });
  });
  const file = (name: string, text: string): string => {
    writeFileSync(join(root, name), text);
    return join(root, name);
  };
  return { root, config: loadValidConfig(root), store, file };
}

function options(file: string, extra: Partial<ImportOptions> = {}): ImportOptions {
  return { file, map: {}, encoding: 'auto', onConflict: 'update', strict: false, dryRun: false, ...extra };
}

function environment(extra: Partial<ImportEnvironment> = {}): ImportEnvironment {
  return { now: NOW, actor: 'sato', pid: 4242, isAlive: (pid) => pid === 4242, ...extra };
}

const count = (store: Store, sql: string): number => (store.db.prepare(sql).get() as { n: number }).n;

const LEADS = csvText([
  ['email', 'company', 'status'],
  ['a@example.com', 'A', 'new'],
  ['b@example.com', 'B', 'MQL'],
]);

describe('importLeads', () => {
  it('records events with the clock and the actor it is given', async () => {
    const { config, store, file } = workspace();
    const report = await importLeads(store, config, options(file('leads.csv', LEADS)), environment());
    expect(report).toMatchObject({ inserted: 2, updated: 0, unchanged: 0, refused: 0, runId: 1, interrupted: [] });
    const logged = store.db.prepare('SELECT type, at, actor, data FROM events ORDER BY id').all();
    expect(logged).toEqual([
      { type: 'lead.imported', at: NOW.toISOString(), actor: 'sato', data: '{"import":1,"line":2}' },
      { type: 'lead.imported', at: NOW.toISOString(), actor: 'sato', data: '{"import":1,"line":3}' },
      { type: 'import.finished', at: NOW.toISOString(), actor: 'sato', data: JSON.stringify({ import: 1, inserted: 2, updated: 0, unchanged: 0, refused: 0 }) },
    ]);
    expect(getImportRun(store.db, 1)).toMatchObject({ status: 'done', actor: 'sato', pid: 4242, inserted: 2, lastLine: 3, finishedAt: NOW.toISOString() });
  });

  it('marks a run whose process is gone as interrupted, once; a run still alive is left alone', async () => {
    const { config, store, file } = workspace();
    const base = { file: '/tmp/old.csv', fileSize: 1, encoding: 'auto', options: {}, at: '2026-11-30T00:00:00.000Z', actor: 'sato', dryRun: false };
    const killed = startImportRun(store.db, { ...base, pid: 1111 });
    const running = startImportRun(store.db, { ...base, pid: 2222 });
    store.db.prepare('UPDATE import_runs SET last_line = 500 WHERE id = ?').run(killed);
    const isAlive = (pid: number): boolean => pid === 2222 || pid === 4242;

    const first = await importLeads(store, config, options(file('leads.csv', LEADS)), environment({ isAlive }));
    expect(first.interrupted).toEqual([killed]);
    expect(getImportRun(store.db, killed)).toMatchObject({ status: 'interrupted', finishedAt: NOW.toISOString() });
    expect(getImportRun(store.db, running)?.status).toBe('running');
    const notes = store.db.prepare("SELECT data FROM events WHERE type = 'import.interrupted'").all();
    expect(notes).toEqual([{ data: JSON.stringify({ import: killed, lastLine: 500 }) }]);

    const second = await importLeads(store, config, options(file('leads.csv', LEADS)), environment({ isAlive }));
    expect(second.interrupted).toEqual([]);
    expect(second).toMatchObject({ inserted: 0, unchanged: 2 });
  });

  it('marks a run that could not read its file as failed, so no later run takes it for a killed one', async () => {
    const { config, store, file } = workspace();
    const noEmail = file('no-email.csv', csvText([['Name', 'Company'], ['Taro', 'A']]));
    await expect(importLeads(store, config, options(noEmail), environment())).rejects.toMatchObject({ code: 'IMPORT_NO_EMAIL_COLUMN' });
    expect(getImportRun(store.db, 1)?.status).toBe('failed');
    const next = await importLeads(store, config, options(file('leads.csv', LEADS)), environment({ isAlive: () => false }));
    expect(next.interrupted).toEqual([]);
  });

  it('refuses a missing file with IMPORT_UNREADABLE before starting a run', async () => {
    const { root, config, store } = workspace();
    const error = await importLeads(store, config, options(join(root, 'missing.csv')), environment()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CadenceError);
    expect(error).toMatchObject({ code: 'IMPORT_UNREADABLE', exitCode: 1 });
    expect(count(store, 'SELECT count(*) AS n FROM import_runs')).toBe(0);
  });

  it('refuses an --owner that is not a rep as bad usage, before reading anything', async () => {
    const { config, store, file } = workspace();
    await expect(importLeads(store, config, options(file('leads.csv', LEADS), { owner: 'bob' }), environment())).rejects.toMatchObject({ code: 'IMPORT_UNKNOWN_OWNER', exitCode: 2 });
    expect(count(store, 'SELECT count(*) AS n FROM import_runs')).toBe(0);
  });

  it('fills --owner and --source into new leads and into stored leads that have none', async () => {
    const { config, store, file } = workspace();
    await importLeads(store, config, options(file('first.csv', csvText([['email', 'source'], ['a@example.com', 'web']]))), environment());
    const report = await importLeads(store, config, options(file('leads.csv', LEADS), { owner: 'alex', source: 'expo-2026' }), environment());
    expect(report).toMatchObject({ inserted: 1, updated: 1 });
    const leads = store.db.prepare('SELECT email, owner, source FROM leads ORDER BY email').all();
    expect(leads).toEqual([
      { email: 'a@example.com', owner: 'alex', source: 'web' },
      { email: 'b@example.com', owner: 'alex', source: 'expo-2026' },
    ]);
  });

  it('--strict refuses a file naming an erased person, writing nothing', async () => {
    const { config, store, file } = workspace();
    forgetLead(store, 'b@example.com', undefined, NOW.toISOString(), 'sato');
    const before = count(store, 'SELECT count(*) AS n FROM events');
    const report = await importLeads(store, config, options(file('leads.csv', LEADS), { strict: true }), environment());
    expect(report).toMatchObject({ aborted: true, runId: undefined, refused: 1, errors: [{ line: 3, code: 'IMPORT_ERASED', value: 'b@example.com' }] });
    expect(count(store, 'SELECT count(*) AS n FROM leads')).toBe(0);
    expect(count(store, 'SELECT count(*) AS n FROM import_runs')).toBe(0);
    expect(count(store, 'SELECT count(*) AS n FROM events')).toBe(before);
  });

  it('writes long rows in more transactions: a batch holds at most 4,000,000 characters of text', async () => {
    const { config, store, file } = workspace();
    const title = 'x'.repeat(20_000);
    const rows = [['email', 'company', 'title'], ...Array.from({ length: 300 }, (_, index) => [`u${index}@example.com`, 'Co', title])];
    const report = await importLeads(store, config, options(file('long.csv', csvText(rows))), environment());
    expect(report.inserted).toBe(300);
    // 6,000,000 characters: by rows alone (2,000 to the first batch) it was one transaction.
    expect(report.batches).toBe(2);
    expect(count(store, "SELECT count(*) AS n FROM leads WHERE length(title) = 20000")).toBe(300);
  });

  it('a dry run over several batches counts what the real run then does, and writes nothing', async () => {
    const { config, store, file } = workspace();
    // Updates of stored leads, spread over the batches (a later row for an address of the
    // file itself is refused, not merged: see import-fixes.test.ts).
    const stored: string[][] = [['email', 'company']];
    for (let i = 1; i < 6000; i += 11) stored.push([`lead${i}@example.com`, 'Old']);
    await importLeads(store, config, options(file('stored.csv', csvText(stored))), environment());
    const rows: string[][] = [['email', 'company', 'title', 'do_not_contact']];
    for (let i = 0; i < 6000; i++) {
      if (i >= 3000 && i % 7 === 0) rows.push([`LEAD${i - 3000}@example.com`, '', `Title ${i}`, '']);
      else if (i % 997 === 0) rows.push([`bad-${i}`, '', '', '']);
      else rows.push([`lead${i}@example.com`, `Co ${i}`, '', i % 500 === 1 ? 'yes' : '']);
    }
    const csv = file('many.csv', csvText(rows));
    const snapshot = (): unknown => store.db.prepare('SELECT (SELECT count(*) FROM leads) AS leads, (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM import_runs) AS runs, (SELECT count(*) FROM suppressions) AS suppressions').get();
    const before = snapshot();
    const dry = await importLeads(store, config, options(csv, { dryRun: true }), environment());
    expect(snapshot()).toEqual(before);
    const real = await importLeads(store, config, options(csv), environment());
    expect(real.updated).toBeGreaterThan(400);
    expect(real.errors.filter((error) => error.code === 'IMPORT_DUPLICATE_IN_FILE').length).toBeGreaterThan(400);
    const outcome = ({ inserted, updated, unchanged, refused, errors, warnings, unmapped, encoding }: typeof real): unknown => ({ inserted, updated, unchanged, refused, errors, warnings, unmapped, encoding });
    expect(dry.dryRun).toBe(true);
    expect(outcome(dry)).toEqual(outcome(real));
  });
});

describe('nextBatchSize', () => {
  it('sizes from the rows the last batch had, not the rows asked for (a window’s short last batch)', () => {
    // 8,000 asked, the window had 2,485 left, written in 57 ms: ~6,500 rows make 150 ms.
    expect(nextBatchSize(8000, 2485, 57)).toBe(6539);
  });

  it('at most doubles, stays within 200 and 20,000 rows, and survives a 0 ms batch', () => {
    expect(nextBatchSize(2000, 2000, 10)).toBe(4000);
    expect(nextBatchSize(20_000, 20_000, 100)).toBe(20_000);
    expect(nextBatchSize(500, 10, 400)).toBe(200);
    expect(nextBatchSize(300, 300, 0)).toBe(600);
  });
});
