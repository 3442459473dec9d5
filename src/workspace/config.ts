import { CadenceError } from '../errors.js';
import { createCheckContext } from './check-context.js';
import { checkConfig } from './check-config.js';
import { loadConfigFile } from './load.js';
import { ProblemList, sortProblems } from './problems.js';
import type { WorkspaceConfig } from './types.js';

/**
 * The workspace settings, checked: commands that only need cadence.yaml (import, leads)
 * do not pay for validating the whole library, and refuse to run on broken settings.
 * `checkCalendar: false` skips loading every country's holidays, for commands that do
 * not count business days.
 */
export function loadValidConfig(root: string, options: { checkCalendar?: boolean } = {}): WorkspaceConfig {
  const problems = new ProblemList();
  const source = loadConfigFile(root, problems);
  if (source?.definition) {
    const workspace = { root, config: source, sequences: new Map(), templates: new Map(), triggers: new Map() };
    checkConfig(createCheckContext(workspace, problems, undefined, options.checkCalendar ?? true));
  }
  const errors = sortProblems(problems.items).filter((problem) => problem.severity === 'error');
  if (errors.length > 0 || !source?.definition) {
    throw new CadenceError('CONFIG_INVALID', `cadence.yaml has ${errors.length} ${errors.length === 1 ? 'error' : 'errors'}`, {
      details: errors.slice(0, 10).map((problem) => `${problem.code}  ${problem.file}:${problem.line ?? 1}:${problem.column ?? 1}  ${problem.message}`),
      hint: 'run `cadence validate` for every problem with its hint',
    });
  }
  return source.definition;
}
