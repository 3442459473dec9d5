import type { Command } from 'commander';
import { now, storePath } from '../context.js';
import type { Cli } from '../io.js';
import { workspaceRoot } from '../workspace-option.js';

export function registerPlan(program: Command, cli: Cli): void {
  program
    .command('plan')
    .description('what a change to the sequences will do at the next tick to the enrollments in progress, before merging it')
    .option('--ref <rev>', 'the proposed workspace from a git revision (a PR branch), read without checking it out (default: the working tree)')
    .option('--json', 'print the plan as JSON')
    .option('--detailed-exitcode', 'exit 0 with no impact, 2 with impact, 1 on any error (bad usage included)')
    .addHelpText(
      'after',
      `
Run it where the store lives (the host that runs \`cadence tick\`). It copies the store into
a temporary folder and runs the real tick there twice at --now: once with the sequences
as the store runs them now, once with the proposed ones; the live store is never written
and nothing is sent. It lists the leads that move to another step, whose next step moves
and by how much, whose next email changed, and the enrollments that would exit, pause or
finish, the triggers that would fire (events not yet handled, date moments in the next 7
days), then every email and task the next tick will create.

Exit codes: 0 the plan was printed, 1 failed (an invalid workspace, no store), 2 bad usage.
With --detailed-exitcode: 0 no impact, 2 impact, 1 any error, bad usage included.

Examples:
  $ cadence plan --ref origin/shorter-inbound       # after git fetch origin
  $ cadence plan --json | jq '.enrollments[] | select(.effects | index("moves"))'
  $ cadence plan --ref "$PR_SHA" --detailed-exitcode || [ $? -eq 2 ]`,
    )
    .action(async (options: { ref?: string; json?: boolean; detailedExitcode?: boolean }, command: Command) => {
      const { reviewPlan } = await import('../../review/run-plan.js');
      const { formatPlanText } = await import('../../review/plan-format.js');
      const { isProcessAlive } = await import('../../import/thread-messages.js');
      const root = workspaceRoot(command, cli.io);
      const plan = await reviewPlan({ root, storePath: storePath(command, cli.io, root), ref: options.ref, now: now(command, cli.io), isAlive: isProcessAlive });
      cli.io.stdout(options.json ? `${JSON.stringify(plan, null, 2)}\n` : formatPlanText(plan));
      if (options.detailedExitcode && plan.impact) cli.exitCode = 2;
    });
}
