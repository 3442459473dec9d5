import { validateWorkspace } from '../workspace/validate.js';
import type { Io } from './io.js';
import { formatProblemsGithub, formatProblemsText } from './problems-output.js';

/** Prints the validation result in the chosen format; returns the exit code. */
export function runValidate(root: string, format: 'text' | 'json' | 'github', io: Io): number {
  const result = validateWorkspace(root);
  const { workspace, problems, errors, warnings } = result;
  const counts = { sequences: workspace.sequences.size, templates: workspace.templates.size, triggers: workspace.triggers.size };
  if (format === 'json') {
    io.stdout(`${JSON.stringify({ valid: errors === 0, root, errors, warnings, files: counts, problems }, null, 2)}\n`);
  } else if (format === 'github') {
    io.stdout(formatProblemsGithub(problems, root, io.cwd));
    io.stdout(`${summary(errors, warnings, counts)}\n`);
  } else {
    const text = formatProblemsText(problems, root, io.cwd);
    if (text) io.stdout(`${text}\n`);
    io.stdout(`${summary(errors, warnings, counts)}\n`);
  }
  return errors === 0 ? 0 : 1;
}

function summary(errors: number, warnings: number, counts: Record<'sequences' | 'templates' | 'triggers', number>): string {
  const files = `${plural(counts.sequences, 'sequence')}, ${plural(counts.templates, 'template')}, ${plural(counts.triggers, 'trigger')}`;
  const warned = warnings ? ` (${plural(warnings, 'warning')})` : '';
  return errors === 0 ? `valid: ${files}${warned}` : `invalid: ${plural(errors, 'error')}${warnings ? `, ${plural(warnings, 'warning')}` : ''} in ${files}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
