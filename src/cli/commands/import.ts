import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { UsageError } from '../../errors.js';
import { actor, now } from '../context.js';
import type { Cli } from '../io.js';
import { withStore } from '../store-context.js';

interface ImportFlags {
  map: string[];
  encoding: string;
  delimiter?: string;
  owner?: string;
  source?: string;
  onConflict: 'update' | 'skip';
  errorsOut?: string;
  strict?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

export function registerImport(program: Command, cli: Cli): void {
  program
    .command('import')
    .argument('<file>', 'a CSV file of leads (UTF-8 or Shift_JIS/CP932 as Excel writes it)')
    .description('import leads from CSV into the store: refused rows are listed by line, the rest still import')
    .option('--map <mapping>', 'map a CSV column to a field: "CSV column=field" (repeatable; "column=-" skips it)', collect, [])
    .option('--encoding <name>', 'auto, utf-8, or shift_jis (also cp932, sjis: read as CP932)', 'auto')
    .option('--delimiter <char>', 'the field separator (default ,; use "\\t" for tab)')
    .option('--owner <rep>', 'owner for new leads and for stored leads without one')
    .option('--source <source>', 'source for new leads and for stored leads without one, e.g. expo-2026')
    .addOption(new Option('--on-conflict <mode>', 'a lead that exists already: update (fill from non-empty cells) or skip').choices(['update', 'skip']).default('update'))
    .option('--errors-out <file>', 'write every refused row to this CSV (UTF-8 with a BOM, for Excel), with its line and reason')
    .option('--strict', 'refuse the whole file if any row is refused: nothing is written')
    .option('--dry-run', 'show what would happen, write nothing')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Headers are matched by name and common aliases in English and Japanese (Email,
メールアドレス, 会社名, 氏名, 姓, 名, 電話番号, 役職, ...); --map wins. An empty cell never
blanks a stored value (use \`cadence leads set --unset\`). Within a file the first row
for an address counts; a later one is refused (IMPORT_DUPLICATE_IN_FILE). Importing the
same file twice changes nothing the second time; an import that was killed completes
when run again.

Exit codes: 0 the import ran (even with refused rows), 1 it could not (unreadable file,
--strict refusal), 2 bad usage.

Examples:
  $ cadence import expo-2026.csv --owner sato --source expo-2026 --errors-out refused.csv
  $ cadence import crm-export.csv --map "Account Name=company" --map "Memo=-" --dry-run
  $ cadence import 名簿.csv --encoding shift_jis --strict`,
    )
    .action(async (file: string, flags: ImportFlags, command: Command) => {
      const { runImport } = await import('../../import/run-in-worker.js');
      const { isProcessAlive } = await import('../../import/thread-messages.js');
      const { normaliseEncodingName } = await import('../../import/csv/decode.js');
      const { formatImportReport, progressPrinter } = await import('../import-output.js');
      const { checkErrorsOut } = await import('../../import/refusals.js');
      const { headerKey } = await import('../../import/normalize-text.js');
      const encoding = normaliseEncodingName(flags.encoding);
      if (!encoding) throw new UsageError('IMPORT_BAD_ENCODING', `--encoding ${flags.encoding} is not one cadence reads`, 'use auto, utf-8 or shift_jis (cp932)');
      const delimiter = flags.delimiter === '\\t' ? '\t' : flags.delimiter;
      if (delimiter !== undefined && delimiter.length !== 1) throw new UsageError('IMPORT_BAD_DELIMITER', `--delimiter must be one character, not "${flags.delimiter}"`, 'for tab-separated files use --delimiter "\\t"');
      const map = parseMappings(flags.map, headerKey);
      const { io } = cli;
      const errorsOut = flags.errorsOut === undefined ? undefined : resolve(io.cwd, flags.errorsOut);
      if (errorsOut !== undefined) checkErrorsOut(errorsOut, resolve(io.cwd, file));
      await withStore(command, io, { create: !flags.dryRun, emptyIfMissing: Boolean(flags.dryRun), checkCalendar: false }, async ({ store, config }) => {
        const progress = io.stderrIsTTY && !flags.json ? progressPrinter(io) : undefined;
        const report = await runImport(
          store,
          config,
          {
            file: resolve(io.cwd, file),
            map,
            encoding,
            ...(delimiter ? { delimiter } : {}),
            ...(flags.owner ? { owner: flags.owner } : {}),
            ...(flags.source ? { source: flags.source } : {}),
            onConflict: flags.onConflict,
            strict: Boolean(flags.strict),
            dryRun: Boolean(flags.dryRun),
            ...(errorsOut ? { errorsOut } : {}),
          },
          { now: now(command, io), actor: actor(command, io), pid: process.pid, isAlive: isProcessAlive, ...(progress ? { onProgress: progress.update } : {}) },
        );
        progress?.done();
        if (flags.json) {
          const { inserted, updated, unchanged, refused, errors } = report;
          io.stdout(`${JSON.stringify({ inserted, updated, unchanged, refused, errors, errorsTruncated: report.errorsTruncated, warnings: report.warnings, unmapped: report.unmapped, encoding: report.encoding, dryRun: report.dryRun, aborted: report.aborted, batches: report.batches, longestBatchMs: report.longestBatchMs })}\n`);
        } else {
          io.stdout(formatImportReport(file, report, flags.errorsOut));
        }
        if (report.aborted) cli.exitCode = 1;
      });
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `--map` entries by column; two that name one column (as headers match: `columnKey`) and disagree are refused. */
function parseMappings(mappings: readonly string[], columnKey: (column: string) => string): Record<string, string> {
  const map: Record<string, string> = {};
  const given = new Map<string, { mapping: string; field: string }>();
  for (const mapping of mappings) {
    const equals = mapping.lastIndexOf('=');
    if (equals <= 0) throw new UsageError('IMPORT_BAD_MAP', `--map "${mapping}" is not "CSV column=field"`, 'for example --map "E-mail address=email" (or "Memo=-" to skip a column)');
    const column = mapping.slice(0, equals).trim();
    const field = mapping.slice(equals + 1).trim();
    const earlier = given.get(columnKey(column));
    if (earlier && earlier.field !== field) {
      throw new UsageError('IMPORT_BAD_MAP', `--map "${earlier.mapping}" and --map "${mapping}" both map the column "${column}"`, 'keep the one you mean: a column feeds one field (or "column=-" to skip it)');
    }
    given.set(columnKey(column), { mapping, field });
    map[column] = field;
  }
  return map;
}

