import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeError } from '../src/store/database.js';
import { bin, cadence, repoRoot, sampleWorkspace, tempDir } from './helpers/cli.js';
import { csvText, ENV, importJson, Workspaces } from './helpers/lead-store.js';

/**
 * User mistakes that once ended in a stack trace or a hang: each must end in an expected
 * error with its code and a hint, or (a reader that stops early) quietly.
 */

const STACK = /\n\s+at /;
const fixtures = join(repoRoot, 'test', 'fixtures');
const workspaces = new Workspaces();
const removers: (() => void)[] = [];
beforeAll(() => workspaces.init());
afterAll(() => {
  workspaces.removeAll();
  while (removers.length) removers.pop()!();
});

function temp(): string {
  const { dir, remove } = tempDir('cadence-robust-');
  removers.push(remove);
  return dir;
}

/** Runs the CLI with a reader that closes stdout: at once, or after the first chunk. */
async function closingReader(args: readonly string[], cwd: string, closeAt: 'start' | 'first chunk'): Promise<{ exitCode: number | undefined; stderr: string }> {
  const child = execa(process.execPath, [bin, ...args], { cwd, env: { NO_COLOR: '1', ...ENV }, reject: false, timeout: 30_000, buffer: { stdout: false } });
  if (closeAt === 'start') child.stdout.destroy();
  else child.stdout.once('data', () => child.stdout.destroy());
  const result = await child;
  return { exitCode: result.exitCode, stderr: String(result.stderr) };
}

function expectExpectedError(result: { exitCode: number; stderr: string }, code: string, exitCode = 1): void {
  expect(result.stderr).toMatch(new RegExp(`^error ${code} `));
  expect(result.stderr).toContain('\n  hint: ');
  expect(result.stderr).not.toMatch(STACK);
  expect(result.exitCode).toBe(exitCode);
}

describe('a reader that closes the pipe early (EPIPE)', () => {
  it('--help stops quietly with 0 when stdout is closed before it writes', async () => {
    const result = await closingReader(['--help'], repoRoot, 'start');
    expect(result.stderr).not.toMatch(/Unhandled|EPIPE/);
    expect(result.exitCode).toBe(0);
  });

  it('validate stops quietly with 0 when stdout is closed before it writes', async () => {
    const result = await closingReader(['validate', '-C', join(fixtures, 'base')], repoRoot, 'start');
    expect(result.stderr).not.toMatch(/Unhandled|EPIPE/);
    expect(result.exitCode).toBe(0);
  });

  it('export leads | head -1 prints the header and stops quietly with 0', async () => {
    const ws = workspaces.create();
    const rows = Array.from({ length: 4000 }, (_, index) => [`lead${index}@example.com`, `First${index}`, `Last${index}`, `Company number ${index}`, 'new']);
    const { exitCode } = await importJson(ws, workspaces.file('many.csv', csvText([['email', 'first_name', 'last_name', 'company', 'status'], ...rows])));
    expect(exitCode).toBe(0);
    // The subshell reports cadence's own exit code on stderr; the pipeline's is head's.
    const piped = await execa('sh', ['-c', '(node "$0" export leads; echo "cadence exited $?" >&2) | head -1', bin], { cwd: ws, env: { NO_COLOR: '1', ...ENV }, reject: false });
    expect(String(piped.stdout)).toMatch(/^email,/);
    expect(String(piped.stderr)).not.toMatch(/Unhandled|EPIPE/);
    expect(String(piped.stderr).trim()).toBe('cadence exited 0');
    // And with a reader that stops after the first chunk, as a pager does.
    const chunk = await closingReader(['export', 'leads'], ws, 'first chunk');
    expect(chunk.stderr).not.toMatch(/Unhandled|EPIPE/);
    expect(chunk.exitCode).toBe(0);
  });
});

describe('a store file SQLite cannot use', () => {
  it('a file that is not a database is STORE_CORRUPT, naming the file', async () => {
    const garbage = join(temp(), 'garbage.db');
    writeFileSync(garbage, 'these are notes, not a database\n'.repeat(200));
    const result = await cadence(['-C', join(fixtures, 'base'), 'leads', '--db', garbage]);
    expectExpectedError(result, 'STORE_CORRUPT');
    expect(result.stderr).toContain(garbage);
    expect(result.stderr).toContain('cadence backup');
    expect(result.stderr).toContain('--db');
  });

  // The tests run as root, which may write any file, so a read-only store cannot be made
  // here: the mapping is checked with the errors SQLite and the file system give.
  it('SQLITE_READONLY and EACCES are STORE_READONLY, with a hint about permissions', () => {
    const path = join(temp(), 'readonly.db');
    new Database(path).exec('CREATE TABLE t (x)');
    const readonly = new Database(path, { readonly: true });
    let sqliteError: unknown;
    try {
      readonly.exec('INSERT INTO t VALUES (1)');
    } catch (error) {
      sqliteError = error;
    } finally {
      readonly.close();
    }
    for (const error of [sqliteError, { code: 'SQLITE_READONLY' }, { code: 'SQLITE_READONLY_DBMOVED' }, Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' })]) {
      const mapped = storeError(error, path);
      expect(mapped?.code).toBe('STORE_READONLY');
      expect(mapped?.message).toContain(path);
      expect(mapped?.hint).toMatch(/permissions/);
    }
    expect(storeError({ code: 'SQLITE_CORRUPT' }, path)?.code).toBe('STORE_CORRUPT');
    expect(storeError({ code: 'SQLITE_NOTADB' }, path)?.code).toBe('STORE_CORRUPT');
    expect(storeError({ code: 'SQLITE_BUSY' }, path)).toBeUndefined();
    expect(storeError(new Error('something else'), path)).toBeUndefined();
  });
});

describe('init and demo --dir into a place that cannot hold a workspace', () => {
  it('init FILE is INIT_NOT_A_FOLDER', async () => {
    const file = join(temp(), 'notes.txt');
    writeFileSync(file, 'notes\n');
    const result = await cadence(['init', file]);
    expectExpectedError(result, 'INIT_NOT_A_FOLDER');
    expect(result.stderr).toContain(file);
  });

  it('init FILE/sub and demo --dir FILE are INIT_NOT_A_FOLDER too', async () => {
    const file = join(temp(), 'notes.txt');
    writeFileSync(file, 'notes\n');
    expectExpectedError(await cadence(['init', join(file, 'sub')]), 'INIT_NOT_A_FOLDER');
    expectExpectedError(await cadence(['demo', '--dir', file]), 'INIT_NOT_A_FOLDER');
  });

  it('init /proc/nope is INIT_UNWRITABLE at once (it used to spin at full CPU)', async () => {
    const started = Date.now();
    const result = await cadence(['init', '/proc/nope']);
    expectExpectedError(result, 'INIT_UNWRITABLE');
    expect(result.stderr).toContain('/proc/nope');
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('a YAML alias bomb ("billion laughs")', () => {
  it('is YAML_ALIAS_LIMIT at the first alias, and the other files are still checked', async () => {
    const ws = join(temp(), 'ws');
    cpSync(join(fixtures, 'base'), ws, { recursive: true });
    cpSync(join(fixtures, 'invalid', 'yaml-alias-bomb', 'workspace'), ws, { recursive: true });
    // A second sequence with a mistake of its own: validation must go on to report it.
    const welcome = readFileSync(join(fixtures, 'base', 'sequences', 'welcome.yaml'), 'utf8');
    writeFileSync(join(ws, 'sequences', 'second.yaml'), welcome.replace('template: hello\n', 'template: helo\n'));
    const result = await cadence(['validate', '--json', '-C', ws]);
    expect(result.stderr).not.toMatch(STACK);
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout) as { problems: { severity: string; code: string; file: string; line?: number }[] };
    const errors = report.problems.filter((problem) => problem.severity === 'error').map(({ code, file, line }) => ({ code, file, line }));
    expect(errors).toEqual([
      { code: 'SEQ_UNKNOWN_TEMPLATE', file: 'sequences/second.yaml', line: 14 },
      { code: 'YAML_ALIAS_LIMIT', file: 'sequences/welcome.yaml', line: 13 },
    ]);
  });
});

describe('times and paths on the command line', () => {
  it('refuses a time that is not ISO 8601 with exit 2, naming the option', async () => {
    const ws = join(temp(), 'times');
    await sampleWorkspace(ws);
    const badNow = await cadence(['tick', '--now', 'tomorrow'], { cwd: ws });
    expect(badNow.exitCode).toBe(2);
    expect(badNow.stderr).toContain('error CLOCK_BAD_NOW  --now or CADENCE_NOW: "tomorrow" is not an ISO date and time');
    // A date that does not exist is not rolled over into the next month.
    const noSuchDay = await cadence(['tick', '--now', '2026-02-30T10:00:00Z'], { cwd: ws });
    expect(noSuchDay.exitCode).toBe(2);
    expect(noSuchDay.stderr).toContain('error CLOCK_BAD_NOW  --now or CADENCE_NOW: "2026-02-30T10:00:00Z" is not an ISO date and time');
    const badUntil = await cadence(['pause', 'outbound-18day', '--lead', 'priya.shah@fabrikam.example.com', '--until', '12/25'], { cwd: ws });
    expect(badUntil.exitCode).toBe(2);
    expect(badUntil.stderr).toContain('error BAD_TIME  --until: "12/25"');
    const badFrom = await cadence(['simulate', 'outbound-18day', '--field', 'first_name=A', '--from', 'soon'], { cwd: ws });
    expect(badFrom.exitCode).toBe(2);
    expect(badFrom.stderr).not.toMatch(STACK);
  });

  it('a backup to a folder that does not exist is BACKUP_FAILED, not a stack trace', async () => {
    const ws = join(temp(), 'backup');
    await sampleWorkspace(ws);
    const result = await cadence(['backup', join(temp(), 'no-such-folder', 'copy.db')], { cwd: ws });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('error BACKUP_FAILED');
    expect(result.stderr).not.toMatch(STACK);
  });
});
