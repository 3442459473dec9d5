import type { TriggerDefinition, TriggerEvent } from '../workspace/types.js';

/** The part of a logged event a trigger's `on:` looks at. */
export interface TriggerableEvent {
  type: string;
  data: unknown;
}

export type EventTrigger = TriggerDefinition & { on: Extract<TriggerDefinition['on'], { event: unknown }> };
export type DateTrigger = TriggerDefinition & { on: Extract<TriggerDefinition['on'], { date: unknown }> };

export const isDateTrigger = (trigger: TriggerDefinition): trigger is DateTrigger => 'date' in trigger.on;
export const isEnabled = (trigger: TriggerDefinition): boolean => trigger.enabled !== false;

/**
 * Whether an event fires a trigger's `on:` (before its `when:`): the event type, then
 * each filter the trigger gives — `field` (a `lead.updated` that changed it; an import
 * sets every field, so `lead.imported` passes), `sequence`, `reason` (an exit reason)
 * and `outcome` (a call's).
 */
export function eventFiresTrigger(trigger: TriggerDefinition, event: TriggerableEvent): boolean {
  if (!isEnabled(trigger) || isDateTrigger(trigger)) return false;
  const on = (trigger as EventTrigger).on;
  const types: readonly TriggerEvent[] = Array.isArray(on.event) ? on.event : [on.event];
  if (!types.includes(event.type as TriggerEvent)) return false;
  const data = (event.data ?? {}) as Record<string, unknown>;
  if (on.field !== undefined && event.type === 'lead.updated') {
    const changes = data.changes as Record<string, unknown> | undefined;
    if (!changes || !(on.field in changes)) return false;
  }
  if (on.sequence !== undefined && data.sequence !== on.sequence) return false;
  if (on.reason !== undefined && data.reason !== on.reason) return false;
  if (on.outcome !== undefined && data.outcome !== on.outcome) return false;
  return true;
}

/** The enabled triggers an event fires, in id order (file names): the order they act in. */
export function triggersForEvent(triggers: ReadonlyMap<string, TriggerDefinition>, event: TriggerableEvent): string[] {
  return [...triggers.keys()].sort().filter((id) => eventFiresTrigger(triggers.get(id)!, event));
}
