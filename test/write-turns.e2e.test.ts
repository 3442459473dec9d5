import { existsSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { someoneWaiting, waitingMarker, yieldToWaitingWriters } from '../src/store/write-turns.js';
import { bin, cadence, tempDir } from './helpers/cli.js';
import { leadRow, readStore } from './helpers/lead-store.js';

const temp = tempDir('cadence-turns-');
afterAll(() => temp.remove());

describe('taking turns at the store’s write lock', () => {
  it('a writer kept waiting by another says so with the marker, and removes it once it has written', { timeout: 60_000 }, async () => {
    const ws = join(temp.dir, 'ws');
    expect((await cadence(['init', ws])).exitCode).toBe(0);
    writeFileSync(join(ws, 'leads.csv'), 'email,company\nann@example.com,Before\n');
    expect((await cadence(['import', 'leads.csv'], { cwd: ws })).exitCode).toBe(0);
    const path = join(ws, '.cadence', 'cadence.db');
    const marker = waitingMarker(path);
    // Another writer (an import's batch, here this test) holds the lock.
    const holder = new Database(path);
    holder.prepare('BEGIN IMMEDIATE').run();
    const writer = execa(process.execPath, [bin, 'leads', 'set', 'ann@example.com', 'company=After'], { cwd: ws, env: { NO_COLOR: '1' }, reject: false, timeout: 30_000 });
    let seen = false;
    for (let polls = 0; polls < 500 && !seen && writer.exitCode === null; polls++) {
      seen = existsSync(marker);
      if (!seen) await sleep(10);
    }
    holder.prepare('COMMIT').run();
    holder.close();
    const result = await writer;
    expect(seen, 'the waiting writer left the marker').toBe(true);
    expect(result.exitCode).toBe(0);
    expect(existsSync(marker), 'the marker is gone once it wrote').toBe(false);
    readStore(ws, (db) => expect(leadRow(db, 'ann@example.com')).toMatchObject({ company: 'After' }));
  });

  it('a bulk writer pauses while the marker is fresh, and goes on once it is removed', async () => {
    const folder = join(temp.dir, 'marker');
    mkdirSync(folder, { recursive: true });
    const marker = waitingMarker(join(folder, 'cadence.db'));
    expect(someoneWaiting(marker)).toBe(false);
    writeFileSync(marker, '');
    expect(someoneWaiting(marker)).toBe(true);
    let removed = false;
    const paused = yieldToWaitingWriters(marker, 20_000).then(() => removed);
    await sleep(100);
    removed = true;
    rmSync(marker);
    expect(await paused, 'it went on only after the marker was removed').toBe(true);
    // A marker left by a writer that died is stale after a second: nobody waits on it.
    writeFileSync(marker, '');
    const old = new Date(Date.now() - 5_000);
    utimesSync(marker, old, old);
    expect(someoneWaiting(marker)).toBe(false);
  });
});
