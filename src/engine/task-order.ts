import { DateTime } from 'luxon';
import type { StepType, TaskListSettings, TaskOrderKey, Weekday } from '../workspace/types.js';

export const DEFAULT_TASK_ORDER: readonly TaskOrderKey[] = ['overdue', 'callable_calls', 'due_at'];
export const DEFAULT_TYPE_ORDER: readonly StepType[] = ['call', 'manual_email', 'linkedin', 'sms', 'task'];
export const DEFAULT_WORKING_HOURS = { start: '09:00', end: '18:00' } as const;
export const DEFAULT_MORNING = '09:00';

export interface OrderableTask {
  id: number;
  type: string;
  dueAt: string;
  /** The lead's time zone, when known. */
  timezone: string | null;
}

export interface OrderContext {
  now: Date;
  /** Tasks due before this instant (the start of the rep's today) are overdue. */
  startOfToday: string;
  /** The zone of a lead without one (the workspace's). */
  defaultZone: string;
  /** Days that are not business days (no calls grouped then); default Saturday and Sunday. */
  weekend?: readonly Weekday[];
}

export type OrderedTask<T> = T & { overdue: boolean; callable: boolean };

const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/**
 * Orders the task list by the workspace's plain settings (`tasks.order` in cadence.yaml):
 * each key decides in turn, then the task id. `callable` marks a call whose lead is inside
 * working hours now, in the lead's own zone; `overdue` a task due before today.
 */
export function orderTasks<T extends OrderableTask>(tasks: readonly T[], settings: TaskListSettings | undefined, context: OrderContext): OrderedTask<T>[] {
  const order = settings?.order ?? DEFAULT_TASK_ORDER;
  const typeOrder = settings?.type_order ?? DEFAULT_TYPE_ORDER;
  const rank = (type: string): number => {
    const index = (typeOrder as readonly string[]).indexOf(type);
    return index < 0 ? typeOrder.length : index;
  };
  const isWorkingHours = workingHoursTest(settings, context);
  const marked = tasks.map((task) => ({ ...task, overdue: task.dueAt < context.startOfToday, callable: task.type === 'call' && isWorkingHours(task.timezone ?? context.defaultZone) }));
  const compare = (a: OrderedTask<T>, b: OrderedTask<T>): number => {
    for (const key of order) {
      const difference =
        key === 'overdue' ? Number(b.overdue) - Number(a.overdue)
        : key === 'callable_calls' ? Number(b.callable) - Number(a.callable)
        : key === 'type' ? rank(a.type) - rank(b.type)
        : a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : 0;
      if (difference !== 0) return difference;
    }
    return a.id - b.id;
  };
  return marked.sort(compare);
}

/** Whether it is the lead's working hours now, computed once per zone (10,000 tasks share a handful). */
function workingHoursTest(settings: TaskListSettings | undefined, context: OrderContext): (zone: string) => boolean {
  const hours = settings?.working_hours ?? DEFAULT_WORKING_HOURS;
  const weekend = new Set(context.weekend ?? ['sat', 'sun']);
  const cache = new Map<string, boolean>();
  return (zone) => {
    let inside = cache.get(zone);
    if (inside === undefined) {
      const local = DateTime.fromJSDate(context.now, { zone });
      const clock = local.isValid ? local.toFormat('HH:mm') : '';
      inside = local.isValid && !weekend.has(WEEKDAYS[local.weekday - 1]!) && clock >= hours.start && clock < hours.end;
      cache.set(zone, inside);
    }
    return inside;
  };
}
