import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CadenceError } from '../errors.js';

export const CONFIG_FILE = 'cadence.yaml';
export const FOLDERS = { sequences: 'sequences', templates: 'templates', triggers: 'triggers' } as const;

/** The folder holding cadence.yaml: `start` or the nearest parent that has one. */
export function findWorkspaceRoot(start: string, explicit = false): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, CONFIG_FILE))) return dir;
    const parent = dirname(dir);
    if (explicit || parent === dir) break;
    dir = parent;
  }
  throw new CadenceError('WORKSPACE_NOT_FOUND', `no ${CONFIG_FILE} in ${resolve(start)}${explicit ? '' : ' or any folder above it'}`, {
    hint: 'run the command inside a workspace, pass -C DIR, or create one with `cadence init DIR`',
  });
}

