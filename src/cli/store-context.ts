import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Store } from '../store/database.js';
import type { WorkspaceConfig } from '../workspace/types.js';
import { storePath } from './context.js';
import type { Io } from './io.js';
import { workspaceRoot } from './workspace-option.js';

export interface StoreContext {
  root: string;
  config: WorkspaceConfig;
  store: Store;
  outboxDir: string;
}

/**
 * What lead commands share: the workspace root, its checked settings and the open store.
 * `run` gets them and the store is closed afterwards, whatever happens.
 */
export async function withStore<T>(
  command: Command,
  io: Io,
  options: {
    create: boolean;
    /** With no store yet, use an empty one in memory (a dry run must not create the file). */
    emptyIfMissing?: boolean;
    /** Check the holiday calendar setting (loads every country's holidays): only for commands that count business days. */
    checkCalendar?: boolean;
  },
  run: (context: StoreContext) => T | Promise<T>,
): Promise<T> {
  // Loaded here, not at start-up: every command registers with this module.
  const { openStore } = await import('../store/database.js');
  const { loadValidConfig } = await import('../workspace/config.js');
  const root = workspaceRoot(command, io);
  const config = loadValidConfig(root, { checkCalendar: options.checkCalendar ?? true });
  const path = storePath(command, io, root);
  const store = options.emptyIfMissing && !existsSync(path) ? openStore(':memory:') : openStore(path, { create: options.create });
  try {
    return await run({ root, config, store, outboxDir: resolve(root, config.outbox?.dir ?? join('.cadence', 'outbox')) });
  } finally {
    store.close();
  }
}
