import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cadence, sampleWorkspace, tempDir } from './helpers/cli.js';

const temp = tempDir('cadence-simulate-');
afterAll(() => temp.remove());
const workspace = join(temp.dir, 'ws');

describe('cadence simulate', () => {
  it('prints the timeline of a stored lead, in its zone, passing over holidays', async () => {
    await sampleWorkspace(workspace);
    const result = await cadence(['simulate', 'inbound-8day', '--lead', 'marcus.lee@contoso.example.com', '--from', '2026-11-25T10:00:00-05:00'], { cwd: workspace });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('inbound-8day for marcus.lee@contoso.example.com (America/New_York), enrolled Wed 2026-11-25 10:00');
    // Day 2 falls on Thanksgiving (a US public holiday in the en workspace): the call moves to Friday.
    expect(result.stdout).toMatch(/day 2 +call +call-1 +Fri 2026-11-27 09:00/);
    expect(result.stdout).toContain('2026-11-26 (Thanksgiving Day)');
  });

  it('describes a lead with --field and prints JSON', async () => {
    const result = await cadence(
      ['simulate', 'meeting-reminder', '--field', 'first_name=Olivia', '--field', 'company=Northwind', '--field', 'meeting_at=2026-12-03 10:00', '--from', '2026-12-01T09:00:00-05:00', '--json'],
      { cwd: workspace },
    );
    expect(result.exitCode).toBe(0);
    const simulation = JSON.parse(result.stdout) as { steps: { stepId: string; at: string; subject: string }[] };
    expect(simulation.steps[0]).toMatchObject({ stepId: 'reminder', at: '2026-12-02T17:00:00-05:00' });
    expect(simulation.steps[0]!.subject).toContain('10:00');
  });

  it('refuses bad usage with exit 2 and a hint', async () => {
    const noLead = await cadence(['simulate', 'inbound-8day'], { cwd: workspace });
    expect(noLead.exitCode).toBe(2);
    expect(noLead.stderr).toContain('SIMULATE_NO_LEAD');
    const unknown = await cadence(['simulate', 'inbound-8dya', '--field', 'first_name=A'], { cwd: workspace });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('did you mean "inbound-8day"?');
    const badField = await cadence(['simulate', 'inbound-8day', '--field', 'frist_name=A'], { cwd: workspace });
    expect(badField.exitCode).toBe(2);
    expect(badField.stderr).toContain('did you mean "first_name"?');
  });
});
