import { Argument, type Command } from 'commander';
import { actor, now } from '../context.js';
import type { Cli } from '../io.js';

export function registerResolve(program: Command, cli: Cli): void {
  program
    .command('resolve')
    .argument('<message-id>', 'the Message-ID, as `cadence status` lists it (the angle brackets may be left out)')
    .addArgument(new Argument('<how>', 'what became of it').choices(['sent', 'resend']))
    .option('--json', 'print {"messageId","resolution","enrollmentResumed"}')
    .description('settle a message in doubt: it was sent, or send it again')
    .addHelpText(
      'after',
      `
A message is in doubt when a tick was killed while handing it to the SMTP server:
nobody knows whether the server took it, so cadence neither resends it nor drops it,
and holds the lead's enrollment. Check the recipient's inbox or the server's log, then:
  sent     it arrived: record it as sent; the enrollment goes on
  resend   it did not: the next tick sends the same message (same Message-ID)
A failed message (refused for good, or after every retry) can be resent too.

Examples:
  $ cadence status
  $ cadence resolve "<mf0k2p.9c1e@example.com>" sent`,
    )
    .action(async (messageId: string, how: 'sent' | 'resend', options: { json?: boolean }, command: Command) => {
      const { withStore } = await import('../store-context.js');
      const { resolveMessage } = await import('../../engine/resolve.js');
      await withStore(command, cli.io, { create: false }, ({ store }) => {
        const result = resolveMessage(store, messageId.trim(), how, now(command, cli.io), actor(command, cli.io));
        if (options.json) cli.io.stdout(`${JSON.stringify({ messageId: messageId.trim(), resolution: how, ...result })}\n`);
        else cli.io.stdout(`${how === 'sent' ? 'recorded as sent' : 'queued to resend at the next tick'}: ${messageId.trim()}${result.enrollmentResumed ? '; its enrollment goes on' : ''}\n`);
      });
    });
}
