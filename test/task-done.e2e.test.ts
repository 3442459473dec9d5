import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cadence, queryStore, sampleWorkspace, tempDir } from './helpers/cli.js';

const temp = tempDir('cadence-task-');
afterAll(() => temp.remove());
const ws = join(temp.dir, 'ws');
const EMAIL = 'daniel.okafor@tailspin.example.com';

function query<T>(sql: string, ...params: unknown[]): T[] {
  return queryStore<T>(ws, sql, ...params);
}
const at = (iso: string) => ({ CADENCE_NOW: iso });

beforeAll(async () => {
  await sampleWorkspace(ws);
  // Daniel (New York) has a meeting on 2026-12-03; he needs an application form link.
  expect((await cadence(['leads', 'set', EMAIL, 'application_url=https://example.com/apply/42'], { cwd: ws })).exitCode).toBe(0);
});

describe('cadence task done', () => {
  it('follows the closing chase: after: steps wait for the task, a call outcome exits and enrolls elsewhere', async () => {
    expect((await cadence(['enroll', 'closing-chase', '--lead', EMAIL], { cwd: ws, env: at('2026-12-01T10:00:00-05:00') })).exitCode).toBe(0);
    await cadence(['tick'], { cwd: ws, env: at('2026-12-01T10:00:00-05:00') }); // the application email
    await cadence(['tick'], { cwd: ws, env: at('2026-12-02T10:00:00-05:00') }); // after 1d: the manual follow-up task
    const [followup] = query<{ id: number; step_id: string; state: string }>("SELECT id, step_id, state FROM tasks WHERE step_id = 'followup'");
    expect(followup).toMatchObject({ step_id: 'followup', state: 'open' });
    // The call waits for the follow-up to be done: nothing is due, however late.
    const [waiting] = query<{ step_id: string; due_at: string | null }>("SELECT step_id, due_at FROM enrollments WHERE sequence = 'closing-chase'");
    expect(waiting).toEqual({ step_id: 'confirm-call', due_at: null });

    const done = await cadence(['task', 'done', String(followup!.id)], { cwd: ws, env: at('2026-12-02T15:00:00-05:00') });
    expect(done.stdout).toContain('next');
    const [scheduled] = query<{ due_at: string }>("SELECT due_at FROM enrollments WHERE sequence = 'closing-chase'");
    expect(scheduled!.due_at).toBe('2026-12-03T20:00:00.000Z'); // one business day after 15:00 on the 2nd

    await cadence(['tick'], { cwd: ws, env: at('2026-12-03T15:30:00-05:00') });
    const [call] = query<{ id: number }>("SELECT id FROM tasks WHERE step_id = 'confirm-call'");
    // A booked meeting needs its time (the lead's meeting_at is past): refused, nothing changed.
    const untimed = await cadence(['task', 'done', String(call!.id), '--outcome', 'meeting_booked'], { cwd: ws, env: at('2026-12-03T16:00:00-05:00') });
    expect(untimed.exitCode).toBe(2);
    expect(untimed.stderr).toContain('TASK_NEEDS_MEETING');
    expect(query<{ state: string }>('SELECT state FROM tasks WHERE id = ?', call!.id)).toEqual([{ state: 'open' }]);
    const booked = await cadence(['task', 'done', String(call!.id), '--outcome', 'meeting_booked', '--meeting-at', '2026-12-08T14:00:00-05:00'], { cwd: ws, env: at('2026-12-03T16:00:00-05:00') });
    expect(booked.exitCode, booked.stderr).toBe(0);
    expect(booked.stdout).toContain('exit (meeting_booked)');
    expect(Date.parse(query<{ meeting_at: string }>("SELECT json_extract(custom, '$.meeting_at') AS meeting_at FROM leads WHERE email = ?", EMAIL)[0]!.meeting_at)).toBe(Date.parse('2026-12-08T19:00:00Z'));
    const enrollments = query<{ sequence: string; state: string; reason: string | null }>('SELECT sequence, state, reason FROM enrollments ORDER BY id');
    expect(enrollments).toEqual([
      { sequence: 'closing-chase', state: 'exited', reason: 'meeting_booked' },
      { sequence: 'meeting-reminder', state: 'active', reason: null },
      { sequence: 'post-meeting-thanks', state: 'active', reason: null },
    ]);
    const again = await cadence(['task', 'done', String(call!.id), '--outcome', 'connected'], { cwd: ws });
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain('TASK_NOT_OPEN');
  });

  it('skips a task nobody did before its step expired, and the sequence moves on', async () => {
    const email = 'priya.shah@fabrikam.example.com';
    expect((await cadence(['enroll', 'outbound-18day', '--lead', email], { cwd: ws, env: at('2026-12-01T10:00:00-05:00') })).exitCode).toBe(0);
    await cadence(['tick'], { cwd: ws, env: at('2026-12-01T10:00:00-05:00') });
    await cadence(['tick'], { cwd: ws, env: at('2026-12-02T10:00:00-05:00') }); // day 2: the call task
    const [call] = query<{ id: number; state: string; expires_at: string }>("SELECT t.id, t.state, t.expires_at FROM tasks t JOIN leads l ON l.id = t.lead_id WHERE l.email = ? AND t.step_id = 'call-1'", email);
    expect(call!.state).toBe('open');
    await cadence(['tick'], { cwd: ws, env: at('2026-12-10T10:00:00-05:00') });
    const [expired] = query<{ state: string }>('SELECT state FROM tasks WHERE id = ?', call!.id);
    expect(expired!.state).toBe('expired');
    expect(query("SELECT * FROM events WHERE type = 'task.expired'")).toHaveLength(1);
  });

  it('asks a call for its outcome, and refuses one for other tasks', async () => {
    const [open] = query<{ id: number; type: string }>("SELECT id, type FROM tasks WHERE state = 'open' AND type = 'linkedin' LIMIT 1");
    if (open) {
      const result = await cadence(['task', 'done', String(open.id), '--outcome', 'connected'], { cwd: ws });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain('TASK_NO_OUTCOME');
    }
    const missing = await cadence(['task', 'done', '99999'], { cwd: ws });
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain('TASK_NOT_FOUND');
  });
});
