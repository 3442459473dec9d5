import type { Database } from 'better-sqlite3';
import { DateTime } from 'luxon';
import { listOpenTasks, type TaskListing } from '../store/tasks.js';
import type { WorkspaceConfig } from '../workspace/types.js';
import { orderTasks, type OrderedTask } from './task-order.js';

export type TaskDue = 'today' | 'overdue' | 'all';

export interface TaskListFilter {
  /** One rep's tasks; undefined for everyone's. */
  owner?: string;
  type?: string;
  due: TaskDue;
}

export interface TaskList {
  tasks: OrderedTask<TaskListing>[];
  /** The zone "today" and "overdue" are counted in: the rep's. */
  zone: string;
  counts: [type: string, count: number][];
  overdue: number;
}

/** Whose list `cadence tasks` shows by default: the acting person's, when they are a rep. */
export function defaultOwner(config: WorkspaceConfig, actor: string): string | undefined {
  return config.reps?.some((rep) => rep.name === actor) ? actor : undefined;
}

/**
 * The open task list as the rep sees it, printed, as JSON or in the terminal app: snoozed
 * tasks hidden until their time, filtered, ordered by the workspace's `tasks:` settings.
 */
export function loadTaskList(db: Database, config: WorkspaceConfig, filter: TaskListFilter, now: Date, actor: string): TaskList {
  const zone = config.reps?.find((rep) => rep.name === (filter.owner ?? actor))?.timezone ?? config.timezone;
  const local = DateTime.fromJSDate(now, { zone });
  const startOfToday = local.startOf('day').toUTC().toISO()!;
  const rows = listOpenTasks(
    db,
    {
      ...(filter.owner ? { owner: filter.owner } : {}),
      ...(filter.type ? { type: filter.type } : {}),
      ...(filter.due === 'today' ? { dueBefore: local.endOf('day').toUTC().toISO()! } : {}),
      ...(filter.due === 'overdue' ? { overdueAt: now.toISOString() } : {}),
    },
    now.toISOString(),
  );
  const tasks = orderTasks(rows, config.tasks, { now, startOfToday, defaultZone: config.timezone, ...(config.calendar?.weekend ? { weekend: config.calendar.weekend } : {}) });
  const counts = new Map<string, number>();
  for (const task of tasks) counts.set(task.type, (counts.get(task.type) ?? 0) + 1);
  return { tasks, zone, counts: [...counts], overdue: tasks.filter((task) => task.overdue).length };
}
