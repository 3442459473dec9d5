import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { Cli } from '../io.js';

export function registerInit(program: Command, cli: Cli): void {
  program
    .command('init')
    .argument('[dir]', 'folder to create the workspace in', '.')
    .description('scaffold a workspace: cadence.yaml, the starter library, schemas, .gitignore and a CI workflow')
    .addOption(new Option('--lang <language>', 'language of the starter library, time zone and holiday calendar').choices(['en', 'ja']).default('en'))
    .addHelpText(
      'after',
      `
--lang en: America/New_York and US holidays; --lang ja: Asia/Tokyo and Japanese holidays,
and the Japanese business-style library (〇〇様, 御社). The transport is written out as
outbox, so nothing is sent until you configure smtp on purpose.

Example:
  $ cadence init acme-sales --lang ja
  $ cd acme-sales && git init && cadence validate`,
    )
    .action(async (dir: string, options: { lang: 'en' | 'ja' }) => {
      const { initWorkspace } = await import('../../workspace/init.js');
      const result = initWorkspace(resolve(cli.io.cwd, dir), options.lang);
      cli.io.stdout(`created a ${options.lang} workspace in ${result.dir} (${result.created.length} files)\n`);
      cli.io.stdout(`next: cd ${dir} && cadence validate\n`);
    });
}
