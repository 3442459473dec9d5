import { DateTime } from 'luxon';
import { CadenceError, UsageError } from '../errors.js';
import type { Store } from '../store/database.js';
import { appendEvent } from '../store/events.js';
import { snoozeTask as storeSnooze } from '../store/tasks.js';
import { nextBusinessDay, type BusinessCalendar } from './calendar.js';
import { DEFAULT_MORNING } from './task-order.js';
import { requireOpenTask } from './task-open.js';

export interface TaskSnoozeRequest {
  taskId: number;
  until: Date;
  now: Date;
  actor: string;
}

/**
 * Hides an open task from the list until `until`, in one transaction, logged as
 * `task.snoozed` with the time it was snoozed from. A time not after now is refused; a
 * snooze past the step's expiry is allowed, and reported, since the tick will skip the
 * task when it expires.
 */
export function snoozeTask(store: Store, request: TaskSnoozeRequest): { until: string; pastExpiry: boolean } {
  const { db } = store;
  const at = request.now.toISOString();
  const until = request.until.toISOString();
  if (until <= at) {
    throw new CadenceError('TASK_SNOOZE_PAST', `cannot snooze task ${request.taskId} until ${until}: that is not after now (${at})`, { hint: 'give a later time, like --until 2026-12-10T09:00', exitCode: 2 });
  }
  return db.transaction(() => {
    const task = requireOpenTask(db, request.taskId);
    storeSnooze(db, task.id, until);
    appendEvent(db, { type: 'task.snoozed', at, actor: request.actor, leadId: task.leadId, data: { task: task.id, sequence: task.sequence, step: task.stepId, until, previous: task.snoozedUntil } });
    return { until, pastExpiry: task.expiresAt !== null && task.expiresAt <= until };
  }).immediate();
}

export type SnoozeChoice = 'hour' | 'morning' | { date: string };

/**
 * When a snooze ends: in an hour; tomorrow morning (`tasks.morning`, 09:00 by default) in
 * the rep's zone; or a given date, read in the rep's zone (a date alone means that
 * morning, a time without an offset is the rep's local time).
 */
export function snoozeUntil(choice: SnoozeChoice, now: Date, zone: string, morning = DEFAULT_MORNING, calendar?: BusinessCalendar): Date {
  const [hour, minute] = morning.split(':').map(Number) as [number, number];
  if (choice === 'hour') return new Date(now.getTime() + 3_600_000);
  if (choice === 'morning') {
    // The next working morning: a Friday's "tomorrow" is Monday (or after a holiday or closure).
    const tomorrow = DateTime.fromJSDate(now, { zone }).plus({ days: 1 }).toISODate()!;
    const day = calendar ? nextBusinessDay(calendar, tomorrow).date : tomorrow;
    return DateTime.fromISO(day, { zone }).set({ hour, minute, second: 0, millisecond: 0 }).toJSDate();
  }
  const text = choice.date.trim();
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const parsed = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text) ? DateTime.fromISO(text.replace(' ', 'T'), { zone }) : DateTime.invalid('not ISO');
  if (!parsed.isValid) throw new UsageError('BAD_TIME', `"${choice.date}" is not a date and time`, 'write it like 2026-12-10, 2026-12-10 14:00 or 2026-12-10T14:00:00+09:00');
  return (dateOnly ? parsed.set({ hour, minute }) : parsed).toJSDate();
}

/** The zone a rep reads times in: the acting rep's, else the task owner's, else the workspace's. */
export function repZone(config: { timezone: string; reps?: { name: string; timezone?: string }[] }, actor: string, owner: string | null): string {
  const reps = config.reps ?? [];
  return reps.find((rep) => rep.name === actor)?.timezone ?? reps.find((rep) => rep.name === owner)?.timezone ?? config.timezone;
}
