import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cadence, queryStore, sampleWorkspace, tempDir } from './helpers/cli.js';

const temp = tempDir('cadence-limits-');
afterAll(() => temp.remove());

const at = (time: string) => ({ CADENCE_NOW: `2026-12-${time}-05:00` });
const LEADS = ['--lead', 'olivia.bennett@northwind.example.com', '--lead', 'marcus.lee@contoso.example.com', '--lead', 'priya.shah@fabrikam.example.com'];

async function workspace(name: string, limits: string): Promise<string> {
  const ws = join(temp.dir, name);
  await sampleWorkspace(ws);
  const path = join(ws, 'cadence.yaml');
  writeFileSync(path, readFileSync(path, 'utf8').replace(/ {4}daily_cap: 200[^\n]*/, limits));
  return ws;
}

async function tick(ws: string, time: string): Promise<{ emailsSent: number; emailsQueued: number }> {
  const result = await cadence(['tick', '--json'], { cwd: ws, env: at(time) });
  expect(result.exitCode).toBe(0);
  return JSON.parse(result.stdout) as { emailsSent: number; emailsQueued: number };
}

describe('a mailbox’s daily cap and minimum gap', () => {
  it('over the daily cap, the rest waits for the next day', async () => {
    const ws = await workspace('cap', '    daily_cap: 2');
    expect((await cadence(['enroll', 'outbound-18day', ...LEADS], { cwd: ws, env: at('01T10:00:00') })).exitCode).toBe(0);
    expect(await tick(ws, '01T10:00:00')).toMatchObject({ emailsSent: 2, emailsQueued: 1 });
    expect(await tick(ws, '01T14:00:00')).toMatchObject({ emailsSent: 0 });
    const status = JSON.parse((await cadence(['status', '--json'], { cwd: ws, env: at('01T14:00:00') })).stdout) as { mailboxes: unknown[] };
    expect(status.mailboxes).toContainEqual({ mailbox: 'alex', today: 2, queued: 0, retrying: 0, failed: 0, dailyCap: 2 });
    // The next morning the third lead's welcome goes, within the cap of the new day.
    expect((await tick(ws, '02T10:00:00')).emailsSent).toBeGreaterThanOrEqual(1);
    const welcomes = queryStore<{ to_address: string; created_at: string }>(ws, "SELECT to_address, created_at FROM messages WHERE step_id = 'intro' ORDER BY id");
    expect(welcomes).toHaveLength(3);
    expect(welcomes[2]!.created_at).toBe('2026-12-02T15:00:00.000Z');
    const perDay = queryStore<{ day: string; n: number }>(ws, 'SELECT substr(created_at, 1, 10) AS day, count(*) AS n FROM messages GROUP BY day');
    expect(perDay.every((row) => row.n <= 2)).toBe(true);
  });

  it('within the minimum gap, the next email from the mailbox waits until the gap has passed', async () => {
    const ws = await workspace('gap', '    min_gap: 10m');
    expect((await cadence(['enroll', 'outbound-18day', ...LEADS], { cwd: ws, env: at('01T10:00:00') })).exitCode).toBe(0);
    expect(await tick(ws, '01T10:00:00')).toMatchObject({ emailsSent: 1, emailsQueued: 2 });
    expect(await tick(ws, '01T10:05:00')).toMatchObject({ emailsSent: 0 });
    expect(await tick(ws, '01T10:10:00')).toMatchObject({ emailsSent: 1 });
    expect(await tick(ws, '01T10:20:00')).toMatchObject({ emailsSent: 1 });
    const times = queryStore<{ created_at: string }>(ws, 'SELECT created_at FROM messages ORDER BY id').map((row) => row.created_at);
    expect(times).toEqual(['2026-12-01T15:00:00.000Z', '2026-12-01T15:10:00.000Z', '2026-12-01T15:20:00.000Z']);
  });
});
