import { Argument, type Command } from 'commander';
import type { Cli } from '../io.js';
import { withStore } from '../store-context.js';

export function registerExport(program: Command, cli: Cli): void {
  program
    .command('export')
    .addArgument(new Argument('<what>', 'what to export').choices(['leads', 'events']))
    .description('write leads or the events log as CSV to standard output')
    .option('--where <condition>', 'only leads matching this condition (for events: events of those leads)')
    .addHelpText(
      'after',
      `
The leads CSV uses field names as headers, so it imports back as it is.

Examples:
  $ cadence export leads --where 'status = "MQL"' > mql.csv
  $ cadence export events > events.csv`,
    )
    .action(async (what: 'leads' | 'events', options: { where?: string }, command: Command) => {
      const { exportEventsCsv, exportLeadsCsv } = await import('../../leads/export.js');
      const { compileLeadFilter } = await import('../../leads/where.js');
      await withStore(command, cli.io, { create: false }, async ({ store, config }) => {
        const filter = options.where === undefined ? undefined : compileLeadFilter(options.where, config);
        const lines = what === 'leads' ? exportLeadsCsv(store, config, filter) : exportEventsCsv(store, filter);
        let buffer = '';
        for (const line of lines) {
          buffer += line;
          if (buffer.length > 65_536) {
            cli.io.stdout(buffer);
            buffer = '';
            await cli.io.drain?.();
          }
        }
        cli.io.stdout(buffer);
      });
    });
}
