import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { outboxTransport } from '../channels/transport.js';
import { CadenceError } from '../errors.js';
import { createLiquid } from '../render/liquid.js';
import { repoOf } from './git.js';
import { planNextTick, type PlanReport } from './plan.js';
import { commitSide } from './run-diff.js';
import { sideFromFolder, type Definitions, type WorkspaceSide } from './workspace-side.js';

export interface PlanRequest {
  root: string;
  storePath: string;
  /** A git revision holding the proposed workspace; the working tree without one. */
  ref: string | undefined;
  now: Date;
  isAlive: (pid: number, since?: string) => boolean;
}

export interface PlanOutcome extends PlanReport {
  proposed: { label: string; commit: string | null };
  store: string;
}

/**
 * `cadence plan`: the proposed workspace (a revision read through git, or the working
 * tree) against the live store and the sequences it runs now. Both workspaces must be
 * valid; the live store is only read.
 */
export async function reviewPlan(request: PlanRequest): Promise<PlanOutcome> {
  const here = sideFromFolder(request.root, 'the working tree', null);
  const proposed = request.ref === undefined ? here : await commitSide(await repoOf(request.root), request.ref);
  const current = validDefinitions(request.ref === undefined ? await committedSide(request.root, here) : here);
  const next = validDefinitions(proposed);
  const workDir = mkdtempSync(join(tmpdir(), 'cadence-plan-'));
  try {
    const liveOutbox = outboxTransport(resolve(request.root, current.config.outbox?.dir ?? '.cadence/outbox'));
    const live = current.config.transport === 'outbox' ? liveOutbox : { kind: 'smtp' as const, fateOf: () => 'unknown' as const };
    const report = await planNextTick({ storePath: request.storePath, current, proposed: next, now: request.now, workDir, liquid: createLiquid(), isAlive: request.isAlive, live });
    return { ...report, proposed: { label: proposed.label, commit: proposed.commit }, store: request.storePath };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * Without --ref the working tree is the proposal, so templates and settings as they are
 * now come from the last commit (HEAD), when the workspace is in git and HEAD is valid;
 * otherwise from the working tree itself (the sequences always come from the store).
 */
async function committedSide(root: string, workingTree: WorkspaceSide): Promise<WorkspaceSide> {
  const repo = await repoOf(root).catch(() => undefined);
  if (!repo) return workingTree;
  const head = await commitSide(repo, 'HEAD').catch(() => undefined);
  return head?.definitions ? head : workingTree;
}

function validDefinitions(side: WorkspaceSide): Definitions {
  if (side.definitions) return side.definitions;
  throw new CadenceError('PLAN_INVALID_WORKSPACE', `${side.label} has ${side.errors.length} validation ${side.errors.length === 1 ? 'error' : 'errors'}, so there is nothing to plan`, {
    details: side.errors.slice(0, 10).map((problem) => `${problem.code}  ${problem.file}${problem.line === undefined ? '' : `:${problem.line}:${problem.column ?? 1}`}  ${problem.message}`),
    hint: side.commit ? `fix them on that branch (\`cadence diff ... ${side.label}\` lists them too)` : 'run `cadence validate` and fix every problem first',
  });
}
