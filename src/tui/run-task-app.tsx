import type { Command } from 'commander';
import { actor, now, storePath } from '../cli/context.js';
import type { Cli } from '../cli/io.js';
import { loadValidWorkspace } from '../cli/valid-workspace.js';
import { isCadenceError } from '../errors.js';
import { defaultOwner, type TaskDue } from '../engine/task-list.js';
import { TaskSession } from '../engine/task-session.js';
import { openStore } from '../store/database.js';
import { runEditor } from './editor.js';
import type { AppState } from './task-app.js';

export interface TaskAppOptions {
  owner?: string;
  allOwners: boolean;
  due: TaskDue;
  type?: string;
}

/**
 * The interactive task list at a terminal. While the rep edits a draft, the app steps
 * aside (unmounted, the terminal handed to $EDITOR) and comes back where it was.
 */
export async function runTaskApp(command: Command, cli: Cli, options: TaskAppOptions): Promise<void> {
  // ink takes the longest to load: it loads while the workspace and the list are read.
  const screen = Promise.all([import('ink'), import('./task-app.js')]);
  const workspace = await loadValidWorkspace(command, cli.io);
  const store = openStore(storePath(command, cli.io, workspace.root), { create: false });
  const me = actor(command, cli.io);
  const owner = options.allOwners ? undefined : (options.owner ?? defaultOwner(workspace.config, me));
  const session = new TaskSession({ store, workspace, actor: me, clock: () => now(command, cli.io), filter: { ...(owner ? { owner } : {}), ...(options.type ? { type: options.type } : {}), due: options.due } });
  const zone = session.zoneFor(owner ?? null);
  const [{ render }, { INITIAL_STATE, TaskApp, draftMessage }] = await screen;
  let state: AppState = INITIAL_STATE;
  let interrupted = false;
  try {
    for (;;) {
      let editRequest: { taskId: number; fullEdit: boolean; state: AppState } | undefined;
      const instance = render(
        <TaskApp
          session={session}
          initial={state}
          zone={zone}
          title={`cadence tasks — ${owner ?? 'everyone'}`}
          onInterrupt={() => (interrupted = true)}
          sendEmail={(taskId) => session.send(taskId, { env: cli.io.env as NodeJS.ProcessEnv })}
          editDraft={(taskId, fullEdit, current) => {
            editRequest = { taskId, fullEdit, state: current };
            setImmediate(() => instance.unmount());
            return 'suspended';
          }}
        />,
        { patchConsole: false, exitOnCtrlC: false },
      );
      await instance.waitUntilExit();
      if (interrupted) cli.exitCode = 130;
      if (!editRequest) break;
      const request: { taskId: number; fullEdit: boolean; state: AppState } = editRequest;
      state = { ...request.state, message: editMessage(() => draftMessage(session.editDraft(request.taskId, (file) => runEditor(file, cli.io.env), { fullEdit: request.fullEdit }))) };
    }
  } finally {
    store.close();
  }
}

/** The message after the editor: the check's, or why the editor could not run. */
function editMessage(edit: () => AppState['message']): AppState['message'] {
  try {
    return edit();
  } catch (error) {
    if (!isCadenceError(error)) throw error;
    return { kind: 'error', text: `${error.code}: ${error.message}` };
  }
}
