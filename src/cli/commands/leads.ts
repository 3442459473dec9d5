import { InvalidArgumentError as InvalidArgument, type Command } from 'commander';
import { actor, now } from '../context.js';
import type { Cli } from '../io.js';
import { withStore } from '../store-context.js';
import { registerLeadsForget } from './leads-forget.js';

export function registerLeads(program: Command, cli: Cli): void {
  const leads = program
    .command('leads')
    .description('list, show, change and erase leads')
    .addHelpText(
      'after',
      `
Examples:
  $ cadence leads --where 'status = "MQL" and company contains "株式会社"' --limit 20
  $ cadence leads show taro@example.co.jp
  $ cadence leads set taro@example.co.jp status=SQL meeting_at=2026-12-03T10:00+09:00
  $ cadence leads forget taro@example.co.jp`,
    );

  leads
    .command('list', { isDefault: true })
    .description('list leads (the default)')
    .option('--where <condition>', 'only leads matching this condition, e.g. \'status = "MQL"\'')
    .option('--limit <n>', 'at most this many', parseCount, 100)
    .option('--json', 'print JSON')
    .addHelpText('after', `\nExample:\n  $ cadence leads list --where 'owner = "sato"' --json`)
    .action(async (options: { where?: string; limit: number; json?: boolean }, command: Command) => {
      const { compileLeadFilter } = await import('../../leads/where.js');
      const { countLeads, queryLeads } = await import('../../store/leads.js');
      const { formatLeadTable } = await import('../leads-output.js');
      await withStore(command, cli.io, { create: false }, ({ store, config }) => {
        const filter = options.where === undefined ? undefined : compileLeadFilter(options.where, config);
        const found = queryLeads(store.db, filter, { limit: options.limit });
        if (options.json) {
          cli.io.stdout(`${JSON.stringify(found.map((lead) => ({ email: lead.email, ...lead.fields })), null, 2)}\n`);
          return;
        }
        const total = countLeads(store.db, filter);
        cli.io.stdout(formatLeadTable(found));
        cli.io.stdout(`${found.length < total ? `${found.length} of ${total}` : total} ${total === 1 ? 'lead' : 'leads'}\n`);
      });
    });

  leads
    .command('show')
    .argument('<email>', 'the lead\'s address')
    .description('a lead\'s fields, suppression and timeline of events')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  $ cadence leads show taro@example.co.jp --json')
    .action(async (email: string, options: { json?: boolean }, command: Command) => {
      const { leadDetails } = await import('../../leads/show.js');
      const { formatLeadDetails } = await import('../leads-output.js');
      await withStore(command, cli.io, { create: false }, ({ store }) => {
        const details = leadDetails(store, email);
        cli.io.stdout(options.json ? `${JSON.stringify({ ...details, suppression: details.suppression ?? null }, null, 2)}\n` : formatLeadDetails(details));
      });
    });

  leads
    .command('set')
    .argument('<email>', 'the lead\'s address')
    .argument('[assignments...]', 'field=value pairs')
    .option('--unset <field>', 'clear a field (repeatable)', collect, [])
    .description('change lead fields; --unset is the explicit way to clear one')
    .addHelpText('after', '\nExample:\n  $ cadence leads set taro@example.co.jp status=SQL tier=A --unset campaign')
    .action(async (email: string, assignments: string[], options: { unset: string[] }, command: Command) => {
      const { setLeadFields } = await import('../../leads/set.js');
      await withStore(command, cli.io, { create: false }, ({ store, config }) => {
        const changes = setLeadFields(store, config, email, assignments, options.unset, now(command, cli.io), actor(command, cli.io));
        const names = Object.keys(changes);
        cli.io.stdout(names.length === 0 ? 'nothing changed\n' : names.map((name) => `${name}: ${show(changes[name]![0])} → ${show(changes[name]![1])}\n`).join(''));
      });
    });

  registerLeadsForget(leads, cli);
}

function parseCount(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgument('must be a whole number of 1 or more');
  return value;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function show(value: unknown): string {
  return value === null || value === undefined ? '(empty)' : String(value);
}

