import { InvalidArgumentError, Option, type Command } from 'commander';
import { actor, now, storePath } from '../context.js';
import type { Cli } from '../io.js';
import type { ValidWorkspace } from '../valid-workspace.js';
import type { Store } from '../../store/database.js';

function taskId(value: string): number {
  const id = Number(value);
  if (!Number.isInteger(id) || id < 1) throw new InvalidArgumentError('a task id is a whole number');
  return id;
}

/** The validated workspace and its store, closed afterwards: every task action needs both. */
async function withWorkspaceStore<T>(command: Command, cli: Cli, run: (workspace: ValidWorkspace, store: Store) => T): Promise<T> {
  const { loadValidWorkspace } = await import('../valid-workspace.js');
  const { openStore } = await import('../../store/database.js');
  const workspace = await loadValidWorkspace(command, cli.io);
  const store = openStore(storePath(command, cli.io, workspace.root), { create: false });
  try {
    return run(workspace, store);
  } finally {
    store.close();
  }
}

export function registerTask(program: Command, cli: Cli): void {
  const task = program.command('task').description('work one task from a script (the terminal task list is `cadence tasks`)');
  task
    .command('done')
    .argument('<id>', 'the task id', taskId)
    .addOption(new Option('--outcome <outcome>', 'how a call went').choices(['connected', 'no_answer', 'voicemail', 'wrong_number', 'meeting_booked']))
    .option('--note <text>', 'a note kept with the task')
    .description("complete a manual step; for a call, its outcome picks the sequence's branch")
    .addHelpText('after', '\nExample:\n  $ cadence task done 42 --outcome meeting_booked --note "demo on Thursday"')
    .action(async (id: number, options: { outcome?: 'connected' | 'no_answer' | 'voicemail' | 'wrong_number' | 'meeting_booked'; note?: string }, command: Command) => {
      const { completeManualStep } = await import('../../engine/task-done.js');
      await withWorkspaceStore(command, cli, (workspace, store) => {
        const result = completeManualStep(store, { taskId: id, outcome: options.outcome, ...(options.note ? { note: options.note } : {}), config: workspace.config, sequences: workspace.sequences, now: now(command, cli.io), actor: actor(command, cli.io) });
        cli.io.stdout(`task ${id} done${options.outcome ? ` (${options.outcome})` : ''}: ${result.branch}\n`);
      });
    });
  task
    .command('skip')
    .argument('<id>', 'the task id', taskId)
    .requiredOption('--reason <text>', 'why it is skipped, kept with the task and in the events log')
    .description('skip a manual step; a next step that waits for it is scheduled from now')
    .addHelpText('after', '\nExample:\n  $ cadence task skip 42 --reason "already spoke at the trade show"')
    .action(async (id: number, options: { reason: string }, command: Command) => {
      const { skipTask } = await import('../../engine/task-skip.js');
      const { UsageError } = await import('../../errors.js');
      if (options.reason.trim() === '') throw new UsageError('TASK_NEEDS_REASON', 'a skip needs a reason', 'say why, like --reason "wrong contact"');
      await withWorkspaceStore(command, cli, (workspace, store) => {
        const result = skipTask(store, { taskId: id, reason: options.reason.trim(), config: workspace.config, sequences: workspace.sequences, now: now(command, cli.io), actor: actor(command, cli.io) });
        cli.io.stdout(`task ${id} skipped${result.next === 'scheduled' ? '; the next step is scheduled' : ''}\n`);
      });
    });
  task
    .command('snooze')
    .argument('<id>', 'the task id', taskId)
    .requiredOption('--until <iso>', "when it shows again: a date (that morning) or a date and time; without an offset, in the rep's zone")
    .description('hide a task from the list until a time')
    .addHelpText('after', '\nExamples:\n  $ cadence task snooze 42 --until 2026-12-10\n  $ cadence task snooze 42 --until 2026-12-10T14:30+09:00')
    .action(async (id: number, options: { until: string }, command: Command) => {
      const { repZone, snoozeTask, snoozeUntil } = await import('../../engine/task-snooze.js');
      const { findTask } = await import('../../store/tasks.js');
      await withWorkspaceStore(command, cli, (workspace, store) => {
        const me = actor(command, cli.io);
        const zone = repZone(workspace.config, me, findTask(store.db, id)?.owner ?? null);
        const until = snoozeUntil({ date: options.until }, now(command, cli.io), zone, workspace.config.tasks?.morning);
        const result = snoozeTask(store, { taskId: id, until, now: now(command, cli.io), actor: me });
        cli.io.stdout(`task ${id} snoozed until ${result.until}${result.pastExpiry ? ' (after its step expires: the tick will skip it then)' : ''}\n`);
      });
    });
}
