import { Worker } from 'node:worker_threads';
import type { Store } from '../store/database.js';
import type { WorkspaceConfig } from '../workspace/types.js';
import { IMPORT_HEAP_LIMITS } from './heap-limits.js';
import { importLeads, type ImportEnvironment, type ImportOptions, type ImportReport } from './run-import.js';
import { fromThreadError, type ThreadError } from './thread-messages.js';

/**
 * Runs an import on a thread of its own (which reads the file on another), so memory stays
 * bounded; from the TypeScript sources (the tests) it runs on this thread.
 */
export async function runImport(store: Store, config: WorkspaceConfig, options: ImportOptions, env: ImportEnvironment): Promise<ImportReport> {
  // An in-memory store (a dry run with no store yet) cannot be opened from another thread.
  if (import.meta.url.endsWith('.ts') || store.path === ':memory:' || process.env.CADENCE_IMPORT_THREADS === '0') return importLeads(store, config, options, env);
  const worker = new Worker(new URL('./import-worker.js', import.meta.url), {
    workerData: { storePath: store.path, config, options, now: env.now.toISOString(), actor: env.actor, pid: env.pid },
    resourceLimits: IMPORT_HEAP_LIMITS.writer,
  });
  return new Promise<ImportReport>((resolve, reject) => {
    let settled = false;
    worker.on('message', (message: { progress?: Parameters<NonNullable<ImportEnvironment['onProgress']>>[0]; report?: ImportReport } & Partial<ThreadError>) => {
      if (message.progress) env.onProgress?.(message.progress);
      else if (message.report) {
        settled = true;
        resolve(message.report);
      } else if (message.error) {
        settled = true;
        reject(fromThreadError(message as ThreadError, 'the import'));
      }
    });
    worker.on('error', (error) => {
      if (!settled) reject(error);
      settled = true;
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`the import's thread stopped with code ${code} before it finished`));
      settled = true;
    });
  }).finally(() => void worker.terminate());
}
