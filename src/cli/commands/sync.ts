import type { Command } from 'commander';
import { actor, now, storePath } from '../context.js';
import type { Cli } from '../io.js';

export function registerSync(program: Command, cli: Cli): void {
  program
    .command('sync')
    .description('read the mailboxes over IMAP: replies end sequences, out-of-office pauses them, bounces and unsubscribes suppress')
    .option('--mailbox <name>', 'only this mailbox (a key of mailboxes: in cadence.yaml)')
    .option('--json', 'print {"folders":[{"mailbox","folder","read","outcomes"}],"counts","errors"}')
    .addHelpText(
      'after',
      `
Reads each folder (imap.folders, default INBOX) from where the last sync stopped, so a
second run handles nothing twice. The user and password come from the environment
variables that cadence.yaml names (user_env, password_env).

Exit codes: 0 every mailbox was read, 3 some mailbox could not be read (the others
were), 1 it could not run (missing credentials, no mailbox with imap settings).

Examples:
  $ cadence sync                          # the password in CADENCE_IMAP_ALEX (password_env)
  $ cadence sync --mailbox alex --json
  $ cadence tick --sync            # sync, then tick`,
    )
    .action(async (options: { mailbox?: string; json?: boolean }, command: Command) => {
      const { loadValidWorkspace } = await import('../valid-workspace.js');
      const { openStore } = await import('../../store/database.js');
      const { syncMailboxes } = await import('../../sync/run-sync.js');
      const workspace = await loadValidWorkspace(command, cli.io);
      const store = openStore(storePath(command, cli.io, workspace.root), { create: false });
      try {
        const report = await syncMailboxes({ store, config: workspace.config, sequences: workspace.sequences, env: cli.io.env, now: now(command, cli.io), actor: actor(command, cli.io), ...(options.mailbox === undefined ? {} : { mailbox: options.mailbox }) });
        cli.io.stdout(options.json ? `${JSON.stringify(report)}\n` : (await import('../../sync/report-text.js')).syncReportText(report));
        if (report.errors.length > 0) cli.exitCode = 3;
      } finally {
        store.close();
      }
    });
}
