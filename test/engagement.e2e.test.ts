import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cadence, queryStore, sampleWorkspace, tempDir } from './helpers/cli.js';

const temp = tempDir('cadence-engagement-');
afterAll(() => temp.remove());
const ws = join(temp.dir, 'ws');
const at = (iso: string) => ({ CADENCE_NOW: iso });

function query<T>(sql: string, ...params: unknown[]): T[] {
  return queryStore<T>(ws, sql, ...params);
}
const state = (email: string, sequence: string) =>
  query<{ state: string; reason: string | null }>('SELECT e.state, e.reason FROM enrollments e JOIN leads l ON l.id = e.lead_id WHERE l.email = ? AND e.sequence = ? ORDER BY e.id DESC LIMIT 1', email, sequence)[0];

beforeAll(async () => {
  await sampleWorkspace(ws);
  expect((await cadence(['enroll', 'inbound-8day', '--where', 'status = "MQL"'], { cwd: ws, env: at('2026-12-01T10:00:00-05:00') })).exitCode).toBe(0);
  expect((await cadence(['tick'], { cwd: ws, env: at('2026-12-01T10:00:00-05:00') })).exitCode).toBe(0);
});

describe('cadence log', () => {
  it('a reply ends a sequence that exits on replies, and cancels its open tasks', async () => {
    const email = 'olivia.bennett@northwind.example.com';
    const result = await cadence(['log', email, 'reply', '--note', 'asked for pricing'], { cwd: ws, env: at('2026-12-01T12:00:00-05:00') });
    expect(result.stdout).toContain('exited inbound-8day');
    expect(state(email, 'inbound-8day')).toEqual({ state: 'exited', reason: 'reply' });
    const open = query<{ n: number }>("SELECT count(*) AS n FROM tasks t JOIN leads l ON l.id = t.lead_id WHERE l.email = ? AND t.state = 'open'", email)[0]!.n;
    expect(open).toBe(0);
  });

  it('an unsubscribe suppresses the address and ends every sequence', async () => {
    const email = 'marcus.lee@contoso.example.com';
    const result = await cadence(['log', email, 'unsubscribe'], { cwd: ws, env: at('2026-12-01T12:00:00-05:00') });
    expect(result.stdout).toContain('the address is suppressed');
    expect(state(email, 'inbound-8day')).toEqual({ state: 'exited', reason: 'unsubscribe' });
    const shown = JSON.parse((await cadence(['leads', 'show', email, '--json'], { cwd: ws })).stdout) as { suppression: { reason: string } };
    expect(shown.suppression.reason).toBe('unsubscribed');
  });

  it('an out-of-office pauses until the return date, and the tick resumes it then', async () => {
    const email = 'sato.kenji@sakura-kogyo.example.co.jp';
    await cadence(['log', email, 'ooo', '--until', '2026-12-07T09:00:00+09:00'], { cwd: ws, env: at('2026-12-02T10:00:00+09:00') });
    expect(state(email, 'inbound-8day')).toEqual({ state: 'paused', reason: 'out_of_office' });
    await cadence(['tick'], { cwd: ws, env: at('2026-12-05T10:00:00+09:00') });
    expect(state(email, 'inbound-8day')!.state).toBe('paused');
    await cadence(['tick'], { cwd: ws, env: at('2026-12-07T10:00:00+09:00') });
    expect(state(email, 'inbound-8day')!.state).toBe('active');
    expect(query("SELECT * FROM events WHERE type = 'enrollment.resumed'")).toHaveLength(1);
  });
});

describe('cadence status and backup', () => {
  it('shows the last tick, pauses by reason and overdue tasks per rep', async () => {
    const status = JSON.parse((await cadence(['status', '--json'], { cwd: ws, env: at('2026-12-10T10:00:00-05:00') })).stdout) as {
      lastTick: { result: { emailsSent: number } } | null;
      overdueTasks: { owner: string; count: number }[];
      activeEnrollments: number;
    };
    expect(status.lastTick).not.toBeNull();
    expect(status.activeEnrollments).toBeGreaterThan(0);
    expect(status.overdueTasks.length).toBeGreaterThan(0);
    const text = await cadence(['status'], { cwd: ws, env: at('2026-12-10T10:00:00-05:00') });
    expect(text.stdout).toMatch(/^last tick: /);
    expect(text.stdout).toContain('messages in doubt: none');
  });

  it('copies the live store with the online backup', async () => {
    const target = join(temp.dir, 'backup.db');
    const result = await cadence(['backup', target], { cwd: ws });
    expect(result.exitCode).toBe(0);
    expect(existsSync(target)).toBe(true);
    const copy = new Database(target, { readonly: true });
    const leads = (copy.prepare('SELECT count(*) AS n FROM leads').get() as { n: number }).n;
    copy.close();
    expect(leads).toBe(12);
  });
});
