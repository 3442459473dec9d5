import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execa } from 'execa';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cadence, queryStore, sampleWorkspace, tempDir } from './helpers/cli.js';

const temp = tempDir('cadence-reconcile-');
afterAll(() => temp.remove());

const LEAD = 'olivia.bennett@northwind.example.com';
const at = (day: number, hour = 10): string => `2026-12-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00-05:00`;
const header = '# yaml-language-server: $schema=../schemas/sequence.schema.json\nname: Chase\ndays: calendar\nschedule: anytime\nsteps:\n';

async function workspace(name: string, steps: string): Promise<string> {
  const ws = join(temp.dir, name);
  await sampleWorkspace(ws);
  rmSync(join(ws, 'triggers'), { recursive: true, force: true });
  writeFileSync(join(ws, 'sequences', 'chase.yaml'), header + steps);
  expect((await cadence(['enroll', 'chase', '--lead', LEAD], { cwd: ws, env: { CADENCE_NOW: at(1, 9) } })).exitCode).toBe(0);
  const tick = await cadence(['tick'], { cwd: ws, env: { CADENCE_NOW: at(1) } });
  expect(tick.exitCode, tick.stderr).toBe(0);
  return ws;
}

interface Row { state: string; reason: string | null; step_id: string | null; due_at: string | null }
const enrollment = (ws: string): Row => queryStore<Row>(ws, 'SELECT state, reason, step_id, due_at FROM enrollments')[0]!;
const events = (ws: string, type: string): unknown[] => queryStore<{ data: string }>(ws, 'SELECT data FROM events WHERE type = ? ORDER BY id', type).map((row) => JSON.parse(row.data));

describe('a changed sequence at the tick', () => {
  it('is reconciled by a tick that has nothing due: a retimed pending step is rescheduled, and logged', async () => {
    const ws = await workspace('retimed', '  - { id: intro, type: auto_email, day: 1, template: outbound-intro }\n  - { id: followup, type: auto_email, day: 4, template: outbound-followup }\n');
    expect(enrollment(ws)).toMatchObject({ step_id: 'followup', due_at: '2026-12-04T05:00:00.000Z' });
    const idle = await cadence(['tick'], { cwd: ws, env: { CADENCE_NOW: at(2) } });
    expect(idle.stdout).toContain('nothing was due');
    writeFileSync(join(ws, 'sequences', 'chase.yaml'), header + '  - { id: intro, type: auto_email, day: 1, template: outbound-intro }\n  - { id: followup, type: auto_email, day: 6, template: outbound-followup }\n');
    const tick = await cadence(['tick', '--json'], { cwd: ws, env: { CADENCE_NOW: at(2, 11) } });
    expect(tick.exitCode, tick.stderr).toBe(0);
    expect(JSON.parse(tick.stdout)).toMatchObject({ emailsSent: 0, tasksCreated: 0 });
    expect(enrollment(ws)).toMatchObject({ state: 'active', step_id: 'followup', due_at: '2026-12-06T05:00:00.000Z' });
    expect(events(ws, 'sequence.changed')).toEqual([expect.objectContaining({ sequence: 'chase', enrollments: 1, moved: 0, rescheduled: 1, paused: 0 })]);
    expect(events(ws, 'enrollment.remapped')).toEqual([expect.objectContaining({ from: { step: 'followup', dueAt: '2026-12-04T05:00:00.000Z' }, to: { step: 'followup', dueAt: '2026-12-06T05:00:00.000Z' } })]);
    // Once reconciled, the next idle tick is idle again and logs nothing more.
    expect((await cadence(['tick'], { cwd: ws, env: { CADENCE_NOW: at(2, 12) } })).stdout).toContain('nothing was due');
    expect(events(ws, 'sequence.changed')).toHaveLength(1);
  }, 60_000);

  it('cancels the open task of a removed step, and a lead that waited for it goes on to its next step', async () => {
    const ws = await workspace('waiting', '  - { id: call, type: call, day: 1, template: outbound-call }\n  - { id: recap, type: auto_email, after: 1d, template: outbound-followup }\n');
    // The call's task is open and the recap waits for it.
    expect(enrollment(ws)).toMatchObject({ step_id: 'recap', due_at: null });
    writeFileSync(join(ws, 'sequences', 'chase.yaml'), header + '  - { id: recap, type: auto_email, after: 1d, template: outbound-followup }\n');
    expect((await cadence(['tick'], { cwd: ws, env: { CADENCE_NOW: at(1, 12) } })).exitCode).toBe(0);
    expect(queryStore<{ state: string; note: string }>(ws, 'SELECT state, note FROM tasks')).toEqual([{ state: 'cancelled', note: 'step_removed' }]);
    // after: 1d counted from the change, the lead's next step is due.
    expect(enrollment(ws)).toMatchObject({ state: 'active', step_id: 'recap', due_at: '2026-12-02T17:00:00.000Z' });
  }, 60_000);

  it('pauses, for a person to decide, a lead none of whose steps survive a rewrite', async () => {
    const ws = await workspace('rewritten', '  - { id: intro, type: auto_email, day: 1, template: outbound-intro }\n  - { id: followup, type: auto_email, day: 4, template: outbound-followup }\n');
    writeFileSync(join(ws, 'sequences', 'chase.yaml'), header + '  - { id: hello, type: auto_email, day: 1, template: outbound-intro }\n  - { id: again, type: auto_email, day: 3, template: outbound-followup }\n');
    const plan = await cadence(['plan', '--json'], { cwd: ws, env: { CADENCE_NOW: at(2) } });
    expect(plan.exitCode, plan.stderr).toBe(0);
    expect(JSON.parse(plan.stdout).enrollments).toEqual([expect.objectContaining({ effects: ['pauses'], planned: expect.objectContaining({ state: 'paused', reason: 'no_surviving_step' }) })]);
    expect((await cadence(['tick'], { cwd: ws, env: { CADENCE_NOW: at(2) } })).exitCode).toBe(0);
    expect(enrollment(ws)).toMatchObject({ state: 'paused', reason: 'no_surviving_step' });
    expect(events(ws, 'enrollment.paused')).toEqual([expect.objectContaining({ reason: 'no_surviving_step' })]);
  }, 60_000);
});

describe('cadence plan, refused', () => {
  it('exits 1 for any error with --detailed-exitcode, bad usage included; 2 for bad usage without it', async () => {
    const ws = join(temp.dir, 'errors');
    await sampleWorkspace(ws);
    const usage = await cadence(['plan', '--detailed-exitcode', '--bogus'], { cwd: ws });
    expect(usage.exitCode).toBe(1);
    expect((await cadence(['plan', '--bogus'], { cwd: ws })).exitCode).toBe(2);
    const badNow = await cadence(['plan', '--detailed-exitcode'], { cwd: ws, env: { CADENCE_NOW: 'tomorrow' } });
    expect(badNow.exitCode).toBe(1);
    expect(badNow.stderr).toMatch(/^error CLOCK_BAD_NOW/);
    const notGit = await cadence(['plan', '--ref', 'main', '--detailed-exitcode'], { cwd: ws, env: { GIT_CEILING_DIRECTORIES: temp.dir } });
    expect(notGit.exitCode).toBe(1);
    expect(notGit.stderr).toMatch(/^error GIT_NOT_A_REPO/);
    const noStore = await cadence(['plan', '--db', join(ws, 'none.db'), '--detailed-exitcode'], { cwd: ws });
    expect(noStore.exitCode).toBe(1);
    expect(noStore.stderr).toMatch(/^error STORE_MISSING/);
    writeFileSync(join(ws, 'sequences', 'broken.yaml'), header + '  - { id: x, type: auto_email, day: 1, template: no-such-template }\n');
    const invalid = await cadence(['plan', '--json', '--detailed-exitcode'], { cwd: ws });
    expect(invalid.exitCode).toBe(1);
    expect(JSON.parse(invalid.stdout).error).toMatchObject({ code: 'PLAN_INVALID_WORKSPACE' });
  }, 60_000);
});

describe('cadence plan and the triggers', () => {
  it('lists what the triggers would fire on, and a changed trigger is an impact', async () => {
    const ws = join(temp.dir, 'plan-triggers');
    await sampleWorkspace(ws, { triggers: true });
    const git = (...args: string[]) => execa('git', args, { cwd: ws });
    await git('init', '-q');
    await git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'add', '-A');
    await git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'workspace');
    const env = { CADENCE_NOW: at(1, 9) };
    const same = await cadence(['plan', '--json', '--detailed-exitcode'], { cwd: ws, env });
    expect(same.exitCode, same.stderr).toBe(0);
    const plan = JSON.parse(same.stdout) as { triggers: { changed: boolean; wouldFire: { trigger: string; lead: string; on: string }[] } };
    expect(plan.triggers.changed).toBe(false);
    // The sample inquiry MQLs were imported and no tick has handled those events yet.
    expect(plan.triggers.wouldFire.filter((fire) => fire.trigger === 'mql-to-inbound').map((fire) => fire.lead).sort()).toEqual(['marcus.lee@contoso.example.com', 'olivia.bennett@northwind.example.com']);
    // Switched off on the branch: nothing fires for them, and that is an impact.
    const path = join(ws, 'triggers', 'mql-to-inbound.yaml');
    writeFileSync(path, readFileSync(path, 'utf8').replace('do:\n', 'enabled: false\ndo:\n'));
    const changed = await cadence(['plan', '--json', '--detailed-exitcode'], { cwd: ws, env });
    expect(changed.exitCode, changed.stderr).toBe(2);
    const after = JSON.parse(changed.stdout) as { impact: boolean; triggers: { changed: boolean; wouldFire: { trigger: string }[] } };
    expect(after).toMatchObject({ impact: true, triggers: { changed: true } });
    expect(after.triggers.wouldFire.filter((fire) => fire.trigger === 'mql-to-inbound')).toEqual([]);
    const text = await cadence(['plan'], { cwd: ws, env });
    expect(text.stdout).toContain('triggers that would fire from the next tick to 2026-12-08T14:00:00.000Z (different from what the current triggers would fire)');
  });
});

