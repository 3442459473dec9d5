import { accessSync, constants, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { CadenceError } from '../errors.js';
import { packageRoot, packageVersion } from '../package-root.js';
import { CONFIG_FILE, FOLDERS } from './load.js';

export type StarterLanguage = 'en' | 'ja';

export interface InitResult {
  dir: string;
  language: StarterLanguage;
  /** Paths relative to `dir`, in the order they were written. */
  created: string[];
}

/** Japanese starter files end in `-ja`; the English ones have no suffix. */
export function isStarterFileFor(name: string, language: StarterLanguage): boolean {
  const japanese = /-ja\.ya?ml$/.test(name);
  return language === 'ja' ? japanese : !japanese;
}

/**
 * Scaffolds a workspace in `dir`: cadence.yaml for the language (time zone and holiday
 * calendar), the starter library in that language, the JSON Schemas editors read,
 * a .gitignore for .cadence/ and a GitHub Actions workflow that validates every pull request
 * and comments on it with `cadence diff`.
 */
export function initWorkspace(dir: string, language: StarterLanguage): InitResult {
  checkTarget(dir);
  if (existsSync(join(dir, CONFIG_FILE))) {
    throw new CadenceError('INIT_EXISTS', `${join(dir, CONFIG_FILE)} already exists`, {
      hint: 'this folder is already a workspace: run `cadence validate` there, or choose a new folder',
    });
  }
  try {
    return writeWorkspace(dir, language);
  } catch (error) {
    throw writeError(error, dir) ?? error;
  }
}

function writeWorkspace(dir: string, language: StarterLanguage): InitResult {
  const created: string[] = [];
  const write = (path: string, text: string): void => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
    created.push(path);
  };
  createFolder(dir);
  write(CONFIG_FILE, readFileSync(join(packageRoot, 'starter', `cadence.${language}.yaml`), 'utf8'));
  for (const folder of Object.values(FOLDERS)) {
    const from = join(packageRoot, folder);
    if (!existsSync(from)) continue;
    mkdirSync(join(dir, folder), { recursive: true });
    for (const name of readdirSync(from).filter((file) => isStarterFileFor(file, language)).sort()) {
      copyFileSync(join(from, name), join(dir, folder, name));
      created.push(`${folder}/${name}`);
    }
  }
  mkdirSync(join(dir, 'schemas'), { recursive: true });
  for (const name of readdirSync(join(packageRoot, 'schemas')).filter((file) => file.endsWith('.json')).sort()) {
    copyFileSync(join(packageRoot, 'schemas', name), join(dir, 'schemas', name));
    created.push(`schemas/${name}`);
  }
  const ignore = join(dir, '.gitignore');
  const existing = existsSync(ignore) ? readFileSync(ignore, 'utf8') : '';
  if (!/^\/?\.cadence\/?$/m.test(existing)) {
    write('.gitignore', `${existing}${existing && !existing.endsWith('\n') ? '\n' : ''}# cadence's local store and outbox: never in git\n.cadence/\n`);
  }
  const workflow = readFileSync(join(packageRoot, 'starter', 'github-workflow.yml'), 'utf8').replaceAll('{{VERSION}}', packageVersion());
  write('.github/workflows/cadence.yml', workflow);
  return { dir, language, created };
}

/** Folders of the kernel's own pseudo files: writable for root, but no place for a workspace. */
const SYSTEM_FOLDERS = ['/proc', '/sys'];

/**
 * Refuses a `dir` that cannot become a workspace before anything is written: a file in
 * the way, a system folder, or a nearest existing folder that is not writable. (Node's
 * recursive mkdir never returns under /proc, so it must not get that far.)
 */
function checkTarget(dir: string): void {
  let existing = resolve(dir);
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  if (!statSync(existing).isDirectory()) {
    throw new CadenceError('INIT_NOT_A_FOLDER', existing === resolve(dir) ? `${dir} is a file, not a folder` : `cannot create ${dir}: ${existing} is a file, not a folder`, {
      hint: 'pass a folder that does not exist yet (cadence creates it) or an existing folder, like `cadence init my-sales`',
    });
  }
  const real = realpathSync(existing);
  const system = SYSTEM_FOLDERS.find((folder) => real === folder || real.startsWith(`${folder}${sep}`));
  if (system !== undefined) {
    throw new CadenceError('INIT_UNWRITABLE', `cannot create a workspace in ${dir}: ${system} holds the kernel's system files, not a place for folders`, {
      hint: 'create the workspace in your home or project folder, like `cadence init ~/my-sales`',
    });
  }
  try {
    accessSync(existing, constants.W_OK);
  } catch {
    throw new CadenceError('INIT_UNWRITABLE', `cannot create a workspace in ${dir}: ${existing} is not writable`, {
      hint: `choose a folder you can write to, or check its permissions (ls -ld ${existing})`,
    });
  }
}

/** Creates `dir` one missing folder at a time, from its nearest existing ancestor down. */
function createFolder(dir: string): void {
  const missing: string[] = [];
  for (let folder = resolve(dir); !existsSync(folder); folder = dirname(folder)) missing.unshift(folder);
  for (const folder of missing) mkdirSync(folder);
}

/** A file-system error while writing inside `dir` as an expected error that names the path; undefined for others. */
function writeError(error: unknown, dir: string): CadenceError | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, dest, path } = error as NodeJS.ErrnoException & { dest?: string };
  const target = dest ?? path;
  if (typeof code !== 'string' || target === undefined) return undefined;
  const inside = relative(resolve(dir), resolve(target));
  if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) return undefined;
  return new CadenceError('INIT_UNWRITABLE', `cannot write ${target}: ${error.message}`, {
    hint: 'check the permissions and free space of the folder, or choose another folder',
    cause: error,
  });
}
