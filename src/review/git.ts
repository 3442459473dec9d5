import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { CadenceError, UsageError } from '../errors.js';
import { CONFIG_FILE, FOLDERS } from '../workspace/paths.js';

/** The git repository a workspace folder is in: its top folder and the workspace's path inside it. */
export interface WorkspaceRepo {
  top: string;
  /** The workspace folder relative to `top`, with a trailing slash, or '' at the top. */
  prefix: string;
}

async function git(cwd: string, args: readonly string[], input?: string): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  try {
    const result = await execa('git', args, { cwd, reject: false, stripFinalNewline: true, ...(input === undefined ? {} : { input }) });
    return { ok: result.exitCode === 0, stdout: String(result.stdout), stderr: String(result.stderr) };
  } catch (error) {
    throw new CadenceError('GIT_MISSING', `cannot run git: ${(error as Error).message}`, { hint: 'install git (apt-get install git) and make sure it is on PATH', cause: error });
  }
}

/** The repository holding `dir`, or GIT_NOT_A_REPO. */
export async function repoOf(dir: string): Promise<WorkspaceRepo> {
  const found = await git(dir, ['rev-parse', '--show-toplevel', '--show-prefix']);
  if (!found.ok) {
    throw new CadenceError('GIT_NOT_A_REPO', `${dir} is not inside a git repository`, {
      hint: 'diff and plan --ref read sequences through git: run `git init` and commit the workspace, or run the command inside your workspace repository',
    });
  }
  const [top = dir, prefix = ''] = found.stdout.split('\n');
  return { top, prefix };
}

/** The commit a revision names, or GIT_BAD_REVISION (a usage error). */
export async function resolveCommit(repo: WorkspaceRepo, revision: string): Promise<string> {
  const found = await git(repo.top, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`]);
  if (!found.ok || !found.stdout) {
    throw new UsageError('GIT_BAD_REVISION', `"${revision}" is not a commit in ${repo.top}`, 'name a branch, tag or commit (`git log --oneline` lists them); in CI, fetch it first (actions/checkout with fetch-depth: 0)');
  }
  return found.stdout.trim();
}

/**
 * The default base of a review: where HEAD left the default branch (origin/HEAD, else
 * main, else master), as `git merge-base` finds it.
 */
export async function defaultBase(repo: WorkspaceRepo): Promise<{ label: string; commit: string }> {
  const remoteHead = await git(repo.top, ['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD']);
  const candidates = [...(remoteHead.ok && remoteHead.stdout ? [remoteHead.stdout.trim()] : []), 'main', 'master', 'origin/main', 'origin/master'];
  for (const branch of candidates) {
    const base = await git(repo.top, ['merge-base', 'HEAD', branch]);
    if (base.ok && base.stdout) return { label: `merge-base(${branch}, HEAD)`, commit: base.stdout.trim() };
  }
  throw new UsageError('GIT_NO_BASE', `cannot tell what to compare with: no origin/HEAD, main or master shares history with HEAD in ${repo.top}`, 'name the base revision: `cadence diff BASE` (a branch, tag or commit)');
}

/**
 * Writes the workspace files of `commit` (cadence.yaml, sequences/, templates/, triggers/)
 * into the folder `into`, as they are in that commit; read through one `git cat-file --batch`.
 */
export async function writeWorkspaceAt(repo: WorkspaceRepo, commit: string, into: string): Promise<void> {
  const paths = [CONFIG_FILE, ...Object.values(FOLDERS)].map((path) => `${repo.prefix}${path}`);
  const listed = await git(repo.top, ['ls-tree', '-r', '-z', '--full-tree', commit, '--', ...paths]);
  if (!listed.ok) throw new CadenceError('GIT_READ_FAILED', `cannot list the files of ${commit}: ${listed.stderr}`, { hint: 'check the repository with `git fsck`' });
  const blobs = listed.stdout
    .split('\0')
    .filter(Boolean)
    .map((entry) => {
      const [meta = '', path = ''] = entry.split('\t');
      const [, type, object] = meta.split(' ');
      return { type, object: object ?? '', path: path.slice(repo.prefix.length) };
    })
    .filter((entry) => entry.type === 'blob');
  mkdirSync(into, { recursive: true });
  if (blobs.length === 0) return;
  const batch = await execa('git', ['cat-file', '--batch'], { cwd: repo.top, input: blobs.map((blob) => blob.object).join('\n') + '\n', encoding: 'buffer', reject: false });
  if (batch.exitCode !== 0) throw new CadenceError('GIT_READ_FAILED', `cannot read the files of ${commit}`, { hint: 'check the repository with `git fsck`' });
  const bytes = Buffer.from(batch.stdout as Uint8Array);
  let offset = 0;
  for (const blob of blobs) {
    const headerEnd = bytes.indexOf(0x0a, offset);
    const size = Number(bytes.subarray(offset, headerEnd).toString('latin1').split(' ')[2]);
    const content = bytes.subarray(headerEnd + 1, headerEnd + 1 + size);
    offset = headerEnd + 1 + size + 1;
    const target = join(into, blob.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}
