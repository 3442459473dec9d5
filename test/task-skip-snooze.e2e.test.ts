import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cadence, queryStore, sampleWorkspace, tempDir } from './helpers/cli.js';

const temp = tempDir('cadence-task-skip-');
afterAll(() => temp.remove());
const demo = join(temp.dir, 'demo');
const sample = join(temp.dir, 'sample');
const at = (iso: string) => ({ CADENCE_NOW: iso });

function openIds(ws: string, now: string): Promise<number[]> {
  return cadence(['tasks', '--all-owners', '--json'], { cwd: ws, env: at(now) }).then((result) => (JSON.parse(result.stdout) as { id: number }[]).map((task) => task.id));
}

beforeAll(async () => {
  // The demo leaves two day-7 calls (tasks 7 and 8) for alex (New York) on 2026-12-09, expiring a day later.
  expect((await cadence(['demo', '--dir', demo, '--now', '2026-12-01T09:30:00-05:00'])).exitCode).toBe(0);
  await sampleWorkspace(sample);
});

describe('cadence task skip', () => {
  it('skips an open task with its reason, logged; a second skip is refused as not open', async () => {
    const [first] = await openIds(demo, '2026-12-09T16:00:00Z');
    const skipped = await cadence(['task', 'skip', String(first), '--reason', 'spoke at the trade fair'], { cwd: demo, env: { ...at('2026-12-09T16:00:00Z'), CADENCE_USER: 'alex' } });
    expect(skipped.exitCode).toBe(0);
    expect(skipped.stdout).toContain(`task ${first} skipped`);
    expect(queryStore(demo, 'SELECT state, note, completed_by FROM tasks WHERE id = ?', first)).toEqual([{ state: 'skipped', note: 'spoke at the trade fair', completed_by: 'alex' }]);
    const [event] = queryStore<{ actor: string; data: string }>(demo, "SELECT actor, data FROM events WHERE type = 'task.skipped'");
    expect(event!.actor).toBe('alex');
    expect(JSON.parse(event!.data)).toMatchObject({ task: first, step: 'call-3', reason: 'spoke at the trade fair' });
    expect(await openIds(demo, '2026-12-09T16:00:00Z')).not.toContain(first);

    const again = await cadence(['task', 'skip', String(first), '--reason', 'twice'], { cwd: demo });
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toMatch(/^error TASK_NOT_OPEN {2}task \d+ is skipped, spoke at the trade fair; nothing was changed/);
    expect(again.stderr).toContain('hint:');
    expect(queryStore(demo, "SELECT count(*) AS n FROM events WHERE type = 'task.skipped'")).toEqual([{ n: 1 }]);
  });

  it('needs a reason, and a task that exists', async () => {
    const none = await cadence(['task', 'skip', '7'], { cwd: demo });
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain("required option '--reason <text>'");
    const blank = await cadence(['task', 'skip', '8', '--reason', '  '], { cwd: demo });
    expect(blank.exitCode).toBe(2);
    expect(blank.stderr).toContain('TASK_NEEDS_REASON');
    const missing = await cadence(['task', 'skip', '9999', '--reason', 'x'], { cwd: demo });
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain('TASK_NOT_FOUND');
    expect(queryStore(demo, 'SELECT state FROM tasks WHERE id = 8')).toEqual([{ state: 'open' }]);
  });

  it('moves the sequence on when the next step waits for the task (after:)', async () => {
    const email = 'daniel.okafor@tailspin.example.com';
    expect((await cadence(['leads', 'set', email, 'application_url=https://example.com/apply/42'], { cwd: sample })).exitCode).toBe(0);
    expect((await cadence(['enroll', 'closing-chase', '--lead', email], { cwd: sample, env: at('2026-12-01T10:00:00-05:00') })).exitCode).toBe(0);
    await cadence(['tick'], { cwd: sample, env: at('2026-12-01T10:00:00-05:00') });
    await cadence(['tick'], { cwd: sample, env: at('2026-12-02T10:00:00-05:00') });
    const [followup] = queryStore<{ id: number }>(sample, "SELECT id FROM tasks WHERE step_id = 'followup' AND state = 'open'");
    expect(queryStore(sample, "SELECT step_id, due_at FROM enrollments WHERE sequence = 'closing-chase'")).toEqual([{ step_id: 'confirm-call', due_at: null }]);
    const skipped = await cadence(['task', 'skip', String(followup!.id), '--reason', 'they called us first'], { cwd: sample, env: at('2026-12-02T15:00:00-05:00') });
    expect(skipped.stdout).toContain('the next step is scheduled');
    expect(queryStore(sample, "SELECT step_id, due_at FROM enrollments WHERE sequence = 'closing-chase'")).toEqual([{ step_id: 'confirm-call', due_at: '2026-12-03T20:00:00.000Z' }]);
  });
});

describe('cadence task snooze', () => {
  it('hides a task until its time, in the list and in --json alike', async () => {
    const result = await cadence(['task', 'snooze', '8', '--until', '2026-12-10T14:00:00Z'], { cwd: demo, env: at('2026-12-09T16:00:00Z') });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('task 8 snoozed until 2026-12-10T14:00:00.000Z');
    expect(queryStore(demo, 'SELECT state, snoozed_until FROM tasks WHERE id = 8')).toEqual([{ state: 'open', snoozed_until: '2026-12-10T14:00:00.000Z' }]);
    expect(await openIds(demo, '2026-12-09T17:00:00Z')).not.toContain(8);
    const printed = await cadence(['tasks', '--all-owners'], { cwd: demo, env: at('2026-12-09T17:00:00Z') });
    expect(printed.stdout).not.toContain('#8 ');
    expect(await openIds(demo, '2026-12-10T14:00:00Z')).toContain(8);
    const [event] = queryStore<{ data: string }>(demo, "SELECT data FROM events WHERE type = 'task.snoozed'");
    expect(JSON.parse(event!.data)).toMatchObject({ task: 8, until: '2026-12-10T14:00:00.000Z', previous: null });
  });

  it("reads a date alone as that morning, and a time without an offset in the rep's zone", async () => {
    await cadence(['task', 'snooze', '8', '--until', '2026-12-10'], { cwd: demo, env: { ...at('2026-12-09T16:00:00Z'), CADENCE_USER: 'alex' } });
    expect(queryStore(demo, 'SELECT snoozed_until FROM tasks WHERE id = 8')).toEqual([{ snoozed_until: '2026-12-10T14:00:00.000Z' }]); // 09:00 in New York
    const late = await cadence(['task', 'snooze', '8', '--until', '2026-12-10T11:30'], { cwd: demo, env: { ...at('2026-12-09T16:00:00Z'), CADENCE_USER: 'alex' } });
    expect(late.stdout).toContain('(after its step expires: the tick will skip it then)');
    expect(queryStore(demo, 'SELECT snoozed_until FROM tasks WHERE id = 8')).toEqual([{ snoozed_until: '2026-12-10T16:30:00.000Z' }]);
  });

  it('refuses a time in the past, a bad time, and a task that is not open, changing nothing', async () => {
    const past = await cadence(['task', 'snooze', '8', '--until', '2026-12-09T10:00:00Z'], { cwd: demo, env: at('2026-12-09T16:00:00Z') });
    expect(past.exitCode).toBe(2);
    expect(past.stderr).toContain('TASK_SNOOZE_PAST');
    const bad = await cadence(['task', 'snooze', '8', '--until', 'tomorrow'], { cwd: demo, env: at('2026-12-09T16:00:00Z') });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('BAD_TIME');
    const [skipped] = queryStore<{ id: number }>(demo, "SELECT id FROM tasks WHERE state = 'skipped'");
    const notOpen = await cadence(['task', 'snooze', String(skipped!.id), '--until', '2026-12-10T14:00:00Z'], { cwd: demo, env: at('2026-12-09T16:00:00Z') });
    expect(notOpen.exitCode).toBe(1);
    expect(notOpen.stderr).toContain('TASK_NOT_OPEN');
    expect(queryStore(demo, 'SELECT snoozed_until FROM tasks WHERE id = ?', skipped!.id)).toEqual([{ snoozed_until: null }]);
    expect(queryStore(demo, 'SELECT snoozed_until FROM tasks WHERE id = 8')).toEqual([{ snoozed_until: '2026-12-10T16:30:00.000Z' }]);
  });
});
