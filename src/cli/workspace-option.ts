import { resolve } from 'node:path';
import type { Command } from 'commander';
import { findWorkspaceRoot } from '../workspace/paths.js';
import type { Io } from './io.js';

/** The workspace folder: `-C DIR` exactly, or the nearest folder from here up with a cadence.yaml. */
export function workspaceRoot(command: Command, io: Io): string {
  const explicit = (command.optsWithGlobals() as { workspace?: string }).workspace;
  return explicit ? findWorkspaceRoot(resolve(io.cwd, explicit), true) : findWorkspaceRoot(io.cwd);
}
