import { InvalidArgumentError, Option, type Command } from 'commander';
import { UsageError } from '../../errors.js';
import { actor, now, parseTime, storePath } from '../context.js';
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
    .option('--meeting-at <iso>', "with meeting_booked: when the meeting is (sets the lead's meeting_at, which reminders anchor to)")
    .option('--note <text>', 'a note kept with the task')
    .description("complete a manual step; for a call, its outcome picks the sequence's branch")
    .addHelpText(
      'after',
      `
A booked meeting needs its time: --meeting-at, unless the lead already has a meeting_at
still to come (TASK_NEEDS_MEETING, exit 2).

Example:
  $ cadence task done 42 --outcome meeting_booked --meeting-at 2026-12-15T14:00:00+09:00 --note "demo"`,
    )
    .action(async (id: number, options: { outcome?: 'connected' | 'no_answer' | 'voicemail' | 'wrong_number' | 'meeting_booked'; meetingAt?: string; note?: string }, command: Command) => {
      if (options.meetingAt !== undefined && options.outcome !== 'meeting_booked') throw new UsageError('TASK_MEETING_ONLY_BOOKED', '--meeting-at goes with --outcome meeting_booked');
      const meetingAt = options.meetingAt === undefined ? undefined : parseTime(options.meetingAt, '--meeting-at');
      const { completeManualStep } = await import('../../engine/task-done.js');
      const { requireOpenTask } = await import('../../engine/task-open.js');
      const { findLeadById } = await import('../../store/leads.js');
      const { setLeadFields } = await import('../../leads/set.js');
      await withWorkspaceStore(command, cli, (workspace, store) => {
        const at = now(command, cli.io);
        const me = actor(command, cli.io);
        // The meeting time and the branch it starts, in one transaction: reminders anchor to it.
        const result = store.db.transaction(() => {
          if (options.outcome === 'meeting_booked') {
            const lead = findLeadById(store.db, requireOpenTask(store.db, id).leadId)!;
            if (meetingAt) setLeadFields(store, workspace.config, lead.email, [`meeting_at=${meetingAt.toISOString()}`], [], at, me);
            else if (!(typeof lead.fields.meeting_at === 'string' && Date.parse(lead.fields.meeting_at) > at.getTime())) {
              throw new UsageError('TASK_NEEDS_MEETING', `task ${id}: a booked meeting needs its date and time, and ${lead.email} has no meeting to come`, 'add --meeting-at 2026-12-15T14:00:00+09:00 (the meeting reminder and thank-you sequences anchor to it)');
            }
          }
          return completeManualStep(store, { taskId: id, outcome: options.outcome, ...(options.note ? { note: options.note } : {}), config: workspace.config, sequences: workspace.sequences, now: at, actor: me });
        }).immediate();
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
