import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import type { Cli } from '../io.js';

export function registerRun(program: Command, cli: Cli): void {
  program
    .command('run')
    .requiredOption('--every <cron>', 'when to tick: a 5-field cron expression, e.g. "* * * * *" (every minute)')
    .description('tick in the foreground on a schedule, for hosts without cron')
    .addHelpText(
      'after',
      `
Runs a tick at once, then at every time the cron expression gives (evaluated in the
workspace's time zone). SIGINT or SIGTERM lets the running tick finish, then stops
(exit 0). Each tick is the same as \`cadence tick\`: a failed one is reported and the
loop goes on.

Example:
  $ cadence run --every "*/5 * * * *"`,
    )
    .action(async (options: { every: string }, command: Command) => {
      const { CronExpressionParser } = await import('cron-parser');
      const { loadValidConfig } = await import('../../workspace/config.js');
      const { workspaceRoot } = await import('../workspace-option.js');
      const { main } = await import('../main.js');
      const root = workspaceRoot(command, cli.io);
      const zone = loadValidConfig(root, { checkCalendar: false }).timezone;
      const fields = options.every.trim().split(/\s+/);
      let schedule: ReturnType<typeof CronExpressionParser.parse>;
      try {
        if (fields.length !== 5) throw new Error(`it has ${fields.length} fields`);
        schedule = CronExpressionParser.parse(options.every, { tz: zone });
      } catch (error) {
        throw new UsageError('RUN_BAD_CRON', `--every "${options.every}" is not a 5-field cron expression (${(error as Error).message})`, 'for every minute write "* * * * *"; every five minutes "*/5 * * * *"');
      }
      let stopping = false;
      let wake: (() => void) | undefined;
      let timer: NodeJS.Timeout | undefined;
      const stop = (): void => {
        stopping = true;
        clearTimeout(timer);
        wake?.();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const globals = command.optsWithGlobals() as { db?: string };
      const args = ['node', 'cadence', '-C', resolve(root), ...(globals.db ? ['--db', globals.db] : []), 'tick'];
      try {
        while (!stopping) {
          const code = await main(args, cli.io);
          if (code !== 0) cli.io.stderr(`cadence run: the tick exited with ${code}; the next one runs as scheduled\n`);
          if (stopping) break;
          const next = schedule.next().toDate();
          await new Promise<void>((resolveWait) => {
            wake = resolveWait;
            timer = setTimeout(resolveWait, Math.max(0, next.getTime() - Date.now()));
          });
        }
        cli.io.stderr('cadence run: stopped\n');
      } finally {
        process.removeListener('SIGINT', stop);
        process.removeListener('SIGTERM', stop);
      }
    });

  program
    .command('cron')
    .description('print a crontab line that ticks this workspace every minute')
    .addHelpText('after', '\nExample:\n  $ cadence cron | crontab -     # replaces the crontab: append with (crontab -l; cadence cron) | crontab -')
    .action(async (_options: unknown, command: Command) => {
      const { workspaceRoot } = await import('../workspace-option.js');
      const root = workspaceRoot(command, cli.io);
      const quoted = `'${root.replace(/'/g, `'\\''`)}'`;
      cli.io.stdout(`# cadence: pull the reviewed sequences, then do what is due (a tick on an invalid pull does nothing and says why)\n`);
      cli.io.stdout(`* * * * * cd ${quoted} && git pull --ff-only --quiet; ${process.execPath} ${resolve(process.argv[1] ?? 'cadence')} tick >> .cadence/tick.log 2>&1\n`);
    });
}
