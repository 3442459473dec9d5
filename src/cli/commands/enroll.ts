import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { actor, now, parseTime, storePath } from '../context.js';
import type { Cli } from '../io.js';

export function registerEnroll(program: Command, cli: Cli): void {
  program
    .command('enroll')
    .argument('<sequence>', 'the sequence id (its file name in sequences/)')
    .description('enroll leads in a sequence; each lead refused by a guard is listed with its reason')
    .option('--lead <email...>', 'the leads, by address')
    .option('--where <condition>', 'the leads matching this condition, e.g. \'status = "MQL"\'')
    .option('--start <iso>', 'the enrollment time (default: now, or --now / CADENCE_NOW)')
    .option('--dry-run', 'decide, write nothing')
    .option('--json', 'print {"enrolled":N,"skipped":[{"email","reason"}]}')
    .addHelpText(
      'after',
      `
Guards: a suppressed lead, one already active in this sequence, one active in another
(unless the sequence says entry.allow_concurrent), one missing a field the sequence needs
(entry.requires, and the date fields its at: steps are timed on), and one for whom
entry.when is false are skipped, each with its reason. Exit 0 when it ran, even if every
lead was skipped.

Examples:
  $ cadence enroll inbound-8day-ja --where 'status = "MQL" and source = "inquiry"' --dry-run
  $ cadence enroll meeting-reminder --lead taro@example.co.jp --json`,
    )
    .action(async (sequenceId: string, options: { lead?: string[]; where?: string; start?: string; dryRun?: boolean; json?: boolean }, command: Command) => {
      if ((options.lead === undefined) === (options.where === undefined)) {
        throw new UsageError('ENROLL_NO_LEADS', 'name the leads with --lead EMAIL… or --where CONDITION (one of them)', `for example: cadence enroll ${sequenceId} --where 'status = "MQL"'`);
      }
      const { loadValidWorkspace, requireSequence } = await import('../valid-workspace.js');
      const { enrollLeads } = await import('../../engine/enroll-service.js');
      const { compileLeadFilter } = await import('../../leads/where.js');
      const { normaliseEmail } = await import('../../leads/email.js');
      const { openStore } = await import('../../store/database.js');
      const workspace = await loadValidWorkspace(command, cli.io);
      const sequence = requireSequence(workspace, sequenceId);
      const start = options.start === undefined ? now(command, cli.io) : parseTime(options.start, '--start');
      const filter = options.where === undefined ? undefined : compileLeadFilter(options.where, workspace.config);
      const store = openStore(storePath(command, cli.io, workspace.root), { create: false });
      try {
        const result = enrollLeads(store, {
          sequenceId,
          sequence,
          config: workspace.config,
          ...(options.lead ? { emails: options.lead.map(normaliseEmail) } : {}),
          ...(filter ? { filter } : {}),
          start,
          dryRun: Boolean(options.dryRun),
          actor: actor(command, cli.io),
        });
        if (options.json) {
          cli.io.stdout(`${JSON.stringify({ enrolled: result.enrolled.length, skipped: result.skipped, dryRun: Boolean(options.dryRun), leads: result.enrolled })}\n`);
          return;
        }
        const verb = options.dryRun ? 'would enroll' : 'enrolled';
        cli.io.stdout(`${verb} ${result.enrolled.length} ${result.enrolled.length === 1 ? 'lead' : 'leads'} in ${sequenceId}; skipped ${result.skipped.length}\n`);
        for (const skipped of result.skipped.slice(0, 50)) cli.io.stdout(`  skipped ${skipped.email}: ${skipped.reason}\n`);
        if (result.skipped.length > 50) cli.io.stdout(`  … and ${result.skipped.length - 50} more (--json lists every one)\n`);
      } finally {
        store.close();
      }
    });
}

