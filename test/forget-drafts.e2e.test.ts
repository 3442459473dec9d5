import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cadence, queryStore, sampleWorkspace, tempDir } from './helpers/cli.js';

const temp = tempDir('cadence-forget-drafts-');
afterAll(() => temp.remove());

const OLIVIA = 'olivia.bennett@northwind.example.com';
const MARCUS = 'marcus.lee@contoso.example.com';
const env = { CADENCE_NOW: '2026-12-01T10:00:00-05:00' };

describe('cadence leads forget and the task list’s drafts', () => {
  it('erases the drafts of emails to the person, and only theirs', async () => {
    const ws = join(temp.dir, 'drafts');
    await sampleWorkspace(ws);
    expect((await cadence(['enroll', 'inbound-8day', '--lead', OLIVIA, '--lead', MARCUS], { cwd: ws, env })).exitCode).toBe(0);
    expect((await cadence(['tick'], { cwd: ws, env })).exitCode).toBe(0);
    const tasks = queryStore<{ id: number; email: string }>(ws, 'SELECT tasks.id, leads.email FROM tasks JOIN leads ON leads.id = tasks.lead_id ORDER BY tasks.id');
    const drafts = join(ws, '.cadence', 'drafts');
    mkdirSync(drafts, { recursive: true });
    // What the task list keeps while a rep writes: the text and its state, per task.
    for (const task of tasks) {
      writeFileSync(join(drafts, `task-${task.id}.txt`), `Dear ${task.email}\n`);
      writeFileSync(join(drafts, `task-${task.id}.json`), JSON.stringify({ taskId: task.id }));
    }
    const forget = await cadence(['leads', 'forget', OLIVIA, '--yes'], { cwd: ws, env });
    expect(forget.exitCode, forget.stderr).toBe(0);
    const hers = tasks.filter((task) => task.email === OLIVIA);
    expect(hers.length).toBeGreaterThan(0);
    expect(forget.stdout).toContain(`and ${hers.length * 2} drafts`);
    for (const task of tasks) {
      const kept = task.email !== OLIVIA;
      expect(existsSync(join(drafts, `task-${task.id}.txt`))).toBe(kept);
      expect(existsSync(join(drafts, `task-${task.id}.json`))).toBe(kept);
    }
  });
});
