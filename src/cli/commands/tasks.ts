import { Option, type Command } from 'commander';
import { actor, now } from '../context.js';
import type { Cli } from '../io.js';
import { withStore } from '../store-context.js';

type TasksOptions = { owner?: string; allOwners?: boolean; due: 'today' | 'overdue' | 'all'; type?: string; json?: boolean };

export function registerTasks(program: Command, cli: Cli): void {
  program
    .command('tasks')
    .description("the reps' open tasks: at a terminal, the interactive task list; otherwise printed")
    .option('--owner <rep>', "one rep's tasks (default: yours: --as, CADENCE_USER or the login name, when that is a rep)")
    .option('--all-owners', "everyone's tasks")
    .addOption(new Option('--due <when>', 'which tasks').choices(['today', 'overdue', 'all']).default('all'))
    .addOption(new Option('--type <type>', 'one kind of task').choices(['call', 'manual_email', 'linkedin', 'sms', 'task']))
    .option('--json', 'print [{"id","type","dueAt","lead":{"email","name","company"},"sequence","step","overdue"}]')
    .addHelpText(
      'after',
      `
At a terminal (stdin and stdout a TTY, CI unset, no --json) this opens the task list:
arrows or j/k move, Enter opens a task, / filters, ? lists every key, q quits. Otherwise
it prints the list, in the same order. Order: tasks.order in cadence.yaml.

Examples:
  $ cadence tasks --as sato --due today
  $ cadence tasks --all-owners --type call --json`,
    )
    .action(async (options: TasksOptions, command: Command) => {
      if (cli.io.isTTY && !options.json) {
        const { runTaskApp } = await import('../../tui/run-task-app.js');
        await runTaskApp(command, cli, { ...(options.owner ? { owner: options.owner } : {}), allOwners: Boolean(options.allOwners), due: options.due, ...(options.type ? { type: options.type } : {}) });
        return;
      }
      const { defaultOwner, loadTaskList } = await import('../../engine/task-list.js');
      const { DateTime } = await import('luxon');
      const { padEnd, truncate } = await import('../../util/width.js');
      await withStore(command, cli.io, { create: false }, ({ store, config }) => {
        const me = actor(command, cli.io);
        const owner = options.allOwners ? undefined : (options.owner ?? defaultOwner(config, me));
        const list = loadTaskList(store.db, config, { ...(owner ? { owner } : {}), ...(options.type ? { type: options.type } : {}), due: options.due }, now(command, cli.io), me);
        if (options.json) {
          cli.io.stdout(`${JSON.stringify(list.tasks.map((task) => ({ id: task.id, type: task.type, dueAt: task.dueAt, lead: { email: task.email, name: task.fullName, company: task.company }, sequence: task.sequence, step: task.stepId, overdue: task.overdue, owner: task.owner })))}\n`);
          return;
        }
        const { tasks } = list;
        cli.io.stdout(`${tasks.length} open ${tasks.length === 1 ? 'task' : 'tasks'}${owner ? ` for ${owner}` : ''}${list.overdue ? `, ${list.overdue} overdue` : ''}${list.counts.length ? ` (${list.counts.map(([type, n]) => `${n} ${type}`).join(', ')})` : ''}\n`);
        for (const task of tasks) {
          const due = DateTime.fromISO(task.dueAt, { zone: list.zone }).toFormat('MM-dd HH:mm');
          cli.io.stdout(`  #${String(task.id).padEnd(6)} ${task.overdue ? 'OVERDUE ' : '        '}${due}  ${task.type.padEnd(12)} ${padEnd(truncate(task.fullName ?? task.email, 20), 20)}  ${padEnd(truncate(task.company ?? '', 24), 24)}  ${task.sequence} / ${task.stepId}\n`);
        }
      });
    });
}
