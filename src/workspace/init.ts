import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
 * a .gitignore for .cadence/ and a CI workflow that validates every pull request.
 */
export function initWorkspace(dir: string, language: StarterLanguage): InitResult {
  if (existsSync(join(dir, CONFIG_FILE))) {
    throw new CadenceError('INIT_EXISTS', `${join(dir, CONFIG_FILE)} already exists`, {
      hint: 'this folder is already a workspace: run `cadence validate` there, or choose a new folder',
    });
  }
  const created: string[] = [];
  const write = (path: string, text: string): void => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
    created.push(path);
  };
  mkdirSync(dir, { recursive: true });
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
