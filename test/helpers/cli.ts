import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { execa } from 'execa';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const bin = join(repoRoot, 'bin', 'cadence.js');

/** Runs the built CLI (dist/) as a user would; never throws on a non-zero exit. */
export async function cadence(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; input?: string } = {},
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const result = await execa(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { NO_COLOR: '1', ...options.env },
    reject: false,
    timeout: 30_000,
    ...(options.input === undefined ? {} : { input: options.input }),
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** A fresh temporary folder, removed by the returned function. */
export function tempDir(prefix = 'cadence-test-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Copies a fixture folder into a new temporary folder. */
export function copyFixture(source: string, into: string): void {
  cpSync(source, into, { recursive: true });
}

/**
 * A workspace like the demo's before it runs anything: `cadence init` (English), the
 * sample leads imported, no enrollment yet. The starter triggers are left out unless
 * asked for (they would enroll the sample MQLs at the first tick): engine tests pin what
 * the sequences alone do; test/triggers.e2e.test.ts runs the triggers.
 */
export async function sampleWorkspace(dir: string, options: { triggers?: boolean } = {}): Promise<void> {
  const init = await cadence(['init', dir]);
  if (init.exitCode !== 0) throw new Error(`cadence init failed: ${init.stderr}`);
  if (!options.triggers) rmSync(join(dir, 'triggers'), { recursive: true, force: true });
  cpSync(join(repoRoot, 'examples', 'leads.csv'), join(dir, 'leads.csv'));
  const imported = await cadence(['import', 'leads.csv'], { cwd: dir });
  if (imported.exitCode !== 0) throw new Error(`cadence import failed: ${imported.stderr}`);
}

/** Runs a read-only query on a workspace's store (WAL lets it read while a command writes). */
export function queryStore<T>(workspace: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(join(workspace, '.cadence', 'cadence.db'), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}
