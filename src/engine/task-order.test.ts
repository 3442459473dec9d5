import { describe, expect, it } from 'vitest';
import { orderTasks } from './task-order.js';

// Tuesday 2026-12-01 15:30 UTC: 10:30 in New York, 00:30 (Wednesday) in Tokyo.
const context = { now: new Date('2026-12-01T15:30:00Z'), startOfToday: '2026-12-01T05:00:00.000Z', defaultZone: 'America/New_York' };
const tasks = [
  { id: 1, type: 'manual_email', dueAt: '2026-12-01T14:00:00.000Z', timezone: null },
  { id: 2, type: 'call', dueAt: '2026-12-01T15:00:00.000Z', timezone: 'Asia/Tokyo' },
  { id: 3, type: 'call', dueAt: '2026-12-01T15:00:00.000Z', timezone: 'America/New_York' },
  { id: 4, type: 'linkedin', dueAt: '2026-11-30T15:00:00.000Z', timezone: null },
];

describe('orderTasks', () => {
  it('by default: overdue first, then calls in the lead’s working hours, then by due time', () => {
    const ordered = orderTasks(tasks, undefined, context);
    expect(ordered.map((task) => task.id)).toEqual([4, 3, 1, 2]);
    expect(ordered.map((task) => [task.id, task.overdue, task.callable])).toEqual([[4, true, false], [3, false, true], [1, false, false], [2, false, false]]);
  });

  it('follows the settings: type order first, then due time; working hours of the lead’s zone', () => {
    expect(orderTasks(tasks, { order: ['type', 'due_at'], type_order: ['linkedin', 'call'] }, context).map((task) => task.id)).toEqual([4, 2, 3, 1]);
    expect(orderTasks(tasks, { order: ['due_at'] }, context).map((task) => task.id)).toEqual([4, 1, 2, 3]);
    const night = orderTasks(tasks, { working_hours: { start: '00:00', end: '01:00' } }, context);
    expect(night.filter((task) => task.callable).map((task) => task.id)).toEqual([2]);
  });

  it('groups no calls on the weekend', () => {
    const saturday = { ...context, now: new Date('2026-12-05T15:30:00Z') };
    expect(orderTasks(tasks, undefined, saturday).some((task) => task.callable)).toBe(false);
    expect(orderTasks(tasks, undefined, { ...saturday, weekend: ['fri'] }).filter((task) => task.callable).map((task) => task.id)).toEqual([3]);
  });
});
