import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cadence, tempDir } from './helpers/cli.js';

const temp = tempDir('cadence-tasks-');
afterAll(() => temp.remove());
const ws = join(temp.dir, 'ws');

beforeAll(async () => {
  // The demo leaves two day-7 calls waiting for the rep (alex) on 2026-12-09.
  expect((await cadence(['demo', '--dir', ws, '--now', '2026-12-01T09:30:00-05:00'])).exitCode).toBe(0);
});

describe('cadence tasks (printed, not at a terminal)', () => {
  it('prints JSON in the documented shape, overdue first', async () => {
    const result = await cadence(['tasks', '--all-owners', '--json', '--now', '2026-12-10T16:00:00Z'], { cwd: ws });
    expect(result.exitCode).toBe(0);
    const tasks = JSON.parse(result.stdout) as { id: number; type: string; dueAt: string; lead: { email: string; name: string; company: string }; sequence: string; step: string; overdue: boolean }[];
    expect(tasks).toHaveLength(2);
    expect(tasks[0]).toMatchObject({ type: 'call', dueAt: '2026-12-09T15:00:00.000Z', sequence: 'inbound-8day', step: 'call-3', overdue: true, lead: { email: 'marcus.lee@contoso.example.com', name: 'Marcus Lee', company: 'Contoso Ltd' } });
  });

  it('filters by owner (me by default), kind and due date', async () => {
    const mine = await cadence(['tasks', '--as', 'alex', '--now', '2026-12-09T16:00:00Z'], { cwd: ws });
    expect(mine.stdout).toMatch(/^2 open tasks for alex \(2 call\)/);
    const nobody = JSON.parse((await cadence(['tasks', '--owner', 'someone-else', '--json'], { cwd: ws })).stdout) as unknown[];
    expect(nobody).toEqual([]);
    const emails = JSON.parse((await cadence(['tasks', '--all-owners', '--type', 'manual_email', '--json'], { cwd: ws })).stdout) as unknown[];
    expect(emails).toEqual([]);
    const overdueBefore = JSON.parse((await cadence(['tasks', '--all-owners', '--due', 'overdue', '--json', '--now', '2026-12-09T14:00:00Z'], { cwd: ws })).stdout) as unknown[];
    expect(overdueBefore).toEqual([]);
  });

  it('shows a task done by `cadence task done` no more', async () => {
    const [first] = JSON.parse((await cadence(['tasks', '--all-owners', '--json'], { cwd: ws })).stdout) as { id: number }[];
    expect((await cadence(['task', 'done', String(first!.id), '--outcome', 'no_answer'], { cwd: ws, env: { CADENCE_NOW: '2026-12-09T16:00:00Z' } })).exitCode).toBe(0);
    const left = JSON.parse((await cadence(['tasks', '--all-owners', '--json'], { cwd: ws })).stdout) as { id: number }[];
    expect(left.map((task) => task.id)).not.toContain(first!.id);
  });
});
