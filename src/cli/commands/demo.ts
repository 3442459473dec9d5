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
      const result = await runDemo(dir, options.lang, { now: now(command, io), actor: actor(command, io), pid: process.pid });
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
      const enrolled = result.enrolled!;
      io.stdout(`\nenrolled ${enrolled.enrolled.length} inquiry MQLs in ${result.sequence}; then a tick each morning, as cron would run it:\n`);
      for (const day of result.days) {
        const { tick } = day;
        io.stdout(`  ${day.at.slice(0, 16).replace('T', ' ')}  ${tick.emailsSent} emails, ${tick.tasksCreated} tasks${tick.finished ? `, ${tick.finished} finished` : ''}${tick.emailsQueued ? `, ${tick.emailsQueued} waiting for a window` : ''}\n`);
      }
      io.stdout(`\nsent (each an .eml file in ${result.outboxDir}):\n`);
      for (const message of result.messages) io.stdout(`  ${message.createdAt.slice(0, 16).replace('T', ' ')}Z  ${message.toAddress}  "${message.subject}"\n`);
      io.stdout(`\ntasks waiting for a rep (earlier ones nobody did expired, so no lead waits on them):\n`);
      for (const task of result.tasks) io.stdout(`  #${task.id}  ${task.type.padEnd(12)} ${task.email}  (${task.sequence} / ${task.stepId}, due ${task.dueAt.slice(0, 16).replace('T', ' ')}Z)\n`);
      const example = result.tasks[0];
      io.stdout(`\nnext: cd ${dir}\n  cadence status\n  cadence leads show ${example?.email ?? result.leads[0]?.email ?? 'EMAIL'}\n${example ? `  cadence task done ${example.id}${example.type === 'call' ? ` --outcome meeting_booked --meeting-at ${meetingAfter(result.days.at(-1)?.at)}` : ''}\n` : ''}  cadence tick --now ${result.days.at(-1)?.at.slice(0, 10) ?? ''}T18:00:00Z\n`);
    });
}

/** A meeting time to suggest: two days after the demo's last day, 15:00 UTC. */
function meetingAfter(lastDay: string | undefined): string {
  const day = new Date(lastDay ?? Date.now());
  day.setUTCDate(day.getUTCDate() + 2);
  return `${day.toISOString().slice(0, 10)}T15:00:00Z`;
}
