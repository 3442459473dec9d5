import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { takeTurns } from './write-turns.js';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

function twoConnections(): { holder: Database.Database; waiter: Database.Database; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cadence-turns-'));
  dirs.push(dir);
  const path = join(dir, 'store.db');
  const holder = new Database(path);
  holder.pragma('journal_mode = WAL');
  holder.exec('CREATE TABLE t (x INTEGER)');
  return { holder, waiter: new Database(path), dir };
}

describe('takeTurns', () => {
  it('gives up with SQLITE_BUSY after its time, and leaves no marker behind', () => {
    const { holder, waiter, dir } = twoConnections();
    const marker = join(dir, 'writer-waiting');
    takeTurns(waiter, marker, 150);
    holder.prepare('BEGIN IMMEDIATE').run();
    expect(() => waiter.transaction(() => waiter.prepare('INSERT INTO t VALUES (1)').run()).immediate()).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
    expect(existsSync(marker)).toBe(false);
    holder.prepare('COMMIT').run();
    // Its own busy timeout is as it was, and it writes once the lock is free.
    expect(waiter.pragma('busy_timeout', { simple: true })).toBe(5000);
    waiter.transaction(() => waiter.prepare('INSERT INTO t VALUES (2)').run()).immediate();
    expect(holder.prepare('SELECT x FROM t').pluck().all()).toEqual([2]);
    holder.close();
    waiter.close();
  });

  it('still waits its turn where the marker cannot be written (the write is what matters)', () => {
    const { holder, waiter, dir } = twoConnections();
    takeTurns(waiter, join(dir, 'no-such-folder', 'writer-waiting'), 150);
    holder.prepare('BEGIN IMMEDIATE').run();
    expect(() => waiter.transaction(() => 1).immediate()).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
    holder.prepare('COMMIT').run();
    expect(waiter.transaction(() => 2).immediate()).toBe(2);
    holder.close();
    waiter.close();
  });

  it('runs a transaction whose work has begun once, and nested ones as savepoints', () => {
    const { holder, waiter, dir } = twoConnections();
    takeTurns(waiter, join(dir, 'writer-waiting'), 1000);
    let runs = 0;
    const outer = waiter.transaction(() => {
      runs++;
      waiter.transaction(() => waiter.prepare('INSERT INTO t VALUES (3)').run()).immediate();
      throw Object.assign(new Error('busy inside'), { code: 'SQLITE_BUSY' });
    });
    expect(() => outer.immediate()).toThrow('busy inside');
    expect(runs).toBe(1);
    expect(holder.prepare('SELECT count(*) FROM t').pluck().get()).toBe(0);
    holder.close();
    waiter.close();
  });
});
