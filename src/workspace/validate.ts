import { createLiquid } from '../render/liquid.js';
import { createCheckContext } from './check-context.js';
import { checkConfig } from './check-config.js';
import { checkSequences } from './check-sequences.js';
import { checkTemplates } from './check-templates.js';
import { checkTriggers } from './check-triggers.js';
import { loadWorkspace, type Workspace } from './load.js';
import { ProblemList, sortProblems, type Problem } from './problems.js';

export interface ValidationResult {
  workspace: Workspace;
  problems: Problem[];
  errors: number;
  warnings: number;
}

/**
 * Loads the workspace at `root` and checks everything in one pass: YAML syntax,
 * JSON Schema, then references, timing, templates, conditions and actions.
 */
export function validateWorkspace(root: string): ValidationResult {
  const problems = new ProblemList();
  const workspace = loadWorkspace(root, problems);
  // With an invalid cadence.yaml the other files are still checked, against the lead
  // fields that can be read from it; references to schedules, mailboxes and reps wait.
  const context = createCheckContext(workspace, problems, createLiquid());
  checkConfig(context);
  checkSequences(context);
  checkTemplates(context);
  checkTriggers(context);
  const sorted = sortProblems(problems.items);
  const errors = sorted.filter((problem) => problem.severity === 'error').length;
  return { workspace, problems: sorted, errors, warnings: sorted.length - errors };
}
