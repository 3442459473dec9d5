import { relative, join } from 'node:path';
import type { Problem } from '../workspace/problems.js';

/** `file:line:column`, with the file as the user can open it from where they ran the command. */
export function location(problem: Problem, root: string, cwd: string): string {
  const file = displayPath(problem.file, root, cwd);
  return problem.line === undefined ? file : `${file}:${problem.line}:${problem.column ?? 1}`;
}

export function displayPath(file: string, root: string, cwd: string): string {
  const path = relative(cwd, join(root, file)).split('\\').join('/');
  return path === '' ? file : path;
}

/** The text form: one block per problem, the code first so it can be searched. */
export function formatProblemsText(problems: readonly Problem[], root: string, cwd: string): string {
  return problems
    .map((problem) => {
      const lines = [`${problem.severity} ${problem.code}  ${location(problem, root, cwd)}`, `  ${problem.message}`];
      if (problem.hint) lines.push(`  hint: ${problem.hint}`);
      return `${lines.join('\n')}\n`;
    })
    .join('\n');
}

/** GitHub Actions workflow commands: each problem becomes an annotation on the PR's diff. */
export function formatProblemsGithub(problems: readonly Problem[], root: string, cwd: string): string {
  return problems
    .map((problem) => {
      const properties = [`file=${escapeProperty(displayPath(problem.file, root, cwd))}`];
      if (problem.line !== undefined) properties.push(`line=${problem.line}`, `col=${problem.column ?? 1}`);
      properties.push(`title=${escapeProperty(problem.code)}`);
      const message = problem.hint ? `${problem.message}\n${problem.hint}` : problem.message;
      return `::${problem.severity === 'error' ? 'error' : 'warning'} ${properties.join(',')}::${escapeData(message)}\n`;
    })
    .join('');
}

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
