import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { bin, cadence, sampleWorkspace, tempDir } from './helpers/cli.js';

const temp = tempDir('cadence-run-');
afterAll(() => temp.remove());

describe('cadence run and cadence cron', () => {
  it('ticks at once, then stops cleanly on SIGTERM after the running tick', async () => {
    const ws = join(temp.dir, 'ws');
    await sampleWorkspace(ws);
    expect((await cadence(['enroll', 'outbound-18day', '--where', 'status = "new"'], { cwd: ws, env: { CADENCE_NOW: '2026-12-01T15:00:00Z' } })).exitCode).toBe(0);
    const child = execa(process.execPath, [bin, 'run', '--every', '* * * * *'], { cwd: ws, env: { NO_COLOR: '1', CADENCE_NOW: '2026-12-01T15:00:00Z' }, reject: false });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    for (let wait = 0; wait < 300 && !output.includes('tick at'); wait++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(output).toMatch(/tick at 2026-12-01T15:00:00.000Z: [1-9]\d* emails sent/);
    child.kill('SIGTERM');
    const result = await child;
    expect(result.exitCode).toBe(0);
    expect(String(result.stderr)).toContain('cadence run: stopped');
  }, 30_000);

  it('refuses an expression that is not 5-field cron', async () => {
    const ws = join(temp.dir, 'ws2');
    await sampleWorkspace(ws);
    const result = await cadence(['run', '--every', '0 * * * * *'], { cwd: ws });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('RUN_BAD_CRON');
  });

  it('prints a crontab line for the workspace', async () => {
    const ws = join(temp.dir, 'ws3');
    await sampleWorkspace(ws);
    const result = await cadence(['cron'], { cwd: ws });
    expect(result.stdout).toMatch(new RegExp(`^\\* \\* \\* \\* \\* cd '${ws.replace(/[/.]/g, '\\$&')}' && git pull --ff-only --quiet; .+ tick >> \\.cadence/tick\\.log 2>&1$`, 'm'));
  });
});
