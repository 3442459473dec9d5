import type { Command } from 'commander';
import { actor, now, parseTime } from '../context.js';
import type { Cli } from '../io.js';
import { withStore } from '../store-context.js';

const COMMANDS = [
  { name: 'pause', description: 'pause a lead in a sequence (its open tasks are cancelled)', example: 'cadence pause inbound-8day --lead taro@example.co.jp --until 2027-01-06' },
  { name: 'resume', description: 'resume a paused lead; an overdue step goes at the next window', example: 'cadence resume inbound-8day --lead taro@example.co.jp' },
  { name: 'unenroll', description: 'remove a lead from a sequence (exited, reason removed)', example: 'cadence unenroll inbound-8day --lead taro@example.co.jp' },
] as const;

export function registerEnrollmentControl(program: Command, cli: Cli): void {
  for (const spec of COMMANDS) {
    const command = program
      .command(spec.name)
      .argument('<sequence>', 'the sequence id')
      .requiredOption('--lead <email>', "the lead's address")
      .description(spec.description)
      .addHelpText('after', `\nExample:\n  $ ${spec.example}`);
    if (spec.name === 'pause') command.option('--until <date>', 'resume by itself at this date (YYYY-MM-DD or ISO time)');
    command.action(async (sequence: string, options: { lead: string; until?: string }, invoked: Command) => {
      const { changeEnrollment } = await import('../../engine/enrollment-control.js');
      const { normaliseEmail } = await import('../../leads/email.js');
      const until = options.until === undefined ? undefined : parseTime(options.until, '--until');
      const email = normaliseEmail(options.lead);
      await withStore(invoked, cli.io, { create: false }, ({ store }) => {
        const change = spec.name === 'pause' ? { action: 'pause' as const, ...(until ? { until } : {}) } : { action: spec.name };
        const { tasksCancelled } = changeEnrollment(store, email, sequence, change, now(invoked, cli.io), actor(invoked, cli.io));
        const done = { pause: 'paused', resume: 'resumed', unenroll: 'removed' }[spec.name];
        cli.io.stdout(`${done} ${email} in ${sequence}${tasksCancelled ? `; ${tasksCancelled} open ${tasksCancelled === 1 ? 'task' : 'tasks'} cancelled` : ''}\n`);
      });
    });
  }
}
