import { diffWorkspaces } from './diff.js';
import type { DiffReport } from './diff-format.js';
import { defaultBase, repoOf, resolveCommit, type WorkspaceRepo } from './git.js';
import { sideFromCommit, sideFromFolder, type WorkspaceSide } from './workspace-side.js';

/**
 * The semantic diff of a workspace between two revisions: `base` defaults to where HEAD
 * left the default branch, `head` to the working tree. Each side is validated; a side
 * with errors yields its errors instead of a diff.
 */
export async function reviewDiff(root: string, base: string | undefined, head: string | undefined): Promise<DiffReport> {
  const repo = await repoOf(root);
  const baseRef = base === undefined ? await defaultBase(repo) : { label: base, commit: await resolveCommit(repo, base) };
  const headSide = head === undefined ? sideFromFolder(root, 'working tree', null) : await commitSide(repo, head);
  const baseSide = await sideFromCommit(repo, baseRef.commit, baseRef.label);
  return { base: baseSide, head: headSide, diff: baseSide.definitions && headSide.definitions ? diffWorkspaces(baseSide.definitions, headSide.definitions) : undefined };
}

/** A revision's workspace, validated. */
export async function commitSide(repo: WorkspaceRepo, revision: string): Promise<WorkspaceSide> {
  return sideFromCommit(repo, await resolveCommit(repo, revision), revision);
}
