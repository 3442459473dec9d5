import type { Command } from 'commander';
import { seedHolidays } from '../engine/holiday-seeds.js';
import { CadenceError } from '../errors.js';
import { didYouMean } from '../util/did-you-mean.js';
import type { SequenceDefinition, TemplateDefinition, TriggerDefinition, WorkspaceConfig } from '../workspace/types.js';
import { readValidationCache, workspaceFingerprint, writeValidationCache } from '../workspace/validation-cache.js';
import { now } from './context.js';
import type { Io } from './io.js';
import { workspaceRoot } from './workspace-option.js';

export interface ValidWorkspace {
  root: string;
  config: WorkspaceConfig;
  sequences: Map<string, SequenceDefinition>;
  templates: Map<string, TemplateDefinition>;
  triggers: Map<string, TriggerDefinition>;
}

/**
 * The workspace, fully validated: commands that act on leads through sequences refuse to
 * run on an invalid one (a bad `git pull` must not reach a lead), saying why.
 */
export async function loadValidWorkspace(command: Command, io: Io): Promise<ValidWorkspace> {
  const root = workspaceRoot(command, io);
  // A workspace unchanged since it last passed is not checked again (cron runs tick every minute).
  const fingerprint = workspaceFingerprint(root);
  const cached = readValidationCache(root, fingerprint);
  if (cached) {
    if (cached.holidays) seedHolidays(cached.holidays);
    return { root, config: cached.config, sequences: new Map(Object.entries(cached.sequences)), templates: new Map(Object.entries(cached.templates)), triggers: new Map(Object.entries(cached.triggers ?? {})) };
  }
  // Loaded only when needed: the checks pull in ajv, the YAML parser and Liquid.
  const { validateWorkspace } = await import('../workspace/validate.js');
  const validation = validateWorkspace(root);
  const config = validation.workspace.config?.definition;
  if (validation.errors > 0 || !config) {
    const errors = validation.problems.filter((problem) => problem.severity === 'error');
    throw new CadenceError('WORKSPACE_INVALID', `the workspace has ${errors.length} validation ${errors.length === 1 ? 'error' : 'errors'}, so nothing was done`, {
      details: (await import('./problems-output.js')).formatProblemsText(errors.slice(0, 5), root, io.cwd).trimEnd().split('\n'),
      hint: 'run `cadence validate` and fix every problem first',
    });
  }
  const definitions = <T>(sources: Map<string, { definition: T | undefined }>): Map<string, T> =>
    new Map([...sources].flatMap(([id, source]) => (source.definition ? [[id, source.definition] as const] : [])));
  const result = { root, config, sequences: definitions(validation.workspace.sequences), templates: definitions(validation.workspace.templates), triggers: definitions(validation.workspace.triggers) };
  // The calendar's holidays from last year to two years on (the command's clock: --now
  // rehearses another year), so ticks need not compute them.
  const code = config.calendar?.holidays;
  const year = now(command, io).getUTCFullYear();
  const holidays = code && code !== 'none' ? (await import('../engine/holiday-index.js')).holidayYears(code, config.language, year - 1, year + 2) : undefined;
  writeValidationCache(root, fingerprint, {
    config,
    sequences: Object.fromEntries(result.sequences),
    templates: Object.fromEntries(result.templates),
    triggers: Object.fromEntries(result.triggers),
    ...(holidays ? { holidays } : {}),
  });
  return result;
}

/** A sequence by id, or SEQUENCE_NOT_FOUND with a did-you-mean (exit 2). */
export function requireSequence(workspace: ValidWorkspace, id: string): SequenceDefinition {
  const sequence = workspace.sequences.get(id);
  if (sequence) return sequence;
  const guess = didYouMean(id, workspace.sequences.keys());
  throw new CadenceError('SEQUENCE_NOT_FOUND', `there is no sequence "${id}"`, {
    hint: guess ? `did you mean "${guess}"?` : `sequences: ${[...workspace.sequences.keys()].join(', ')}`,
    exitCode: 2,
  });
}
