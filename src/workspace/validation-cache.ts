import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HolidayYears } from '../engine/holiday-seeds.js';
import { packageVersion } from '../package-root.js';
import { CONFIG_FILE, FOLDERS } from './paths.js';
import type { SequenceDefinition, TemplateDefinition, TriggerDefinition, WorkspaceConfig } from './types.js';

/** A workspace that passed validation, as plain definitions. */
export interface ValidatedDefinitions {
  config: WorkspaceConfig;
  sequences: Record<string, SequenceDefinition>;
  templates: Record<string, TemplateDefinition>;
  triggers: Record<string, TriggerDefinition>;
  /** The business calendar's holidays around the year it was validated in. */
  holidays?: HolidayYears;
}

const CACHE_FILE = join('.cadence', 'validated.json');

/**
 * The fingerprint of everything validation reads: the content of every workspace file
 * and the version of cadence (the holidays it keeps carry date-holidays' own version).
 * Reading and hashing the files costs a few milliseconds; parsing and checking them
 * again costs hundreds, on every tick from cron.
 */
export function workspaceFingerprint(root: string): string {
  const hash = createHash('sha256').update(`cadence ${packageVersion()}\0`);
  const files = [CONFIG_FILE];
  for (const folder of Object.values(FOLDERS)) {
    const dir = join(root, folder);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).filter((file) => /\.ya?ml$/.test(file)).sort()) files.push(`${folder}/${name}`);
  }
  for (const file of files) {
    hash.update(`${file}\0`);
    try {
      hash.update(readFileSync(join(root, file)));
    } catch {
      hash.update('(unreadable)');
    }
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** The definitions validated for exactly this fingerprint, if a cache has them. */
export function readValidationCache(root: string, fingerprint: string): ValidatedDefinitions | undefined {
  try {
    const cached = JSON.parse(readFileSync(join(root, CACHE_FILE), 'utf8')) as { fingerprint: string; definitions: ValidatedDefinitions };
    return cached.fingerprint === fingerprint ? cached.definitions : undefined;
  } catch {
    return undefined;
  }
}

/** Remembers a valid workspace's definitions (written atomically; a failure to write only costs speed). */
export function writeValidationCache(root: string, fingerprint: string, definitions: ValidatedDefinitions): void {
  try {
    mkdirSync(join(root, '.cadence'), { recursive: true });
    const path = join(root, CACHE_FILE);
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ fingerprint, definitions }));
    renameSync(temporary, path);
  } catch {
    // A read-only .cadence folder: validation simply runs every time.
  }
}
