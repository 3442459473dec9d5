import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Problem } from '../workspace/problems.js';
import type { SequenceDefinition, TemplateDefinition, TriggerDefinition, WorkspaceConfig } from '../workspace/types.js';
import { validateWorkspace } from '../workspace/validate.js';
import { writeWorkspaceAt, type WorkspaceRepo } from './git.js';

/** A workspace's definitions, as a review compares them. */
export interface Definitions {
  config: WorkspaceConfig;
  sequences: Map<string, SequenceDefinition>;
  templates: Map<string, TemplateDefinition>;
  triggers: Map<string, TriggerDefinition>;
}

/** One side of a review: a revision or the working tree, valid (with its definitions) or not (with its errors). */
export interface WorkspaceSide {
  /** What the user named: a revision, `merge-base(main, HEAD)` or `working tree`. */
  label: string;
  /** The commit, or null for the working tree. */
  commit: string | null;
  /** Validation errors; a side with any has no definitions. */
  errors: Problem[];
  definitions: Definitions | undefined;
}

/** Validates the workspace folder `root` and keeps its definitions when it is valid. */
export function sideFromFolder(root: string, label: string, commit: string | null): WorkspaceSide {
  const validation = validateWorkspace(root);
  const errors = validation.problems.filter((problem) => problem.severity === 'error');
  const config = validation.workspace.config?.definition;
  if (errors.length > 0 || !config) return { label, commit, errors, definitions: undefined };
  const definitions = <T>(sources: Map<string, { definition: T | undefined }>): Map<string, T> =>
    new Map([...sources].flatMap(([id, source]) => (source.definition ? [[id, source.definition] as const] : [])));
  const { workspace } = validation;
  return { label, commit, errors, definitions: { config, sequences: definitions(workspace.sequences), templates: definitions(workspace.templates), triggers: definitions(workspace.triggers) } };
}

/**
 * The workspace as it is in a commit, read without checking it out: its files are written
 * into a temporary folder and validated there like any workspace (the loader reads
 * folders; a folder of a few dozen small files costs milliseconds), then removed.
 */
export async function sideFromCommit(repo: WorkspaceRepo, commit: string, label: string): Promise<WorkspaceSide> {
  const folder = mkdtempSync(join(tmpdir(), 'cadence-rev-'));
  try {
    await writeWorkspaceAt(repo, commit, folder);
    return sideFromFolder(folder, label, commit);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
