import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-root.js';
import { initWorkspace, type StarterLanguage } from '../workspace/init.js';
import { validateWorkspace, type ValidationResult } from '../workspace/validate.js';

export interface DemoResult {
  dir: string;
  validation: ValidationResult;
  leadsFile: string;
  outboxDir: string;
}

/**
 * The main job on the embedded default: a workspace with the starter library, a sample
 * leads CSV and an outbox folder in `dir`, validated and ready to run.
 */
export function runDemo(dir: string, language: StarterLanguage): DemoResult {
  initWorkspace(dir, language);
  const leadsFile = join(dir, 'leads.csv');
  copyFileSync(join(packageRoot, 'examples', 'leads.csv'), leadsFile);
  const outboxDir = join(dir, '.cadence', 'outbox');
  mkdirSync(outboxDir, { recursive: true });
  return { dir, validation: validateWorkspace(dir), leadsFile, outboxDir };
}
