/** Where an enrollment stands in a new version of its sequence. */
export type MappedPlace =
  | { kind: 'step'; index: number; reason: 'same' | 'removed' | 'added after' }
  | { kind: 'lost' };

/**
 * Maps an enrollment's place in the version it is on (`oldIds`, about to do `stepId` at
 * `stepIndex`; `stepId` null past the last step) to the new version's steps, by id:
 * - its step is still there: that step, wherever it moved;
 * - its step was removed: the next step after it (in the old order) that survives;
 * - none after it survives: the step after the last one it has passed that survives, so
 *   steps added at the end are still done;
 * - none of the old steps survives: back to the first step if it had done nothing yet,
 *   otherwise lost (the caller pauses it for a person to decide).
 * Without the old version (a store from before versions were kept) a lead keeps its
 * position, capped at the end.
 */
export function mapPlace(oldIds: readonly string[] | undefined, newIds: readonly string[], stepIndex: number, stepId: string | null): MappedPlace {
  if (stepId !== null && newIds.includes(stepId)) {
    return { kind: 'step', index: newIds.indexOf(stepId), reason: 'same' };
  }
  if (!oldIds) return { kind: 'step', index: Math.min(stepIndex, newIds.length), reason: stepId === null ? 'same' : 'removed' };
  const place = stepId !== null && oldIds.includes(stepId) ? oldIds.indexOf(stepId) : Math.min(stepIndex, oldIds.length);
  const next = oldIds.slice(place).find((id) => newIds.includes(id));
  if (next !== undefined) return { kind: 'step', index: newIds.indexOf(next), reason: 'removed' };
  const passed = oldIds.slice(0, place).filter((id) => newIds.includes(id)).map((id) => newIds.indexOf(id));
  if (passed.length > 0) {
    const index = Math.max(...passed) + 1;
    return { kind: 'step', index, reason: stepId === null ? (index < newIds.length ? 'added after' : 'same') : 'removed' };
  }
  return place === 0 ? { kind: 'step', index: 0, reason: 'removed' } : { kind: 'lost' };
}
