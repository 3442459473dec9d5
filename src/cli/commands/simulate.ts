import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { now, parseTime, storePath } from '../context.js';
import type { Cli } from '../io.js';

export function registerSimulate(program: Command, cli: Cli): void {
  program
    .command('simulate')
    .argument('<sequence>', 'the sequence id (its file name in sequences/)')
    .description('the exact timeline a sequence would follow for a lead, without touching the store')
    .option('--lead <email>', 'a lead from the store')
    .option('--field <name=value>', 'describe the lead instead (repeatable)', (value: string, previous: string[]) => [...previous, value], [])
    .option('--from <iso>', 'the enrollment time (default: now, or --now / CADENCE_NOW)')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Each step with its due time and delivery time in the lead's zone, the weekends, holidays
and closures passed over, the guards evaluated and the template and A/B variant chosen.
Manual steps are taken as done when they appear, with the default outcome.

Examples:
  $ cadence simulate inbound-8day-ja --lead sato.kenji@example.co.jp --from 2026-12-25T10:00:00+09:00
  $ cadence simulate meeting-reminder --field first_name=Olivia --field meeting_at="2026-12-03 10:00" --json`,
    )
    .action(async (sequenceId: string, options: { lead?: string; field: string[]; from?: string; json?: boolean }, command: Command) => {
      if ((options.lead === undefined) === (options.field.length === 0)) throw new UsageError('SIMULATE_NO_LEAD', 'name the lead with --lead EMAIL, or describe one with --field name=value (not both)', 'for example: cadence simulate inbound-8day --field first_name=Taro --field company=Acme');
      const from = options.from === undefined ? now(command, cli.io) : parseTime(options.from, '--from');
      const { loadValidWorkspace, requireSequence } = await import('../valid-workspace.js');
      const { simulateSequence } = await import('../../engine/simulate.js');
      const { describedLead, storedLead } = await import('../../engine/simulate-lead.js');
      const { createLiquid } = await import('../../render/liquid.js');
      const { formatSimulation } = await import('../simulate-output.js');
      const workspace = await loadValidWorkspace(command, cli.io);
      const { root, config } = workspace;
      const sequence = requireSequence(workspace, sequenceId);
      let lead;
      if (options.lead !== undefined) {
        const { openStore } = await import('../../store/database.js');
        const store = openStore(storePath(command, cli.io, root), { create: false });
        try {
          lead = storedLead(store, options.lead);
        } finally {
          store.close();
        }
      } else {
        lead = describedLead(config, options.field);
      }
      const simulation = simulateSequence({ sequenceId, sequence, config, templates: workspace.templates, liquid: createLiquid(), lead, from });
      cli.io.stdout(options.json ? `${JSON.stringify(simulation, null, 2)}\n` : formatSimulation(simulation));
    });
}

