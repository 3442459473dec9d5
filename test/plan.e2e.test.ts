import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { cadence, queryStore, sampleWorkspace, tempDir } from './helpers/cli.js';

const temp = tempDir('cadence-plan-');
afterAll(() => temp.remove());

const PIPELINE = `# yaml-language-server: $schema=../schemas/sequence.schema.json
name: Pipeline
days: calendar
schedule: anytime
steps:
  - { id: intro, type: auto_email, day: 1, template: outbound-intro }
  - { id: call-1, type: call, day: 2, template: outbound-call }
  - { id: followup, type: auto_email, day: 3, template: outbound-followup }
  - { id: social, type: linkedin, day: 4, template: outbound-linkedin-connect }
  - { id: call-2, type: call, day: 5, template: outbound-call }
  - { id: nudge, type: auto_email, day: 6, template: inbound-followup }
  - { id: breakup, type: auto_email, day: 7, template: outbound-breakup }
`;
const LEADS = ['olivia.bennett@northwind.example.com', 'marcus.lee@contoso.example.com', 'priya.shah@fabrikam.example.com', 'daniel.okafor@tailspin.example.com', 'grace.kim@adatum.example.com', 'tom.hughes@litware.example.com'];
async function git(cwd: string, ...args: string[]): Promise<void> {
  await execa('git', args, { cwd, env: { GIT_AUTHOR_NAME: 'RevOps', GIT_AUTHOR_EMAIL: 'revops@example.com', GIT_COMMITTER_NAME: 'RevOps', GIT_COMMITTER_EMAIL: 'revops@example.com' } });
}
const at = (day: number, hour = 10): string => `2026-12-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00-05:00`;

interface Row { id: number; email: string; state: string; reason: string | null; step_id: string | null; due_at: string | null }
const enrollments = (ws: string): Row[] => queryStore<Row>(ws, "SELECT e.id, l.email, e.state, e.reason, e.step_id, e.due_at FROM enrollments e JOIN leads l ON l.id = e.lead_id WHERE e.sequence = 'pipeline' ORDER BY e.id");

/**
 * A workspace with six leads enrolled a day apart (2–7 December) and a tick every morning,
 * and one more enrolled after the last tick, so that on 8 December one lead stands on each
 * step of the pipeline. No triggers: they would enroll the MQLs elsewhere.
 */
async function pipelineWorkspace(name: string): Promise<string> {
  const ws = join(temp.dir, name);
  await sampleWorkspace(ws);
  writeFileSync(join(ws, 'sequences', 'pipeline.yaml'), PIPELINE);
  const config = join(ws, 'cadence.yaml');
  writeFileSync(config, readFileSync(config, 'utf8').replace('emails_per_lead_per_week: 3', 'emails_per_lead_per_week: 7').replace('min_gap_between_emails: 1d', 'min_gap_between_emails: 1h'));
  rmSync(join(ws, 'triggers'), { recursive: true, force: true });
  for (let day = 2; day <= 7; day++) {
    const enrolled = await cadence(['enroll', 'pipeline', '--lead', LEADS[day - 2]!], { cwd: ws, env: { CADENCE_NOW: at(day, 9) } });
    expect(enrolled.exitCode, enrolled.stderr).toBe(0);
    const tick = await cadence(['tick'], { cwd: ws, env: { CADENCE_NOW: at(day) } });
    expect(tick.exitCode, tick.stdout + tick.stderr).toBe(0);
  }
  expect((await cadence(['enroll', 'pipeline', '--lead', 'sato.kenji@sakura-kogyo.example.co.jp'], { cwd: ws, env: { CADENCE_NOW: at(7, 11) } })).exitCode).toBe(0);
  return ws;
}

describe('cadence plan', () => {
  it('says exactly what the next tick then does, for leads on every step of a sequence that loses a step and retimes another', async () => {
    const ws = await pipelineWorkspace('story');
    const before = enrollments(ws);
    expect(before.map((row) => [row.state, row.step_id])).toEqual([['active', 'breakup'], ['active', 'nudge'], ['active', 'call-2'], ['active', 'social'], ['active', 'followup'], ['active', 'call-1'], ['active', 'intro']]);
    const unchanged = await cadence(['plan', '--json', '--detailed-exitcode'], { cwd: ws, env: { CADENCE_NOW: at(8) } });
    expect(unchanged.exitCode, unchanged.stderr).toBe(0);
    expect(JSON.parse(unchanged.stdout)).toMatchObject({ impact: false, enrollments: [] });

    // The change under review, on a branch: the LinkedIn step goes, the break-up moves from
    // day 7 to day 10, and the follow-up email is reworded. The working tree stays on main.
    await git(ws, 'init', '-q', '-b', 'main');
    await git(ws, 'add', '.');
    await git(ws, 'commit', '-qm', 'the pipeline as it runs');
    await git(ws, 'checkout', '-qb', 'shorter');
    writeFileSync(join(ws, 'sequences', 'pipeline.yaml'), PIPELINE.replace(/ {2}- \{ id: social.*\n/, '').replace('id: breakup, type: auto_email, day: 7', 'id: breakup, type: auto_email, day: 10'));
    const followup = join(ws, 'templates', 'outbound-followup.yaml');
    writeFileSync(followup, readFileSync(followup, 'utf8').replace(/^subject: .*$/m, 'subject: "One more idea for {{ lead.company }}"'));
    await git(ws, 'commit', '-qam', 'a shorter pipeline');
    await git(ws, 'checkout', '-q', 'main');

    const planned = await cadence(['plan', '--ref', 'shorter', '--json', '--detailed-exitcode'], { cwd: ws, env: { CADENCE_NOW: at(8) } });
    expect(planned.exitCode, planned.stderr).toBe(2);
    const plan = JSON.parse(planned.stdout) as {
      impact: boolean;
      enrollments: { enrollment: number; email: string; effects: string[]; moved?: { from: string; to: string }; shiftMinutes?: number; changedEmail?: { step: string; template: string }; planned: { step: string | null; dueAt: string | null } }[];
      nextTick: { result: { emailsSent: number; tasksCreated: number; finished: number }; actions: { kind: string; enrollment: number; step: string; template: string | null; subject: string | null; type: string | null }[]; enrollments: { id: number; state: string; stepId: string | null; dueAt: string | null }[] };
    };
    const onStep = (step: string): number => before.find((row) => row.step_id === step)!.id;
    const impact = (id: number) => plan.enrollments.find((entry) => entry.enrollment === id);
    // The lead on the removed step moves to the next surviving one, due by its own day.
    expect(impact(onStep('social'))).toMatchObject({ effects: expect.arrayContaining(['moves']), moved: { from: 'social', to: 'call-2' } });
    // The lead on the retimed step waits three more days instead of getting the break-up now;
    // the lead on the step before it gets the break-up three days later.
    expect(impact(onStep('breakup'))).toMatchObject({ effects: ['reschedules', 'other_actions'], planned: { step: 'breakup', dueAt: '2026-12-11T05:00:00.000Z' }, current: { state: 'finished' } });
    expect(impact(onStep('nudge'))).toMatchObject({ effects: ['reschedules'], shiftMinutes: 3 * 24 * 60 });
    // The lead due for the reworded email gets it at this tick.
    expect(impact(onStep('followup'))).toMatchObject({ effects: expect.arrayContaining(['changed_email']), changedEmail: { step: 'followup', template: 'outbound-followup' } });
    // The lead before it gets the reworded email as its next one, when it is due.
    expect(impact(onStep('call-1'))).toMatchObject({ effects: ['changed_email'], changedEmail: { step: 'followup', template: 'outbound-followup' } });
    // The lead on the first step is not touched by the change.
    expect(impact(onStep('intro'))).toBeUndefined();

    // The text form says the same, for a person.
    const text = await cadence(['plan', '--ref', 'shorter'], { cwd: ws, env: { CADENCE_NOW: at(8) } });
    expect(text.stdout).toContain('leads that move to another step (1)');
    expect(text.stdout).toMatch(/daniel\.okafor@tailspin\.example\.com {2}pipeline {2}social → call-2 \(its step was removed\)/);
    // Where the next step itself changed, the times are named with their steps, not mixed up.
    for (const line of text.stdout.split('\n').filter((row) => row.startsWith('    daniel.okafor@') && / → .*T/.test(row))) expect(line).toMatch(/social \S+ → call-2 \S+/);
    expect(text.stdout).toMatch(/marcus\.lee@contoso\.example\.com {2}pipeline {2}breakup {2}2026-12-09T05:00:00\.000Z → 2026-12-12T05:00:00\.000Z \(\+3d\)/);
    expect(text.stdout).toContain('leads whose next email changed (2)');
    // Nothing was written to the live store by planning.
    expect(enrollments(ws)).toEqual(before);

    // Merged: the cron job pulls and ticks.
    await git(ws, 'checkout', '-q', 'shorter');
    const tick = await cadence(['tick', '--json'], { cwd: ws, env: { CADENCE_NOW: at(8) } });
    expect(tick.exitCode, tick.stderr).toBe(0);
    // Everything the plan said the tick would do, the tick did: the counts, every message
    // and task, and where every enrollment it changed now stands.
    expect(JSON.parse(tick.stdout)).toMatchObject(plan.nextTick.result);
    const messages = queryStore<{ enrollment: number; step: string; template: string; subject: string }>(ws, `SELECT enrollment_id AS enrollment, step_id AS step, template, subject FROM messages WHERE created_at = ? ORDER BY id`, new Date(at(8)).toISOString());
    expect(messages).toEqual(plan.nextTick.actions.filter((action) => action.kind === 'email').map(({ enrollment, step, template, subject }) => ({ enrollment, step, template, subject })));
    expect(messages.find((message) => message.step === 'followup')?.subject).toMatch(/^One more idea for /);
    const tasks = queryStore<{ enrollment: number; step: string; type: string }>(ws, 'SELECT enrollment_id AS enrollment, step_id AS step, type FROM tasks WHERE created_at = ? ORDER BY id', new Date(at(8)).toISOString());
    expect(tasks).toEqual(plan.nextTick.actions.filter((action) => action.kind === 'task').map(({ enrollment, step, type }) => ({ enrollment, step, type })));
    const after = enrollments(ws);
    for (const expected of plan.nextTick.enrollments) {
      expect(after.find((row) => row.id === expected.id)).toMatchObject({ state: expected.state, step_id: expected.stepId, due_at: expected.dueAt });
    }
    expect(plan.nextTick.enrollments.length).toBeGreaterThanOrEqual(5);
    // The change is logged once for the sequence, and per enrollment it moved.
    const changed = queryStore<{ data: string }>(ws, "SELECT data FROM events WHERE type = 'sequence.changed'");
    expect(changed).toHaveLength(1);
    expect(JSON.parse(changed[0]!.data)).toMatchObject({ sequence: 'pipeline', moved: 1 });
    const remapped = queryStore<{ lead_id: number }>(ws, "SELECT lead_id FROM events WHERE type = 'enrollment.remapped'");
    expect(remapped.length).toBeGreaterThanOrEqual(2);
    // A second plan finds nothing left to change.
    const again = await cadence(['plan', '--ref', 'shorter', '--json', '--detailed-exitcode'], { cwd: ws, env: { CADENCE_NOW: at(8, 11) } });
    expect(again.exitCode, again.stdout).toBe(0);
  }, 120_000);
});
