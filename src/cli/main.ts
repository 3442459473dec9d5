import { Command, CommanderError } from 'commander';
import { isCadenceError } from '../errors.js';
import { packageVersion } from '../package-root.js';
import { registerDemo } from './commands/demo.js';
import { registerDiff } from './commands/diff.js';
import { registerEngagement } from './commands/engagement.js';
import { registerEnroll } from './commands/enroll.js';
import { registerEnrollmentControl } from './commands/enrollment-control.js';
import { registerExport } from './commands/export.js';
import { registerImport } from './commands/import.js';
import { registerInit } from './commands/init.js';
import { registerLeads } from './commands/leads.js';
import { registerPlan } from './commands/plan.js';
import { registerResolve } from './commands/resolve.js';
import { registerRun } from './commands/run.js';
import { registerSimulate } from './commands/simulate.js';
import { registerSuppress } from './commands/suppress.js';
import { registerSync } from './commands/sync.js';
import { registerTask } from './commands/task.js';
import { registerTasks } from './commands/tasks.js';
import { registerTick } from './commands/tick.js';
import { registerValidate } from './commands/validate.js';
import { processIo, type Cli, type Io } from './io.js';

/** Exit codes shared by every command; commands with codes of their own say so in --help. */
export const EXIT = { ok: 0, failed: 1, usage: 2, cancelled: 130 } as const;

export function buildProgram(cli: Cli): Command {
  const { io } = cli;
  const program = new Command('cadence')
    .description('Sales sequences as code: sequences and templates in git, leads in SQLite, a cron-driven tick that sends.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .option('-C, --workspace <dir>', 'run in this workspace folder instead of the current one')
    .option('--db <path>', 'the SQLite store (default: .cadence/cadence.db in the workspace, or CADENCE_DB)')
    .option('--as <name>', 'who is acting, recorded in the events log (default: CADENCE_USER, then the login name)')
    .option('--now <iso>', 'the time to act at, for rehearsals (default: CADENCE_NOW, then the clock)')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();
  program.addHelpText(
    'after',
    `
Exit codes: 0 ok, 1 failed or invalid input, 2 bad usage, 130 cancelled.

Example:
  $ cadence init my-sales --lang ja && cd my-sales
  $ cadence validate`,
  );
  registerValidate(program, cli);
  registerDiff(program, cli);
  registerPlan(program, cli);
  registerInit(program, cli);
  registerDemo(program, cli);
  registerImport(program, cli);
  registerLeads(program, cli);
  registerExport(program, cli);
  registerSuppress(program, cli);
  registerSync(program, cli);
  registerSimulate(program, cli);
  registerEnroll(program, cli);
  registerEnrollmentControl(program, cli);
  registerTick(program, cli);
  registerTask(program, cli);
  registerTasks(program, cli);
  registerEngagement(program, cli);
  registerResolve(program, cli);
  registerRun(program, cli);
  const configure = (command: Command): void => {
    command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
    command.commands.forEach(configure);
  };
  program.commands.forEach(configure);
  return program;
}

/** Runs the CLI and returns the exit code; the one place errors become output. */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const cli: Cli = { io, exitCode: EXIT.ok };
  const program = buildProgram(cli);
  try {
    await program.parseAsync([...argv]);
    return cli.exitCode;
  } catch (error) {
    const code = reportError(error, io, wantsJson(argv));
    // plan --detailed-exitcode keeps 2 for "has impact": any error, bad usage included, is 1.
    return code === EXIT.usage && argv.includes('--detailed-exitcode') ? EXIT.failed : code;
  }
}

/** Whether the command line asked for JSON: then an expected error is printed as JSON on stdout too. */
function wantsJson(argv: readonly string[]): boolean {
  const format = argv.indexOf('--format');
  return argv.includes('--json') || (format >= 0 && argv[format + 1] === 'json');
}

function reportError(error: unknown, io: Io, json: boolean): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
    return EXIT.usage; // commander has already printed the message
  }
  if (isCadenceError(error)) {
    if (json) io.stdout(`${JSON.stringify({ error: { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}), ...(error.details.length ? { details: error.details } : {}) } })}\n`);
    const lines = [`error ${error.code}  ${error.message}`, ...error.details.map((line) => `  ${line}`)];
    if (error.hint) lines.push(`  hint: ${error.hint}`);
    io.stderr(`${lines.join('\n')}\n`);
    return error.exitCode;
  }
  io.stderr(`cadence: unexpected error — please report it with the command you ran\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return EXIT.failed;
}
