import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cadence, queryStore, sampleWorkspace, tempDir } from './helpers/cli.js';

const temp = tempDir('cadence-enroll-');
afterAll(() => temp.remove());
const ws = join(temp.dir, 'ws');
const NOW = '2026-12-01T10:00:00-05:00';
const run = (args: string[]) => cadence([...args, '--now', NOW], { cwd: ws });

function query<T>(sql: string, ...params: unknown[]): T[] {
  return queryStore<T>(ws, sql, ...params);
}

beforeAll(async () => {
  await sampleWorkspace(ws);
});

describe('cadence enroll', () => {
  it('a dry run decides and writes nothing', async () => {
    const result = await run(['enroll', 'inbound-8day', '--where', 'status = "MQL"', '--dry-run', '--json']);
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(result.stdout) as { enrolled: number; skipped: unknown[] };
    expect(report.enrolled).toBe(4);
    expect(query('SELECT * FROM enrollments')).toHaveLength(0);
  });

  it('enrolls, schedules the first step in the lead’s zone and records the sequence version', async () => {
    const suppressed = await run(['suppress', 'marcus.lee@contoso.example.com', '--reason', 'asked by phone']);
    expect(suppressed.exitCode).toBe(0);
    const result = await run(['enroll', 'inbound-8day', '--where', 'status = "MQL"', '--json']);
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(result.stdout) as { enrolled: number; skipped: { email: string; reason: string }[]; leads: { email: string; dueAt: string }[] };
    expect(report.enrolled).toBe(3);
    expect(report.skipped).toEqual([{ email: 'marcus.lee@contoso.example.com', reason: 'suppressed (asked by phone)' }]);
    // The welcome goes at once (schedule anytime), at enrollment.
    expect(report.leads.find((lead) => lead.email === 'olivia.bennett@northwind.example.com')?.dueAt).toBe('2026-12-01T15:00:00.000Z');
    const rows = query<{ state: string; step_id: string; version: string }>("SELECT state, step_id, version FROM enrollments WHERE sequence = 'inbound-8day'");
    expect(rows).toHaveLength(3);
    expect(rows.every((row) => row.state === 'active' && row.step_id === 'welcome')).toBe(true);
    const versions = query<{ hash: string; step_ids: string }>('SELECT hash, step_ids FROM sequence_versions');
    expect(versions).toHaveLength(1);
    expect(versions[0]!.hash).toBe(rows[0]!.version);
    expect(JSON.parse(versions[0]!.step_ids)).toContain('breakup');
    expect(query("SELECT * FROM events WHERE type = 'enrollment.started'")).toHaveLength(3);
  });

  it('skips with a reason: already active, active elsewhere, missing a field, entry.when false, not found', async () => {
    const again = JSON.parse((await run(['enroll', 'inbound-8day', '--lead', 'olivia.bennett@northwind.example.com', '--json'])).stdout) as { skipped: { reason: string }[] };
    expect(again.skipped[0]!.reason).toBe('already active in this sequence');
    const elsewhere = JSON.parse((await run(['enroll', 'outbound-18day', '--lead', 'olivia.bennett@northwind.example.com', '--json'])).stdout) as { skipped: { reason: string }[] };
    expect(elsewhere.skipped[0]!.reason).toMatch(/^active in inbound-8day/);
    const missing = JSON.parse((await run(['enroll', 'meeting-reminder', '--lead', 'priya.shah@fabrikam.example.com', '--json'])).stdout) as { skipped: { reason: string }[] };
    expect(missing.skipped[0]!.reason).toBe('missing_field:meeting_at');
    const notFound = JSON.parse((await run(['enroll', 'outbound-18day', '--lead', 'nobody@example.com', '--json'])).stdout) as { skipped: { email: string; reason: string }[] };
    expect(notFound.skipped).toEqual([{ email: 'nobody@example.com', reason: 'not found' }]);
    const when = JSON.parse((await run(['enroll', 'renewal-upgrade', '--lead', 'priya.shah@fabrikam.example.com', '--json'])).stdout) as { skipped: { reason: string }[] };
    expect(when.skipped[0]!.reason).toMatch(/missing_field|entry\.when is false/);
  });

  it('pauses (cancelling open tasks), resumes and removes, logging each', async () => {
    const email = 'olivia.bennett@northwind.example.com';
    expect((await run(['pause', 'inbound-8day', '--lead', email])).stdout).toContain('paused olivia.bennett@northwind.example.com in inbound-8day');
    expect((await run(['pause', 'inbound-8day', '--lead', email])).stderr).toContain('ENROLLMENT_PAUSED');
    expect((await run(['resume', 'inbound-8day', '--lead', email])).exitCode).toBe(0);
    expect((await run(['unenroll', 'inbound-8day', '--lead', email])).exitCode).toBe(0);
    const [row] = query<{ state: string; reason: string }>("SELECT state, reason FROM enrollments e JOIN leads l ON l.id = e.lead_id WHERE l.email = ? AND e.sequence = 'inbound-8day'", email);
    expect(row).toEqual({ state: 'exited', reason: 'removed' });
    const types = query<{ type: string }>("SELECT type FROM events e JOIN leads l ON l.id = e.lead_id WHERE l.email = ? AND type LIKE 'enrollment.%' ORDER BY e.id", email).map((event) => event.type);
    expect(types).toEqual(['enrollment.started', 'enrollment.paused', 'enrollment.resumed', 'enrollment.exited']);
    const gone = await run(['resume', 'inbound-8day', '--lead', email]);
    expect(gone.exitCode).toBe(1);
    expect(gone.stderr).toContain('ENROLLMENT_NOT_FOUND');
  });

  it('refuses to enroll from an invalid workspace, saying why', async () => {
    const file = join(ws, 'templates', 'inbound-welcome.yaml');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace('{{ footer }}', ''));
    try {
      const result = await run(['enroll', 'outbound-18day', '--where', 'status = "new"']);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain('error WORKSPACE_INVALID');
      expect(result.stderr).toContain('TPL_MISSING_FOOTER');
    } finally {
      writeFileSync(file, original);
    }
  });

  it('says how to name the leads', async () => {
    const result = await run(['enroll', 'outbound-18day']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('ENROLL_NO_LEADS');
  });
});
