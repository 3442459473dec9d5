import { describe, expect, it } from 'vitest';
import type { TriggerDefinition } from '../workspace/types.js';
import { eventFiresTrigger, triggersForEvent } from './match.js';

const trigger = (on: TriggerDefinition['on'], extra: Partial<TriggerDefinition> = {}): TriggerDefinition => ({ on, do: [{ set: { status: 'nurture' } }], ...extra });

describe('eventFiresTrigger', () => {
  it('matches the event type, one or several', () => {
    expect(eventFiresTrigger(trigger({ event: 'reply.received' }), { type: 'reply.received', data: {} })).toBe(true);
    expect(eventFiresTrigger(trigger({ event: ['lead.imported', 'lead.updated'] }), { type: 'lead.imported', data: {} })).toBe(true);
    expect(eventFiresTrigger(trigger({ event: 'reply.received' }), { type: 'email.sent', data: {} })).toBe(false);
  });

  it('field: a lead.updated that changed it; an import sets every field', () => {
    const on = trigger({ event: ['lead.imported', 'lead.updated'], field: 'status' });
    expect(eventFiresTrigger(on, { type: 'lead.updated', data: { changes: { status: ['new', 'MQL'] } } })).toBe(true);
    expect(eventFiresTrigger(on, { type: 'lead.updated', data: { changes: { phone: [null, '1'] } } })).toBe(false);
    expect(eventFiresTrigger(on, { type: 'lead.imported', data: { import: 1 } })).toBe(true);
  });

  it('sequence, reason and outcome filters', () => {
    expect(eventFiresTrigger(trigger({ event: 'enrollment.exited', sequence: 'a', reason: 'reply' }), { type: 'enrollment.exited', data: { sequence: 'a', reason: 'reply' } })).toBe(true);
    expect(eventFiresTrigger(trigger({ event: 'enrollment.exited', sequence: 'a', reason: 'reply' }), { type: 'enrollment.exited', data: { sequence: 'a', reason: 'removed' } })).toBe(false);
    expect(eventFiresTrigger(trigger({ event: 'enrollment.finished', sequence: 'a' }), { type: 'enrollment.finished', data: { sequence: 'b' } })).toBe(false);
    expect(eventFiresTrigger(trigger({ event: 'task.completed', outcome: 'meeting_booked' }), { type: 'task.completed', data: { outcome: 'meeting_booked' } })).toBe(true);
    expect(eventFiresTrigger(trigger({ event: 'task.completed', outcome: 'meeting_booked' }), { type: 'task.completed', data: { outcome: 'no_answer' } })).toBe(false);
  });

  it('never fires a disabled trigger or a date trigger on an event', () => {
    expect(eventFiresTrigger(trigger({ event: 'reply.received' }, { enabled: false }), { type: 'reply.received', data: {} })).toBe(false);
    expect(eventFiresTrigger(trigger({ date: { field: 'renewal_date' } }), { type: 'lead.updated', data: { changes: { renewal_date: [null, '2027-01-01'] } } })).toBe(false);
  });

  it('lists the triggers an event fires in file-name order', () => {
    const triggers = new Map([
      ['b', trigger({ event: 'reply.received' })],
      ['a', trigger({ event: 'reply.received' })],
      ['c', trigger({ event: 'lead.imported' })],
    ]);
    expect(triggersForEvent(triggers, { type: 'reply.received', data: {} })).toEqual(['a', 'b']);
  });
});
