import type { Database } from 'better-sqlite3';
import { CadenceError } from '../errors.js';
import { findTask, type TaskRecord } from '../store/tasks.js';

/**
 * The task, if it is still open; call inside the action's transaction. A task that changed
 * underneath (done by someone else, cancelled by a tick because the lead replied) is
 * refused, so an action is never applied to it.
 */
export function requireOpenTask(db: Database, taskId: number): TaskRecord {
  const task = findTask(db, taskId);
  if (!task) throw new CadenceError('TASK_NOT_FOUND', `there is no task ${taskId}`, { hint: 'list open tasks with `cadence tasks --json`' });
  if (task.state !== 'open') {
    const why = task.note ? `, ${task.note}` : '';
    throw new CadenceError('TASK_NOT_OPEN', `task ${task.id} is ${task.state}${task.outcome ? ` (${task.outcome})` : ''}${why}; nothing was changed`, {
      hint: 'it changed underneath (done by someone else, or cancelled because the enrollment ended): list open tasks with `cadence tasks`',
    });
  }
  return task;
}
