import { Option, type Command } from 'commander';
import type { Cli } from '../io.js';
import { workspaceRoot } from '../workspace-option.js';

export function registerDiff(program: Command, cli: Cli): void {
  program
    .command('diff')
    .argument('[base]', 'the revision to compare from (default: the merge base of HEAD with origin/HEAD, main or master)')
    .argument('[head]', 'the revision to compare to (default: the working tree)')
    .description('what a change does to the sales process: steps added, removed, moved, retimed; templates word by word')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
    .option('--json', 'same as --format json')
    .addHelpText(
      'after',
      `
Reads both sides through git (nothing is checked out) and validates each; a side that
fails validation shows its errors instead of a diff. Steps are matched by id.

Exit codes: 0 the diff was printed (changes or none), 1 a side is invalid or git failed,
2 bad usage (an unknown revision).

Examples:
  $ cadence diff                                   # this branch's changes, working tree included
  $ cadence diff main feature/shorter-inbound --format markdown > comment.md
  $ cadence diff HEAD~1 HEAD --json | jq '.changes.sequences[].steps'`,
    )
    .action(async (base: string | undefined, head: string | undefined, options: { format: 'text' | 'markdown' | 'json'; json?: boolean }, command: Command) => {
      const { reviewDiff } = await import('../../review/run-diff.js');
      const { formatDiffJson, formatDiffMarkdown, formatDiffText } = await import('../../review/diff-format.js');
      const report = await reviewDiff(workspaceRoot(command, cli.io), base, head);
      const format = options.json ? 'json' : options.format;
      cli.io.stdout(format === 'json' ? formatDiffJson(report) : format === 'markdown' ? formatDiffMarkdown(report) : formatDiffText(report));
      if (!report.diff) cli.exitCode = 1;
    });
}
