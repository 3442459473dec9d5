import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isProcessAlive, processStartedAt } from './thread-messages.js';

describe('isProcessAlive', () => {
  it('a running process is alive; a gone one is not', async () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    const child = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => child.on('exit', resolve));
    expect(isProcessAlive(child.pid!)).toBe(false);
  });

  it.runIf(existsSync('/proc/self/stat'))('a process that took a dead one’s id later is not taken for it', async () => {
    const started = processStartedAt(process.pid)!;
    expect(Math.abs(started - (Date.now() - process.uptime() * 1000))).toBeLessThan(5_000);
    // Written while this process ran: it is the same process.
    expect(isProcessAlive(process.pid, new Date().toISOString())).toBe(true);
    // Written an hour before this process started: whoever wrote it is gone, whatever carries the id now.
    expect(isProcessAlive(process.pid, new Date(started - 3_600_000).toISOString())).toBe(false);
  });
});
