import { InvalidArgumentError, Option, type Command } from 'commander';
import { actor, now, storePath } from '../context.js';
import type { Cli } from '../io.js';

export function registerTask(program: Command, cli: Cli): void {
  const task = program.command('task').description('work a manual step from a script (the terminal task list comes next)');
  task
    .command('done')
    .argument('<id>', 'the task id', (value: string) => {
      const id = Number(value);
      if (!Number.isInteger(id) || id < 1) throw new InvalidArgumentError('a task id is a whole number');
      return id;
    })
    .addOption(new Option('--outcome <outcome>', 'how a call went').choices(['connected', 'no_answer', 'voicemail', 'wrong_number', 'meeting_booked']))
    .option('--note <text>', 'a note kept with the task')
    .description("complete a manual step; for a call, its outcome picks the sequence's branch")
    .addHelpText('after', '\nExample:\n  $ cadence task done 42 --outcome meeting_booked --note "demo on Thursday"')
    .action(async (id: number, options: { outcome?: 'connected' | 'no_answer' | 'voicemail' | 'wrong_number' | 'meeting_booked'; note?: string }, command: Command) => {
      const { loadValidWorkspace } = await import('../valid-workspace.js');
      const { completeManualStep } = await import('../../engine/task-done.js');
      const { openStore } = await import('../../store/database.js');
      const workspace = await loadValidWorkspace(command, cli.io);
      const store = openStore(storePath(command, cli.io, workspace.root), { create: false });
      try {
        const result = completeManualStep(store, { taskId: id, outcome: options.outcome, ...(options.note ? { note: options.note } : {}), config: workspace.config, sequences: workspace.sequences, now: now(command, cli.io), actor: actor(command, cli.io) });
        cli.io.stdout(`task ${id} done${options.outcome ? ` (${options.outcome})` : ''}: ${result.branch}\n`);
      } finally {
        store.close();
      }
    });
}
