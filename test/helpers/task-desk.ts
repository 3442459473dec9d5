import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { TaskSession } from '../../src/engine/task-session.js';
import { openStore, type Store } from '../../src/store/database.js';
import { validateWorkspace } from '../../src/workspace/validate.js';
import type { SequenceDefinition, TemplateDefinition } from '../../src/workspace/types.js';
import { cadence, repoRoot, sampleWorkspace } from './cli.js';

export const PRIYA = 'priya.shah@fabrikam.example.com';
export const OLIVIA = 'olivia.bennett@northwind.example.com';
export const DAY_ONE = '2026-12-01T10:00:00-05:00';

/**
 * The sample workspace with two test sequences (test/fixtures/task-desk/): Priya has a
 * manual email to write (outbound-personal, with editable regions) and Olivia a call
 * whose booked-meeting branch enrolls her in the meeting reminder.
 */
export async function taskDesk(dir: string): Promise<void> {
  await sampleWorkspace(dir);
  for (const name of ['desk-email.yaml', 'desk-call.yaml']) cpSync(join(repoRoot, 'test', 'fixtures', 'task-desk', name), join(dir, 'sequences', name));
  const env = { CADENCE_NOW: DAY_ONE };
  for (const [sequence, lead] of [['desk-email', PRIYA], ['desk-call', OLIVIA]] as const) {
    const enrolled = await cadence(['enroll', sequence, '--lead', lead], { cwd: dir, env });
    if (enrolled.exitCode !== 0) throw new Error(enrolled.stderr);
  }
  const tick = await cadence(['tick'], { cwd: dir, env });
  if (tick.exitCode !== 0) throw new Error(tick.stderr);
}

/** A task-list session on the workspace's store, as the terminal app makes one, loaded. */
export async function openSession(dir: string, now: string, actor = 'alex'): Promise<{ session: TaskSession; store: Store }> {
  const validation = validateWorkspace(dir);
  const definitions = <T>(sources: Map<string, { definition: T | undefined }>): Map<string, T> => new Map([...sources].flatMap(([id, source]) => (source.definition ? [[id, source.definition] as const] : [])));
  const store = openStore(join(dir, '.cadence', 'cadence.db'), { create: false });
  const workspace = {
    root: dir,
    config: validation.workspace.config!.definition!,
    sequences: definitions<SequenceDefinition>(validation.workspace.sequences),
    templates: definitions<TemplateDefinition>(validation.workspace.templates),
  };
  const session = new TaskSession({ store, workspace, actor, clock: () => new Date(now), filter: { due: 'all' } });
  await session.prepare();
  return { session, store };
}
