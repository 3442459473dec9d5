import { parentPort, workerData } from 'node:worker_threads';
import { CadenceError } from '../errors.js';
import { openStore } from '../store/database.js';
import type { WorkspaceConfig } from '../workspace/types.js';
import { importLeads, type ImportOptions } from './run-import.js';

/** An import on its own thread, so its heap has a limit of its own (see runImport). */
interface ImportJob {
  storePath: string;
  config: WorkspaceConfig;
  options: ImportOptions;
  now: string;
  actor: string;
  pid: number;
}

const port = parentPort!;
const job = workerData as ImportJob;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function run(): Promise<void> {
  const store = openStore(job.storePath);
  try {
    const report = await importLeads(store, job.config, job.options, {
      now: new Date(job.now),
      actor: job.actor,
      pid: job.pid,
      isAlive,
      onProgress: (progress) => port.postMessage({ progress }),
    });
    port.postMessage({ report });
  } catch (error) {
    const expected = error instanceof CadenceError;
    port.postMessage({
      error: expected
        ? { code: error.code, message: error.message, hint: error.hint, exitCode: error.exitCode, details: error.details }
        : { message: error instanceof Error ? (error.stack ?? error.message) : String(error) },
      expected,
    });
  } finally {
    store.close();
  }
}

void run();
