import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { importLeads, type ImportReport } from '../import/run-import.js';
import { packageRoot } from '../package-root.js';
import { openStore } from '../store/database.js';
import { queryLeads, type Lead } from '../store/leads.js';
import { initWorkspace, type StarterLanguage } from '../workspace/init.js';
import { validateWorkspace, type ValidationResult } from '../workspace/validate.js';

export interface DemoResult {
  dir: string;
  validation: ValidationResult;
  leadsFile: string;
  storePath: string;
  outboxDir: string;
  imported: ImportReport | undefined;
  leads: Lead[];
}

/**
 * The main job on the embedded default: a workspace with the starter library, a sample
 * leads CSV imported into a SQLite store, and an outbox folder, all in `dir`.
 */
export async function runDemo(dir: string, language: StarterLanguage, env: { now: Date; actor: string }): Promise<DemoResult> {
  initWorkspace(dir, language);
  const leadsFile = join(dir, 'leads.csv');
  copyFileSync(join(packageRoot, 'examples', 'leads.csv'), leadsFile);
  const outboxDir = join(dir, '.cadence', 'outbox');
  mkdirSync(outboxDir, { recursive: true });
  const storePath = join(dir, '.cadence', 'cadence.db');
  const validation = validateWorkspace(dir);
  const config = validation.workspace.config?.definition;
  if (validation.errors > 0 || !config) return { dir, validation, leadsFile, storePath, outboxDir, imported: undefined, leads: [] };
  const store = openStore(storePath);
  try {
    const imported = await importLeads(store, config, { file: leadsFile, map: {}, encoding: 'auto', onConflict: 'update', strict: true, dryRun: false }, { now: env.now, actor: env.actor, pid: process.pid, isAlive: () => false });
    return { dir, validation, leadsFile, storePath, outboxDir, imported, leads: queryLeads(store.db, undefined) };
  } finally {
    store.close();
  }
}
