import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { actor, now } from '../context.js';
import type { Cli } from '../io.js';
import { formatProblemsText } from '../problems-output.js';

export function registerDemo(program: Command, cli: Cli): void {
  program
    .command('demo')
    .description('run the main job on an embedded default: a new workspace with the starter library, sample leads and an outbox')
    .addOption(new Option('--lang <language>', 'language of the demo workspace').choices(['en', 'ja']).default('en'))
    .option('--dir <dir>', 'create the demo workspace here instead of a new temporary folder')
    .addHelpText(
      'after',
      `
Nothing is sent: the demo workspace uses the outbox transport, which writes .eml files.

Example:
  $ npx cadence demo
  $ npx cadence demo --lang ja --dir ./demo-ja`,
    )
    .action(async (options: { lang: 'en' | 'ja'; dir?: string }, command: Command) => {
      const { runDemo } = await import('../../demo/run-demo.js');
      const { describeSequence } = await import('../../workspace/describe.js');
      const { formatLeadTable } = await import('../leads-output.js');
      const { io } = cli;
      const dir = options.dir ? resolve(io.cwd, options.dir) : mkdtempSync(join(tmpdir(), 'cadence-demo-'));
      const result = await runDemo(dir, options.lang, { now: now(command, io), actor: actor(command, io) });
      const { validation } = result;
      io.stdout(`demo workspace: ${dir}\n`);
      io.stdout(`  sample leads: ${result.leadsFile}\n  store:        ${result.storePath}\n  outbox:       ${result.outboxDir}\n\n`);
      if (validation.errors > 0) {
        io.stdout(formatProblemsText(validation.problems, dir, io.cwd));
        cli.exitCode = 1;
        return;
      }
      io.stdout(`validated: ${validation.workspace.sequences.size} sequences, ${validation.workspace.templates.size} templates, ${validation.workspace.triggers.size} triggers\n\n`);
      for (const [id, source] of validation.workspace.sequences) {
        if (source.definition) io.stdout(`${describeSequence(id, source.definition).join('\n')}\n\n`);
      }
      const imported = result.imported!;
      io.stdout(`imported leads.csv: ${imported.inserted} inserted, ${imported.updated} updated, ${imported.unchanged} unchanged, ${imported.refused} refused\n\n`);
      io.stdout(formatLeadTable(result.leads));
      io.stdout(`\nnext: cd ${dir} && cadence leads show ${result.leads[0]?.email ?? 'EMAIL'}\n`);
    });
}
