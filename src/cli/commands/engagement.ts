import { Argument, type Command } from 'commander';
import { UsageError } from '../../errors.js';
import { actor, now, parseTime, storePath } from '../context.js';
import type { Cli } from '../io.js';

export function registerEngagement(program: Command, cli: Cli): void {
  program
    .command('log')
    .argument('<email>', "the lead's address")
    .addArgument(new Argument('<what>', 'what happened').choices(['reply', 'meeting', 'bounce', 'unsubscribe', 'ooo']))
    .option('--until <date>', 'with ooo: the return date (default: a week)')
    .option('--note <text>', 'a note kept in the events log')
    .description('record engagement by hand; the exit and pause rules apply at once')
    .addHelpText(
      'after',
      `
reply and meeting end the enrollments whose exit.events name them; bounce and
unsubscribe suppress the address and end every enrollment; ooo pauses them until
--until (they resume by themselves at the first tick after it).

Examples:
  $ cadence log taro@example.co.jp reply --note "asked for pricing"
  $ cadence log taro@example.co.jp ooo --until 2027-01-06`,
    )
    .action(async (email: string, what: 'reply' | 'meeting' | 'bounce' | 'unsubscribe' | 'ooo', options: { until?: string; note?: string }, command: Command) => {
      const until = options.until === undefined ? undefined : parseTime(options.until, '--until');
      if (until && what !== 'ooo') throw new UsageError('LOG_UNTIL_ONLY_OOO', '--until goes with ooo (an out-of-office return date)');
      const { loadValidWorkspace } = await import('../valid-workspace.js');
      const { logEngagement } = await import('../../engine/engagement.js');
      const { normaliseEmail } = await import('../../leads/email.js');
      const { openStore } = await import('../../store/database.js');
      const workspace = await loadValidWorkspace(command, cli.io);
      const store = openStore(storePath(command, cli.io, workspace.root), { create: false });
      try {
        const result = logEngagement(store, normaliseEmail(email), what, { ...(until ? { until } : {}), ...(options.note ? { note: options.note } : {}), sequences: workspace.sequences, now: now(command, cli.io), actor: actor(command, cli.io) });
        const parts = [`logged ${what} for ${normaliseEmail(email)}`];
        if (result.suppressed) parts.push('the address is suppressed');
        if (result.exited.length) parts.push(`exited ${result.exited.join(', ')}`);
        if (result.paused.length) parts.push(`paused ${result.paused.join(', ')}`);
        cli.io.stdout(`${parts.join('; ')}\n`);
      } finally {
        store.close();
      }
    });

  program
    .command('status')
    .option('--json', 'print JSON')
    .description('the last tick, messages in doubt, paused enrollments and why, each mailbox against its daily cap, overdue tasks per rep')
    .addHelpText('after', '\nExample:\n  $ cadence status --json')
    .action(async (options: { json?: boolean }, command: Command) => {
      const { withStore } = await import('../store-context.js');
      const { failedMessages, mailboxCounts, storeStatus } = await import('../../store/status.js');
      const { lastTick } = await import('../../store/ticks.js');
      const { DateTime } = await import('luxon');
      await withStore(command, cli.io, { create: false }, ({ store, config }) => {
        const at = now(command, cli.io);
        const day = DateTime.fromJSDate(at, { zone: config.timezone }).toISODate()!;
        const counts = mailboxCounts(store.db, day, at.toISOString());
        const names = [...new Set([...Object.keys(config.mailboxes ?? {}), ...counts.map((row) => row.mailbox)])].sort();
        const mailboxes = names.map((name) => ({ ...(counts.find((row) => row.mailbox === name) ?? { mailbox: name, today: 0, queued: 0, retrying: 0, failed: 0 }), dailyCap: config.mailboxes?.[name]?.daily_cap ?? null }));
        const status = { lastTick: lastTick(store.db) ?? null, ...storeStatus(store.db, at.toISOString()), mailboxes, failed: failedMessages(store.db, 20) };
        if (options.json) {
          cli.io.stdout(`${JSON.stringify(status, null, 2)}\n`);
          return;
        }
        const lines = [
          status.lastTick ? `last tick: ${status.lastTick.startedAt}${status.lastTick.finishedAt ? '' : ' (not finished)'}${status.lastTick.result && typeof status.lastTick.result === 'object' ? ` — ${summarise(status.lastTick.result as Record<string, unknown>)}` : status.lastTick.result === 'killed' ? ' — killed; its work was taken up by the next tick' : ''}` : 'no tick has run yet',
          `enrollments: ${status.activeEnrollments} active, ${status.dueNow} due now`,
          status.paused.length ? `paused: ${status.paused.map((row) => `${row.count} ${row.reason}`).join(', ')}` : 'paused: none',
          status.inDoubt.length
            ? `messages in doubt (delivered or not is unknown; never resent blindly — settle each with \`cadence resolve MESSAGE-ID sent|resend\`):\n${status.inDoubt.map((message) => `  ${message.messageId} to ${message.to} (${message.sequence ?? '-'} / ${message.step ?? '-'}, ${message.createdAt})`).join('\n')}`
            : 'messages in doubt: none',
          ...status.mailboxes.map((row) => `mailbox ${row.mailbox}: ${row.today} sent today${row.dailyCap === null ? '' : ` of ${row.dailyCap}`}, ${row.queued} queued, ${row.retrying} waiting (a retry, the cap, a pause)${row.failed ? `, ${row.failed} failed` : ''}`),
          ...(status.sending > 0 ? [`messages being sent right now: ${status.sending}`] : []),
          ...(status.failed.length
            ? ['failed messages (refused for good, or after every retry; `cadence resolve MESSAGE-ID resend` tries again):', ...status.failed.map((message) => `  ${message.messageId} to ${message.to} (${message.sequence ?? '-'} / ${message.step ?? '-'}): ${message.error ?? ''}`)]
            : []),
          `open tasks: ${status.openTasks}${status.overdueTasks.length ? `; overdue: ${status.overdueTasks.map((row) => `${row.owner} ${row.count} (oldest ${row.oldest})`).join(', ')}` : ''}`,
        ];
        cli.io.stdout(`${lines.join('\n')}\n`);
      });
    });

  program
    .command('backup')
    .argument('<file>', 'where to write the copy')
    .description("a consistent copy of the live store (SQLite's online backup, safe while ticks run)")
    .addHelpText('after', '\nExample:\n  $ cadence backup /var/backups/cadence-$(date +%F).db')
    .action(async (file: string, _options: unknown, command: Command) => {
      const { resolve } = await import('node:path');
      const { withStore } = await import('../store-context.js');
      const { backupStore } = await import('../../store/status.js');
      await withStore(command, cli.io, { create: false }, async ({ store }) => {
        const target = resolve(cli.io.cwd, file);
        await backupStore(store.db, target);
        cli.io.stdout(`backed up ${store.path} to ${target}\n`);
      });
    });
}

function summarise(result: Record<string, unknown>): string {
  return ['emailsSent', 'emailsQueued', 'tasksCreated', 'finished', 'exited', 'paused'].map((key) => `${key} ${String(result[key] ?? 0)}`).join(', ') + (Array.isArray(result.errors) && result.errors.length ? `, ${result.errors.length} errors` : '');
}
