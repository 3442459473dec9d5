import { cpSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateWorkspace } from '../src/workspace/validate.js';
import { repoRoot, tempDir } from './helpers/cli.js';

/**
 * Each folder in test/fixtures/invalid/ is a broken workspace: the valid base workspace
 * (test/fixtures/base/) with the folder's `workspace/` files laid over it and the files
 * in expected.json's `remove` deleted. `errors` lists every error validation must report,
 * exactly: code, file, line and column.
 */
interface Expected {
  description: string;
  remove?: string[];
  errors: { code: string; file: string; line?: number; column?: number }[];
}

const fixtures = join(repoRoot, 'test', 'fixtures');
const names = readdirSync(join(fixtures, 'invalid')).sort();
const temp = tempDir('cadence-invalid-');
afterAll(() => temp.remove());

describe('the base fixture', () => {
  it('is valid, so every error below comes from its fixture alone', () => {
    const result = validateWorkspace(join(fixtures, 'base'));
    expect(result.problems.filter((problem) => problem.severity === 'error')).toEqual([]);
  });
});

describe('invalid workspaces', () => {
  it('there are at least 25 of them', () => {
    expect(names.length).toBeGreaterThanOrEqual(25);
  });

  it.each(names)('%s', (name) => {
    const expected = JSON.parse(readFileSync(join(fixtures, 'invalid', name, 'expected.json'), 'utf8')) as Expected;
    const dir = join(temp.dir, name);
    cpSync(join(fixtures, 'base'), dir, { recursive: true });
    const overlay = join(fixtures, 'invalid', name, 'workspace');
    if (existsSync(overlay)) cpSync(overlay, dir, { recursive: true });
    for (const file of expected.remove ?? []) rmSync(join(dir, file), { force: true });

    const result = validateWorkspace(dir);
    const errors = result.problems
      .filter((problem) => problem.severity === 'error')
      .map(({ code, file, line, column }) => ({ code, file, ...(line === undefined ? {} : { line, column }) }));
    expect(errors).toEqual(expected.errors);
    for (const problem of result.problems) expect(problem.message.length).toBeGreaterThan(10);
  });
});
