import { join } from 'node:path';
import type { Command } from 'commander';
import { CadenceError, UsageError } from '../../errors.js';
import { actor, now } from '../context.js';
import type { Cli } from '../io.js';
import { withStore } from '../store-context.js';

export function registerLeadsForget(leads: Command, cli: Cli): void {
  leads
    .command('forget')
    .argument('<email>', "the person's address")
    .option('--yes', 'confirm without a prompt (scripts; at a terminal you are asked to type the address)')
    .option('--force', 'record the erasure even when no lead has the address (a person who asks before being imported)')
    .description('erase a person (APPI/GDPR): their data everywhere, keeping only a hashed suppression')
    .addHelpText(
      'after',
      `
Removes the lead, its enrollments, tasks, messages and every event about them, and every
outbox message to them. A keyed hash of the address stays, so a later import cannot
reach them again. Cannot be undone: at a terminal you type the address to confirm;
elsewhere --yes is required. Exit 130 when cancelled.

Examples:
  $ cadence leads forget taro@example.co.jp
  $ cadence leads forget taro@example.co.jp --yes        # from a script`,
    )
    .action(async (email: string, options: { yes?: boolean; force?: boolean }, command: Command) => {
      const { forgetLead } = await import('../../leads/forget.js');
      const { isPlausibleEmail, normaliseEmail } = await import('../../leads/email.js');
      const { findLeadByEmail } = await import('../../store/leads.js');
      const address = normaliseEmail(email);
      if (!isPlausibleEmail(address)) throw new UsageError('LEAD_FORGET_BAD_ADDRESS', `"${email}" is not an email address`, 'an erasure cannot be undone: give the exact address, like taro@example.co.jp');
      await withStore(command, cli.io, { create: true }, async ({ store, outboxDir, root }) => {
        const exists = findLeadByEmail(store.db, address) !== undefined;
        if (!exists && !options.force) {
          throw new CadenceError('LEAD_NOT_FOUND', `no lead has the address ${address}; nothing was erased`, { hint: 'check the address; --force records the erasure anyway, so no import can reach it' });
        }
        if (!options.yes) {
          if (!cli.io.isTTY || !cli.io.ask) throw new UsageError('LEAD_FORGET_UNCONFIRMED', `erasing ${address} cannot be undone, and there is no terminal to confirm it`, 'add --yes to confirm from a script');
          const answer = await cli.io.ask(`Erase ${address} permanently? Type the address to confirm: `);
          if (normaliseEmail(answer) !== address) throw new CadenceError('CANCELLED', 'cancelled: nothing was erased', { exitCode: 130 });
        }
        const result = forgetLead(store, address, outboxDir, now(command, cli.io).toISOString(), actor(command, cli.io), join(root, '.cadence', 'drafts'));
        cli.io.stdout(
          result.leadFound
            ? `erased ${address}: the lead, ${result.eventsRemoved} events, ${result.outboxFilesRemoved} outbox messages and ${result.draftsRemoved} drafts; the address stays suppressed\n`
            : `no lead had ${address}; it is now suppressed so no import can reach it\n`,
        );
      });
    });
}
