import { Option, type Command } from 'commander';
import type { Cli } from '../io.js';
import { workspaceRoot } from '../workspace-option.js';

export function registerValidate(program: Command, cli: Cli): void {
  program
    .command('validate')
    .description('check cadence.yaml, sequences, templates and triggers: every problem, with file, line and column')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'github']).default('text'))
    .option('--json', 'same as --format json')
    .addHelpText(
      'after',
      `
Exit codes: 0 valid (warnings allowed), 1 invalid, 2 bad usage.

Examples:
  $ cadence validate
  $ cadence validate -C path/to/workspace --format github   # annotations in a GitHub Actions job
  $ cadence validate --json | jq '.problems[] | select(.severity == "error")'`,
    )
    .action(async (options: { format: 'text' | 'json' | 'github'; json?: boolean }, command: Command) => {
      const { runValidate } = await import('../validate-run.js');
      const root = workspaceRoot(command, cli.io);
      cli.exitCode = runValidate(root, options.json ? 'json' : options.format, cli.io);
    });
}
