import type { Command } from 'commander';
import { actor, now } from '../context.js';
import type { Cli } from '../io.js';
import { withStore } from '../store-context.js';

export function registerSuppress(program: Command, cli: Cli): void {
  program
    .command('suppress')
    .argument('<target>', 'an email address, or @domain for a whole company')
    .description('never contact an address (or a whole domain) again')
    .option('--reason <reason>', 'why, kept with the suppression', 'manual')
    .addHelpText(
      'after',
      `
A suppressed address gets nothing from any sequence, ever. @example.co.jp covers the
domain and its subdomains.

Examples:
  $ cadence suppress taro@example.co.jp --reason "asked by phone"
  $ cadence suppress @competitor.example.com --reason competitor`,
    )
    .action(async (target: string, options: { reason: string }, command: Command) => {
      const { parseSuppressionTarget, suppress } = await import('../../leads/suppress.js');
      const parsed = parseSuppressionTarget(target);
      await withStore(command, cli.io, { create: true }, ({ store }) => {
        const { added } = suppress(store, parsed, options.reason, now(command, cli.io).toISOString(), actor(command, cli.io));
        const name = parsed.kind === 'domain' ? `@${parsed.value}` : parsed.value;
        cli.io.stdout(added ? `suppressed ${name} (${options.reason})\n` : `${name} was already suppressed\n`);
      });
    });

  program
    .command('unsuppress')
    .argument('<target>', 'an email address, or @domain')
    .description('lift a suppression (an erasure cannot be lifted)')
    .addHelpText(
      'after',
      `
Example:
  $ cadence unsuppress taro@example.co.jp`,
    )
    .action(async (target: string, _options: unknown, command: Command) => {
      const { parseSuppressionTarget, unsuppress } = await import('../../leads/suppress.js');
      const parsed = parseSuppressionTarget(target);
      await withStore(command, cli.io, { create: false }, ({ store }) => {
        unsuppress(store, parsed, now(command, cli.io).toISOString(), actor(command, cli.io));
        cli.io.stdout(`no longer suppressed: ${parsed.kind === 'domain' ? '@' : ''}${parsed.value}\n`);
      });
    });
}
