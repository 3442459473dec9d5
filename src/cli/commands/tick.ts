import type { Command } from 'commander';
import { CadenceError } from '../../errors.js';
import { now, storePath } from '../context.js';
import type { QueuedMessage } from '../../store/messages.js';
import type { WorkspaceConfig } from '../../workspace/types.js';
import type { Cli } from '../io.js';

export function registerTick(program: Command, cli: Cli): void {
  program
    .command('tick')
    .description('do what is due: send automatic emails, create tasks, finish and exit enrollments')
    .option('--dry-run', 'list what is due, do nothing')
    .option('--sync', 'read the mailboxes first (cadence sync), so replies, out-of-office, bounces and unsubscribes count now')
    .option('--json', 'print {"now","emailsSent","emailsQueued","tasksCreated","finished","exited","paused","inDoubt","errors"}')
    .addHelpText(
      'after',
      `
Safe to run from cron every minute: overlapping ticks never process the same step, and a
tick killed at any point loses no work and sends nothing twice. On an invalid workspace
it does nothing and says why.

Exit codes: 0 it ran cleanly, 3 it ran but some steps failed (so cron mails someone),
1 it could not run (an invalid workspace, no store).

Examples:
  $ cadence tick --json
  $ cadence tick --now 2026-12-03T09:00:00+09:00     # rehearse a day on an outbox workspace`,
    )
    .action(async (options: { dryRun?: boolean; json?: boolean; sync?: boolean }, command: Command) => {
      const { loadValidWorkspace } = await import('../valid-workspace.js');
      const { openStore } = await import('../../store/database.js');
      const workspace = await loadValidWorkspace(command, cli.io);
      const at = now(command, cli.io);
      if (workspace.config.transport === 'smtp' && !options.dryRun) refuseClockAhead(at);
      const store = openStore(storePath(command, cli.io, workspace.root), { create: false });
      try {
        if (options.dryRun) {
          const { dueEnrollments } = await import('../../store/enrollments.js');
          const due = dueEnrollments(store.db, at.toISOString());
          cli.io.stdout(options.json ? `${JSON.stringify({ now: at.toISOString(), due: due.map((enrollment) => ({ enrollment: enrollment.id, sequence: enrollment.sequence, step: enrollment.stepId, dueAt: enrollment.dueAt })) })}\n` : `${due.length} ${due.length === 1 ? 'step is' : 'steps are'} due at ${at.toISOString()}\n${due.map((enrollment) => `  ${enrollment.sequence} / ${enrollment.stepId ?? '(finish)'}  due ${enrollment.dueAt}\n`).join('')}`);
          return;
        }
        // --sync: the mailboxes first, so a reply that came in stops the step due now.
        const synced = options.sync ? await (await import('../../sync/run-sync.js')).syncMailboxes({ store, config: workspace.config, sequences: workspace.sequences, env: cli.io.env, now: at, actor: 'sync' }) : undefined;
        if (synced && !options.json) cli.io.stdout((await import('../../sync/report-text.js')).syncReportText(synced));
        for (const error of synced?.errors ?? []) cli.io.stderr(`sync: ${error.message}\n`);
        if (synced?.errors.length) cli.exitCode = 3;
        const { finishTick, startTick, tickHasWork } = await import('../../store/ticks.js');
        const { sequencesChanged } = await import('../../review/versions-changed.js');
        if (!tickHasWork(store.db, at.toISOString()) && !sequencesChanged(store.db, workspace.sequences) && !(await import('../../triggers/date-rules.js')).dateRulesChanged(store.db, workspace.triggers)) {
          // Nothing due: record the tick (status shows it ran) without loading the engine.
          const idle = { now: at.toISOString(), emailsSent: 0, emailsQueued: 0, tasksCreated: 0, finished: 0, exited: 0, paused: 0, skipped: 0, inDoubt: [], errors: [] };
          store.db.transaction(() => finishTick(store.db, startTick(store.db, idle.now, new Date().toISOString(), process.pid), new Date().toISOString(), idle)).immediate();
          cli.io.stdout(options.json ? `${JSON.stringify(idle)}\n` : `tick at ${idle.now}: nothing was due\n`);
          return;
        }
        const { runTick } = await import('../../engine/tick.js');
        const { createLiquid } = await import('../../render/liquid.js');
        const { isProcessAlive } = await import('../../import/thread-messages.js');
        const { openTransport } = await import('../../channels/transport.js');
        const transport = await openTransport(workspace.config, workspace.root, cli.io.env);
        const crashAfter = cli.io.env.CADENCE_TEST_KILL_AFTER_TRIGGER_EVENTS;
        if (crashAfter) (await import('../../triggers/crash-hook.js')).killAfterTriggerCommits(Number(crashAfter), () => process.kill(process.pid, 'SIGKILL'));
        const afterDelivered = await sentFolderCopies(workspace.config, cli.io.env);
        const result = await runTick({ store, workspace, now: at, transport, liquid: createLiquid(), pid: process.pid, isAlive: isProcessAlive, ...(afterDelivered ? { afterDelivered } : {}) }).finally(() => transport.close());
        if (options.json) cli.io.stdout(`${JSON.stringify(result)}\n`);
        else {
          cli.io.stdout(`tick at ${result.now}: ${result.emailsSent} emails sent, ${result.emailsQueued} waiting for a later window, ${result.tasksCreated} tasks created, ${result.finished} finished, ${result.exited} exited, ${result.paused} paused, ${result.skipped} steps skipped\n`);
          for (const error of result.errors) cli.io.stdout(`  ${error.messageId ? `message ${error.messageId}` : `enrollment ${error.enrollment}`} (step ${error.step ?? '-'}): ${error.message}\n`);
          for (const messageId of result.inDoubt) cli.io.stdout(`  in doubt: ${messageId} (a killed tick was sending it; settle it with \`cadence resolve ${messageId} sent|resend\`)\n`);
        }
        if (result.errors.length > 0 || result.inDoubt.length > 0) cli.exitCode = 3;
      } finally {
        store.close();
      }
    });
}

/** Over SMTP a clock ahead of real time would send real email early: refused. */
function refuseClockAhead(at: Date): void {
  const ahead = at.getTime() - Date.now();
  if (ahead > 60_000) {
    throw new CadenceError('CLOCK_AHEAD', `--now or CADENCE_NOW is ${Math.round(ahead / 60_000)} minutes ahead of the clock, and the transport is smtp: nothing was sent`, {
      hint: 'rehearse future days on a copy of the workspace with transport: outbox; over smtp, run the tick at the real time',
    });
  }
}

/** Over SMTP, a copy of each sent message into the Sent folder of mailboxes that ask for it (`imap.append_sent`). */
async function sentFolderCopies(config: WorkspaceConfig, env: NodeJS.ProcessEnv): Promise<((message: QueuedMessage, bytes: Buffer) => Promise<void>) | undefined> {
  if (config.transport !== 'smtp' || !Object.values(config.mailboxes ?? {}).some((mailbox) => mailbox.imap?.append_sent)) return undefined;
  const { appendToSent } = await import('../../sync/append-sent.js');
  return async (message, bytes) => {
    const mailbox = message.mailbox ? config.mailboxes?.[message.mailbox] : undefined;
    if (mailbox?.imap?.append_sent) await appendToSent(mailbox, env, bytes, message.mailbox!);
  };
}
