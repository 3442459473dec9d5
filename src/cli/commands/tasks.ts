import { Option, type Command } from 'commander';
import { actor, now } from '../context.js';
import type { Cli } from '../io.js';
import { withStore } from '../store-context.js';

export function registerTasks(program: Command, cli: Cli): void {
  program
    .command('tasks')
    .description("the reps' open tasks: overdue first, then by due time")
    .option('--owner <rep>', "one rep's tasks (default: yours: --as, CADENCE_USER or the login name, when that is a rep)")
    .option('--all-owners', "everyone's tasks")
    .addOption(new Option('--due <when>', 'which tasks').choices(['today', 'overdue', 'all']).default('all'))
    .addOption(new Option('--type <type>', 'one kind of task').choices(['call', 'manual_email', 'linkedin', 'sms', 'task']))
    .option('--json', 'print [{"id","type","dueAt","lead":{"email","name","company"},"sequence","step","overdue"}]')
    .addHelpText(
      'after',
      `
Today this prints the list (the interactive terminal task list comes next); work a task
with \`cadence task done ID\`.

Examples:
  $ cadence tasks --as sato --due today
  $ cadence tasks --all-owners --type call --json`,
    )
    .action(async (options: { owner?: string; allOwners?: boolean; due: 'today' | 'overdue' | 'all'; type?: string; json?: boolean }, command: Command) => {
      const { listOpenTasks } = await import('../../store/tasks.js');
      const { DateTime } = await import('luxon');
      const { padEnd, truncate } = await import('../../util/width.js');
      await withStore(command, cli.io, { create: false }, ({ store, config }) => {
        const at = now(command, cli.io);
        const me = actor(command, cli.io);
        const owner = options.allOwners ? undefined : (options.owner ?? (config.reps?.some((rep) => rep.name === me) ? me : undefined));
        const zone = config.reps?.find((rep) => rep.name === (owner ?? me))?.timezone ?? config.timezone;
        const endOfToday = DateTime.fromJSDate(at, { zone }).endOf('day').toUTC().toISO()!;
        const tasks = listOpenTasks(store.db, { ...(owner ? { owner } : {}), ...(options.type ? { type: options.type } : {}), ...(options.due === 'today' ? { dueBefore: endOfToday } : {}), ...(options.due === 'overdue' ? { overdueAt: at.toISOString() } : {}) }, at.toISOString());
        const startOfToday = DateTime.fromJSDate(at, { zone }).startOf('day').toUTC().toISO()!;
        const overdue = (dueAt: string): boolean => dueAt < startOfToday;
        const ordered = [...tasks.filter((task) => overdue(task.dueAt)), ...tasks.filter((task) => !overdue(task.dueAt))];
        if (options.json) {
          cli.io.stdout(`${JSON.stringify(ordered.map((task) => ({ id: task.id, type: task.type, dueAt: task.dueAt, lead: { email: task.email, name: task.fullName, company: task.company }, sequence: task.sequence, step: task.stepId, overdue: overdue(task.dueAt), owner: task.owner })))}\n`);
          return;
        }
        const counts = new Map<string, number>();
        for (const task of ordered) counts.set(task.type, (counts.get(task.type) ?? 0) + 1);
        const overdueCount = ordered.filter((task) => overdue(task.dueAt)).length;
        cli.io.stdout(`${ordered.length} open ${ordered.length === 1 ? 'task' : 'tasks'}${owner ? ` for ${owner}` : ''}${overdueCount ? `, ${overdueCount} overdue` : ''}${counts.size ? ` (${[...counts].map(([type, n]) => `${n} ${type}`).join(', ')})` : ''}\n`);
        for (const task of ordered) {
          const due = DateTime.fromISO(task.dueAt, { zone }).toFormat('MM-dd HH:mm');
          cli.io.stdout(`  #${String(task.id).padEnd(6)} ${overdue(task.dueAt) ? 'OVERDUE ' : '        '}${due}  ${task.type.padEnd(12)} ${padEnd(truncate(task.fullName ?? task.email, 20), 20)}  ${padEnd(truncate(task.company ?? '', 24), 24)}  ${task.sequence} / ${task.stepId}\n`);
        }
      });
    });
}
