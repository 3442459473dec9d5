import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../store/database.js';
import type { WorkspaceConfig } from '../workspace/types.js';
import { importLeads, type ImportOptions } from './run-import.js';
import { isProcessAlive, toThreadError } from './thread-messages.js';

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

async function run(): Promise<void> {
  const store = openStore(job.storePath);
  try {
    const report = await importLeads(store, job.config, job.options, {
      now: new Date(job.now),
      actor: job.actor,
      pid: job.pid,
      isAlive: isProcessAlive,
      onProgress: (progress) => port.postMessage({ progress }),
    });
    port.postMessage({ report });
  } catch (error) {
    port.postMessage(toThreadError(error));
  } finally {
    store.close();
  }
}

void run();
