import type { Command } from 'commander';
import { now, storePath } from '../context.js';
import type { Cli } from '../io.js';

export function registerTick(program: Command, cli: Cli): void {
  program
    .command('tick')
    .description('do what is due: send automatic emails, create tasks, finish and exit enrollments')
    .option('--dry-run', 'list what is due, do nothing')
    .option('--sync', 'read the mailboxes first (cadence sync), so replies, out-of-office, bounces and unsubscribes count now')
    .option('--json', 'print {"now","emailsSent","emailsQueued","tasksCreated","finished","exited","paused","skipped","inDoubt","errors","triggers"} (and "sync", the sync report, with --sync)')
    .addHelpText(
      'after',
      `
Safe to run from cron every minute: overlapping ticks never process the same step, and a
tick killed at any point loses no work and sends nothing twice (over SMTP, a message it
was handing over is held "in doubt" until \`cadence resolve\`). On an invalid workspace it
does nothing and says why. Over SMTP, --now may not be ahead of the clock.

Exit codes: 0 it ran cleanly, 3 it ran but some steps failed or messages are in doubt (so
cron mails someone), 1 it could not run (an invalid workspace, no store, a missing SMTP
credential).

Examples:
  $ cadence tick --json
  $ cadence tick --now 2026-12-03T09:00:00+09:00     # rehearse a day on an outbox workspace`,
    )
    .action(async (options: { dryRun?: boolean; json?: boolean; sync?: boolean }, command: Command) => {
      const { loadValidWorkspace } = await import('../valid-workspace.js');
      const { openStore } = await import('../../store/database.js');
      const workspace = await loadValidWorkspace(command, cli.io);
      const at = now(command, cli.io);
      if (!options.dryRun) (await import('../../engine/clock.js')).refuseClockAhead(at, workspace.config.transport);
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
          // Messages still in doubt are reported by every tick (exit 3) until someone settles them.
          const inDoubt = (await import('../../store/messages.js')).messagesInDoubt(store.db);
          const idle = { now: at.toISOString(), emailsSent: 0, emailsQueued: 0, tasksCreated: 0, finished: 0, exited: 0, paused: 0, skipped: 0, inDoubt, errors: [], triggers: { fired: 0, refused: [], warnings: [] } };
          store.db.transaction(() => finishTick(store.db, startTick(store.db, idle.now, new Date().toISOString(), process.pid), new Date().toISOString(), idle)).immediate();
          cli.io.stdout(options.json ? `${JSON.stringify(synced ? { ...idle, sync: synced } : idle)}\n` : `tick at ${idle.now}: nothing was due\n${inDoubtText(inDoubt)}`);
          if (inDoubt.length > 0) cli.exitCode = 3;
          return;
        }
        const { runTick } = await import('../../engine/tick.js');
        const { createLiquid } = await import('../../render/liquid.js');
        const { isProcessAlive } = await import('../../import/thread-messages.js');
        const { openTransport } = await import('../../channels/transport.js');
        const transport = await openTransport(workspace.config, workspace.root, cli.io.env);
        const afterDelivered = await (await import('../../channels/sent-copies.js')).sentFolderCopies(workspace.config, cli.io.env);
        const result = await runTick({ store, workspace, now: at, transport, liquid: createLiquid(), pid: process.pid, isAlive: isProcessAlive, ...(afterDelivered ? { afterDelivered } : {}) }).finally(() => transport.close());
        // Every message in doubt, not only those this tick found: each tick reports them until they are settled.
        result.inDoubt = (await import('../../store/messages.js')).messagesInDoubt(store.db);
        if (options.json) cli.io.stdout(`${JSON.stringify(synced ? { ...result, sync: synced } : result)}\n`);
        else {
          cli.io.stdout(`tick at ${result.now}: ${result.emailsSent} emails sent, ${result.emailsQueued} waiting for a later window, ${result.tasksCreated} tasks created, ${result.finished} finished, ${result.exited} exited, ${result.paused} paused, ${result.skipped} steps skipped\n`);
          const { triggers } = result;
          if (triggers.fired > 0 || triggers.refused.length > 0 || triggers.warnings.length > 0) cli.io.stdout(`  triggers: ${triggers.fired} fired${triggers.refused.length ? `; ${triggers.refused.length} enrollments they asked for were refused` : ''}\n`);
          for (const refused of triggers.refused) cli.io.stdout(`    ${refused.email ?? '(erased)'} not enrolled in ${refused.sequence} by trigger ${refused.trigger}: ${refused.reason}\n`);
          for (const warning of triggers.warnings) cli.io.stdout(`    warning: ${warning}\n`);
          for (const error of result.errors) cli.io.stdout(`  ${error.messageId ? `message ${error.messageId}` : `enrollment ${error.enrollment}`} (step ${error.step ?? '-'}): ${error.message}\n`);
          cli.io.stdout(inDoubtText(result.inDoubt));
        }
        if (result.errors.length > 0 || result.inDoubt.length > 0) cli.exitCode = 3;
      } finally {
        store.close();
      }
    });
}

function inDoubtText(messageIds: readonly string[]): string {
  if (messageIds.length === 0) return '';
  const shown = messageIds.slice(0, 20).map((messageId) => `  in doubt: ${messageId}\n`).join('');
  const more = messageIds.length > 20 ? `  … and ${messageIds.length - 20} more\n` : '';
  return `${shown}${more}  ${messageIds.length === 1 ? 'this message' : `these ${messageIds.length} messages`} may or may not have reached the server: check, then \`cadence resolve MESSAGE-ID sent|resend\` (\`cadence status\` lists them all)\n`;
}
